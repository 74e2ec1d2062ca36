"""The themes' own files, `defaults/messages/themes/<theme>.yaml`, read without importing a theme.

A theme is two files: its module in `briefing/themes/` (what it computes) and this file (its place,
its action label, its sentences). Read here, at the bottom of the stack and without Babel, so that
configuration and the registers know the themes' names, order and action labels without pandas.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from sambrief.packaged import load_packaged

LANGUAGES = ("de", "en")
MESSAGES = resources.files("sambrief") / "defaults" / "messages"
THEME_CATALOGS: list[Traversable] = [MESSAGES / "themes"]


def theme_catalog_files() -> list[Traversable]:
    """The per-theme catalog files, by name (a folder that is missing holds none)."""
    found = [f for folder in THEME_CATALOGS if folder.is_dir() for f in folder.iterdir() if f.name.endswith(".yaml")]
    return sorted(found, key=lambda f: f.name)


@cache
def theme_files() -> dict[str, dict[str, Any]]:
    """theme -> its file (`order`, `de`, `en`), in the themes' order."""
    files: dict[str, dict[str, Any]] = {}
    for file in theme_catalog_files():
        data = load_packaged(file.read_text("utf-8")) or {}
        if not isinstance(data, dict) or not isinstance(data.get("order"), int):
            raise ValueError(f"messages/themes/{file.name}: no 'order:' number; add the theme's place among the themes")
        for language in LANGUAGES:
            if not isinstance(data.get(language), dict):
                raise ValueError(
                    f"messages/themes/{file.name}: no '{language}:' mapping; add the theme's {language} texts"
                )
        files[file.name.removesuffix(".yaml")] = data
    orders = [data["order"] for data in files.values()]
    if len(set(orders)) != len(orders):
        raise ValueError(f"two themes declare the same order: {sorted(orders)}")
    return dict(sorted(files.items(), key=lambda item: item[1]["order"]))


def theme_names() -> tuple[str, ...]:
    """Every theme's name, in the themes' order (`sambrief history` columns, "what changed")."""
    return tuple(theme_files())


def theme_order(theme: str) -> int:
    """A theme's place among the themes."""
    return int(theme_files()[theme]["order"])


def theme_texts(name: str) -> dict[str, dict[str, str]]:
    """theme -> language -> its text `name` (`action`), for the themes whose file has one, in order."""
    return {
        theme: {language: str(data[language][name]) for language in LANGUAGES}
        for theme, data in theme_files().items()
        if name in (data.get("en") or {})
    }


def clear() -> None:
    """Forget the files read (a test that adds a theme's file)."""
    theme_files.cache_clear()
