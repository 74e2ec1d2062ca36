"""The command line: parse, call one library function, present, map errors to exit codes.

Heavy libraries (pandas, python-pptx) are imported by the commands that need them, so
`sambrief --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sambrief import __version__
from sambrief.cli.build import build_command
from sambrief.cli.check import check_command
from sambrief.cli.console import Console, print_json, run
from sambrief.cli.deliver import deliver_command
from sambrief.cli.explain import explain_command
from sambrief.cli.history import history_app
from sambrief.cli.inspect import inspect_command
from sambrief.cli.options import ConfigOpt, DebugOpt, Group, check_file
from sambrief.cli.plan import plan_command
from sambrief.cli.template import template_app
from sambrief.i18n.notices import Notice

app = typer.Typer(
    cls=Group,
    name="sambrief",
    help="Turn SAM tool exports into briefings (PowerPoint decks) for management, ITSM, business and IT.\n\n"
    "\b\nExamples:\n  sambrief init sam-briefing\n  sambrief check\n  sambrief build --audience management",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: readable in any terminal, and no markdown renderer to import
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"sambrief {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """sambrief: SAM briefings that managers actually read.

    \b
    Examples:
      sambrief init sam-briefing
      sambrief check
      sambrief build --audience management
    """


def init(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder for the new workspace (created if missing).")
    ],
    lang: Annotated[str, typer.Option("--lang", metavar="de|en", help="Language of the workspace.")] = "de",
    organisation: Annotated[
        str, typer.Option("--organisation", metavar="NAME", help="Company name for the title slide.")
    ] = "",
    debug: DebugOpt = False,
) -> None:
    """Create a workspace: sambrief.yaml, audiences.yaml, .gitignore, data/ with the register workbooks.

    \b
    Examples:
      sambrief init sam-briefing --organisation "Beispiel AG"
      sambrief init sam --lang en
    """
    from sambrief.commands.arguments import check_language
    from sambrief.commands.init import InitRequest, init_workspace

    console = Console()  # the language of the workspace it creates (--lang, else German)
    run(debug, console, lambda: check_language(lang))
    result = run(debug, console, lambda: init_workspace(InitRequest(directory, lang, organisation or None)))
    for path in result.created:
        console.info(Notice("created", path=str(path)))
    console.info(Notice("init_next", data=str(result.data), workspace=str(result.workspace)))


def audiences(
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (a list of objects).")] = False,
    debug: DebugOpt = False,
) -> None:
    """List the audiences of the workspace with their themes.

    \b
    Examples:
      sambrief audiences
      sambrief audiences --json
    """
    from sambrief.config.workspace import open_workspace

    console = Console()
    check_file(console, config, "--config")
    settings = run(debug, console, lambda: open_workspace(config))
    if as_json:
        print_json(list(settings.audiences.values()))
        return
    for a in settings.audiences.values():
        title = a.title.get(a.language, a.key)
        console.info(
            Notice(
                "audience_line",
                name=a.key,
                title=title,
                language=a.language,
                themes=", ".join(a.themes),
                n=a.max_slides,
            )
        )


def schema() -> None:
    """Print the JSON Schema of sambrief.yaml (editors validate and complete with it).

    \b
    Example:
      sambrief schema > .vscode/sambrief.schema.json
    """
    from importlib import resources

    sys.stdout.write((resources.files("sambrief") / "defaults" / "sambrief.schema.json").read_text("utf-8"))


# Registered in the order `sambrief --help` lists them; each command's options and presentation
# live in its own module (cli/<command>.py).
for name, command in (
    ("build", build_command),
    ("check", check_command),
    ("init", init),
    ("inspect", inspect_command),
    ("audiences", audiences),
    ("deliver", deliver_command),
    ("explain", explain_command),
    ("plan", plan_command),
):
    app.command(name)(command)
app.add_typer(history_app, name="history")
app.add_typer(template_app, name="template")
app.command("schema")(schema)


def main() -> None:
    from sambrief.ingest import memory

    memory.own_process()
    try:
        app()
    finally:
        memory.exiting()
