"""The period is the data's period: which date each export stands for, and whether a
requested period has any data at all (`check_period`).

Each export's "Stand" is, in order: its own report date (the newest in its report-date
column); else the month of the `{period}` folder it was read from (the last day of that
month); else the file's modification date. The deck says which of the three it is.
Hand-kept registers (successes, actions, budget, contracts) run over the whole year and never decide
whether a period has data.

Without --period, a command finds its period here: the newest `{period}` folder that has
exports (`newest_period_folder`), or for `explain` that one when it has been built.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sambrief.config.settings import Settings
from sambrief.errors import InputError
from sambrief.i18n.notices import Count, Notice
from sambrief.ingest.datasets import DATASETS
from sambrief.model.core import Period, newest_date

REGISTERS = tuple(name for name, spec in DATASETS.items() if spec.register)


@dataclass(frozen=True)
class Dated:
    name: str
    dataset: str
    day: date
    kind: str  # 'report' (the export's report date), 'folder' (the {period} folder), 'file' (modification date)


def date_of(path: Path, frame: Any, dataset: str, folder_period: Period | None) -> Dated:
    newest = newest_date(frame["report_date"]) if "report_date" in frame else None
    if newest is not None:
        return Dated(path.name, dataset, newest, "report")
    if folder_period is not None:
        return Dated(path.name, dataset, folder_period.end, "folder")
    return Dated(path.name, dataset, datetime.fromtimestamp(path.stat().st_mtime).date(), "file")


def folder_period(path: Path, period: Period | None) -> Period | None:
    """The period whose `{period}` folder the file was read from, if any."""
    if period is not None and str(period) in path.parts:
        return period
    return None


def check_period(period: Period, dated: list[Dated], newest_folder: Period | None = None) -> None:
    """Refuse a --period for which no export has data: one line naming the sources and their
    dates, and the period they suggest."""
    exports = [d for d in dated if d.dataset not in REGISTERS]
    if not exports and newest_folder is not None:
        # `{period}` folders exist, but none for this period: only the hand-kept registers
        # would be left, and a briefing of registers alone is not a briefing of the period.
        raise InputError(Notice("in_period_no_folder", period=str(period), suggested=str(newest_folder)))
    stated = [d for d in exports if d.kind in ("report", "folder")]
    if stated:
        # Exports that say which date they stand for decide: one of them must be in the period.
        if any(Period.of(d.day) == period for d in stated):
            return
    elif not exports or any(d.day >= period.start for d in exports):
        # Only file dates: an export saved before the period began cannot hold its data;
        # one saved later may (exports are taken after the month closes).
        return
    listing: list[Notice] | Notice = [
        Notice(f"in_dated_{d.kind}", name=d.name, day=d.day.isoformat())
        for d in sorted(exports, key=lambda d: d.name)[:6]
    ]
    if len(exports) > 6:
        listing = Notice("in_and_more", listed=listing, more=Count(len(exports) - 6))
    reported = [d for d in exports if d.kind == "report"] or exports
    suggested = Period.of(max(d.day for d in reported))
    raise InputError(Notice("in_period_no_data", period=str(period), listing=listing, suggested=str(suggested)))


def newest_period_folder(settings: Settings) -> Period | None:
    """With `{period}` in a source path and no --period: the newest period that has exports."""
    found: list[Period] = []
    for source in settings.sources:
        if "{period}" not in source.pattern:
            continue
        pattern = str(settings.root / source.pattern)
        regex = re.compile(re.escape(pattern).replace(re.escape("{period}"), r"(\d{4}-\d{2})").replace(r"\*", ".*"))
        for path in glob.glob(pattern.replace("{period}", "*"), recursive=True):
            match = regex.match(path)
            if match:
                try:
                    found.append(Period.parse(match.group(1)))
                except ValueError:
                    continue
    return max(found) if found else None


def default_built_period(settings: Settings) -> str | None:
    """The period `explain` shows without --period: the one `build` would take (the newest
    `{period}` folder) when it has been built, else None (the newest built period)."""
    folder = newest_period_folder(settings)
    if folder is not None and (settings.output / str(folder) / "manifest.json").is_file():
        return str(folder)
    return None
