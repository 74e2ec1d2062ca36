"""One person across exports: the seats a workspace really holds.

The same person appears in several exports (the Active users report, the admin centre's user
list, Entra, Adobe, Salesforce). Here, with no I/O and on whole columns:

- user keys that one row gives as aliases of each other (UPN and mail) become one key, so a
  person is counted once however many exports list them;
- the same assignment listed by two exports is one seat (product names compared as their
  display names, so 'MICROSOFT 365 E3' and 'Microsoft 365 E3' are the same product);
- a seat's last activity is the latest of every signal any export gives for that person and
  product family (``defaults/product_families.yaml``): Apps usage or an Office activation
  counts for the Microsoft 365 E3 seat listed elsewhere;
- a person whose account is blocked, disabled or deleted (Entra, the admin centre's user
  list, Google) holds seats nobody can use: every one of them counts as unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml

from sambrief.datasets import DATASETS
from sambrief.display_names import display_product

if TYPE_CHECKING:
    from sambrief.model import SourceInfo

_SOURCE, _PRODUCT_KEY, _SEAT = "_source", "_product_key", "_seat"
MAX_ALIAS_ROUNDS = 64  # converges in a few rounds (pointer jumping); this only bounds a pathological file


@dataclass(frozen=True)
class CombinedSeats:
    seats: pd.DataFrame  # cloud_seats: one row per person and product
    activity: pd.DataFrame  # cloud_activity with the same person keys
    signals: dict[str, tuple[str, ...]]  # product -> the exports that gave activity for its seats


@lru_cache(maxsize=1)
def _family_data() -> dict:
    path = resources.files("sambrief") / "defaults" / "product_families.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def family_table() -> dict[str, tuple[str, ...]]:
    """Product key (display name, case-folded) -> the families it belongs to. Built per call:
    the display names depend on the workspace's product-name table."""
    data = _family_data()
    table: dict[str, set[str]] = {}
    for family, names in (data.get("families") or {}).items():
        for name in names:
            table.setdefault(_product_key(name), set()).add(family)
    for suite, families in (data.get("suites") or {}).items():
        table.setdefault(_product_key(suite), set()).update(families)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def _product_key(name: object) -> str:
    text = str(name)
    return " ".join(display_product(text).split()).casefold()


def _families_of(keys: pd.Series) -> pd.DataFrame:
    """(product key, family) pairs; a product not in the table is its own family."""
    table = family_table()
    distinct = pd.unique(keys.dropna())
    pairs = [(k, f) for k in distinct for f in table.get(k, (k,))]  # per distinct product, not per row
    return pd.DataFrame(pairs, columns=[_PRODUCT_KEY, "family"])


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
    """The export each row came from (its layout's title), from the order the parts were merged in."""
    from sambrief.layouts import registry

    layouts = registry()
    titles = [layouts[i.layout].title if i.layout in layouts else i.name for i in infos]
    if len(titles) != len(parts) or sum(len(p) for p in parts) != len(frame):
        # merged some other way: name the exports together rather than claim no activity data
        together = ", ".join(sorted(set(titles))) or "export"
        return pd.Series(together, index=frame.index, dtype=object)
    return pd.Series(np.repeat(np.array(titles, dtype=object), [len(p) for p in parts]), index=frame.index, dtype=object)


def person_keys(keys: pd.Series, aliases: pd.Series) -> dict[str, str]:
    """Key -> one key per person: keys that rows name as aliases of each other form one person
    (connected components by label propagation with pointer jumping, on whole arrays)."""
    edges = pd.DataFrame({"a": keys.to_numpy(dtype=object), "b": aliases.to_numpy(dtype=object)})
    edges = edges[edges["a"].notna() & edges["b"].notna() & (edges["a"] != edges["b"])].drop_duplicates()
    if edges.empty:
        return {}
    codes, nodes = pd.factorize(pd.concat([edges["a"], edges["b"]], ignore_index=True))
    a, b = codes[: len(edges)], codes[len(edges) :]
    label = np.arange(len(nodes))
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
    moved = label != np.arange(len(nodes))
    names = np.asarray(nodes, dtype=object)
    return dict(zip(names[moved], names[label[moved]]))


def _dates(series: pd.Series) -> pd.Series:
    """Date cells -> datetime64, converted once per distinct day (a million seats hold a few
    hundred days)."""
    codes, days = pd.factorize(series, use_na_sentinel=True)
    converted = pd.to_datetime(pd.Series(np.asarray(days, dtype=object), dtype=object), errors="coerce").to_numpy(dtype="datetime64[ns]")
    return pd.Series(np.append(converted, np.datetime64("NaT", "ns"))[codes], index=series.index)


def _as_dates(series: pd.Series) -> pd.Series:
    """datetime64 back to date objects, missing as None (what the rest of sambrief expects);
    rows of the same day share one date object."""
    from sambrief.columns import days_to_dates

    return pd.Series(days_to_dates(series.to_numpy(dtype="datetime64[ns]")), index=series.index, dtype=object)


def _flag(column: pd.Series, missing: bool) -> np.ndarray:
    """A yes/no column as bool, `missing` where unknown; decided once per distinct value."""
    codes, values = pd.factorize(column, use_na_sentinel=True)
    return np.array([bool(v) for v in values] + [missing], dtype=bool)[codes]


def _one_row_per_seat(seats: pd.DataFrame) -> pd.DataFrame:
    """The same assignment from two exports is one seat (only where an assignment repeats)."""
    grouped = seats.groupby(["user_key", _PRODUCT_KEY], sort=False, dropna=False)
    return grouped.agg(
        product=("product", "first"),
        assigned_date=("assigned_date", "min"),
        last_activity=("last_activity", "max"),
        department=("department", "first"),
        report_date=("report_date", "max"),
        account_disabled=("account_disabled", "any"),
        activity_known=("activity_known", "any"),
        user_alias=("user_alias", "first"),
        deleted_date=("deleted_date", "max"),
    ).reset_index()


def _product_keys(products: pd.Series) -> pd.Series:
    """_product_key per row, computed once per distinct product (missing stays missing)."""
    codes, names = pd.factorize(products, use_na_sentinel=True)
    keys = np.empty(len(names) + 1, dtype=object)
    keys[:-1] = [_product_key(p) for p in names]
    keys[-1] = np.nan
    return pd.Series(keys[codes], index=products.index, dtype=object)


def combine(
    merged: dict[str, pd.DataFrame], parts: dict[str, list[pd.DataFrame]], sources: list[SourceInfo]
) -> CombinedSeats:
    seats = _with_defaults(merged["cloud_seats"], "cloud_seats")
    activity = _with_defaults(merged.get("cloud_activity", pd.DataFrame()), "cloud_activity")
    seats[_SOURCE] = _tag_sources(seats, parts.get("cloud_seats", []), [s for s in sources if s.dataset == "cloud_seats"])
    activity[_SOURCE] = _tag_sources(activity, parts.get("cloud_activity", []), [s for s in sources if s.dataset == "cloud_activity"])

    # One key per person, over every export.
    people = person_keys(
        pd.concat([seats["user_key"], activity["user_key"]], ignore_index=True),
        pd.concat([seats["user_alias"], activity["user_alias"]], ignore_index=True),
    )
    if people:
        for frame in (seats, activity):
            frame["user_key"] = frame["user_key"].map(people).fillna(frame["user_key"])
            frame["user_alias"] = frame["user_alias"].map(people).fillna(frame["user_alias"])

    seats[_PRODUCT_KEY] = _product_keys(seats["product"])
    # One spelling per product over all exports ('MICROSOFT 365 E3' and 'Microsoft 365 E3' are one
    # product on the slides): the first export's.
    spelling = seats.drop_duplicates(_PRODUCT_KEY).set_index(_PRODUCT_KEY)["product"]
    seats["product"] = seats[_PRODUCT_KEY].map(spelling)
    own_signals = seats.loc[seats["activity_known"], [_PRODUCT_KEY, _SOURCE]]

    # The same assignment from two exports is one seat.
    for col in ("assigned_date", "last_activity", "report_date", "deleted_date"):
        seats[col] = _dates(seats[col])
    if seats.duplicated(["user_key", _PRODUCT_KEY]).any():
        seats = _one_row_per_seat(seats)
    seats[_SEAT] = np.arange(len(seats))

    # Activity the person shows in the same product family, in any other export.
    signals = activity[activity["activity_known"] & activity["product"].notna()].copy()
    matched = pd.DataFrame(columns=[_SEAT, "last", _PRODUCT_KEY, _SOURCE])
    if not signals.empty and not seats.empty:
        signals[_PRODUCT_KEY] = signals["product"].map({p: _product_key(p) for p in pd.unique(signals["product"])})
        signals["last"] = _dates(signals["last_activity"])
        signal_families = signals.merge(_families_of(signals[_PRODUCT_KEY]), on=_PRODUCT_KEY)[["user_key", "family", "last", _SOURCE]]
        seat_families = seats[[_SEAT, "user_key", _PRODUCT_KEY]].merge(_families_of(seats[_PRODUCT_KEY]), on=_PRODUCT_KEY)
        matched = seat_families.merge(signal_families, on=["user_key", "family"])
    if not matched.empty:
        best = matched.groupby(_SEAT)["last"].max()
        from_signal = seats[_SEAT].map(best)
        seats["last_activity"] = seats["last_activity"].where(
            seats["last_activity"].notna() & ~(from_signal > seats["last_activity"]), from_signal
        )
        seats["activity_known"] = seats["activity_known"] | seats[_SEAT].isin(best.index)

    # Accounts nobody can sign in to: every seat of the person is unused.
    blocked = activity.loc[activity["account_disabled"], "user_key"]
    seats["account_disabled"] = seats["account_disabled"] | seats["user_key"].isin(blocked) | seats["deleted_date"].notna()
    departments = activity[activity["department"].notna()].drop_duplicates("user_key").set_index("user_key")["department"]
    seats["department"] = seats["department"].where(seats["department"].notna(), seats["user_key"].map(departments))

    for col in ("assigned_date", "last_activity", "report_date", "deleted_date"):
        seats[col] = _as_dates(seats[col])
    seats["department"] = seats["department"].astype(object).where(seats["department"].notna(), None)
    product_of = seats.drop_duplicates(_PRODUCT_KEY).set_index(_PRODUCT_KEY)["product"]
    used = pd.concat([own_signals, matched[[_PRODUCT_KEY, _SOURCE]]], ignore_index=True)
    used = used[used[_SOURCE].astype(bool)].drop_duplicates()
    found = {
        str(product_of[key]): tuple(sorted(group[_SOURCE]))
        for key, group in used.groupby(_PRODUCT_KEY, sort=True)
        if key in product_of.index
    }
    signals_by_product = {str(p): found.get(str(p), ()) for p in sorted(product_of.astype(str))}
    fields = list(DATASETS["cloud_seats"].field_names)
    activity_fields = list(DATASETS["cloud_activity"].field_names)
    return CombinedSeats(seats[fields], activity[activity_fields], signals_by_product)


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
        per_product=per_product.sort_values(["cost_month", "seats"], ascending=False, na_position="last")[["seats", "cost_month"]],
    )
