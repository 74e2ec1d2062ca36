"""`sambrief deliver`: mail each audience its deck and one-pager for a period, once per recipient."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sambrief.commands.arguments import check_audiences, parse_period
from sambrief.config.settings import Settings
from sambrief.config.workspace import open_workspace
from sambrief.model.core import Period
from sambrief.model.periods import newest_period_folder
from sambrief.publish.deliver import DeliveryReport, deliver


@dataclass(frozen=True)
class DeliverRequest:
    config: Path | None = None
    period: str | None = None  # default: the newest built period
    out: Path | None = None
    resend: bool = False
    audiences: list[str] | None = None


def deliver_period(request: DeliverRequest) -> DeliveryReport:
    settings = open_workspace(request.config)
    check_audiences(settings, request.audiences or [])
    out = request.out or settings.output
    period = chosen_period(settings, request.period, out)
    return deliver(settings, str(period), out / str(period), request.resend, request.audiences)


def chosen_period(settings: Settings, period: str | None, out: Path) -> Period:
    """--period, else the newest built period, else the newest data folder, else last month."""
    return (
        parse_period(period) or latest_built(out) or newest_period_folder(settings) or Period.of(date.today()).previous
    )


def latest_built(out: Path) -> Period | None:
    built = (
        [p.name for p in out.glob("*") if re.fullmatch(r"\d{4}-\d{2}", p.name) and (p / "manifest.json").is_file()]
        if out.is_dir()
        else []
    )
    return Period.parse(max(built)) if built else None
