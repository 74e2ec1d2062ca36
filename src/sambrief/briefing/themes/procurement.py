"""Approval and procurement workflow for ITSM roles: what waits, for how long, what went through."""

from __future__ import annotations

import numpy as np

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import SHARED, ThemeContext

KEY = "procurement"  # the theme's name in audiences.yaml
DATASETS = ("requests",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "pending",
        "count",
        {"de": "wartende Freigaben", "en": "requests waiting for approval"},
        {
            "tile": {"de": "wartende Freigaben", "en": "requests awaiting approval"},
            "tile_rank": 1,
            "lower_is_better": True,
            "trend": True,
            "definition": {
                "de": "Offene Software-Anträge ohne Freigabedatum zum Stichtag",
                "en": "Open software requests without an approval date on the report date",
            },
        },
    ),
    (
        "in_fulfilment",
        "count",
        {"de": "Anträge in Beschaffung oder Bereitstellung", "en": "requests in procurement or provisioning"},
    ),
    (
        "throughput",
        "count",
        {"de": "im Berichtszeitraum abgeschlossene Anträge", "en": "requests closed in the period"},
        {
            "tile": {"de": "im Monat abgeschlossene Anträge", "en": "requests closed this month"},
            "tile_rank": 2,
            "lower_is_better": False,
        },
    ),
    ("opened", "count", {"de": "im Berichtszeitraum eingegangene Anträge", "en": "requests opened in the period"}),
    (
        "oldest_waiting_days",
        "days",
        {"de": "Wartezeit des ältesten Antrags", "en": "wait of the oldest request"},
        {"lower_is_better": True},
    ),
    (
        "waiting_over_30_days",
        "count",
        {"de": "Anträge, die länger als 30 Tage warten", "en": "requests waiting over 30 days"},
        {"lower_is_better": True},
    ),
    ("waiting_threshold_days", "days", {"de": "Schwelle für lange Wartezeit", "en": "threshold for a long wait"}),
    (
        "closed_incomplete",
        "count",
        {
            "de": "im Berichtszeitraum unvollständig geschlossene oder stornierte Anträge",
            "en": "requests closed incomplete or cancelled in the period",
        },
    ),
    ("rejected", "count", {"de": "im Berichtszeitraum abgelehnte Anträge", "en": "requests rejected in the period"}),
    (
        "closed_undated",
        "count",
        {"de": "abgeschlossene Anträge ohne Abschlussdatum", "en": "closed requests without a close date"},
        {"lower_is_better": True},
    ),
)

AGE_BANDS = ((0, 7), (8, 14), (15, 30), (31, None))


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    fmt = ctx.fmt
    requests = ctx.model.frame("requests")
    period, as_of = ctx.model.period, ctx.model.as_of
    withheld = ctx.withheld_warning("requests")
    if withheld or requests.empty:
        result.warnings.append(withheld or ctx.text("no_data"))
        return result
    # Whole columns: dates as datetime64 (NaT unknown); each request's outcome from its state,
    # stage and approval together (request_outcomes), decided once per model.
    requested = ctx.model.days("requests", "requested_date")
    outcomes = ctx.model.request_outcomes()
    today = np.datetime64(as_of, "D")
    open_requests = outcomes.of("waiting", "fulfilment", "open") & ~np.isnat(requested) & (requested <= today)
    waiting = open_requests & outcomes.of("waiting")
    in_fulfilment = open_requests & outcomes.of("fulfilment")
    phase_unknown = int((open_requests & outcomes.of("open")).sum())  # the export says nothing of approvals
    ages = (today - requested[waiting]).astype(np.int64)
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    closed_day = outcomes.closed_day
    in_period = (closed_day >= start) & (closed_day <= end)  # NaT (no date) is in no range
    throughput = int((in_period & outcomes.of("closed_complete")).sum())
    undated = int((outcomes.of("closed_complete", "closed_incomplete", "rejected") & np.isnat(closed_day)).sum())
    # Closed requests none of which has a date: how many closed in the period is unknown, not 0.
    throughput_known = not undated or bool((~np.isnat(closed_day)).any())
    opened = int(((requested >= start) & (requested <= end)).sum())
    bands = [int(((ages >= low) & (ages <= high if high is not None else True)).sum()) for low, high in AGE_BANDS]
    result.figures = {
        "pending": int(waiting.sum()),
        "in_fulfilment": int(in_fulfilment.sum()),
        "throughput": throughput,
        "opened": opened,
        "oldest_waiting_days": int(ages.max()) if len(ages) else 0,
        "waiting_over_30_days": bands[-1],
        "waiting_threshold_days": 30,
        "closed_incomplete": int((in_period & outcomes.of("closed_incomplete")).sum()),
        "rejected": int((in_period & outcomes.of("rejected")).sum()),
        "closed_undated": undated,
    }
    if not len(ages):
        del result.figures["oldest_waiting_days"]  # nobody waits: there is no oldest, not 0 days
    if phase_unknown:  # open requests whose approval nobody recorded: how many wait is unknown, not 0
        for key in ("pending", "in_fulfilment", "oldest_waiting_days", "waiting_over_30_days"):
            result.figures.pop(key, None)
    if not throughput_known:
        del result.figures["throughput"]
        throughput = 0
    if undated:
        result.warnings.append(ctx.text("closed_undated", n=undated, source=ctx.source_line("requests")))
    for column, unknown in outcomes.unrecognised.items():  # a workflow's own states: said, never guessed
        shown = ", ".join(f"'{v[:30]}'" for v in unknown[:3]) + (f" (+{len(unknown) - 3})" if len(unknown) > 3 else "")
        result.warnings.append(ctx.text("unknown_values", column=column, values=shown))
    values = dict(
        pending=fmt.count(int(waiting.sum())),
        fulfilment=fmt.count(int(in_fulfilment.sum())),
        throughput=fmt.count(throughput),
        opened=fmt.count(opened),
        oldest=fmt.count(int(ages.max()) if len(ages) else 0),
        over30=fmt.count(bands[-1]),
        month=fmt.month(period.start),
        open=fmt.count(phase_unknown),
    )
    # Zero counts are not news: each bullet only where its count is above zero.
    if phase_unknown:
        headline = ctx.text("headline_phase_unknown", n=phase_unknown, **values)
    elif not waiting.any():
        headline = ctx.text("headline_none")
    else:
        headline = ctx.text("headline" if bands[-1] else "headline_none_long", n=int(waiting.sum()), **values)
    bullets = []
    if not throughput_known:
        if opened:
            bullets.append(ctx.text("bullet_opened_closed_unknown", n=opened, **values))
    elif throughput or opened:
        bullets.append(
            ctx.text("bullet_throughput", n=throughput, **values)
            if throughput
            else ctx.text("bullet_opened_only", n=opened, **values)
        )
    if len(ages):
        bullets.append(ctx.text("bullet_oldest" if len(ages) > 1 else "bullet_only_one", n=int(ages.max()), **values))
    if in_fulfilment.any():
        bullets.append(ctx.text("bullet_fulfilment", n=int(in_fulfilment.sum()), **values))
    if phase_unknown:
        key_point = "key_point_phase_unknown"
    else:
        key_point = (
            "key_point" if throughput else "key_point_waiting" if throughput_known else "key_point_closed_unknown"
        )
    labels = [
        ctx.text("band", low=low, high=high) if high else ctx.text("band_open", high_or_low=low - 1)
        for low, high in AGE_BANDS
    ]
    result.findings.append(
        ctx.finding(
            "pending",
            headline=headline,
            bullets=bullets[:3],
            notes=[ctx.text("note_definition", as_of=fmt.date(as_of))]
            + [f"– {label}: {n}" for label, n in zip(labels, bands)]
            + ([ctx.text("note_undated", n=undated)] if undated else []),
            source=ctx.source_line("requests"),
            key_point=ctx.text(key_point, **values),
            chart=None
            if phase_unknown
            else Chart(
                "column",
                tuple(labels),
                tuple(float(b) for b in bands),
                ctx.text("series"),
                "count",
                highlight=len(bands) - 1 if bands[-1] else None,
                label_zero=False,
            ),
            priority=10,
        )
    )
    if throughput:
        result.achieved.append(ctx.text("achieved", n=throughput, **values))
    if bands[-1]:
        result.remaining.append(ctx.text("remaining", n=bands[-1], **values))
    return result
