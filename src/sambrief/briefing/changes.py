"""What changed since the previous period: sentences from two sets of key figures (pure).

The figures compared are the registry's trend figures (sambrief.briefing.figures); nothing else is watched."""

from __future__ import annotations

from typing import Any

from sambrief.briefing import figures as registry
from sambrief.i18n.catalog import Formatter, Messages


def what_changed(
    current: dict[str, Any], previous: dict[str, Any] | None, previous_label: str, fmt: Formatter, msg: Messages
) -> list[str]:
    """One sentence per trend figure that moved; nothing is said about figures that did not."""
    if not previous:
        return []
    out = []
    for figure in registry.trend_figures():
        now, before = current.get(figure.key), previous.get(figure.key)
        if not isinstance(now, (int, float)) or not isinstance(before, (int, float)) or now == before:
            continue
        delta = now - before
        share = f" ({fmt.percent(abs(delta) / before)})" if before else ""
        direction = "down" if delta < 0 else "up"
        # The unit of a yearly amount goes with "jetzt …" only: "18.311 € weniger", not "18.311 € im Jahr weniger".
        label = figure.label_in(fmt.language)
        out.append(
            msg(
                f"changes.{direction}",
                what=label[:1].upper() + label[1:],
                amount=figure.format(abs(delta), fmt, unit=figure.kind != "money_per_year"),
                share=share,
                since=previous_label,
                now=figure.format(now, fmt),
            )
        )
    return out
