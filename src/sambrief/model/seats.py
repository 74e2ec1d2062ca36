"""One person across exports: the seats a workspace really holds.

The same person appears in several exports (the Active users report, the admin centre's user
list, Entra, Adobe, Salesforce). Here, with no I/O and on whole columns:

- user keys that one row gives as aliases of each other (UPN and mail) become one key, so a
  person is counted once however many exports list them;
- the same assignment listed by two exports is one seat (product names compared as their
  display names, so 'MICROSOFT 365 E3' and 'Microsoft 365 E3' are the same product);
- a seat's last activity is the latest of every signal any export gives for that person in a
  workload the seat's product holds (``defaults/product_families.yaml``; each layout's
  ``evidence:`` says which workload its activity is about): Apps usage counts for the
  Microsoft 365 E3 seat listed elsewhere, a Teams chat never for an "Apps for enterprise" or a
  Copilot seat; a seat no signal covers has no activity data (never "unused");
- a person whose account is blocked, disabled or deleted (Entra, the admin centre's user
  list, Google) holds seats nobody can use: every one of them counts as unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sambrief.ingest import workloads
from sambrief.ingest.columns import distinct_categorical
from sambrief.ingest.datasets import DATASETS

if TYPE_CHECKING:
    from sambrief.model.core import SourceInfo

_SOURCE = "_source"
MAX_ALIAS_ROUNDS = 64  # converges in a few rounds (pointer jumping); this only bounds a pathological file


@dataclass(frozen=True)
class CombinedSeats:
    seats: pd.DataFrame  # cloud_seats: one row per person and product
    activity: pd.DataFrame  # cloud_activity with the same person keys
    signals: dict[str, tuple[str, ...]]  # product -> the exports that gave activity for its seats


def family_table() -> dict[str, tuple[str, ...]]:
    return workloads.family_table()


def _product_key(name: object) -> str:
    return workloads.product_key(name)


def _with_defaults(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """A shallow copy with every field and a fresh row index: columns are replaced, never
    written into, so the caller's frame is untouched without copying a million rows."""
    frame = frame.copy(deep=False)
    frame.index = pd.RangeIndex(len(frame))
    for name in DATASETS[dataset].field_names:
        if name not in frame:
            frame[name] = None
    frame["activity_known"] = _flag(frame["activity_known"], True)
    frame["account_disabled"] = _flag(frame["account_disabled"], False)
    return frame


def _tag_sources(frame: pd.DataFrame, parts: list[pd.DataFrame], infos: list[SourceInfo]) -> pd.Series:
    """The export each row came from (its layout's title), from the order the parts were merged
    in; a categorical (a code per row, the few titles once)."""
    from sambrief.ingest.layouts import registry

    layouts = registry()
    titles = [layouts[i.layout].title if i.layout in layouts else i.name for i in infos]
    if len(titles) != len(parts) or sum(len(p) for p in parts) != len(frame):
        # merged some other way: name the exports together rather than claim no activity data
        together = ", ".join(sorted(set(titles))) or "export"
        return pd.Series(together, index=frame.index, dtype=object)
    distinct = list(dict.fromkeys(titles))
    codes = np.repeat(np.array([distinct.index(t) for t in titles], dtype=np.int64), [len(p) for p in parts])
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype=object)), index=frame.index)


def _factorized(*columns: pd.Series) -> tuple[np.ndarray, list[np.ndarray]]:
    """The distinct values of several columns (object, arrow string or categorical) as one table,
    and each column's codes into it (-1 where missing): every column is hashed once."""
    parts = [pd.factorize(column, use_na_sentinel=True) for column in columns]
    uniques = [np.asarray(u, dtype=object) for _, u in parts]
    if sum(1 for u in uniques if len(u)) <= 1:  # one column holds every value: its codes are the table's
        return np.concatenate(uniques), [codes for codes, _ in parts]
    merged, names = pd.factorize(np.concatenate(uniques), use_na_sentinel=True)
    offsets = np.cumsum([0] + [len(u) for u in uniques])
    codes = [np.append(merged[start : start + len(u)], -1)[c] for (c, _), u, start in zip(parts, uniques, offsets)]
    return np.asarray(names, dtype=object), codes


def _components(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Connected components of nodes 0..n-1 joined by the edges (a[i], b[i]): each node's
    smallest node (label propagation with pointer jumping, on whole arrays)."""
    label = np.arange(n)
    for _ in range(MAX_ALIAS_ROUNDS):
        before = label.copy()
        low = np.minimum(label[a], label[b])
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        np.minimum.at(label, before[a], low)  # hook the old representatives too
        np.minimum.at(label, before[b], low)
        while True:  # shortcut to the representative's representative
            jumped = label[label]
            if (jumped == label).all():
                break
            label = jumped
        if (label == before).all():
            break
    return label


def _representatives(keys: np.ndarray, aliases: np.ndarray, n: int) -> np.ndarray:
    """Code -> the code of its person: codes that a row names as aliases of each other are one
    person, represented by the one named first (keys before aliases)."""
    person = np.arange(n)
    edge = (keys >= 0) & (aliases >= 0) & (keys != aliases)
    a, b = keys[edge], aliases[edge]
    if not len(a):
        return person
    nodes, first = np.unique(np.concatenate([a, b]), return_index=True)
    nodes = nodes[np.argsort(first, kind="stable")]  # in the order they are first named
    rank = np.empty(n, dtype=np.int64)
    rank[nodes] = np.arange(len(nodes))
    person[nodes] = nodes[_components(rank[a], rank[b], len(nodes))]
    return person


def person_keys(keys: pd.Series, aliases: pd.Series) -> dict[str, str]:
    """Key -> one key per person: keys that rows name as aliases of each other form one person."""
    names, (key_codes, alias_codes) = _factorized(keys, aliases)
    person = _representatives(key_codes, alias_codes, len(names))
    moved = person != np.arange(len(names))
    return dict(zip(names[moved], names[person[moved]]))


def _renamed(column: pd.Series, codes: np.ndarray, person: np.ndarray, names: np.ndarray) -> pd.Series:
    """The column with every key replaced by its person's key (missing stays missing), as a
    categorical over the key table."""
    renamed = np.where(codes >= 0, person[np.maximum(codes, 0)], -1)
    return pd.Series(distinct_categorical(renamed, names), index=column.index)


def _dates(series: pd.Series) -> pd.Series:
    """A date column as datetime64 (NaT where unknown): typed columns as they are, date cells
    converted once per distinct day (a million seats hold a few hundred days)."""
    if series.dtype.kind == "M":
        return series
    codes, days = pd.factorize(series, use_na_sentinel=True)
    converted = pd.to_datetime(pd.Series(np.asarray(days, dtype=object), dtype=object), errors="coerce").to_numpy(
        dtype="datetime64[ns]"
    )
    return pd.Series(np.append(converted, np.datetime64("NaT", "ns"))[codes], index=series.index)


def _flag(column: pd.Series, missing: bool) -> np.ndarray:
    """A yes/no column as bool, `missing` where unknown; decided once per distinct value."""
    if column.dtype == bool:
        return column.to_numpy()
    codes, values = pd.factorize(column, use_na_sentinel=True)
    return np.array([bool(v) for v in values] + [missing], dtype=bool)[codes]


_DATES = ("assigned_date", "last_activity", "report_date", "deleted_date")


def _one_row_per_seat(seats: pd.DataFrame, seat: np.ndarray) -> pd.DataFrame:
    """The same assignment from two exports is one seat (only where an assignment repeats):
    rows grouped by `seat` (person and product codes), in the order seats first appear."""
    seats = seats.assign(**{col: _dates(seats[col]) for col in _DATES})
    grouped = seats.groupby(seat, sort=False)
    return grouped.agg(
        user_key=("user_key", "first"),
        product=("product", "first"),
        assigned_date=("assigned_date", "min"),
        last_activity=("last_activity", "max"),
        department=("department", "first"),
        report_date=("report_date", "max"),
        account_disabled=("account_disabled", "any"),
        activity_known=("activity_known", "any"),
        user_alias=("user_alias", "first"),
        deleted_date=("deleted_date", "max"),
        _person=("_person", "first"),
        _key=("_key", "first"),
        _source=(_SOURCE, "first"),
    ).reset_index(drop=True)


def _as_read(seats: pd.DataFrame, parts: list[pd.DataFrame]) -> tuple[str, ...]:
    """The department column the model can keep as read: an object column every export gave
    (text and None); concat fills a column some export lacks with NaN."""
    if sum(len(p) for p in parts) != len(seats):
        return ()
    return tuple(c for c in ("department",) if seats[c].dtype == object and all(c in p.columns for p in parts))


def _repeats(values: np.ndarray) -> bool:
    """Whether any of these non-negative integers occurs twice (a bitmap where it is small)."""
    if not len(values):
        return False
    top = int(values.max())
    if top >= 1 << 26:
        return len(pd.unique(values)) < len(values)
    seen = np.zeros(top + 1, dtype=bool)
    seen[values] = True
    return int(np.count_nonzero(seen)) < len(values)


def _family_pairs(held: list[tuple[str, ...]], family_codes: dict[str, int]) -> pd.DataFrame:
    """(code, workload code) for each distinct product or signal and the workloads it holds or
    evidences. Per distinct value, not per row."""
    pairs = [
        (code, family_codes.setdefault(f, len(family_codes))) for code, families in enumerate(held) for f in families
    ]
    return pd.DataFrame(pairs, columns=["_key", "_family"], dtype=np.int64)


def combine(
    merged: dict[str, pd.DataFrame], parts: dict[str, list[pd.DataFrame]], sources: list[SourceInfo]
) -> CombinedSeats:
    """Joins on integer codes: each person and each product is a code, computed once per column."""
    frames = (merged["cloud_seats"], merged.get("cloud_activity", pd.DataFrame()))
    if parts.get("cloud_seats") or parts.get("cloud_activity") or any(len(frame) for frame in frames):
        return _combine(merged, parts, sources)
    # Most workspaces have no seat export at all: the result of the empty frames is made once per
    # their columns and types (about ten milliseconds of pandas calls) and handed out as copies.
    shape = tuple(tuple(frame.dtypes.astype(str).items()) for frame in frames)
    if shape not in _NO_SEATS:
        _NO_SEATS[shape] = _combine(merged, parts, sources)
    made = _NO_SEATS[shape]
    return CombinedSeats(made.seats.copy(), made.activity.copy(), dict(made.signals))


_NO_SEATS: dict[tuple, CombinedSeats] = {}


def _combine(
    merged: dict[str, pd.DataFrame], parts: dict[str, list[pd.DataFrame]], sources: list[SourceInfo]
) -> CombinedSeats:
    seats = _with_defaults(merged["cloud_seats"], "cloud_seats")
    activity = _with_defaults(merged.get("cloud_activity", pd.DataFrame()), "cloud_activity")
    seats[_SOURCE] = _tag_sources(
        seats, parts.get("cloud_seats", []), [s for s in sources if s.dataset == "cloud_seats"]
    )
    activity[_SOURCE] = _tag_sources(
        activity, parts.get("cloud_activity", []), [s for s in sources if s.dataset == "cloud_activity"]
    )

    # One key per person, over every export.
    names, (seat_key, seat_alias, activity_key, activity_alias) = _factorized(
        seats["user_key"], seats["user_alias"], activity["user_key"], activity["user_alias"]
    )
    person = _representatives(
        np.concatenate([seat_key, activity_key]), np.concatenate([seat_alias, activity_alias]), len(names)
    )
    if (person != np.arange(len(names))).any():
        for frame, key, alias in ((seats, seat_key, seat_alias), (activity, activity_key, activity_alias)):
            frame["user_key"] = _renamed(frame["user_key"], key, person, names)
            frame["user_alias"] = _renamed(frame["user_alias"], alias, person, names)
    person = np.append(person, -1)  # a missing key stays missing (code -1)
    seat_person, activity_person = person[seat_key], person[activity_key]

    # One spelling per product over all exports ('MICROSOFT 365 E3' and 'Microsoft 365 E3' are one
    # product on the slides): the first export's. Decided per distinct product name.
    name_codes, product_names = pd.factorize(seats["product"], use_na_sentinel=True)
    product_names = np.asarray(product_names, dtype=object)
    key_of_name, keys = pd.factorize(np.array([_product_key(p) for p in product_names], dtype=object))
    keys = [str(k) for k in keys]
    first_name = np.empty(len(keys), dtype=np.int64)
    first_name[key_of_name[::-1]] = np.arange(len(product_names))[::-1]  # codes count in order of appearance
    seat_product = np.append(key_of_name, -1)[name_codes]
    spellings = pd.Index(product_names[first_name], dtype=object)
    seats["product"] = pd.Categorical.from_codes(seat_product, categories=spellings)
    source_codes, source_names = pd.factorize(seats[_SOURCE], use_na_sentinel=True)
    width = len(source_names) + 1  # (product, export) pairs of seats with activity data, as one small integer each
    own = np.flatnonzero(
        np.bincount(((seat_product + 1) * width + source_codes + 1)[seats["activity_known"].to_numpy(dtype=bool)])
    )
    used = [
        pd.DataFrame(
            {"_key": own // width - 1, _SOURCE: np.append(np.asarray(source_names, dtype=object), "")[own % width - 1]}
        )
    ]

    # The same assignment from two exports is one seat.
    as_read = _as_read(seats, parts.get("cloud_seats", []))
    seat = (seat_person.astype(np.int64) + 1) * (len(keys) + 1) + seat_product + 1
    if _repeats(seat):
        seats = _one_row_per_seat(seats.assign(_person=seat_person, _key=seat_product), seat)
        seat_person, seat_product = seats.pop("_person").to_numpy(), seats.pop("_key").to_numpy()
        as_read = ()

    # Activity the person shows in a workload the seat's product holds, in any other export: the
    # workload the export's layout says its activity evidences, else the workloads of its product.
    evidence = (
        activity["workload"].astype(object).where(activity["workload"].notna(), activity["product"].astype(object))
    )
    known = (activity["activity_known"] & evidence.notna()).to_numpy()
    if known.any() and len(seats):
        signals = activity[known]
        signal_codes, signal_names = pd.factorize(evidence[known], use_na_sentinel=True)
        table = family_table()
        families: dict[str, int] = {}
        seat_families = pd.DataFrame(
            {
                "_seat": np.arange(len(seats)),
                "_person": seat_person.astype(np.int64),
                "_key": seat_product.astype(np.int64),
            }
        ).merge(_family_pairs([table.get(k, (k,)) for k in keys], families), on="_key")
        signal_families = pd.DataFrame(
            {
                "_person": activity_person[known].astype(np.int64),
                "_key": signal_codes.astype(np.int64),
                "last": _dates(signals["last_activity"]).to_numpy(),
                _SOURCE: signals[_SOURCE].to_numpy(dtype=object),
            }
        ).merge(
            _family_pairs(
                [workloads.workloads_of_signal(v, table) for v in np.asarray(signal_names, dtype=object)], families
            ),
            on="_key",
        )
        matched = seat_families.merge(signal_families.drop(columns="_key"), on=["_person", "_family"])
        if not matched.empty:
            best = matched.groupby("_seat")["last"].max()
            from_signal = pd.Series(best.reindex(np.arange(len(seats))).to_numpy(), index=seats.index)
            last = _dates(seats["last_activity"])
            seats["last_activity"] = last.where(last.notna() & ~(from_signal > last), from_signal)
            seats["activity_known"] = seats["activity_known"].to_numpy() | np.isin(np.arange(len(seats)), best.index)
            used.append(matched[["_key", _SOURCE]])

    # Accounts nobody can sign in to: every seat of the person is unused.
    blocked = np.isin(seat_person, activity_person[activity["account_disabled"].to_numpy()])
    seats["account_disabled"] = (
        seats["account_disabled"].to_numpy() | blocked | seats["deleted_date"].notna().to_numpy()
    )
    given = activity["department"].notna().to_numpy()
    if given.any():  # the first department an activity export gives for the person
        people, first = np.unique(activity_person[given], return_index=True)
        departments = activity["department"].to_numpy(dtype=object)[given][first]
        at = np.minimum(np.searchsorted(people, seat_person), len(people) - 1)
        found = people[at] == seat_person
        mapped = pd.Series(np.where(found, departments[at], None), index=seats.index, dtype=object)
        seats["department"] = seats["department"].astype(object).where(seats["department"].notna(), mapped)
        as_read = tuple(c for c in as_read if c != "department")

    for col in _DATES:  # datetime64, NaT where unknown
        seats[col] = _dates(seats[col])
    if "department" not in as_read and not isinstance(
        seats["department"].dtype, pd.CategoricalDtype
    ):  # categorical: as read
        seats["department"] = seats["department"].astype(object).where(seats["department"].notna(), None)
    pairs = pd.concat(used, ignore_index=True)
    pairs = pairs[pairs[_SOURCE].astype(bool) & (pairs["_key"] >= 0)].drop_duplicates()
    present = set(np.flatnonzero(np.bincount(seat_product + 1)) - 1)
    found_sources = {
        str(spellings[k]): tuple(sorted(group[_SOURCE]))
        for k, group in pairs.groupby("_key", sort=True)
        if k in present
    }
    signals_by_product = {p: found_sources.get(p, ()) for p in sorted(str(spellings[k]) for k in present if k >= 0)}
    fields = list(DATASETS["cloud_seats"].field_names)
    activity_fields = list(DATASETS["cloud_activity"].field_names)
    # The person's key as a code into the key table: counting people needs no hashing of a million texts.
    seats["user_key"] = distinct_categorical(seat_person, names)
    return CombinedSeats(seats[fields].copy(deep=False), activity[activity_fields], signals_by_product)


@dataclass(frozen=True)
class BlockedSeats:
    """Seats held by accounts nobody can sign in to: blocked, disabled, suspended or deleted."""

    seats: int
    accounts: int
    cost_month: float | None  # over the priced seats; None when no seat of them has a price
    unpriced: int  # seats without a configured price
    per_product: pd.DataFrame  # product -> seats, cost_month (NaN when the price is unknown)

    @property
    def cost_year(self) -> float | None:
        return None if self.cost_month is None else self.cost_month * 12


def blocked_seats(seats: pd.DataFrame, price_of) -> BlockedSeats:  # noqa: ANN001
    """The first harvest: seats of blocked or deleted accounts, with their cost where prices are known."""
    held = seats[seats["account_disabled"].astype(bool)] if len(seats) else seats
    if held.empty:
        empty = pd.DataFrame({"seats": pd.Series(dtype=int), "cost_month": pd.Series(dtype=float)})
        return BlockedSeats(0, 0, None, 0, empty)
    prices = held["product"].map({p: price_of(p) for p in pd.unique(held["product"])}).astype(float)
    per_product = (
        pd.DataFrame({"product": held["product"], "price": prices})
        .groupby("product")
        .agg(seats=("price", "size"), price=("price", "first"))
    )
    per_product["cost_month"] = per_product["seats"] * per_product["price"]
    priced = prices.notna()
    cost = float(prices[priced].sum()) if priced.any() else None
    return BlockedSeats(
        seats=len(held),
        accounts=int(held["user_key"].nunique()),
        cost_month=cost,
        unpriced=int((~priced).sum()),
        per_product=per_product.sort_values(["cost_month", "seats"], ascending=False, na_position="last")[
            ["seats", "cost_month"]
        ],
    )
