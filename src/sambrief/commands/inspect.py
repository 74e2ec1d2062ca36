"""`sambrief inspect`: what sambrief makes of each export, without a workspace."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sambrief.errors import InputError
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource, load_source
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.layouts import SourcePin
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.model.core import SourceInfo
from sambrief.model.seats import _product_key as product_key
from sambrief.model.seats import combine as combine_seats


@dataclass
class Inspection:
    """What sambrief makes of one file. A file it cannot read has no layout, and its error is
    the one problem (scripts rely on one entry per path, see README "sambrief inspect")."""

    path: str
    dataset: str | None = None
    layout: str | None = None
    rows: int = 0
    layout_title: str | None = None
    confidence: float | None = None
    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # source header -> canonical field
    rows_read: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    problems: list[str] = field(default_factory=list)
    signals: dict[str, list[str]] | None = None  # a seat file: per product, the exports giving its activity

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.layout is None:
            data = {key: data[key] for key in ("path", "dataset", "layout", "rows", "problems")}
        if self.signals is None:
            data.pop("signals", None)
        return data


def inspect_files(paths: list[Path], pin: SourcePin | None = None) -> list[Inspection]:
    """What sambrief makes of each file: dataset, layout, mapping, rows, drops, problems.
    Never raises for a bad file: its error becomes the entry's `problems`."""
    pseudonymise = Pseudonymiser(secrets.token_bytes(32))  # nothing of it is shown
    entries: list[Inspection] = []
    loaded: list[LoadedSource] = []
    for path in paths:
        try:
            source = load_source(path, pin or SourcePin(), pseudonymise)
        except InputError as exc:
            message = exc.args[0] if exc.args else str(exc)
            problem = message if isinstance(message, Notice) else str(exc)  # a notice: printed in the language
            entries.append(Inspection(str(path), problems=[problem]))
            continue
        entries.append(
            Inspection(
                str(path),
                source.dataset,
                source.layout,
                len(source.frame),
                source.layout_title,
                source.confidence,
                source.sheet,
                source.header_row,
                source.encoding,
                source.delimiter,
                source.mapping,
                source.rows_read,
                dict(source.dropped),
                source.warnings,
            )
        )
        loaded.append(source)
    # Which exports give activity for each product's seats (files inspected together count together).
    signals = signals_per_file(loaded)
    for entry in entries:
        entry.signals = signals.get(entry.path)
    return entries


def signals_per_file(loaded: list[LoadedSource]) -> dict[str, dict[str, list[str]]]:
    """For `inspect`: per seat file, its products and the exports (among those inspected together)
    that give activity for them; an empty list = no activity data."""
    cloud = [s for s in loaded if s.dataset in ("cloud_seats", "cloud_activity")]
    if not any(s.dataset == "cloud_seats" for s in cloud):
        return {}
    parts: dict[str, list[pd.DataFrame]] = {}
    infos = []
    for s in cloud:
        parts.setdefault(s.dataset, []).append(s.frame)
        infos.append(SourceInfo(s.dataset, s.path.name, s.layout, len(s.frame), fields=s.fields))
    merged = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    merged.setdefault("cloud_activity", pd.DataFrame(columns=list(DATASETS["cloud_activity"].field_names)))
    combined = combine_seats(merged, parts, infos)
    by_key = {product_key(p): list(found) for p, found in combined.signals.items()}
    out = {}
    for s in cloud:
        if s.dataset == "cloud_seats":
            products = sorted(pd.unique(s.frame["product"].dropna()).astype(str))
            out[str(s.path)] = {p: by_key.get(product_key(p), []) for p in products}
    return out
