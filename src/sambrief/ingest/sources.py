"""Which export files a workspace's `sources:` name: each pattern expanded (`{period}` becomes
YYYY-MM, globs matched, Excel lock files and hidden files left out), and the notices of the
files a build leaves out because no layout fits them."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sambrief.errors import ConfigError, InputError
from sambrief.i18n.notices import Notice
from sambrief.ingest.layouts import SourcePin

if TYPE_CHECKING:
    from sambrief.ingest.detect import UnknownLayout

IGNORED_PREFIXES = ("~$", ".")  # Excel lock files and hidden files next to the exports


@dataclass(frozen=True)
class Source:
    pattern: str  # as written, relative to the workspace
    pin: SourcePin


def resolve_sources(
    sources: Sequence[Source], root: Path, config_path: Path | None, period: str | None = None
) -> tuple[list[tuple[Path, SourcePin, bool]], list[str]]:
    """Expand every source pattern ('{period}' becomes YYYY-MM); a literal path that is missing
    is an error, a glob that matches nothing is a warning. Each file is read once. Each file
    comes with its pin and whether it may be skipped when no layout fits it: a file a glob
    found, with no `layout:` or `columns:` saying what it is (a file named on its own, or
    pinned, is meant to be read)."""
    seen: set[Path] = set()
    found: list[tuple[Path, SourcePin, bool]] = []
    warnings: list[str] = []
    for i, source in enumerate(sources):
        if "{period}" in source.pattern and period is None:
            raise ConfigError([Notice("source_needs_period", where=f"sources[{i}]", pattern=source.pattern)])
        pattern = str(root / source.pattern.replace("{period}", str(period)))
        is_glob = any(ch in source.pattern for ch in "*?[")
        matches = sorted(Path(p) for p in glob.glob(pattern, recursive=True)) if is_glob else [Path(pattern)]
        matches = [p for p in matches if not p.name.startswith(IGNORED_PREFIXES)]
        if not is_glob and not matches[0].is_file():
            raise ConfigError(
                [Notice("source_not_found", where=f"sources[{i}]", pattern=source.pattern, folder=str(root))],
                str(config_path),
            )
        if not matches:
            warnings.append(Notice("no_file_matches", where=f"sources[{i}]", pattern=source.pattern))
        skippable = is_glob and not (source.pin.layout or source.pin.columns)
        for path in matches:
            if path.is_file() and path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, source.pin, skippable))
    if not found:
        raise InputError(Notice("no_export_files", path=str(config_path)))
    return found, warnings


SKIPPED = ("skipped_file", "skipped_file_far")  # the notices of files left out (manifest `skipped`)


def skipped_notice(exc: UnknownLayout) -> Notice:
    if exc.nearest is None:
        return Notice("skipped_file_far", where=str(exc.path), file=exc.path.name)
    return Notice("skipped_file", where=str(exc.path), file=exc.path.name, nearest=exc.nearest, lacks=list(exc.lacks))


def skipped_files(warnings: Sequence[str]) -> list[dict[str, Any]]:
    """The files a build left out, from their notices: file name, nearest layout, what its header lacks."""
    return [
        {"file": w.values["file"], "nearest": w.values.get("nearest"), "lacks": list(w.values.get("lacks", []))}
        for w in warnings
        if isinstance(w, Notice) and w.key in SKIPPED
    ]
