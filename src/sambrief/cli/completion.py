"""Tab completion from the workspace: audience names, departments, periods and figure keys.

A completion runs on every <Tab>, so it reads only what it needs (the YAML files, the history's
SQLite, the output and `{period}` folders) and never the exports or pandas; anything it cannot
read completes nothing rather than printing an error into the shell.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sambrief.config.discovery import find_config
from sambrief.errors import SambriefError

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _workspace(ctx: Any) -> tuple[Path, dict[str, Any]] | None:
    """sambrief.yaml (the one --config names, else the nearest) and its settings as written."""
    explicit = (getattr(ctx, "params", None) or {}).get("config")
    try:
        path = find_config(Path(explicit) if explicit else None)
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except (SambriefError, OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return (path, raw) if isinstance(raw, dict) else None


def _matching(words: Iterable[str], incomplete: str) -> list[str]:
    return sorted({w for w in words if w.startswith(incomplete)})


def audiences(ctx: Any, incomplete: str) -> list[str]:
    found = _workspace(ctx)
    names: list[str] = []
    if found is not None:
        path, raw = found
        setting = raw.get("audiences")
        file = path.parent / (setting if isinstance(setting, str) and setting else "audiences.yaml")
        try:
            text = (
                file.read_text("utf-8")
                if file.is_file()
                else (resources.files("sambrief") / "defaults" / "audiences.yaml").read_text("utf-8")
            )
            data = yaml.safe_load(text) or {}
            names = [str(k) for k in (data.get("audiences") or {})]
        except (OSError, yaml.YAMLError, UnicodeDecodeError, AttributeError):
            names = []
    command = getattr(getattr(ctx, "command", None), "name", "")
    return _matching(names + (["all"] if command == "build" else []), incomplete)


def _history(found: tuple[Path, dict[str, Any]]) -> Path:
    path, raw = found
    setting = raw.get("history")
    return path.parent / (setting if isinstance(setting, str) and setting else ".sambrief/history.sqlite")


def _query(database: Path, sql: str) -> list[str]:
    if not database.is_file():
        return []
    try:
        con = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return [str(row[0]) for row in con.execute(sql) if row[0] is not None]
        finally:
            con.close()
    except sqlite3.Error:
        return []


def departments(ctx: Any, incomplete: str) -> list[str]:
    """The departments the last builds charted (the history's department breakdowns)."""
    found = _workspace(ctx)
    if found is None:
        return []
    names = _query(_history(found), "SELECT DISTINCT category FROM breakdowns WHERE chart LIKE '%department%'")
    return [n for n in _matching(names, incomplete) if not n.startswith(("weitere ", "other "))]


def periods(ctx: Any, incomplete: str) -> list[str]:
    """Built periods (history, output folders) and the `{period}` folders of the sources."""
    found = _workspace(ctx)
    if found is None:
        return []
    path, raw = found
    names = set(_query(_history(found), "SELECT period FROM periods"))
    output = path.parent / str(raw.get("output") or "out")
    if output.is_dir():
        names.update(p.name for p in output.iterdir() if p.is_dir())
    for source in raw.get("sources") or []:
        pattern = source.get("path") if isinstance(source, dict) else source
        if isinstance(pattern, str) and "{period}" in pattern:
            base = path.parent / pattern.split("{period}", 1)[0]
            if base.is_dir():
                names.update(p.name for p in base.iterdir() if p.is_dir())
    return sorted((n for n in names if _PERIOD.match(n) and n.startswith(incomplete)), reverse=True)


def figures(ctx: Any, incomplete: str) -> list[str]:
    from sambrief.briefing.figures import registry

    return _matching(registry(), incomplete)
