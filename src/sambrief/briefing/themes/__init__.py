"""Theme registry: each theme is a pure function from the model to findings and figures.

A theme is two files. Its module here declares ``KEY`` (its name in `audiences.yaml`),
``AUDIENCE`` (what it reads of the audience: base.SHARED, PER_AUDIENCE or a function),
``DATASETS``, ``FIGURES`` and ``build(ctx)``; its file `defaults/messages/themes/<key>.yaml`
holds its place among the themes (``order``: `sambrief history` columns, "what changed"), its
action label and its sentences, read low in the stack (i18n.theme_files) so that configuration
and the registers know every theme without importing one. ``base`` and ``trends`` declare no
KEY and are helpers (so is ``blocked_seats``, the cloud theme's first harvest).
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Iterable
from importlib import import_module
from types import ModuleType

from sambrief.briefing.findings import ThemeResult
from sambrief.briefing.themes.base import PER_AUDIENCE, SHARED, ThemeContext
from sambrief.i18n.theme_files import theme_files

ThemeFunction = Callable[[ThemeContext], ThemeResult]


def discover(paths: Iterable[str] = tuple(__path__), package: str = __name__) -> dict[str, ModuleType]:
    """Theme key -> module, in the order their files declare."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(list(paths)):
        module = import_module(f"{package}.{info.name}")
        key = getattr(module, "KEY", None)
        if key is None:
            continue
        if not isinstance(key, str) or not callable(getattr(module, "build", None)):
            raise TypeError(
                f"theme module {module.__name__}: KEY needs to be a str and the module a build(ctx) function"
            )
        reads = getattr(module, "AUDIENCE", None)
        if reads not in (SHARED, PER_AUDIENCE) and not callable(reads):
            raise TypeError(
                f"theme module {module.__name__}: declare AUDIENCE (SHARED, PER_AUDIENCE or a function of the audience)"
            )
        if key in found:
            raise ValueError(f"theme {key!r} declared by {found[key].__name__} and {module.__name__}")
        found[key] = module
    files = theme_files()
    for key, module in found.items():
        if key not in files:
            raise ValueError(
                f"theme {key!r} ({module.__name__}) has no defaults/messages/themes/{key}.yaml; add its order and texts"
            )
    if missing := [key for key in files if key not in found]:
        raise ValueError(
            f"defaults/messages/themes/{missing[0]}.yaml names no theme module; add briefing/themes/{missing[0]}.py"
        )
    return {key: found[key] for key in files}


THEME_MODULES: dict[str, ModuleType] = discover()
THEMES: dict[str, ThemeFunction] = {key: module.build for key, module in THEME_MODULES.items()}

__all__ = ["THEMES", "THEME_MODULES", "ThemeContext", "ThemeResult", "discover"]
