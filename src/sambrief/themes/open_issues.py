"""Where work remains: open and overdue actions, and what the data shows with no action on it."""

from __future__ import annotations

from datetime import timedelta

from sambrief.findings import Chart, Finding, ThemeResult
from sambrief.text import shorten
from sambrief.themes.base import ThemeContext

DUE_SOON_DAYS = 30


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("open_issues")
    msg, fmt = ctx.msg, ctx.fmt
    actions = ctx.for_audience(ctx.model.frame("actions"))
    as_of = ctx.model.as_of
    open_actions = actions[actions["status"] != "done"] if not actions.empty else actions
    done = len(actions) - len(open_actions)

    def due(value: object) -> bool:
        return value is not None and value == value

    overdue = open_actions[open_actions["due_date"].map(lambda d: due(d) and d < as_of)]
    soon = open_actions[open_actions["due_date"].map(lambda d: due(d) and as_of <= d <= as_of + timedelta(days=DUE_SOON_DAYS))]
    later = open_actions[open_actions["due_date"].map(lambda d: due(d) and d > as_of + timedelta(days=DUE_SOON_DAYS))]
    undated = open_actions[open_actions["due_date"].map(lambda d: not due(d))]

    # What the data shows that nobody is working on yet.
    lp = ctx.model.frame("license_position")
    short_products: list[str] = []
    unpriced: list[str] = []
    if not lp.empty:
        per_product = lp.groupby("product").agg(shortfall=("shortfall", "sum"), exposure=("exposure", "sum"))
        per_product["exposure"] = per_product["exposure"].where(lp.groupby("product")["exposure"].count() > 0)  # none stated: unknown
        short = per_product[per_product["shortfall"] > 0].sort_values("exposure", ascending=False, na_position="last")
        covered = {str(p).casefold() for p in open_actions["product"] if p}
        short_products = [p for p in short.index if str(p).casefold() not in covered]
        unpriced = list(short.index[short["exposure"].isna().to_numpy()])

    result.figures = {
        "open": len(open_actions),
        "overdue": len(overdue),
        "due_soon": len(soon),
        "done": done,
        "shortfalls_without_action": len(short_products),
        "exposure_unknown": len(unpriced),
    }
    if actions.empty and not short_products and not unpriced:
        result.warnings.append(msg("open_issues.no_data"))
        return result

    values = dict(
        open=fmt.count(len(open_actions)),
        overdue=fmt.count(len(overdue)),
        gaps=fmt.count(len(short_products)),
        done=fmt.count(done),
        soon=fmt.count(len(soon)),
    )
    if short_products:
        headline = msg("open_issues.headline_gaps", **values)
    else:
        headline = msg("open_issues.headline", **values)
    bullets = []
    if len(overdue):
        oldest = overdue.sort_values("due_date").iloc[0]
        bullets.append(
            msg("open_issues.bullet_oldest", title=shorten(str(oldest["title"]), 60),
                days=fmt.count((as_of - oldest["due_date"]).days))
        )
    if short_products:
        bullets.append(
            msg("open_issues.bullet_gaps", n=len(short_products), count=fmt.count(len(short_products)),
                example=shorten(str(short_products[0]), 40))
        )
    if unpriced:
        bullets.append(msg("open_issues.bullet_unpriced", n=len(unpriced), count=fmt.count(len(unpriced))))
    if len(bullets) < 3 and len(soon):
        bullets.append(msg("open_issues.bullet_soon", **values))

    notes = [msg("open_issues.note_definition", days=DUE_SOON_DAYS, as_of=fmt.date(as_of))]
    if len(open_actions):
        notes.append(msg("open_issues.note_list_title"))
        for _, row in open_actions.sort_values("due_date", na_position="last").iterrows():
            due_text = fmt.date(row["due_date"]) if due(row["due_date"]) else "–"
            ref = f"{row['id']} " if row["id"] else ""
            role = f" · {row['owner_role']}" if row["owner_role"] else ""
            notes.append(f"– {ref}{shorten(str(row['title']), 100)}{role} · {due_text}")
    if short_products:
        notes.append(msg("open_issues.note_gaps", list=", ".join(shorten(str(p), 60) for p in short_products)))
    if unpriced:
        notes.append(msg("open_issues.note_unpriced", list=", ".join(shorten(str(p), 60) for p in unpriced)))

    chart = None
    if len(open_actions):
        chart = Chart(
            "column",
            (msg("open_issues.cat_overdue"), msg("open_issues.cat_soon"), msg("open_issues.cat_later"), msg("open_issues.cat_undated")),
            (float(len(overdue)), float(len(soon)), float(len(later)), float(len(undated))),
            msg("open_issues.series"),
            "count",
            highlight=0 if len(overdue) else None,
        )
    result.findings.append(
        Finding(
            theme="open_issues",
            key="open_issues.actions",
            headline=headline,
            bullets=bullets[:3],
            notes=notes,
            source=ctx.source_line("actions"),
            key_point=msg("open_issues.key_point", **values),
            chart=chart,
            priority=30,
        )
    )
    if done:
        result.achieved.append(msg("open_issues.achieved", **values))
    if len(overdue):
        result.remaining.append(msg("open_issues.remaining_overdue", **values))
    if short_products:
        result.remaining.append(msg("open_issues.remaining_gaps", **values))
    return result
