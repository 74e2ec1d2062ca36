"""Opportunities: money that can be freed, stated as potential (not yet realised)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import BigFigure, Chart, ThemeResult
from sambrief.briefing.themes.base import ThemeContext, count_texts, licence_names, money_texts
from sambrief.config.settings import Audience
from sambrief.ingest.products import with_maker
from sambrief.model.core import map_distinct
from sambrief.model.seats import blocked_seats
from sambrief.text import shorten

RENEWAL_DAYS = 90


def _with_cloud_and_renewals(audience: Audience) -> tuple[bool, bool]:
    """Where the audience's deck has the cloud theme too, the headline leaves its yearly amount to
    it; where it has the renewal calendar, the contract ends are said there."""
    return "cloud_sprawl" in audience.themes, "renewals" in audience.themes


# One-off values (surplus licences) and yearly amounts (idle seats) are never added up:
# each is said with its own unit.
KEY = "opportunities"  # the theme's name in audiences.yaml
DATASETS = ("license_position", "cloud_seats")  # what it reads: `sambrief explain` lists these exports
AUDIENCE = _with_cloud_and_renewals  # shared by the audiences that have (or lack) the same of those themes
FIGURES = declare(
    KEY,
    (
        "surplus_value",
        "money",
        {"de": "Wert der Überdeckungen (einmalig)", "en": "value of surplus licences (one-off)"},
        {
            "tile": {"de": "wiederverwendbare Überdeckungen", "en": "reusable surplus licences"},
            "tile_rank": 1,
            "lower_is_better": None,
            "definition": {
                "de": "Freie Lizenzen × Einzelpreis: wiederverwendbar statt Neukauf, ein einmaliger Wert",
                "en": "Spare licences × unit price: reusable instead of buying, a one-off value",
            },
        },
    ),
    (
        "idle_saving_year",
        "money_per_year",
        {
            "de": "jährliche Ersparnis durch Rückgabe ungenutzter Cloud-Lizenzen",
            "en": "yearly saving from returning unused cloud seats",
        },
        {
            "definition": {
                "de": "Ungenutzte Cloud-Lizenzen × Monatspreis × 12; fehlt, wenn kein Preis hinterlegt ist",
                "en": "Unused cloud seats × monthly price × 12; absent when no price is configured",
            }
        },
    ),
    (
        "renewals_90d",
        "count",
        {"de": "Verträge, die in den nächsten 90 Tagen enden", "en": "contracts ending in the next 90 days"},
        {
            "definition": {
                "de": "Produkte mit Lizenzbestand, deren Vertragsende (renewal_date) in den nächsten 90 Tagen nach "
                "dem Stichtag liegt",
                "en": "Products with licences owned whose contract end (renewal_date) is within 90 days of the "
                "report date",
            }
        },
    ),
    (
        "renewals_value",
        "money",
        {"de": "Lizenzwert der endenden Verträge", "en": "licence value of the ending contracts"},
    ),
    ("renewal_window_days", "days", {"de": "Vorlauf für Vertragsenden", "en": "window for contract ends"}),
    (
        "top_surplus_licenses",
        "count",
        {"de": "freie Lizenzen der größten Überdeckung", "en": "spare licences of the largest surplus"},
    ),
    ("top_surplus_value", "money", {"de": "Wert der größten Überdeckung", "en": "value of the largest surplus"}),
    (
        "products_price_unknown",
        "count",
        {
            "de": "Cloud-Produkte mit ungenutzten Lizenzen ohne Preis",
            "en": "cloud products with unused seats and no price",
        },
    ),
    (
        "blocked_seats",
        "count",
        {"de": "Lizenzen gesperrter oder gelöschter Konten", "en": "seats of blocked or deleted accounts"},
    ),
    (
        "blocked_saving_year",
        "money_per_year",
        {
            "de": "jährliche Ersparnis durch Rückgabe der Lizenzen gesperrter Konten",
            "en": "yearly saving from returning the seats of blocked accounts",
        },
        {
            "definition": {
                "de": "Lizenzen gesperrter, deaktivierter oder gelöschter Konten × Monatspreis × 12; fehlt ohne Preis",
                "en": "Seats of blocked, disabled or deleted accounts × monthly price × 12; absent without a price",
            }
        },
    ),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    lp = ctx.model.frame("license_position")
    seats = ctx.model.frame("cloud_seats")
    as_of = ctx.model.as_of
    if lp.empty and seats.empty:
        result.warnings.append(ctx.text("no_data"))
        return result

    surplus = lp.assign(value=(lp["surplus"] * lp["unit_price"]).fillna(0)) if not lp.empty else lp
    surplus_value = float(surplus["value"].sum()) if not lp.empty else 0.0
    idle_year: float | None = None
    unpriced: list[str] = []
    measured = bool(seats["activity_known"].astype(bool).any()) if not seats.empty else False
    if measured:  # without any activity data, which seats are idle is unknown: no saving, not 0 €
        idle, _ = ctx.model.idle_seats(settings)
        prices = map_distinct(seats["product"], settings.seat_price).astype(float)
        idle_prices = prices[idle]
        unpriced = sorted({str(p) for p in seats.loc[idle & prices.isna(), "product"].unique()})
        # Unknown is not zero: with no price for any idle seat the saving is unknown.
        if idle_prices.notna().any():
            idle_year = float(idle_prices.fillna(0).sum() * 12)
        elif not idle.any():
            idle_year = 0.0
    ending = lp.iloc[0:0]
    if not lp.empty:
        # Contract ends come only from the export's renewal/contract-end field, and only for
        # products the company actually owns licences of.
        end = pd.to_datetime(lp["renewal_date"], errors="coerce")
        start, stop = pd.Timestamp(as_of), pd.Timestamp(as_of + timedelta(days=RENEWAL_DAYS))
        owned = pd.to_numeric(lp["entitlements"], errors="coerce").fillna(0) > 0
        ending = lp[end.between(start, stop) & owned]
    ending_values = (ending["entitlements"] * ending["unit_price"]) if len(ending) else pd.Series(dtype=float)

    result.figures = {
        "surplus_value": round(surplus_value, 2),
        "renewals_90d": len(ending),
        "renewal_window_days": RENEWAL_DAYS,
        "products_price_unknown": len(unpriced),
    }
    # Unknown is absent: a surplus none of whose products has a price has no value, and without
    # a contract-end column no export says which contracts end.
    spare = (lp["surplus"] > 0).to_numpy() if not lp.empty else np.zeros(0, dtype=bool)
    if lp.empty or (spare.any() and not (spare & lp["unit_price"].notna().to_numpy()).any()):
        del result.figures["surplus_value"]
    if not ctx.model.has("license_position", "renewal_date"):
        del result.figures["renewals_90d"], result.figures["renewal_window_days"]
    blocked = blocked_seats(seats, settings.seat_price)  # seats of blocked or deleted accounts: the first harvest
    if blocked.seats:
        result.figures["blocked_seats"] = blocked.seats
        if blocked.cost_year is not None:
            result.figures["blocked_saving_year"] = round(blocked.cost_year, 2)
    if idle_year is not None:
        result.figures["idle_saving_year"] = round(idle_year, 2)
    if len(ending) and ending_values.notna().all():
        result.figures["renewals_value"] = round(float(ending_values.sum()), 2)
    # The deck's renewal calendar states the contract ends: said once, there.
    said = ending if "renewals" not in ctx.audience.themes else ending.iloc[0:0]
    if surplus_value <= 0 and not idle_year and not len(said) and not unpriced and not blocked.seats:
        result.warnings.append(ctx.text("none"))
        return result

    values = dict(
        surplus=fmt.money_short(surplus_value),
        # some unused seats have no price: the yearly saving is a lower bound
        idle=(
            msg("cloud_sprawl.at_least", amount=fmt.money_per_year(idle_year or 0))
            if unpriced
            else fmt.money_per_year(idle_year or 0)
        ),
        days=fmt.count(RENEWAL_DAYS),
        ending_value=fmt.money_short(result.figures.get("renewals_value", 0)),
    )
    if surplus_value > 0 and idle_year and "cloud_sprawl" in ctx.audience.themes:
        # The cloud slide of this deck states the yearly amount already: say it once.
        headline = ctx.text("headline_surplus_and_cloud", **values)
        key_point = ctx.text("key_point_both", **values)
    elif surplus_value > 0 and idle_year:
        headline = ctx.text("headline_both", **values)
        key_point = ctx.text("key_point_both", **values)
    elif surplus_value > 0:
        headline = ctx.text("headline_surplus", **values)
        key_point = ctx.text("key_point_surplus", **values)
    elif idle_year:
        headline = ctx.text("headline_idle", **values)
        key_point = ctx.text("key_point_idle", **values)
    elif unpriced:
        headline = ctx.text("headline_unpriced", n=len(unpriced))
        key_point = ctx.text("key_point_unpriced")
    else:
        headline = ctx.text("headline_ending", n=len(ending), **values)
        key_point = ctx.text("key_point_ending", n=len(ending), **values)
    bullets = []
    if blocked.seats:
        key = "blocked_seats." + (
            "opportunity_unpriced"
            if blocked.cost_year is None
            else "opportunity_partial"
            if blocked.unpriced
            else "opportunity"
        )
        bullets.append(
            msg(key, n=blocked.seats, seats=fmt.count(blocked.seats), cost_year=fmt.money_short(blocked.cost_year or 0))
        )
    if surplus_value > 0:
        # (the frames' sort_values order, found on the value column alone: 200,000 licence rows)
        top = surplus.loc[surplus["value"].sort_values(ascending=False).index[0]]
        result.figures["top_surplus_licenses"] = float(top["surplus"])
        result.figures["top_surplus_value"] = round(float(top["value"]), 2)
        bullets.append(
            ctx.text(
                "bullet_surplus",
                product=shorten(with_maker(str(top["publisher"]), str(top["product"])), 50),
                n=float(top["surplus"]),
                value=fmt.money(top["value"]),
            )
        )
    if unpriced and headline != ctx.text("headline_unpriced", n=len(unpriced)):
        bullets.append(
            msg(
                "cloud_sprawl.bullet_cost_unknown" if idle_year is None else "cloud_sprawl.bullet_cost_partial",
                n=len(unpriced),
            )
        )
    if len(said):
        key = "bullet_ending" if "renewals_value" in result.figures else "bullet_ending_unpriced"
        bullets.append(ctx.text(key, n=len(ending), **values))
    notes = [ctx.text("note_definition", days=RENEWAL_DAYS)]
    listed = None
    if surplus_value > 0:
        positive = surplus["value"][surplus["value"] > 0]
        listed = surplus.loc[positive.sort_values(ascending=False).index, ["publisher", "product", "surplus", "value"]]
    if listed is not None:
        notes.append(ctx.text("note_surplus_title"))
        notes.extend(
            f"– {name}: {count} · {value}"
            for name, count, value in zip(
                licence_names(ctx.model)[lp.index.get_indexer(listed.index)].tolist(),
                count_texts(listed["surplus"], fmt),
                money_texts(listed["value"], fmt),
            )
        )
    renewing = said.sort_values("renewal_date")
    if len(renewing):
        notes.append(ctx.text("note_renewal_title"))
    day_texts: dict[object, str] = {}  # a few distinct days among the contracts ending
    for name, day in zip(
        licence_names(ctx.model)[lp.index.get_indexer(renewing.index)].tolist(), renewing["renewal_date"]
    ):
        if day not in day_texts:
            day_texts[day] = fmt.date(day)
        notes.append(ctx.text("note_renewal", product=name, date=day_texts[day]))
    if unpriced:
        notes.append(msg("cloud_sprawl.note_unpriced"))
        notes.extend(f"– {p}" for p in unpriced)
    # A chart shows amounts of one unit only: the one-off surplus value per product; a yearly
    # saving alone is one number, shown large.
    chart, figure = None, None
    if listed is not None:
        per_product = listed
        top = per_product.head(ctx.top_n)  # the maker named as in the bullets ("Adobe Acrobat Pro")
        chart = Chart(
            "bar",
            tuple(
                with_maker(str(m), str(p)) for m, p in zip(top["publisher"], top["product"])
            ),  # fitted by width when rendered
            tuple(float(v) for v in per_product["value"].head(ctx.top_n)),
            ctx.text("series"),
            "money",
        )
    elif idle_year:
        figure = BigFigure(values["idle"], ctx.text("cat_idle"))
    result.findings.append(
        ctx.finding(
            "potential",
            headline,
            bullets[:3],
            notes,
            ctx.source_line("license_position", "cloud_seats"),
            key_point,
            chart=chart,
            figure=figure,
            priority=25,
        )
    )
    return result
