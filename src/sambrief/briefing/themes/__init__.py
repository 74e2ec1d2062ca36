"""Theme registry: each theme is a pure function from the model to findings and figures.

Themes are discovered: every module of this package that declares ``KEY`` (the theme's name
in `audiences.yaml`) and ``ORDER`` (its place: the order of `sambrief history` columns and of
"what changed") is a theme; ``base`` and ``trends`` declare neither and are helpers. A new
theme is its module plus its sentences (`defaults/messages/themes/<key>.yaml`).
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Iterable
from importlib import import_module
from types import ModuleType

from sambrief.briefing.findings import ThemeResult
from sambrief.briefing.themes.base import ThemeContext

ThemeFunction = Callable[[ThemeContext], ThemeResult]


def discover(paths: Iterable[str] = tuple(__path__), package: str = __name__) -> dict[str, ModuleType]:
    """Theme key -> module, in the themes' declared ORDER."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(list(paths)):
        module = import_module(f"{package}.{info.name}")
        if not hasattr(module, "ORDER"):
            continue
        key = getattr(module, "KEY", None)
        if not isinstance(key, str) or not callable(getattr(module, "build", None)):
            raise TypeError(f"theme module {module.__name__}: ORDER needs a KEY (str) and a build(ctx) function")
        if key in found:
            raise ValueError(f"theme {key!r} declared by {found[key].__name__} and {module.__name__}")
        found[key] = module
    places = [m.ORDER for m in found.values()]
    if len(set(places)) != len(places):
        raise ValueError(f"two themes declare the same ORDER: {sorted(places)}")
    return dict(sorted(found.items(), key=lambda item: item[1].ORDER))


THEME_MODULES: dict[str, ModuleType] = discover()
THEMES: dict[str, ThemeFunction] = {key: module.build for key, module in THEME_MODULES.items()}

__all__ = ["THEMES", "THEME_MODULES", "ThemeContext", "ThemeResult", "discover"]
