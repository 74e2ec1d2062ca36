"""`sambrief explain`: where a number comes from, as a person or a script reads it."""

from __future__ import annotations

from typing import Annotated

import typer

from sambrief.cli.console import Console, print_json, run
from sambrief.cli.options import ConfigOpt, DebugOpt, check_file, completer


def explain_command(
    figure: Annotated[
        str | None,
        typer.Argument(
            metavar="FIGURE",
            help="The figure key as in manifest.json, e.g. opportunities.surplus_value.",
            autocompletion=completer("figures"),
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="YYYY-MM",
            help="The built period (default: the newest).",
            autocompletion=completer("periods"),
        ),
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(
            "--audience", "-a", metavar="NAME", help="Only this audience.", autocompletion=completer("audiences")
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    list_all: Annotated[bool, typer.Option("--list", help="List every figure of the registry.")] = False,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Where a number comes from: definition, sources and rows, and the sentence it appears in.

    \b
    Examples:
      sambrief explain opportunities.surplus_value
      sambrief explain lifecycle.median_days --period 2026-10 --audience business --json
    """
    from sambrief.commands.arguments import parse_period
    from sambrief.commands.explain import ExplainRequest, explain_figure

    console = Console()
    run(debug, console, lambda: parse_period(period))
    check_file(console, config, "--config")
    request = ExplainRequest(None if list_all else figure, period, audience, config)
    result = run(debug, console, lambda: explain_figure(request))
    if as_json and result.info is not None:
        print_json(result)
        return
    for line in result.lines:
        print(line)
