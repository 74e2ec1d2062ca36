"""What changed since the previous period: sentences from two sets of key figures (pure)."""

from __future__ import annotations

from typing import Any

from sambrief.i18n import Formatter, Messages

# figure -> (message key, kind, lower is better)
WATCHED: dict[str, tuple[str, str, bool]] = {
    "risk.exposure_total": ("changes.exposure", "money", True),
    "cloud_sprawl.seats_idle": ("changes.idle", "count", True),
    "cloud_sprawl.idle_cost_year": ("changes.idle_cost", "money", True),
    "open_issues.overdue": ("changes.overdue", "count", True),
    "lifecycle.median_days": ("changes.lead_time", "days", True),
    "procurement.pending": ("changes.pending", "count", True),
}


def what_changed(current: dict[str, Any], previous: dict[str, Any] | None, previous_label: str,
                 fmt: Formatter, msg: Messages) -> list[str]:
    """One sentence per watched figure that moved; nothing is said about figures that did not."""
    if not previous:
        return []
    out = []
    for key, (message, kind, lower_is_better) in WATCHED.items():
        now, before = current.get(key), previous.get(key)
        if not isinstance(now, (int, float)) or not isinstance(before, (int, float)) or now == before:
            continue
        delta = now - before
        amount = {"money": fmt.money_short, "count": fmt.count, "days": lambda v: fmt.number(v)}[kind](abs(delta))
        share = f" ({fmt.percent(abs(delta) / before)})" if before else ""
        direction = "down" if delta < 0 else "up"
        out.append(msg(f"{message}_{direction}", amount=amount, share=share, since=previous_label,
                       now={"money": fmt.money_short, "count": fmt.count, "days": fmt.number}[kind](now)))
    return out
