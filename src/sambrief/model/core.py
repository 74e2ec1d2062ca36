"""The canonical model: every dataset of one period, cleaned and derived, with no I/O."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from sambrief.ingest.datasets import DATASETS, NUMBER
from sambrief.ingest.request_outcomes import RequestOutcomes
from sambrief.ingest.request_outcomes import classify as classify_requests
from sambrief.model.seats import _flag
from sambrief.model.seats import combine as combine_seats


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"expected a period as YYYY-MM, got {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> Period:
        return Period.of(self.start - timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class SourceInfo:
    dataset: str
    name: str  # file name only: paths can carry user or host names
    layout: str
    rows: int
    report_date: date | None = None  # the date the export stands for ("Stand")
    dated_by: str = "report"  # 'report' (its report date), 'folder' ({period} folder), 'file' (file date)
    # The distinct days its rows happened on (the dataset's row_dates), sorted: without a report
    # date the source line cites the newest of them within the period.
    row_days: np.ndarray | None = None
    fields: frozenset[str] | None = None  # the dataset's fields the export has (None: all)

    def entries_up_to(self, end: date) -> date | None:
        """The newest row date not after `end` (None when no row is dated by then)."""
        if self.row_days is None or not len(self.row_days):
            return None
        at = int(np.searchsorted(self.row_days, np.datetime64(end, "D"), side="right"))
        return self.row_days[at - 1].astype(object) if at else None


@dataclass
class Model:
    period: Period
    as_of: date  # the date figures are stated for (report date in the period, else period end)
    datasets: dict[str, pd.DataFrame]
    sources: list[SourceInfo] = field(default_factory=list)
    news: list = field(default_factory=list)  # NewsItem, newest first
    history: dict[str, dict[str, float | None]] = field(default_factory=dict)  # earlier period -> key figures
    seat_signals: dict[str, tuple[str, ...]] = field(default_factory=dict)  # product -> exports with its activity
    # Per dataset, the fields at least one of its exports has: a field not here is absent (no
    # export has the column), and every figure that rests on it is unknown, never 0.
    fields: dict[str, frozenset[str]] = field(default_factory=dict)
    # Results derived from this model's frames, computed once for all themes and audiences
    # (a departmental model, made by dataclasses.replace, starts with its own).
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: str, compute: Callable[[], Any], given: object = None) -> Any:
        """compute(), once per model (and per `given` object, e.g. the settings): what several
        themes or audiences derive from the same frames."""
        hit = self._derived.get((key, id(given)))
        if hit is None or hit[0] is not given:
            hit = self._derived[(key, id(given))] = (given, compute())
        return hit[1]

    def days(self, dataset: str, column: str) -> np.ndarray:
        """A date column as datetime64[D] (NaT where unknown), converted once per model."""
        return self.derived(_days_key(dataset, column), lambda: _days(self.frame(dataset)[column]))

    def request_outcomes(self) -> RequestOutcomes:
        """Each request's outcome and close day (request_outcomes.classify), once per model."""
        return self.derived(
            "requests.outcomes",
            lambda: classify_requests(
                self.frame("requests"),
                *(self.days("requests", c) for c in ("closed_date", "approval_date", "updated_date")),
            ),
        )

    def idle_seats(self, settings) -> tuple[pd.Series, pd.Series]:  # noqa: ANN001
        """idle_mask of the cloud seats with the settings' thresholds, once per model and settings."""
        return self.derived(
            "idle",
            lambda: idle_mask(
                self.frame("cloud_seats"),
                self.as_of,
                settings.inactive_days_for,
                self.days("cloud_seats", "report_date"),
                self.days("cloud_seats", "last_activity"),
            ),
            settings,
        )

    def has(self, dataset: str, *names: str) -> bool:
        """Whether some export of the dataset has one of the fields (alternatives: any will do).
        A dataset without any export has none."""
        return bool(self.fields.get(dataset, frozenset()) & set(names))

    def previous_figures(self) -> dict[str, float | None] | None:
        return self.history.get(str(self.period.previous))

    def frame(self, name: str) -> pd.DataFrame:
        return self.datasets[name]

    def sources_of(self, dataset: str) -> list[SourceInfo]:
        return [s for s in self.sources if s.dataset == dataset]


def empty_frame(dataset: str) -> pd.DataFrame:
    """A dataset no export holds: its columns typed as a read export's are (numbers float64).
    Made once per dataset and handed out as copies (a frame of twenty typed columns takes about
    a millisecond to make, its copy a fiftieth; most builds lack several datasets)."""
    if dataset not in _EMPTY:
        _EMPTY[dataset] = pd.DataFrame(
            {f.name: pd.Series(dtype=float if f.kind == NUMBER else object) for f in DATASETS[dataset].fields}
        )
    return _EMPTY[dataset].copy()


_EMPTY: dict[str, pd.DataFrame] = {}


def row_days(frame: pd.DataFrame, fields: tuple[str, ...]) -> np.ndarray:
    """The distinct known days of the given date columns, sorted (whole columns, no per-row work)."""
    days = [d[~np.isnat(d)] for d in (_days(frame[f]) for f in fields if f in frame)]
    return np.unique(np.concatenate(days)) if days else np.empty(0, dtype="datetime64[D]")


def newest_date(column: pd.Series) -> date | None:
    """The latest date of a canonical date column, None when it has none."""
    return _newest(_days(column))


def _newest(days: np.ndarray) -> date | None:
    known = days[~np.isnat(days)]
    return known.max().astype(object) if len(known) else None


def build_model(
    frames: dict[str, list[pd.DataFrame]],
    sources: list[SourceInfo],
    period: Period | None,
    today: date,
    news: list | None = None,
    history: dict[str, dict[str, float | None]] | None = None,
) -> Model:
    """Merge and derive the datasets. Without a period: the month of the newest day the data
    shows (newest_data_day), else the previous month."""
    merged = {
        name: (concat_frames(parts) if parts else empty_frame(name))
        for name, parts in ((n, frames.get(n, [])) for n in DATASETS)
    }
    merged["license_position"] = derive_license_position(merged["license_position"])
    merged["cloud_seats"] = derive_cloud_seats(merged["cloud_seats"])
    people = combine_seats(merged, frames, sources)  # one person across exports (sambrief.model.seats)
    merged["cloud_seats"], merged["cloud_activity"] = people.seats, people.activity
    report_days = _days(merged["cloud_seats"]["report_date"])  # kept for the themes (model.days)
    newest = newest_data_day(merged, report_days, today)
    if period is None:
        period = Period.of(newest) if newest else Period.of(today).previous
    as_of = newest if newest and period.start <= newest <= period.end else period.end
    earlier = {p: f for p, f in (history or {}).items() if p < str(period)}
    model = Model(
        period,
        as_of,
        merged,
        sources,
        list(news or []),
        earlier,
        seat_signals=people.signals,
        fields=present_fields(frames, sources),
    )
    model.derived(_days_key("cloud_seats", "report_date"), lambda: report_days)
    return model


def present_fields(frames: dict[str, list[pd.DataFrame]], sources: list[SourceInfo]) -> dict[str, frozenset[str]]:
    """Per dataset with exports, the union of the fields its exports have; a dataset whose
    exports do not say (fields None, or frames without source records) has all of them."""
    out: dict[str, frozenset[str]] = {}
    for name, parts in frames.items():
        if not parts or name not in DATASETS:
            continue
        infos = [s for s in sources if s.dataset == name]
        if not infos or any(s.fields is None for s in infos):
            out[name] = frozenset(DATASETS[name].field_names)
        else:
            out[name] = frozenset().union(*(s.fields or frozenset() for s in infos))
    return out


def newest_data_day(merged: dict[str, pd.DataFrame], report_days: np.ndarray, today: date) -> date | None:
    """The newest day the data itself shows: the newest report date of the exports that have one,
    else the newest day their rows happened on (the datasets' row_dates: a request opened,
    approved, closed or updated, a seat last used), none after today (a typo in the future is no
    data). Registers, kept by hand and dated ahead, never decide."""
    reported = [_newest(report_days), newest_date(merged["cloud_activity"]["report_date"])]
    if any(reported):
        return max(d for d in reported if d)
    limit = np.datetime64(today, "D")
    days = [
        row_days(merged[name], spec.row_dates)
        for name, spec in DATASETS.items()
        if not spec.register and not merged[name].empty
    ]
    return _newest(np.concatenate([d[d <= limit] for d in days])) if days else None


def concat_frames(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The exports of one dataset as one frame. Person-key categoricals stay categoricals over
    the union of their keys (pandas' concat would turn keys from two exports into a million objects)."""
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    columns = list(parts[0].columns)
    joined = [
        c
        for c in columns
        if all(c in p and isinstance(p[c].dtype, pd.CategoricalDtype) and not p[c].cat.ordered for p in parts)
        and len({p[c].cat.categories.dtype for p in parts}) == 1
        and len({id(p[c].cat.categories) for p in parts}) > 1
    ]
    merged = pd.concat([p.drop(columns=joined) for p in parts], ignore_index=True)
    for c in joined:
        merged[c] = union_categoricals([p[c] for p in parts])
    return merged[columns + [c for c in merged.columns if c not in columns]]


def for_department(model: Model, department: str) -> Model:
    """The model seen by one department: only its seats and requests (licences stay whole)."""
    from dataclasses import replace

    wanted = department.casefold()
    datasets = dict(model.datasets)
    for name in ("cloud_seats", "requests"):
        frame = datasets[name]
        folded = map_distinct(frame["department"], lambda d: str(d).casefold() == wanted if d else False)
        datasets[name] = frame[folded.fillna(False).astype(bool)]
    return replace(model, datasets=datasets)


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(float)


def derive_license_position(df: pd.DataFrame) -> pd.DataFrame:
    """Fill balance, entitlements, required, unit price and exposure from what each export has.
    On whole columns as numpy arrays (pandas' per-operation cost is most of the time on a
    licence position of a few hundred rows); NaN is unknown throughout."""
    df = df.copy()
    entitlements, required, balance, unit_price, total_cost, stated = (
        _num(df[col]).to_numpy(dtype=float)
        for col in ("entitlements", "required", "balance", "unit_price", "total_cost", "exposure")
    )
    # inf - inf and the like are NaN (unknown), quietly, as in pandas
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        balance = _fill(balance, entitlements - required)
        entitlements = _fill(entitlements, required + balance)
        required = _fill(required, entitlements - balance)
        per_licence = total_cost / np.where(entitlements > 0, entitlements, np.nan)
        unit_price = _fill(np.where(unit_price > 0, unit_price, np.nan), per_licence)
        shortfall = _fill(_at_least_zero(-balance), 0.0)
        surplus = _fill(_at_least_zero(balance), 0.0)
        # The export's own true-up or compliance cost wins where it states one (tools differ in
        # sign: Flexera writes the money needed as negative). A covered product has no exposure.
        given = np.where(~np.isnan(stated) & (stated != 0), np.abs(stated), np.nan)
        exposure = _fill(given, shortfall * unit_price)
    exposure[shortfall == 0] = 0.0
    for col, values in (
        ("entitlements", entitlements),
        ("required", required),
        ("balance", balance),
        ("unit_price", unit_price),
        ("total_cost", total_cost),
        ("shortfall", shortfall),
        ("surplus", surplus),
        ("exposure", exposure),
        ("price_known", ~np.isnan(unit_price) | ~np.isnan(given)),
    ):
        df[col] = values
    return df


def _fill(values: np.ndarray, other: np.ndarray | float) -> np.ndarray:
    """Series.fillna on arrays: `other` where `values` is NaN."""
    return np.where(np.isnan(values), other, values)


def _at_least_zero(values: np.ndarray) -> np.ndarray:
    """Series.clip(lower=0) on arrays: negatives become 0; NaN and -0.0 stay as they are."""
    return np.where(np.isnan(values) | (values >= 0), values, 0.0)


def derive_cloud_seats(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy(deep=False)  # whole columns are replaced below, never written into
    # Unknown activity information counts as known (the export has it); unknown blocking as not blocked.
    df["activity_known"] = _flag(df["activity_known"], True)
    df["account_disabled"] = _flag(df["account_disabled"], False)
    return df


def map_distinct(products: pd.Series, lookup) -> pd.Series:  # noqa: ANN001
    """A per-product setting (threshold, price) for every seat: the settings accessor runs once
    per distinct product name and the result is joined back on the name, so the accessor's
    matching rules (case-insensitive names) stay in one place. The column's type is decided
    on the distinct results, then every row takes its value by code."""
    codes, names = pd.factorize(products, use_na_sentinel=True)
    values = [lookup(name) for name in names] + ([None] if (codes < 0).any() else [])
    table = pd.Series(values, dtype=object).infer_objects().to_numpy()
    return pd.Series(table[codes], index=products.index, dtype=table.dtype)


def _days_key(dataset: str, column: str) -> str:
    return f"days.{dataset}.{column}"


def _days(column: pd.Series) -> np.ndarray:
    """A canonical date column (datetime64, or datetime.date cells and None in the registers)
    as datetime64[D], NaT where unknown; date cells converted once per distinct day."""
    if column.dtype.kind == "M":  # already datetime64
        return column.to_numpy().astype("datetime64[D]")
    codes, days = pd.factorize(column, use_na_sentinel=True)
    converted = (
        pd.to_datetime(pd.Series(np.asarray(days, dtype=object), dtype=object), errors="coerce")
        .to_numpy()
        .astype("datetime64[D]")
    )
    return np.append(converted, np.datetime64("NaT", "D"))[codes]


def day_numbers(days: np.ndarray) -> np.ndarray:
    """datetime64[D] as days since 1970 (float, NaN where unknown): differences are days,
    comparisons are whole-column."""
    numbers = days.astype(np.int64).astype(float)
    numbers[np.isnat(days)] = np.nan
    return numbers


def idle_mask(
    seats: pd.DataFrame,
    as_of: date,
    days_for,
    report: np.ndarray | None = None,  # noqa: ANN001
    last: np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series]:
    """(idle, never) masks: no activity for more than the product's inactive days before the
    report date, or no activity at all, or a blocked account still holding the seat.
    Seats without activity information are neither (never guessed as idle). `report` and `last`:
    the date columns as datetime64[D] where the caller has them already."""
    if seats.empty:
        empty = pd.Series([], dtype=bool)
        return empty, empty
    report = _days(seats["report_date"]) if report is None else report
    report = np.where(np.isnat(report), np.datetime64(as_of, "D"), report)
    threshold = map_distinct(seats["product"], days_for).to_numpy(dtype="int64").astype("timedelta64[D]")
    limit = report - threshold
    last = _days(seats["last_activity"]) if last is None else last
    known = seats["activity_known"].to_numpy(dtype=bool)
    never = np.isnat(last) & known
    stale = ~np.isnat(last) & (last < limit) & known
    disabled = seats["account_disabled"].to_numpy(dtype=bool)
    return pd.Series(never | stale | disabled, index=seats.index), pd.Series(never, index=seats.index)
