"""`sambrief history` and `history forget`: the built periods with their key figures, and
removing one (asked first unless --yes)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sambrief.cli.console import Console, print_json, run, short_path
from sambrief.cli.options import ConfigOpt, DebugOpt, completer, workspace_language
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice

history_app = typer.Typer(
    help="The history of built periods (.sambrief/history.sqlite).\n\n\b\nExamples:\n"
    "  sambrief history\n  sambrief history --json\n  sambrief history forget 2026-08",
    invoke_without_command=True,
)


@history_app.callback()
def history_list(
    ctx: typer.Context,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    debug: DebugOpt = False,
) -> None:
    """List the built periods with their key figures.

    \b
    Examples:
      sambrief history
      sambrief history --json
      sambrief history forget 2026-08
    """
    if ctx.invoked_subcommand is not None:
        return
    from sambrief.commands.history import list_history

    console = Console()
    listing = run(debug, console, lambda: list_history(config))
    console.lang = listing.language
    if as_json:
        print_json(listing)
        return
    if not listing.lines:
        console.info(Notice("no_history"))
        return
    for line in listing.lines:
        console.info(
            Notice("history_line", period=line.period, built_at=line.built_at, figures="  ".join(line.figures))
        )


@history_app.command("forget")
def history_forget(
    period: Annotated[
        str,
        typer.Argument(
            metavar="YYYY-MM",
            help="The period to remove from the history and from the outputs.",
            autocompletion=completer("periods"),
        ),
    ],
    config: ConfigOpt = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before removing the period's outputs (for scripts).")
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Remove one period: its figures from the history and its outputs (out/YYYY-MM/).

    Asks before removing the outputs unless --yes; without a terminal to ask on, --yes is needed.

    \b
    Examples:
      sambrief history forget 2026-08
      sambrief history forget 2026-08 --yes
    """
    from sambrief.commands.arguments import parse_period
    from sambrief.commands.history import forget_period
    from sambrief.errors import UsageError

    console = Console()
    run(debug, console, lambda: parse_period(period, "PERIOD"))
    console.lang = workspace_language()

    def confirm(outputs: Path) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError(Notice("forget_needs_yes", period=period, path=short_path(outputs)))
        question = Notice("forget_confirm", period=period, path=short_path(outputs)).in_language(console.lang)
        return confirmed(
            typer.prompt(
                question,
                default="",
                show_default=False,
                prompt_suffix=f" {Notice('confirm_choices').in_language(console.lang)} ",
            ),
            console.lang,
        )

    result = run(debug, console, lambda: forget_period(period, config, confirm))
    if result.declined:
        raise typer.Exit(int(ExitCode.USER_ERROR))
    if result.in_history:
        console.info(Notice("forgotten", period=period))
    if result.outputs is not None:
        console.info(Notice("outputs_removed", path=short_path(result.outputs)))
    if not result.in_history and result.outputs is None:
        console.error(Notice("not_in_history", period=period))
        raise typer.Exit(int(ExitCode.USER_ERROR))


def confirmed(answer: str, lang: str) -> bool:
    """A yes in the command line's language ([j/N] in German, [y/N] in English); anything else is no.
    click's own confirm prompt says [y/N] whatever the language, so the question is asked here."""
    yes = Notice("confirm_yes").in_language(lang)
    return answer.strip().casefold() in {word.strip() for word in yes.split(",")}
