"""`sambrief deliver` (and `build --deliver`) as a person reads it: a line per recipient and
channel, the count, exit 4 when a delivery failed."""

from __future__ import annotations

from pathlib import Path

import typer

from sambrief.cli.console import Console, run
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice


def deliver(console: Console, debug: bool, config: Path | None, period: str | None, out: Path | None,
            resend: bool, audiences: list[str] | None) -> None:
    from sambrief.commands.deliver import DeliverRequest, deliver_period

    report = run(debug, console, lambda: deliver_period(DeliverRequest(config, period, out, resend, audiences)))
    for key, recipient in report.sent:
        console.status(Notice("sent", audience=key, recipient=recipient))
    for key, recipient in report.skipped:
        console.status(Notice("already_sent", audience=key, recipient=recipient))
    for key, recipient, reason in report.failed:
        console.error(Notice("not_sent", audience=key, recipient=recipient, reason=reason))
    for notice in report.unsent:  # a channel with nowhere to go, or settings for one the audience does not name
        console.warning(notice)
    console.status(Notice("delivery", sent=len(report.sent), skipped=len(report.skipped), failed=len(report.failed)))
    if report.failed:
        raise typer.Exit(int(ExitCode.DELIVERY_FAILED))
