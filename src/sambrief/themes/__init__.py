"""Theme registry: each theme is a pure function from the model to findings and figures."""

from __future__ import annotations

from collections.abc import Callable

from sambrief.findings import ThemeResult
from sambrief.themes import (
    budget,
    cloud_departments,
    cloud_sprawl,
    lifecycle,
    news,
    open_issues,
    opportunities,
    procurement,
    risk,
    risk_detail,
    successes,
)
from sambrief.themes.base import ThemeContext

ThemeFunction = Callable[[ThemeContext], ThemeResult]

THEMES: dict[str, ThemeFunction] = {
    "risk": risk.build,
    "cloud_sprawl": cloud_sprawl.build,
    "successes": successes.build,
    "open_issues": open_issues.build,
    "opportunities": opportunities.build,
    "lifecycle": lifecycle.build,
    "procurement": procurement.build,
    "budget": budget.build,
    "news": news.build,
    "risk_detail": risk_detail.build,
    "cloud_departments": cloud_departments.build,
}

__all__ = ["THEMES", "ThemeContext", "ThemeResult"]
