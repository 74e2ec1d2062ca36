"""`sambrief check` as a person reads it: the deck template's slide layouts per role, each
source read, the warnings and information, and the files a build would skip (exit 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sambrief.cli.console import Console, print_json, run
from sambrief.cli.options import ConfigOpt, DebugOpt, check_file, workspace_language
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice

if TYPE_CHECKING:
    from sambrief.commands.check import CheckResult


def present(console: Console, result: CheckResult) -> None:
    console.lang = result.settings.language
    roles = ", ".join(f"{r} -> {layout.name!r}" for r, (layout, _) in result.roles.items())
    console.info(Notice("check_template", name=result.template.name, roles=roles))
    for s in result.sources:
        console.info(
            Notice(
                "check_source",
                file=s.path.name,
                dataset=s.dataset,
                layout=s.layout,
                rows=Notice("count_rows", n=len(s.frame)),
            )
        )
    console.messages(result.messages)
    for error in result.errors:  # files a build would skip: the workspace is not ready
        console.error(error)
    if result.errors:
        raise typer.Exit(int(ExitCode.USER_ERROR))
    console.info(
        Notice(
            "check_ok",
            audiences=Notice("count_audiences", n=len(result.settings.audiences)),
            sources=Notice("count_sources", n=len(result.sources)),
        )
    )


def check_command(
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (one object).")] = False,
    debug: DebugOpt = False,
) -> None:
    """Validate every configuration file and the deck template, read every source; write nothing.

    \b
    Examples:
      sambrief check
      sambrief check --json | jq .warnings
    """
    from sambrief.commands.check import check_workspace, failed_json
    from sambrief.ingest.memory import imports_settled

    console = Console()
    check_file(console, config, "--config")
    console.lang = workspace_language()  # for the error line, should a source fail to read
    imports_settled()
    result = run(
        debug,
        console,
        lambda: check_workspace(config),
        as_json=(lambda error: failed_json(error, console.lang)) if as_json else None,
    )
    if as_json:
        print_json(result)
        if result.errors:
            raise typer.Exit(int(ExitCode.USER_ERROR))
        return
    present(console, result)
