"""What became of each software request: its outcome from state, stage and approval together
(the vocabulary and the rules are data in defaults/request_vocabulary.yaml, read by
ingest.datasets), and the day it closed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sambrief.ingest.datasets import REQUEST_APPROVALS, REQUEST_RULES, REQUEST_STAGES, REQUEST_STATES
from sambrief.text import normalise_header

VOCABULARY = {"state": REQUEST_STATES, "stage": REQUEST_STAGES, "approval": REQUEST_APPROVALS}
CLOSED = ("closed_complete", "closed_incomplete", "rejected")
OPEN = ("waiting", "fulfilment", "open")


@dataclass(frozen=True)
class RequestOutcomes:
    outcome: np.ndarray  # object array of datasets.REQUEST_OUTCOMES, one per request
    closed_day: np.ndarray  # datetime64[D]: closed_date, else updated_date for a closed request; NaT when unknown
    dated_by_update: np.ndarray  # bool: a closed request dated only by its last update
    unrecognised: dict[str, tuple[str, ...]]  # column -> values the vocabulary does not know

    def of(self, *outcomes: str) -> np.ndarray:
        return np.isin(self.outcome, outcomes)


def canonical_choices(column: pd.Series, choices: dict[str, tuple[str, ...]]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each row's canonical value (None where empty or not in the vocabulary), decided once per
    distinct text; and the distinct texts the vocabulary does not know."""
    lookup = {
        normalise_header(spelling.replace("_", " ")): key
        for key, spellings in choices.items()
        for spelling in spellings
    }
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [normalise_header(str(u).replace("_", " ")) for u in np.asarray(uniques, dtype=object)]
    mapped = np.array([lookup.get(t) for t in texts] + [None], dtype=object)
    unknown = tuple(str(u) for u, t in zip(np.asarray(uniques, dtype=object), texts) if t and t not in lookup)
    return mapped[codes], unknown


def classify(frame: pd.DataFrame, closed: np.ndarray, approved: np.ndarray, updated: np.ndarray) -> RequestOutcomes:
    """The requests' outcomes, whole columns: the first rule of REQUEST_RULES that a row's
    state, stage or approval meets decides; the dates decide the rest."""
    n = len(frame)
    outcome = np.full(n, None, dtype=object)
    canonical, unrecognised = {}, {}
    for name, choices in VOCABULARY.items():
        canonical[name], unknown = canonical_choices(frame[name], choices)
        if unknown:
            unrecognised[name] = unknown
    for result, column, values in REQUEST_RULES:
        hit = pd.isna(outcome) & np.isin(canonical[column], values)
        outcome[hit] = result
    rest = pd.isna(outcome)
    has_close, has_approval = ~np.isnat(closed), ~np.isnat(approved)
    outcome[rest & has_close] = "closed_complete"
    open_rest = rest & ~has_close
    if has_approval.any():  # the export has approval dates: an open request without one waits
        outcome[open_rest] = np.where(has_approval[open_rest], "fulfilment", "waiting")
    else:
        outcome[open_rest] = "open"
    is_closed = np.isin(outcome, CLOSED)
    by_update = is_closed & np.isnat(closed) & ~np.isnat(updated)
    closed_day = np.where(by_update, updated, closed)
    closed_day[~is_closed] = np.datetime64("NaT")
    return RequestOutcomes(outcome, closed_day.astype("datetime64[D]"), by_update, unrecognised)
