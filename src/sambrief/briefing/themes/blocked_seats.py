"""The cloud theme's first harvest: seats of blocked, disabled or deleted accounts (their figures,
finding and remaining line), where an export says which accounts are blocked. A helper of
cloud_sprawl, not a theme of its own (no KEY): its figures are declared there."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sambrief.briefing.findings import BigFigure, Finding, ThemeResult
from sambrief.briefing.themes.base import ThemeContext
from sambrief.ingest.products import display_product
from sambrief.model.core import Model
from sambrief.model.seats import blocked_seats


def add_blocked(ctx: ThemeContext, result: ThemeResult, seats: pd.DataFrame) -> None:
    """The blocked-seat figures and finding (the first harvest, sambrief.model.seats), where an export
    says which accounts are blocked; without one, blocked is unknown and its figures absent."""
    blocked_figures, blocked, blocked_remaining = _blocked_finding(ctx, seats)
    if not blocked_known(ctx.model):
        blocked_figures = {k: v for k, v in blocked_figures.items() if k == "seats_guest"}
    if not ctx.model.has("cloud_activity", "guest"):
        blocked_figures.pop("seats_guest", None)  # no export says who is a guest
    result.figures.update({k: v for k, v in blocked_figures.items() if v is not None})  # unknown cost: absent
    result.findings += [blocked] if blocked else []
    result.remaining += [blocked_remaining] if blocked_remaining else []


def blocked_known(model: Model) -> bool:
    """Whether some export says which accounts are blocked or disabled (a deletion date alone
    says nothing about the accounts that are blocked but not deleted)."""
    return model.has("cloud_seats", "account_disabled") or model.has("cloud_activity", "account_disabled")


def _blocked_finding(ctx: ThemeContext, seats: pd.DataFrame) -> tuple[dict[str, Any], Finding | None, str | None]:
    """Seats of blocked, disabled or deleted accounts (seats.blocked_seats): the first harvest.
    (figures, finding or None, remaining line or None)."""
    msg, fmt = ctx.msg, ctx.fmt
    blocked = blocked_seats(seats, ctx.settings.seat_price)
    activity = ctx.model.datasets.get("cloud_activity")
    guests = (
        activity.loc[activity["guest"].fillna(False).astype(bool), "user_key"]
        if activity is not None and len(activity)
        else []
    )
    guest_seats = int(seats["user_key"].isin(guests).sum()) if len(seats) and len(guests) else 0
    figures = {
        "seats_guest": guest_seats,
        "seats_blocked": blocked.seats,
        "blocked_accounts": blocked.accounts,
        "blocked_cost_month": None if blocked.cost_month is None else round(blocked.cost_month, 2),
        "blocked_cost_year": None if blocked.cost_year is None else round(blocked.cost_year, 2),
        "blocked_unpriced": blocked.unpriced,
    }
    if not blocked.seats:
        return figures, None, None
    values = dict(
        n=blocked.seats,  # singular or plural
        seats=fmt.count(blocked.seats),
        accounts=fmt.count(blocked.accounts),
        cost_month=fmt.money(blocked.cost_month or 0),
        cost_year=fmt.money_short(blocked.cost_year or 0),
        unpriced=fmt.count(blocked.unpriced),
    )
    first = msg("blocked_seats.bullet_first", **values)
    cost_line = msg("blocked_seats.bullet_cost", **values)
    if blocked.cost_month is None:
        headline = msg("blocked_seats.headline_unpriced", **values)
        rest = [msg("blocked_seats.bullet_unpriced", **values), first]
    elif blocked.unpriced:
        headline = msg("blocked_seats.headline_partial", **values)
        rest = [cost_line, msg("blocked_seats.bullet_partial", **values)]
    else:
        headline = msg("blocked_seats.headline", **values)
        rest = [cost_line, first]
    bullets = [msg("blocked_seats.bullet_accounts", **{**values, "n": blocked.accounts}), *rest]
    notes = [msg("blocked_seats.note_definition")] + ([ctx.text("note_how_to_price")] if blocked.unpriced else [])
    if guest_seats:
        notes.append(msg("blocked_seats.note_guests", n=guest_seats, count=fmt.count(guest_seats)))
    notes.append(msg("blocked_seats.note_list_title"))
    for product, row in blocked.per_product.iterrows():  # one line per product, not per seat
        cost = (
            fmt.money(row["cost_month"] * 12)
            if row["cost_month"] == row["cost_month"]
            else msg("blocked_seats.no_price")
        )
        notes.append(
            msg("blocked_seats.note_row", product=display_product(str(product)), n=fmt.count(row["seats"]), cost=cost)
        )
    finding = ctx.finding(
        "blocked",
        headline=headline,
        bullets=bullets,
        notes=notes,
        source=ctx.source_line("cloud_seats", "cloud_activity"),
        key_point=msg("blocked_seats.key_point", **values),
        figure=BigFigure(fmt.count(blocked.seats), msg("blocked_seats.figure", n=blocked.seats)),
        priority=19,
    )
    return figures, finding, msg("blocked_seats.remaining", **values)
