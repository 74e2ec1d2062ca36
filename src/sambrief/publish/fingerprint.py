"""Whether a build can be skipped: the fingerprint of everything it depends on, compared
with the history's record of the period and the outputs on disk; and the later periods that
read a rebuilt period's figures."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sambrief import __version__
from sambrief.config.settings import Audience, Settings
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource
from sambrief.ingest.sources import skipped_files
from sambrief.publish.history import History
from sambrief.publish.output import verify_set


def build_fingerprint(
    settings: Settings,
    sources: list[LoadedSource],
    audiences: list[Audience],
    asked: tuple[Any, ...],
    warnings: Sequence[str] = (),
    earlier: Any = None,
) -> str:
    """Everything a build depends on: exports, configuration files, template, the request, and
    the earlier periods' figures its briefings read (month-over-month headlines, trends): a
    month built before its predecessors is rebuilt once they are in the history. `asked`: what
    the request adds (department, language, output folder)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(earlier, sort_keys=True, default=str).encode())
    for s in sorted(sources, key=lambda s: str(s.path)):
        digest.update(f"{s.path.name}:{s.sha256}".encode())
    for skipped in skipped_files(warnings):  # a file added or fixed since is a change (the manifest lists it)
        digest.update(repr(sorted(skipped.items())).encode())
    extra = [
        settings.config_path,
        settings.audiences_path,
        settings.news_path,
        settings.intranet_path,
        settings.deck_template,
    ]
    if settings.templates.is_dir():
        extra += sorted(p for p in settings.templates.rglob("*") if p.is_file())
    for path in extra:
        if path is not None and Path(path).is_file():
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    digest.update(repr(([a.key for a in audiences], *asked)).encode())
    return digest.hexdigest()


def earlier_figures(
    past: dict[str, dict[str, Any]], audience_past: dict[str, dict[str, dict[str, Any]]], period: str
) -> Any:
    """The history a briefing of `period` reads: every earlier period's figures, company-wide
    and per audience (what the fingerprint must cover)."""
    return {
        "company": {p: f for p, f in past.items() if p < period},
        "audiences": {key: {p: f for p, f in figures.items() if p < period} for key, figures in audience_past.items()},
    }


def stale_later_periods(history: History, period: str, before: dict[str, Any] | None) -> Notice | None:
    """After building `period`: the later built periods that read its figures, when those
    changed (or were not in the history before); they are rebuilt by `build --period`."""
    after = history.get(period)
    if after is None or (before is not None and before == after.figures):
        return None
    later = [p.period for p in history.periods() if p.period > period]
    if not later:
        return None
    return Notice("later_periods_stale", period=period, later=", ".join(later), first=later[0])


def unchanged(history: History, period: str, fingerprint: str, out_dir: Path) -> bool:
    """Same inputs as the last build of the period, and its outputs are all there, each with
    the size and SHA-256 the manifest lists (a damaged or foreign file means: rebuild)."""
    record = history.get(period)
    if record is None or record.fingerprint != fingerprint:
        return False
    return verify_set(out_dir) is not None
