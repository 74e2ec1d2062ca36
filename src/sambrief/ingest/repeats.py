"""The same rows under two names count once.

A licence list or a request export dropped into data/ twice (`lizenzbilanz.csv` and
`lizenzbilanz (1).csv`, or once as CSV and once re-saved as XLSX) would double every sum.
Rows are compared as they were read (their canonical fields, so a re-saved or re-encoded copy
matches too) against the earlier files of the same dataset: a row that repeats one of them is
left out of the later file, with a warning naming both files. Repeats inside one file are the
export's own business and stay.

Cloud seats and activity are not thinned here: the model joins one person across exports
(sambrief.model.seats), so a seat listed twice already counts once, and two portals that list the
same seats legitimately overlap. A whole file that repeats another is still named, and any such file is
left out of the model (neither counted nor cited as a source on a slide).

Whole columns only: each frame is hashed row-wise once (pandas hashes column by column).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource
from sambrief.ingest.datasets import DATASETS


def drop_repeated_rows(sources: list[LoadedSource]) -> list[Notice]:
    """Leave out of each source the rows an earlier source of its dataset has (in place);
    one warning per source that repeats rows, naming the earlier files it repeats."""
    notices: list[Notice] = []
    by_dataset: dict[str, list[LoadedSource]] = {}
    for source in sources:
        by_dataset.setdefault(source.dataset, []).append(source)
    for dataset, group in by_dataset.items():
        if len(group) < 2:
            continue
        joined_by_person = DATASETS[dataset].people_joined
        earlier: list[tuple[LoadedSource, np.ndarray]] = []
        # The shorter name first: the copy ('x (1).csv', 'x - Kopie.csv') is the one left empty.
        for source in sorted(group, key=lambda s: (len(s.path.name), s.path.name)):
            hashes = _row_hashes(source.frame)
            if earlier and len(hashes):
                seen = np.concatenate([h for _, h in earlier])
                repeated = np.isin(hashes, seen)
                whole = bool(repeated.all())
                if repeated.any() and (whole or not joined_by_person):
                    others = [s.path for s, h in earlier if np.isin(hashes[repeated], h).any()]
                    notices.append(_notice(source, others, int(repeated.sum()), len(hashes)))
                    # A copy of what was read is left out of the model altogether (not cited either).
                    source.repeats = whole
                    source.frame = source.frame[~repeated].reset_index(drop=True)
            earlier.append((source, hashes))
    return notices


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    if frame.empty:
        return np.empty(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def _notice(source: LoadedSource, others: list, n: int, total: int) -> Notice:
    names = [str(p) for p in others]
    if n == total:
        return Notice("repeated_file", where=str(source.path), others=names, n=total)
    return Notice("repeated_rows", where=str(source.path), others=names, n=n, total=total)
