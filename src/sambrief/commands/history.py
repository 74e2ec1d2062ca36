"""`sambrief history`: the built periods with their key figures, and forgetting one."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.briefing.figures import summary_figures
from sambrief.commands.arguments import parse_period
from sambrief.config.workspace import open_workspace
from sambrief.i18n.catalog import Formatter
from sambrief.publish.history import History, PeriodRecord
from sambrief.publish.lock import workspace_lock
from sambrief.publish.output import recover


@dataclass(frozen=True)
class PeriodLine:
    period: str
    built_at: str
    figures: list[str]  # 'Risiko 620.833 €', in the summary figures' order, only those recorded


@dataclass(frozen=True)
class HistoryListing:
    language: str  # the workspace's: the CLI's own words follow it
    records: list[PeriodRecord]
    lines: list[PeriodLine]

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {
                "period": r.period,
                "built_at": r.built_at,
                "as_of": r.as_of,
                "audiences": r.audiences,
                "figures": {k: _whole(v) for k, v in r.figures.items()},
            }
            for r in self.records
        ]


def list_history(config: Path | None = None) -> HistoryListing:
    """Every built period, oldest first, its summary figures formatted in the workspace locale."""
    settings = open_workspace(config)
    records = History(settings.history_path).periods()
    fmt = Formatter(settings.language, settings.currency)
    shown = summary_figures()
    lines = [
        PeriodLine(
            r.period,
            r.built_at,
            [
                f"{fig.summary_in(settings.language)} {fig.format(r.figures[fig.key], fmt, unit=False)}"
                for fig in shown
                if isinstance(r.figures.get(fig.key), (int, float))
            ],
        )
        for r in records
    ]
    return HistoryListing(settings.language, records, lines)


@dataclass(frozen=True)
class Forgotten:
    in_history: bool  # the period was in the history and is removed from it
    outputs: Path | None  # the period's output folder, removed (None when there was none)
    declined: bool = False  # the person asked said no: nothing was removed


def forget_period(
    period: str, config: Path | None = None, confirm: Callable[[Path], bool] = lambda _: True
) -> Forgotten:
    """Remove one period from the history and its outputs (out/PERIOD/), under the workspace
    lock so that no build or delivery is writing them; a later build starts it afresh.
    `confirm` is asked first (outside the lock) when there are outputs to remove."""
    parse_period(period, "PERIOD")
    settings = open_workspace(config)
    folder = settings.output / period
    if folder.is_dir() and not confirm(folder):
        return Forgotten(False, None, declined=True)
    with workspace_lock(settings.root, activity="history forget"):
        recover(settings.output)  # a killed build's staging folders first (they may belong to this period)
        in_history = History(settings.history_path).forget(period)
        if not folder.is_dir():
            return Forgotten(in_history, None)
        # Out of sight in one step (a reader sees the whole set or none), then deleted.
        doomed = folder.with_name(f".{period}.forgotten-{os.getpid()}-{secrets.token_hex(4)}")
        folder.rename(doomed)
        shutil.rmtree(doomed)
        return Forgotten(in_history, folder)


def _whole(value: float | None) -> float | int | None:
    """Counts are whole numbers: 387.0 from the database is 387 in JSON."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
