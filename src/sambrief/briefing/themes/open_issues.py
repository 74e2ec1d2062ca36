"""Where work remains: open and overdue actions, and what the data shows with no action on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import PER_AUDIENCE, ThemeContext, given, licence_names, short_products
from sambrief.ingest.privacy import names_a_person
from sambrief.ingest.products import casefolded, display_product
from sambrief.model.core import Model
from sambrief.text import shorten

DUE_SOON_DAYS = 30
BLOCKED_BULLETS = 2  # blocked actions named one per bullet; more than this share one bullet

# Register counts are absent (not 0) while the actions register is empty.
KEY = "open_issues"  # the theme's name in audiences.yaml
DATASETS = ("actions", "license_position")  # what it reads: `sambrief explain` lists these exports
AUDIENCE = PER_AUDIENCE  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "open",
        "count",
        {"de": "offene Maßnahmen", "en": "open actions"},
        {
            "tile": {"de": "offene Maßnahmen", "en": "open actions"},
            "tile_rank": 1,
            "lower_is_better": True,
            "summary": {"de": "offen", "en": "open actions"},
            "definition": {
                "de": "Maßnahmen im Register mit Status offen, in Arbeit oder blockiert",
                "en": "Register actions with status open, in progress or blocked",
            },
        },
    ),
    ("in_progress", "count", {"de": "Maßnahmen in Arbeit", "en": "actions in progress"}),
    ("blocked", "count", {"de": "blockierte Maßnahmen", "en": "blocked actions"}, {"lower_is_better": True}),
    (
        "overdue",
        "count",
        {"de": "überfällige Maßnahmen", "en": "overdue actions"},
        {
            "tile": {"de": "überfällige Maßnahmen", "en": "overdue actions"},
            "tile_rank": 2,
            "lower_is_better": True,
            "trend": True,
            "definition": {
                "de": "Offene Maßnahmen mit Fälligkeit vor dem Stichtag",
                "en": "Open actions due before the report date",
            },
        },
    ),
    ("due_soon", "count", {"de": "bald fällige Maßnahmen", "en": "actions due soon"}),
    ("due_soon_days", "days", {"de": "Vorlauf für bald fällig", "en": "window for due soon"}),
    (
        "oldest_overdue_days",
        "days",
        {"de": "Verzug der ältesten überfälligen Maßnahme", "en": "delay of the oldest overdue action"},
    ),
    ("done", "count", {"de": "abgeschlossene Maßnahmen", "en": "completed actions"}, {"lower_is_better": False}),
    (
        "shortfalls_without_action",
        "count",
        {"de": "Unterdeckungen ohne Maßnahme", "en": "shortfalls without an action"},
        {"lower_is_better": True},
    ),
    (
        "exposure_unknown",
        "count",
        {"de": "unterlizenzierte Produkte ohne Preis", "en": "under-licensed products without a price"},
    ),
)


@dataclass(frozen=True)
class _Blocked:
    """The open blocked actions, most overdue first: what a sponsor can unblock."""

    rows: list[Any]  # the register frame's index labels
    titles: list[str]
    named: list[str | None]  # the stated, publishable blocker of each, else None
    reasons: list[str]  # "wartet auf <blocker>", or that the blocker is not stated / not published
    overdue: list[bool]
    # days overdue where they are the oldest overdue action's (a declared figure), else None: a
    # number on a slide is a figure
    late_days: list[int | None]
    withheld_ids: list[str]  # references of the rows whose blocker seems to name a person

    @property
    def blockers(self) -> list[str]:
        """The stated blockers, each once, in order."""
        return list(dict.fromkeys(b for b in self.named if b))

    @property
    def unstated(self) -> int:
        return sum(1 for b in self.named if not b)

    def line(self, i: int, text: Callable[..., str], title_chars: int = 60, overdue: bool = True) -> str:
        """One blocked action, what it waits for first (the part a cut to fit a page keeps)."""
        title = shorten(self.titles[i], title_chars)
        blocker = self.named[i]
        line = (
            text("bullet_waiting", blocker=blocker, title=title)
            if blocker
            else text("bullet_blocked", reason=self.reasons[i], title=title)
        )
        if not overdue or not self.overdue[i]:
            return line
        days = self.late_days[i]
        return line + " – " + (text("late_days", n=days) if days else text("late"))

    def bullets(self, text: Callable[..., str]) -> list[str]:
        """One bullet per blocked action (with how long it is overdue), or one for all of them
        naming what they wait for."""
        if len(self.titles) <= BLOCKED_BULLETS:
            return [self.line(i, text) for i in range(len(self.titles))]
        return [self.summary(text)]

    def summary(self, text: Callable[..., str]) -> str:
        """All blocked actions in one line by what they wait for (the balance, a long list)."""
        if not self.blockers:
            return text("blocked_none_stated", n=len(self.titles))
        waits = ", ".join(self.blockers[:3]) + (" …" if len(self.blockers) > 3 else "")
        line = text("blocked_waiting", n=len(self.titles), blockers=waits)
        return line + (" " + text("blocked_unstated_part", n=self.unstated) if self.unstated else "")


def _blocked(open_actions: pd.DataFrame, as_of: Any, oldest_days: int | None, text: Callable[..., str]) -> _Blocked:
    """Each blocked action with what blocks it, from the register's "blocked by" column. The
    column is untrusted free text: a cell that seems to name a person (privacy.PERSON_FORMS) is
    withheld, and the slide says the blocker is not published."""
    rows = open_actions[open_actions["status"].astype(str) == "blocked"]
    rows = rows.sort_values("due_date", na_position="last")
    texts = rows["blocked_by"].astype(object).where(rows["blocked_by"].notna(), "").astype(str).str.strip()
    person = names_a_person(texts.tolist())
    stated = texts.ne("").to_numpy() & ~person
    named = [shorten(t, 60) if ok else None for t, ok in zip(texts, stated)]
    reasons = [
        text("blocked_by", blocker=b) if b else text("blocker_withheld" if p else "blocker_unstated")
        for b, p in zip(named, person)
    ]
    late = (pd.Timestamp(as_of) - pd.to_datetime(rows["due_date"], errors="coerce")).dt.days
    ids = [str(x) if given(x) else f"„{shorten(str(t), 40)}“" for x, t in zip(rows["id"], rows["title"])]
    overdue = [bool(pd.notna(d) and d > 0) for d in late]
    return _Blocked(
        list(rows.index),
        [str(t) for t in rows["title"]],
        named,
        reasons,
        overdue,
        [int(d) if o and d == oldest_days else None for d, o in zip(late, overdue)],
        [i for i, p in zip(ids, person) if p],
    )


@dataclass(frozen=True)
class _Shortfalls:
    """The under-licensed products of a licence position, largest amount first, with their
    case-folded names (to match actions) and list lines; the same for every audience."""

    products: np.ndarray  # object array
    folded: pd.Series  # the names case-folded
    lines: np.ndarray  # "– name" per product (object array)
    unpriced: list[str]  # the lines of the products without a price


def _shortfalls(model: Model) -> _Shortfalls:
    short = short_products(model)
    lines = "– " + licence_names(model, 60, maker=False)[short["row"].to_numpy()]
    return _Shortfalls(
        short.index.to_numpy(dtype=object),
        pd.Series(casefolded(short.index)),
        lines,
        lines[short["exposure"].isna().to_numpy()].tolist(),
    )


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    fmt = ctx.fmt
    actions = ctx.for_audience(ctx.model.frame("actions"))
    as_of = ctx.model.as_of
    status = actions["status"].astype(str) if not actions.empty else pd.Series(dtype=str)
    open_actions = actions[status != "done"] if not actions.empty else actions
    done = len(actions) - len(open_actions)
    in_progress = int((status == "in_progress").sum()) if not actions.empty else 0
    blocked = int((status == "blocked").sum()) if not actions.empty else 0

    def due(value: object) -> bool:
        return given(value)

    # Whole-column date comparisons, one pass per bucket.
    due_dates = (
        pd.to_datetime(open_actions["due_date"], errors="coerce")
        if len(open_actions)
        else pd.Series(dtype="datetime64[ns]")
    )
    today, horizon = pd.Timestamp(as_of), pd.Timestamp(as_of + timedelta(days=DUE_SOON_DAYS))
    overdue = open_actions[due_dates < today] if len(open_actions) else open_actions
    soon = open_actions[(due_dates >= today) & (due_dates <= horizon)] if len(open_actions) else open_actions
    later = open_actions[due_dates > horizon] if len(open_actions) else open_actions
    undated = open_actions[due_dates.isna()] if len(open_actions) else open_actions

    # What the data shows that nobody is working on yet.
    lp = ctx.model.frame("license_position")
    short_products: Any = []
    gap_lines: list[str] = []
    unpriced: list[str] = []
    if not lp.empty:
        gaps_table = ctx.model.derived("open_issues.shortfalls", lambda: _shortfalls(ctx.model))
        covered = {str(p).casefold() for p in open_actions["product"] if given(p)}
        without = (
            ~gaps_table.folded.isin(covered).to_numpy() if covered else np.ones(len(gaps_table.products), dtype=bool)
        )
        short_products = gaps_table.products[without]
        gap_lines = gaps_table.lines[without].tolist()
        unpriced = gaps_table.unpriced

    # What the register's columns cannot say is absent: without due dates nothing is known to be
    # overdue, without a product column no action is known to cover a shortfall.
    dated = actions.empty or ctx.model.has("actions", "due_date")
    linked = actions.empty or ctx.model.has("actions", "product")
    result.figures = {
        "shortfalls_without_action": len(short_products),
        "exposure_unknown": len(unpriced),
        "due_soon_days": DUE_SOON_DAYS,
    }
    if not actions.empty:
        result.figures.update(
            {
                "open": len(open_actions),
                "in_progress": in_progress,
                "blocked": blocked,
                "overdue": len(overdue),
                "due_soon": len(soon),
                "done": done,
            }
        )
    unknown = (() if linked else ("shortfalls_without_action",)) + (
        () if dated else ("due_soon_days", "overdue", "due_soon")
    )
    result.figures = {k: v for k, v in result.figures.items() if k not in unknown}
    if not linked:
        short_products, gap_lines = [], []
    if actions.empty and not len(short_products) and not unpriced:
        result.warnings.append(ctx.text("no_data"))
        return result

    gaps = len(short_products)
    register = ctx.model.sources_of("actions")
    register_name = register[0].name if register else "actions.xlsx"
    if actions.empty:
        # Zero counts are not news: one calm sentence inviting the team to fill the register.
        headline = (
            ctx.text("headline_no_register", n=gaps) if gaps else ctx.text("headline_unpriced_only", n=len(unpriced))
        )
        key_point = ctx.text("key_point_no_register", n=gaps) if gaps else ""
    elif not len(open_actions):
        headline = ctx.text("headline_all_done", n=done)
        key_point = ctx.text("key_point_all_done", n=done)
    else:
        parts = [ctx.text("headline", n=len(open_actions))]
        detail = []
        if in_progress and not blocked:  # what is blocked matters more to a sponsor than what is under way
            detail.append(ctx.text("part_in_progress", n=in_progress))
        if len(overdue):
            detail.append(ctx.text("part_overdue", n=len(overdue)))
        if blocked:
            detail.append(ctx.text("part_blocked", n=blocked))
        headline = ", ".join(parts + detail)
        if gaps:
            headline += " – " + ctx.text("part_gaps", n=gaps)
        key_point = ctx.text(
            "key_point" if len(overdue) else "key_point_none_overdue" if dated else "key_point_undated",
            open=fmt.count(len(open_actions)),
            n=len(overdue),
        )
    bullets = []
    if len(open_actions) and not dated:
        bullets.append(ctx.text("bullet_undated"))
    if actions.empty:
        bullets.append(ctx.text("bullet_empty_register", file=register_name))
    oldest = overdue.sort_values("due_date").iloc[0] if len(overdue) else None
    late_days = (as_of - oldest["due_date"]).days if oldest is not None else None
    stuck = _blocked(open_actions, as_of, late_days, ctx.text) if blocked else None
    if stuck is not None:  # first: what a sponsor can unblock
        bullets.extend(stuck.bullets(ctx.text))
        if stuck.withheld_ids:
            result.warnings.append(
                ctx.text("blocker_names_person", file=register_name, ids=", ".join(stuck.withheld_ids))
            )
    if oldest is not None:
        result.figures["oldest_overdue_days"] = late_days
        named = stuck is not None and len(stuck.titles) <= BLOCKED_BULLETS and str(oldest["status"]) == "blocked"
        if not named:  # a blocked action's bullet says how long it is overdue already
            bullets.append(ctx.text("bullet_oldest", title=shorten(str(oldest["title"]), 60), n=late_days))
    if len(short_products):
        bullets.append(ctx.text("bullet_gaps", n=gaps, example=shorten(display_product(str(short_products[0])), 40)))
    if unpriced:
        bullets.append(ctx.text("bullet_unpriced", n=len(unpriced)))
    if len(bullets) < 3 and len(soon):
        bullets.append(ctx.text("bullet_soon", n=len(soon), days=DUE_SOON_DAYS))

    notes = [ctx.text("note_definition", days=DUE_SOON_DAYS, as_of=fmt.date(as_of))]
    if len(open_actions):
        notes.append(ctx.text("note_list_title"))
        for _, row in open_actions.sort_values("due_date", na_position="last").iterrows():
            due_text = fmt.date(row["due_date"]) if due(row["due_date"]) else "–"
            ref = f"{row['id']} " if given(row["id"]) else ""
            role = f" · {row['owner_role']}" if given(row["owner_role"]) else ""
            state = (
                ctx.text(f"status_{row['status']}") if str(row["status"]) in ("open", "in_progress", "blocked") else ""
            )
            if stuck is not None and str(row["status"]) == "blocked":
                state += f" ({stuck.reasons[stuck.rows.index(row.name)]})"
            notes.append(f"– {ref}{shorten(str(row['title']), 100)}{role} · {state} · {due_text}")
    if len(short_products):
        notes.append(ctx.text("note_gaps"))
        notes.extend(gap_lines)  # a list: capped in the notes, whole in details.csv
    if unpriced:
        notes.append(ctx.text("note_unpriced"))
        notes.extend(unpriced)

    chart = None
    if len(open_actions) and dated:  # without due dates every action would sit in 'no date'
        chart = Chart(
            "column",
            (ctx.text("cat_overdue"), ctx.text("cat_soon"), ctx.text("cat_later"), ctx.text("cat_undated")),
            (float(len(overdue)), float(len(soon)), float(len(later)), float(len(undated))),
            ctx.text("series"),
            "count",
            highlight=0 if len(overdue) else None,
            label_zero=False,
        )
    result.findings.append(
        ctx.finding(
            "actions", headline, bullets[:3], notes, ctx.source_line("actions"), key_point, chart=chart, priority=30
        )
    )
    if done:
        result.achieved.append(ctx.text("achieved", n=done))
    if stuck is not None:  # leads the balance's open work: the cap of the list never drops it
        result.remaining_first.append(
            stuck.line(0, ctx.text, title_chars=40, overdue=False)
            if len(stuck.titles) == 1
            else stuck.summary(ctx.text)
        )
    if len(overdue):
        result.remaining.append(ctx.text("remaining_overdue", n=len(overdue)))
    if len(short_products):
        result.remaining.append(ctx.text("remaining_gaps", n=gaps))
    return result
