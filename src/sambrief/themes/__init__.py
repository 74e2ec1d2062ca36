"""Theme registry: each theme is a pure function from the model to findings and figures.

The themes and their order are one list, `figures.THEME_MODULES` (the figure registry reads
each module's FIGURES in that order too): a new theme is its module plus its name there.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from sambrief.figures import THEME_MODULES
from sambrief.findings import ThemeResult
from sambrief.themes.base import ThemeContext

ThemeFunction = Callable[[ThemeContext], ThemeResult]

THEMES: dict[str, ThemeFunction] = {name: import_module(f"sambrief.themes.{name}").build for name in THEME_MODULES}

__all__ = ["THEMES", "ThemeContext", "ThemeResult"]
