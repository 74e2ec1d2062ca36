"""The SAM lifecycle for the business: how long a software request really takes, and why."""

from __future__ import annotations

import statistics
from datetime import date

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ProcessStep, ThemeResult
from sambrief.briefing.themes.base import SHARED, ThemeContext, nearest_rank
from sambrief.config.schema import LIFECYCLE_STEPS
from sambrief.model.core import Model, day_numbers

KEY = "lifecycle"  # the theme's name in audiences.yaml
DATASETS = ("requests",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "median_days",
        "days",
        {"de": "Durchlaufzeit eines Software-Antrags (Median)", "en": "software request lead time (median)"},
        {
            "tile": {"de": "Durchlaufzeit eines Antrags (Median)", "en": "request lead time (median)"},
            "tile_rank": 1,
            "lower_is_better": True,
            "trend": True,
            "summary": {"de": "Durchlaufzeit (Tage)", "en": "lead time (days)"},
            "definition": {
                "de": "Median der Tage vom Antrag bis zur Bereitstellung der im Berichtszeitraum abgeschlossenen "
                "Anträge",
                "en": "Median days from request to provisioning of the requests closed in the period",
            },
        },
    ),
    ("requests_closed", "count", {"de": "abgeschlossene Software-Anträge", "en": "software requests closed"}),
    (
        "p90_days",
        "days",
        {"de": "Durchlaufzeit (90-%-Wert)", "en": "lead time (90th percentile)"},
        {"lower_is_better": True},
    ),
    (
        "within_target_share",
        "share",
        {"de": "Anteil der Anträge im Zielwert", "en": "share of requests within target"},
        {
            "tile": {"de": "Anträge im Zielwert", "en": "requests within target"},
            "tile_rank": 2,
            "lower_is_better": False,
        },
    ),
    ("target_days", "days", {"de": "Zielwert der Durchlaufzeit", "en": "lead time target"}),
    (
        "median_days_previous",
        "days",
        {"de": "Durchlaufzeit im Vormonat (Median)", "en": "lead time last month (median)"},
    ),
    (
        "median_days_change",
        "days",
        {"de": "Veränderung der Durchlaufzeit zum Vormonat", "en": "change in lead time since last month"},
    ),
    ("approval_median_days", "days", {"de": "Warten auf Freigabe (Median)", "en": "waiting for approval (median)"}),
    (
        "fulfilment_median_days",
        "days",
        {"de": "Beschaffung und Bereitstellung (Median)", "en": "procurement and provisioning (median)"},
    ),
    (
        "p90_share",
        "share",
        {"de": "Anteil der Anträge im 90-%-Wert", "en": "share of requests within the 90th percentile"},
    ),
)

BUCKETS = ((0, 2), (3, 5), (6, 10), (11, 20), (21, None))


def lead_times(model: Model, start: date, end: date) -> pd.DataFrame:
    """Requests closed complete in [start, end] with their lead time, approval wait and fulfilment
    time in days (NaN where a date is missing); whole columns, dates converted once per model.
    A closed request without closed_date is dated by its last update (request_outcomes);
    cancelled and rejected requests were never provisioned: they have no lead time."""
    outcomes = model.request_outcomes()
    closed = day_numbers(outcomes.closed_day)
    requested, approved = (day_numbers(model.days("requests", c)) for c in ("requested_date", "approval_date"))
    first, last = np.datetime64(start, "D").astype(np.int64), np.datetime64(end, "D").astype(np.int64)
    rows = (closed >= first) & (closed <= last) & outcomes.of("closed_complete")  # NaN (no date) is in no range
    return pd.DataFrame(
        {
            "lead": closed[rows] - requested[rows],
            "approval": approved[rows] - requested[rows],
            "fulfilment": closed[rows] - approved[rows],
        }
    )


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    requests = ctx.model.frame("requests")
    period = ctx.model.period
    withheld = ctx.withheld_warning("requests")
    if withheld:
        result.warnings.append(withheld)
        return result
    now = (
        lead_times(ctx.model, period.start, period.end)
        if not requests.empty
        else pd.DataFrame(columns=["lead", "approval", "fulfilment"])
    )
    leads = now["lead"][now["lead"] >= 0].tolist()
    if not leads:
        # Without a close date in any export the lead time is unknown, not "no requests closed".
        closed_known = requests.empty or ctx.model.has("requests", "closed_date")
        result.warnings.append(ctx.text("no_data" if closed_known else "no_data_close_date"))
        return result
    before = lead_times(ctx.model, period.previous.start, period.previous.end)
    before_leads = before["lead"][before["lead"] >= 0].tolist()
    if ctx.audience.department and ctx.previous(ctx.figure_key("median_days")) is None:
        before_leads = []  # the department's last month was not stated (or withheld): it stays unsaid
    median = float(statistics.median(leads))
    p90 = nearest_rank(leads, 0.9)
    target = settings.lead_time_target_days
    lead_days = np.array(leads)
    within = int((lead_days <= target).sum()) / len(leads)
    approval = now["approval"][now["approval"] >= 0].tolist()
    fulfilment = now["fulfilment"][now["fulfilment"] >= 0].tolist()
    result.figures = {
        "requests_closed": len(leads),
        "median_days": median,
        "p90_days": p90,
        "within_target_share": round(within, 4),
        "target_days": target,
        "median_days_previous": float(statistics.median(before_leads)) if before_leads else None,
        "approval_median_days": float(statistics.median(approval)) if approval else None,
        "fulfilment_median_days": float(statistics.median(fulfilment)) if fulfilment else None,
        "p90_share": 0.9,
    }
    result.figures = {k: v for k, v in result.figures.items() if v is not None}  # unknown is absent, not 0
    values = dict(
        median=fmt.days(median),
        p90=fmt.number(p90),
        n=fmt.count(len(leads)),
        target=fmt.count(target),
        within=fmt.percent(within),
        month=fmt.month(period.start),
        p90_share=fmt.percent(0.9),
    )
    if before_leads:
        change = median - statistics.median(before_leads)
        result.figures["median_days_change"] = round(change, 1)
        key = "headline_faster" if change < 0 else ("headline_slower" if change > 0 else "headline_same")
        headline = ctx.text(key, change=msg("common.days", n=abs(change), count=fmt.number(abs(change))), **values)
    else:
        headline = ctx.text("headline", **values)
    bullets = [ctx.text("bullet_within", **values), ctx.text("bullet_p90", **values)]
    if approval and fulfilment:
        bullets.append(
            ctx.text(
                "bullet_split",
                approval=fmt.days(statistics.median(approval)),
                fulfilment=fmt.days(statistics.median(fulfilment)),
            )
        )
    counts = []
    labels = []
    for low, high in BUCKETS:
        labels.append(
            ctx.text("bucket", low=low, high=high) if high is not None else ctx.text("bucket_open", low=low - 1)
        )
        counts.append(float(((lead_days >= low) & (lead_days <= (np.inf if high is None else high))).sum()))
    notes = [ctx.text("note_definition", target=target), ctx.text("note_values", **values)]
    outcomes = ctx.model.request_outcomes()
    undated = int((outcomes.of("closed_complete") & np.isnat(outcomes.closed_day)).sum())
    if undated:
        notes.append(msg("procurement.note_undated", n=undated))
    if before_leads:
        notes.append(ctx.text("note_previous", median=fmt.days(statistics.median(before_leads)), n=len(before_leads)))
    source = ctx.source_line("requests")
    result.findings.append(
        ctx.finding(
            "lead_time",
            headline=headline,
            bullets=bullets[:3],
            notes=notes,
            source=source,
            key_point=ctx.text("key_point", **values),
            chart=Chart("column", tuple(labels), tuple(counts), ctx.text("series"), "count"),
            priority=12,
        )
    )
    # The explanation slide: each step in plain words, with its typical duration where known.
    durations = {  # a step whose dates the export lacks has no typical duration (said as nothing, never 0)
        "approval": result.figures.get("approval_median_days"),
        "provisioning": result.figures.get("fulfilment_median_days"),
    }
    steps = []
    for step in LIFECYCLE_STEPS:
        custom = settings.lifecycle_text.get(step, {})
        text = custom.get(ctx.language) or ctx.text(f"step_{step}_text")
        days = durations.get(step)
        duration = ctx.text("typical", n=days, days=fmt.number(days)) if days is not None else ""
        steps.append(ProcessStep(ctx.text(f"step_{step}"), duration, text))
    result.findings.append(
        ctx.finding(
            "explained",
            headline=ctx.text("explain_headline", **values),
            bullets=[],
            notes=[ctx.text("explain_note")] + [f"{s.label}: {s.text} {s.duration}".strip() for s in steps],
            source=source,
            key_point="",
            process=tuple(steps),
            priority=40,
        )
    )
    result.achieved.append(ctx.text("achieved", **values))
    if within < 0.8:
        result.remaining.append(ctx.text("remaining", **values))
    return result
