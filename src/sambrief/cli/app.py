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
from sambrief.cli.console import Console, print_json, run
from sambrief.cli.history import history_app
from sambrief.cli.options import ConfigOpt, DebugOpt, Group, check_file, completer, usage_error, workspace_language
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice, in_language

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
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """sambrief: SAM briefings that managers actually read.

    \b
    Examples:
      sambrief init sam-briefing
      sambrief check
      sambrief build --audience management
    """


@app.command()
def build(
    audience: Annotated[str, typer.Option("--audience", "-a", metavar="NAME|all", help="Audience key from audiences.yaml, or 'all'.",
                                                autocompletion=completer("audiences"))] = "all",
    config: ConfigOpt = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", metavar="NAME", help="Only this department's seats and requests (a departmental briefing).",
                     autocompletion=completer("departments"))
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", metavar="YYYY-MM", help="Period (default: month of the newest report date in the data, else the previous month).",
                     autocompletion=completer("periods")),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Output folder (default: `output` in sambrief.yaml).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="de|en", help="Language (default: the audience's).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1, nothing written) if there are warnings; information never fails.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if no export changed since the last build of the period.")] = False,
    deliver_: Annotated[bool, typer.Option("--deliver", help="Send the briefings on their delivery channels after building (see `sambrief deliver`).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")] = False,
    log_file: Annotated[Path | None, typer.Option("--log-file", metavar="FILE", help="Also append every line, with a timestamp, to this file.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Build the briefing decks, one-pagers, intranet page and manifest for a period.

    \b
    Examples:
      sambrief build --audience management --period 2026-10
      sambrief build --strict --quiet
    """
    from sambrief.cli import build as present
    from sambrief.cli.deliver import deliver as deliver_period
    from sambrief.commands.arguments import check_language, parse_period

    console = Console(quiet, log_file)
    run(debug, console, lambda: check_language(lang))
    run(debug, console, lambda: parse_period(period))
    check_file(console, config, "--config")
    console.lang = lang or workspace_language()
    from sambrief.commands.build import BuildRequest
    from sambrief.commands.build import build as run_build
    from sambrief.ingest.memory import imports_settled

    imports_settled()
    request = BuildRequest(config=config, audience=audience, department=department, period=period, out=out, language=lang,
                           strict=strict, force=force)

    def action():
        if console.fancy and not quiet:
            with console.out.status(Notice("building").in_language(console.lang)) as status:
                return run_build(request, lambda text: status.update(in_language(text, console.lang)))
        return run_build(request, console.step)

    result = run(debug, console, action)
    if result.noop:
        console.status(Notice("unchanged", period=result.period))
    else:
        console.messages(result.warnings, result.briefings)
        present.summary(console, result)
    if deliver_:
        deliver_period(console, debug, config, result.period, out, resend=False, audiences=None)


@app.command()
def check(
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
    from sambrief.cli.check import present
    from sambrief.commands.check import check_workspace, failed_json
    from sambrief.ingest.memory import imports_settled

    console = Console()
    check_file(console, config, "--config")
    console.lang = workspace_language()  # for the error line, should a source fail to read
    imports_settled()
    result = run(debug, console, lambda: check_workspace(config),
                 as_json=(lambda error: failed_json(error, console.lang)) if as_json else None)
    if as_json:
        print_json(result)
        if result.errors:
            raise typer.Exit(int(ExitCode.USER_ERROR))
        return
    present(console, result)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the new workspace (created if missing).")],
    lang: Annotated[str, typer.Option("--lang", metavar="de|en", help="Language of the workspace.")] = "de",
    organisation: Annotated[str, typer.Option("--organisation", metavar="NAME", help="Company name for the title slide.")] = "",
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


@app.command()
def inspect(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Export files to examine.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (a list of objects).")] = False,
    layout: Annotated[str | None, typer.Option("--layout", metavar="KEY", help="Try only this layout.")] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", metavar="NAME", help="Try only layouts of this dataset.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Show how sambrief reads each export: dataset, layout, columns, rows, problems.

    \b
    Examples:
      sambrief inspect data/*.csv
      sambrief inspect export.xlsx --json
    """
    from sambrief.cli.inspect import print_inspection
    from sambrief.commands.arguments import suggest
    from sambrief.commands.inspect import inspect_files
    from sambrief.ingest.datasets import DATASETS
    from sambrief.ingest.layouts import SourcePin, registry

    console = Console()
    if layout is not None and layout not in registry():
        usage_error(console, Notice("usage_unknown_layout", value=repr(layout), known=suggest(layout, list(registry()))))
    if dataset is not None and dataset not in DATASETS:
        usage_error(console, Notice("usage_unknown_dataset", value=repr(dataset), known=suggest(dataset, list(DATASETS))))
    for file in files:
        if not file.exists():
            usage_error(console, Notice("usage_file_missing", path=str(file)))
    console.lang = workspace_language()  # files are inspected anywhere; a workspace around them sets the language
    report = run(debug, console, lambda: inspect_files(files, SourcePin(dataset=dataset, layout=layout)))
    if as_json:
        print_json(report)
    else:
        for entry in report:
            print_inspection(entry, console.lang)
    if any(e.layout is None for e in report):
        raise typer.Exit(int(ExitCode.USER_ERROR))


@app.command()
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
        console.info(Notice("audience_line", name=a.key, title=title, language=a.language, themes=", ".join(a.themes), n=a.max_slides))


@app.command("deliver")
def deliver_command(
    config: ConfigOpt = None,
    period: Annotated[str | None, typer.Option("--period", "-p", metavar="YYYY-MM", help="Period (default: the newest built one).",
                                                                      autocompletion=completer("periods"))] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Output folder the briefings were built into.")] = None,
    audience: Annotated[list[str] | None, typer.Option("--audience", "-a", metavar="NAME", help="Only this audience (repeatable).",
                                                                           autocompletion=completer("audiences"))] = None,
    resend: Annotated[bool, typer.Option("--resend", help="Send again to recipients and channels that already got this period's briefing.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Send each audience's briefing on its delivery channels: mail, Teams, Slack, a folder; once per period.

    \b
    Examples:
      sambrief deliver
      sambrief deliver --period 2026-10 --audience management --resend
    """
    from sambrief.cli.deliver import deliver
    from sambrief.commands.arguments import parse_period

    console = Console()
    run(debug, console, lambda: parse_period(period))
    check_file(console, config, "--config")
    console.lang = workspace_language()
    deliver(console, debug, config, period, out, resend, audience)


@app.command()
def explain(
    figure: Annotated[str | None, typer.Argument(metavar="FIGURE", help="The figure key as in manifest.json, e.g. opportunities.surplus_value.",
                                                      autocompletion=completer("figures"))] = None,
    period: Annotated[str | None, typer.Option("--period", "-p", metavar="YYYY-MM", help="The built period (default: the newest).",
                                                                      autocompletion=completer("periods"))] = None,
    audience: Annotated[str | None, typer.Option("--audience", "-a", metavar="NAME", help="Only this audience.",
                                                                      autocompletion=completer("audiences"))] = None,
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


@app.command()
def plan(
    config: ConfigOpt = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="de|en", help="Language (default: the workspace's).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="DIR", help="Output folder (default: `output` in sambrief.yaml); files go to OUT/plan/.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1, nothing written) if there are warnings; information never fails.")] = False,
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


app.add_typer(history_app, name="history")
template_app = typer.Typer(help="Work with deck templates.\n\n\b\nExamples:\n  sambrief template inspect\n"
                           "  sambrief template inspect corporate/Konzernvorlage.potx", no_args_is_help=True)
app.add_typer(template_app, name="template")


@template_app.command("inspect")
def template_inspect(
    file: Annotated[Path | None, typer.Argument(metavar="FILE", help="A .pptx or .potx template (default: the workspace's template).")] = None,
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


@app.command()
def schema() -> None:
    """Print the JSON Schema of sambrief.yaml (editors validate and complete with it).

    \b
    Example:
      sambrief schema > .vscode/sambrief.schema.json
    """
    from importlib import resources

    sys.stdout.write((resources.files("sambrief") / "defaults" / "sambrief.schema.json").read_text("utf-8"))


def main() -> None:
    from sambrief.ingest import memory

    memory.own_process()
    try:
        app()
    finally:
        memory.exiting()
