"""Theme registry: each theme is a pure function from the model to findings and figures."""

from __future__ import annotations

from collections.abc import Callable

from sambrief.themes.base import ThemeContext
from sambrief.findings import ThemeResult
from sambrief.themes import cloud_sprawl, open_issues, risk, successes

ThemeFunction = Callable[[ThemeContext], ThemeResult]

THEMES: dict[str, ThemeFunction] = {
    "risk": risk.build,
    "cloud_sprawl": cloud_sprawl.build,
    "successes": successes.build,
    "open_issues": open_issues.build,
}

__all__ = ["THEMES", "ThemeContext", "ThemeResult"]
