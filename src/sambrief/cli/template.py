"""`sambrief template inspect`: masters, layouts and placeholders of a deck template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sambrief.cli.console import Console, print_json, run
from sambrief.cli.options import ConfigOpt, DebugOpt, check_file, usage_error
from sambrief.i18n.notices import Notice

template_app = typer.Typer(
    help="Work with deck templates.\n\n\b\nExamples:\n  sambrief template inspect\n"
    "  sambrief template inspect corporate/Konzernvorlage.potx",
    no_args_is_help=True,
)


@template_app.command("inspect")
def template_inspect(
    file: Annotated[
        Path | None,
        typer.Argument(metavar="FILE", help="A .pptx or .potx template (default: the workspace's template)."),
    ] = None,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    debug: DebugOpt = False,
) -> None:
    """List masters, layouts and placeholders, and the layout sambrief uses for each slide role.

    \b
    Examples:
      sambrief template inspect
      sambrief template inspect corporate/Konzernvorlage.potx --json
    """
    from sambrief.commands.template import TemplateRequest, inspect_template

    console = Console()
    if file is not None and not file.is_file():
        usage_error(console, Notice("usage_template_missing", path=str(file)))
    check_file(console, config, "--config")
    result = run(debug, console, lambda: inspect_template(TemplateRequest(file, config, console.lang)))
    if as_json:
        print_json(result)
        return
    for line in result.lines:
        print(line)
