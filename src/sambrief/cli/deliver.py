"""`sambrief deliver` (and `build --deliver`) as a person reads it: a line per recipient and
channel, the count, exit 4 when a delivery failed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sambrief.cli.console import Console, run
from sambrief.cli.options import ConfigOpt, DebugOpt, check_file, completer, workspace_language
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice


def deliver(
    console: Console,
    debug: bool,
    config: Path | None,
    period: str | None,
    out: Path | None,
    resend: bool,
    audiences: list[str] | None,
) -> None:
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


def deliver_command(
    config: ConfigOpt = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="YYYY-MM",
            help="Period (default: the newest built one).",
            autocompletion=completer("periods"),
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="DIR", help="Output folder the briefings were built into.")
    ] = None,
    audience: Annotated[
        list[str] | None,
        typer.Option(
            "--audience",
            "-a",
            metavar="NAME",
            help="Only this audience (repeatable).",
            autocompletion=completer("audiences"),
        ),
    ] = None,
    resend: Annotated[
        bool,
        typer.Option("--resend", help="Send again to recipients and channels that already got this period's briefing."),
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Send each audience's briefing on its delivery channels: mail, Teams, Slack, a folder; once per period.

    \b
    Examples:
      sambrief deliver
      sambrief deliver --period 2026-10 --audience management --resend
    """
    from sambrief.commands.arguments import parse_period

    console = Console()
    run(debug, console, lambda: parse_period(period))
    check_file(console, config, "--config")
    console.lang = workspace_language()
    deliver(console, debug, config, period, out, resend, audience)
