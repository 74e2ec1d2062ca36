"""Which contracts end when: contracts (of a contracts export or register, or the licence
position's end dates) placed in the twelve months after a period, the near window marked; pure,
on whole columns. The renewal calendar theme says what this finds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sambrief.ingest.datasets import CONTRACT_STATES
from sambrief.ingest.products import casefolded
from sambrief.ingest.request_outcomes import canonical_choices

WINDOW_DAYS = 90  # the near window, as executive SAM reports mark it
MONTHS = 12
NOT_IN_FORCE = ("expired", "cancelled", "draft")  # contract states that are not "ending"


@dataclass(frozen=True)
class Calendar:
    """The contracts of a licence position placed in the months after a period (pure)."""

    ahead: np.ndarray  # per row: months after the period's month (1 = the next month); 0 where not in the calendar
    soon: np.ndarray  # per row: ends within the window
    undated: np.ndarray  # per row: owned, no end date
    ended: np.ndarray  # per row: owned, ended on or before the period's end
    value: pd.Series  # per row: licences owned × unit price (NaN: unknown)
    end: pd.Series  # per row: the end date (NaT: none)
    marked: int  # how many of the first months the window reaches into

    @property
    def in_year(self) -> np.ndarray:
        return self.ahead > 0


def calendar(lp: pd.DataFrame, period_end: date, window_days: int = WINDOW_DAYS) -> Calendar:
    """Whole columns: the month each contract with licences ends in, within MONTHS after the period."""
    owned = (pd.to_numeric(lp["entitlements"], errors="coerce").fillna(0) > 0).to_numpy()
    value = pd.to_numeric(lp["entitlements"], errors="coerce") * pd.to_numeric(lp["unit_price"], errors="coerce")
    return _placed(lp["renewal_date"], owned, value, period_end, window_days)


def in_force(contracts: pd.DataFrame) -> np.ndarray:
    """Per contract: not expired, cancelled or a draft (an unknown or empty state is in force)."""
    states, _ = canonical_choices(contracts["state"], CONTRACT_STATES)
    return ~pd.Series(states, dtype=object).isin(NOT_IN_FORCE).to_numpy()


def contract_calendar(
    contracts: pd.DataFrame, period_end: date, value_field: str | None, window_days: int = WINDOW_DAYS
) -> Calendar:
    """The same placement for a contracts export: contracts in force, valued by `value_field`
    (None: every value unknown)."""
    value = (
        pd.to_numeric(contracts[value_field], errors="coerce")
        if value_field
        else pd.Series(np.nan, index=contracts.index, dtype=float)
    )
    return _placed(contracts["end_date"], in_force(contracts), value, period_end, window_days)


def _placed(ends: pd.Series, counted: np.ndarray, value: pd.Series, period_end: date, window_days: int) -> Calendar:
    end = pd.to_datetime(ends, errors="coerce")
    months = ((end.dt.year - period_end.year) * 12 + end.dt.month - period_end.month).to_numpy(dtype=float)
    in_year = counted & (months >= 1) & (months <= MONTHS)  # NaN (no date) compares False
    horizon = period_end + timedelta(days=window_days)
    soon = in_year & (end <= pd.Timestamp(horizon)).to_numpy()
    reach = (horizon.year - period_end.year) * 12 + horizon.month - period_end.month
    return Calendar(
        np.where(in_year, months, 0).astype(np.int64),
        soon,
        counted & end.isna().to_numpy(),
        counted & (end <= pd.Timestamp(period_end)).to_numpy(),
        value.reset_index(drop=True),
        end.reset_index(drop=True),
        min(reach, MONTHS),
    )


def once_each(contracts: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per contract number (case-folded): the same contract in two exports (a re-export in
    another language, the register beside the tool's list) counts once; the first row is kept."""
    if contracts.empty:
        return contracts, 0
    keys = pd.Series(casefolded(contracts["contract"]), dtype=object)
    repeated = keys.duplicated().to_numpy() & keys.notna().to_numpy()
    if not repeated.any():
        return contracts, 0
    return contracts[~repeated].reset_index(drop=True), int(repeated.sum())


def notice_by(end: pd.Series, contracts: pd.DataFrame) -> pd.Series:
    """Per contract: the last day to give notice (end date − notice period in days; NaT: unknown)."""
    days = pd.to_numeric(contracts["notice_days"], errors="coerce").reset_index(drop=True)
    return end - pd.to_timedelta(days, unit="D")
