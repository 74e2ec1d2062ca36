"""`sambrief plan`: the internal-marketing concept for the management's sign-off."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sambrief.cli.console import Console, run
from sambrief.cli.options import ConfigOpt, DebugOpt, check_file, workspace_language
from sambrief.i18n.notices import Notice


def plan_command(
    config: ConfigOpt = None,
    lang: Annotated[
        str | None, typer.Option("--lang", metavar="de|en", help="Language (default: the workspace's).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Output folder (default: `output` in sambrief.yaml); files go to OUT/plan/.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail (exit 1, nothing written) if there are warnings; information never fails."),
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Write the internal-marketing concept for the management's sign-off (deck and one-pager).

    \b
    Examples:
      sambrief plan
      sambrief plan --lang en --strict
    """
    from sambrief.commands.arguments import check_language
    from sambrief.commands.plan import PlanRequest, build_plan

    console = Console()
    run(debug, console, lambda: check_language(lang))
    check_file(console, config, "--config")
    console.lang = lang or workspace_language()
    result = run(debug, console, lambda: build_plan(PlanRequest(config, lang, out, strict), console.step))
    console.messages(result.warnings)
    for path in result.written:
        console.info(Notice("wrote", path=str(path)))
