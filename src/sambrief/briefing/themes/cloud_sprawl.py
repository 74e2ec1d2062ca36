"""The all-you-can-eat buffet: cloud seats assigned but not used, and what they cost."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import ACHIEVED_SHARE, SHARED, ThemeContext, ranked
from sambrief.briefing.themes.blocked_seats import add_blocked
from sambrief.ingest.products import display_product

KEY = "cloud_sprawl"  # the theme's name in audiences.yaml
DATASETS = ("cloud_seats",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "seats_idle",
        "count",
        {"de": "ungenutzte Cloud-Lizenzen", "en": "unused cloud seats"},
        {
            "tile": {"de": "ungenutzte Cloud-Lizenzen", "en": "unused cloud seats"},
            "tile_rank": 2,
            "lower_is_better": True,
            "trend": True,
            "summary": {"de": "ungenutzte Lizenzen", "en": "idle seats"},
            "definition": {
                "de": "Zugewiesene Cloud-Lizenzen ohne Aktivität seit mehr als inactive_days Tagen vor dem "
                "Stichtag, oder nie genutzt",
                "en": "Assigned cloud seats with no activity for more than inactive_days days before the report "
                "date, or never used",
            },
        },
    ),
    (
        "idle_cost_year",
        "money_per_year",
        {"de": "Kosten ungenutzter Cloud-Lizenzen", "en": "cost of unused cloud seats"},
        {
            "tile": {"de": "ungenutzte Cloud-Lizenzen im Jahr", "en": "unused cloud seats a year"},
            "tile_rank": 1,
            "lower_is_better": True,
            "trend": True,
            "definition": {
                "de": "Ungenutzte Lizenzen × Monatspreis aus prices: in sambrief.yaml × 12; fehlt, wenn kein Preis "
                "hinterlegt ist",
                "en": "Unused seats × monthly price from prices: in sambrief.yaml × 12; absent when no price is "
                "configured",
            },
        },
    ),
    ("seats_assigned", "count", {"de": "zugewiesene Cloud-Lizenzen", "en": "assigned cloud seats"}),
    (
        "seats_active",
        "count",
        {"de": "aktiv genutzte Cloud-Lizenzen", "en": "cloud seats in use"},
        {"lower_is_better": False},
    ),
    (
        "seats_never_used",
        "count",
        {"de": "nie genutzte Cloud-Lizenzen", "en": "cloud seats never used"},
        {"lower_is_better": True},
    ),
    (
        "seats_no_activity_data",
        "count",
        {"de": "Cloud-Lizenzen ohne Nutzungsdaten", "en": "cloud seats without activity data"},
    ),
    (
        "seats_with_activity_data",
        "count",
        {"de": "Cloud-Lizenzen mit Nutzungsdaten", "en": "cloud seats with activity data"},
        {
            "definition": {
                "de": "Zugewiesene Cloud-Lizenzen, für die ein Export Nutzungsdaten liefert: die Basis des Anteils "
                "ungenutzter Lizenzen",
                "en": "Assigned cloud seats for which an export gives activity data: the base of the share of "
                "unused seats",
            }
        },
    ),
    (
        "idle_share",
        "share",
        {"de": "Anteil ungenutzter Cloud-Lizenzen", "en": "share of unused cloud seats"},
        {"lower_is_better": True},
    ),
    (
        "active_share",
        "share",
        {"de": "Anteil aktiv genutzter Cloud-Lizenzen", "en": "share of cloud seats in use"},
        {"lower_is_better": False},
    ),
    (
        "idle_cost_month",
        "money",
        {"de": "Kosten ungenutzter Cloud-Lizenzen je Monat", "en": "monthly cost of unused cloud seats"},
        {"lower_is_better": True},
    ),
    (
        "products_price_unknown",
        "count",
        {
            "de": "Cloud-Produkte mit ungenutzten Lizenzen ohne Preis",
            "en": "cloud products with unused seats and no price",
        },
    ),
    ("inactive_days", "days", {"de": "Schwelle für ungenutzt", "en": "threshold for unused"}),
    (
        "top_product_idle",
        "count",
        {"de": "ungenutzte Lizenzen des größten Postens", "en": "unused seats of the largest item"},
    ),
    ("top_product_cost_year", "money_per_year", {"de": "Kosten des größten Postens", "en": "cost of the largest item"}),
    (
        "seats_idle_change",
        "count",
        {
            "de": "Veränderung der ungenutzten Cloud-Lizenzen zum Vormonat",
            "en": "change in unused cloud seats since last month",
        },
    ),
    ("products", "count", {"de": "Cloud-Produkte", "en": "cloud products"}),
    ("users", "count", {"de": "Personen mit Cloud-Lizenz", "en": "people with a cloud seat"}),
    (
        "seats_blocked",
        "count",
        {"de": "Cloud-Lizenzen gesperrter oder gelöschter Konten", "en": "cloud seats of blocked or deleted accounts"},
        {
            "lower_is_better": True,
            "definition": {
                "de": "Zugewiesene Cloud-Lizenzen von Konten, die gesperrt, deaktiviert oder gelöscht sind, aber "
                "ihre Lizenz behalten",
                "en": "Assigned cloud seats of accounts that are blocked, disabled or deleted but keep their licence",
            },
        },
    ),
    (
        "blocked_accounts",
        "count",
        {"de": "gesperrte Konten mit Lizenz", "en": "blocked accounts with a licence"},
        {"lower_is_better": True},
    ),
    (
        "blocked_cost_month",
        "money",
        {"de": "Kosten der Lizenzen gesperrter Konten je Monat", "en": "monthly cost of seats on blocked accounts"},
        {"lower_is_better": True},
    ),
    (
        "blocked_cost_year",
        "money_per_year",
        {"de": "Kosten der Lizenzen gesperrter Konten", "en": "cost of seats on blocked accounts"},
        {"lower_is_better": True},
    ),
    (
        "blocked_unpriced",
        "count",
        {"de": "Lizenzen gesperrter Konten ohne Preis", "en": "seats on blocked accounts without a price"},
    ),
    ("seats_guest", "count", {"de": "Cloud-Lizenzen von Gastkonten", "en": "cloud seats of guest accounts"}),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    seats = ctx.model.frame("cloud_seats")
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    withheld = ctx.withheld_warning("cloud_seats")
    if withheld or seats.empty:
        result.warnings.append(withheld or ctx.text("no_data"))
        return result

    idle, never = ctx.model.idle_seats(settings)
    known = seats["activity_known"].astype(bool)
    if len(seats) and not known.any():  # no export says anything about use: unknown, never "unused"
        return _without_activity(ctx, result, seats)
    per_product = _per_product(
        seats["product"], idle.to_numpy(dtype=bool), never.to_numpy(dtype=bool), settings.seat_price
    )
    per_product["idle_cost_month"] = per_product["idle"] * per_product["price"]
    assigned = len(seats)
    n_idle = int(idle.sum())
    n_never = int(never.sum())
    n_unknown = int((~known & ~idle).sum())  # a blocked account is unused, data or not
    n_active = assigned - n_idle - n_unknown
    cost_month = float(per_product["idle_cost_month"].fillna(0).sum())
    unpriced = sorted(per_product[(per_product["idle"] > 0) & per_product["price"].isna()].index)
    share = n_idle / (assigned - n_unknown) if assigned - n_unknown else 0.0
    active_share = n_active / (assigned - n_unknown) if assigned - n_unknown else 0.0
    # Unknown is not zero: without any price for the idle seats the cost is absent, not 0 €.
    priced = n_idle > 0 and len(unpriced) < int((per_product["idle"] > 0).sum())

    result.figures = {
        "seats_assigned": assigned,
        "seats_active": n_active,
        "seats_idle": n_idle,
        "seats_never_used": n_never,
        "seats_no_activity_data": n_unknown,
        "seats_with_activity_data": assigned - n_unknown,
        "idle_share": round(share, 4),
        "active_share": round(active_share, 4),
        "products_price_unknown": len(unpriced),
        "inactive_days": settings.inactive_days,
        "products": len(per_product),
        "users": _distinct_count(seats["user_key"]),
    }
    if priced or n_idle == 0:
        result.figures["idle_cost_month"] = round(cost_month, 2)
        result.figures["idle_cost_year"] = round(cost_month * 12, 2)
    # The share is of the seats whose use is known: say so when some have no activity data,
    # and say "at least" when some unused seats have no price.
    values = dict(
        idle=fmt.count(n_idle),
        assigned=fmt.count(assigned - n_unknown),
        scope=" " + ctx.text("scope_measured") if n_unknown else "",  # catalog texts are stripped
        share=fmt.percent(share),
        cost_year=(
            ctx.text("at_least", amount=fmt.money_per_year(cost_month * 12))
            if unpriced
            else fmt.money_per_year(cost_month * 12)
        ),
        cost_month=fmt.money(cost_month),
        never=fmt.count(n_never),
        active=fmt.count(n_active),
        active_share=fmt.percent(active_share),
        days=fmt.count(settings.inactive_days),
        unknown=fmt.count(n_unknown),
        products=fmt.count(len(per_product)),
        n=n_idle,  # plural forms follow the number of idle seats unless a message says otherwise
    )
    headline = ctx.text("headline" if priced else "headline_unpriced", **values)
    key_point = ctx.text("key_point" if priced else "key_point_unpriced", **values)
    before = ctx.previous(ctx.figure_key("seats_idle"))
    if before is not None and before != n_idle and not ctx.audience.department:
        direction = "down" if n_idle < before else "up"
        result.figures["seats_idle_change"] = int(n_idle - before)
        change = dict(values, delta=fmt.count(abs(n_idle - before)), since=ctx.since)
        headline = ctx.text(f"headline_{direction}" + ("" if priced else "_unpriced"), **change)
        key_point = ctx.text(f"key_point_{direction}", **change)
    elif before is not None and before == n_idle and not ctx.audience.department:
        headline = ctx.text("headline_same" + ("" if priced else "_unpriced"), **values, since=ctx.since)
    if n_idle == 0:
        headline = ctx.text("headline_none", **dict(values, n=assigned - n_unknown))
    bullets = []
    if n_never:
        bullets.append(ctx.text("bullet_never", **dict(values, n=n_never)))
    biggest = per_product.sort_values(["idle_cost_month", "idle"], ascending=False, na_position="last")
    if n_idle and len(biggest):
        name = biggest.index[0]
        row = biggest.iloc[0]
        result.figures["top_product_idle"] = int(row["idle"])
        if row["idle_cost_month"] == row["idle_cost_month"] and row["idle_cost_month"] > 0:
            result.figures["top_product_cost_year"] = round(float(row["idle_cost_month"]) * 12, 2)
            bullets.append(
                ctx.text(
                    "bullet_biggest",
                    product=name,
                    n=int(row["idle"]),
                    cost=fmt.money_per_year(row["idle_cost_month"] * 12),
                )
            )
        else:
            bullets.append(ctx.text("bullet_biggest_unpriced", product=name, n=int(row["idle"])))
    if unpriced and n_idle:
        # Say what is missing and how to supply it, instead of a cost of 0.
        bullets.insert(
            1 if n_never else 0,
            ctx.text("bullet_cost_unknown" if not priced else "bullet_cost_partial", n=len(unpriced)),
        )
    if n_unknown:  # right after "never used": it explains the base of the headline's share
        bullets.insert(1 if n_never else 0, ctx.text("bullet_unknown", **dict(values, n=n_unknown)))
    else:
        bullets.append(ctx.text("bullet_active", **dict(values, n=n_active)))

    notes = [ctx.text("note_definition", **values)]
    if settings.product_inactive_days:
        notes.append(
            ctx.text(
                "note_thresholds",
                list=", ".join(f"{p}: {d}" for p, d in sorted(settings.product_inactive_days.items())),
            )
        )
    notes.append(ctx.text("note_list_title"))
    for product, row in per_product.sort_values("idle", ascending=False).iterrows():
        cost = (
            fmt.money(row["idle_cost_month"] * 12)
            if row["price"] == row["price"] and row["price"] is not None
            else ctx.text("no_price")
        )
        notes.append(
            ctx.text(
                "note_row",
                product=product,
                assigned=fmt.count(row["assigned"]),
                idle=fmt.count(row["idle"]),
                never=fmt.count(row["never"]),
                cost=cost,
            )
        )
    if unpriced:
        notes.append(ctx.text("note_unpriced"))
        notes.extend(f"– {p}" for p in unpriced)
        notes.append(ctx.text("note_how_to_price"))  # the fix is for the speaker, not the slide
    notes.append(ctx.text("note_buffet"))

    labels, chart_values = ranked(per_product["idle"].astype(float), ctx.top_n, msg("common.other"))
    chart = Chart("bar", tuple(labels), tuple(chart_values), ctx.text("series"), "count") if labels else None
    result.findings.append(
        ctx.finding(
            "idle",
            headline=headline,
            bullets=bullets[:3],
            notes=notes,
            source=ctx.source_line("cloud_seats", "cloud_activity"),  # the seat exports and the activity signals
            key_point=key_point,
            chart=chart,
            priority=20,
        )
    )
    add_blocked(ctx, result, seats)
    if active_share >= ACHIEVED_SHARE:
        result.achieved.append(ctx.text("achieved", **values))
    if n_idle:
        result.remaining.append(ctx.text("remaining" if priced else "remaining_unpriced", **values))
    return result


def _without_activity(ctx: ThemeContext, result: ThemeResult, seats: pd.DataFrame) -> ThemeResult:
    """No seat has activity data: how many seats there are is known, how many are used is not.
    The slide says so in the audience's words; where the data would come from is in the notes."""
    fmt = ctx.fmt
    assigned = len(seats)
    products = int(pd.Series(seats["product"]).nunique())
    result.figures = {
        "seats_assigned": assigned,
        "seats_no_activity_data": assigned,
        "seats_with_activity_data": 0,
        "products": products,
        "users": _distinct_count(seats["user_key"]),
        "inactive_days": ctx.settings.inactive_days,
    }
    values = dict(assigned=fmt.count(assigned), products=fmt.count(products), n=assigned)
    result.findings.append(
        ctx.finding(
            "idle",
            headline=ctx.text("headline_no_activity", **values),
            bullets=[ctx.text("bullet_no_activity", **dict(values, n=products))],
            notes=[ctx.text("note_no_activity")],
            source=ctx.source_line("cloud_seats", "cloud_activity"),
            key_point=ctx.text("key_point_no_activity", **values),
            priority=20,
        )
    )
    add_blocked(ctx, result, seats)
    result.remaining.append(ctx.text("remaining_no_activity", **values))
    return result


def _per_product(products: pd.Series, idle: np.ndarray, never: np.ndarray, price_of) -> pd.DataFrame:  # noqa: ANN001
    """Seats, idle, never used and the monthly price per product as people write its name
    (seats of SKUs with the same display name together), sorted by that name. Names and prices
    are decided per distinct SKU string; rows are only counted, by code."""
    codes, skus = pd.factorize(products, use_na_sentinel=True)
    skus = np.asarray(skus, dtype=object)
    group_of_sku, names = pd.factorize(np.array([display_product(str(s)) for s in skus], dtype=object))
    group = np.append(group_of_sku, -1)[codes]
    counted = group >= 0
    size = len(names)
    price = np.full(size, np.nan)
    for sku in range(len(skus) - 1, -1, -1):  # the first SKU (in row order) with a price gives its name's price
        value = price_of(skus[sku])
        if value is not None and not math.isnan(value):
            price[group_of_sku[sku]] = float(value)
    if not counted.all():
        group, idle, never = group[counted], idle[counted], never[counted]
    # (the idle and never-used seats counted as weights: no masked copy of a million seats)
    return pd.DataFrame(
        {
            "assigned": np.bincount(group, minlength=size),
            "idle": np.bincount(group, weights=idle, minlength=size).astype(np.int64),
            "never": np.bincount(group, weights=never, minlength=size).astype(np.int64),
            "price": price,
        },
        index=pd.Index(np.asarray(names, dtype=object), dtype=object, name="product"),
    ).sort_index()


def _distinct_count(column: pd.Series) -> int:
    """column.nunique(); for a categorical (a million person keys) counted on its codes."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return int(column.nunique())
    codes = column.cat.codes.to_numpy()
    return int(np.count_nonzero(np.bincount(codes[codes >= 0], minlength=len(column.cat.categories))))
