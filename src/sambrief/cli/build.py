"""`sambrief build` as a person reads it: the summary of what was built, a table on a
terminal (stacked when too wide), `sambrief:` lines under cron."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sambrief.cli.console import Console, run, short_path
from sambrief.cli.deliver import deliver as deliver_period
from sambrief.cli.options import ConfigOpt, DebugOpt, check_file, completer, usage_error, workspace_language
from sambrief.i18n.notices import Notice, in_language

if TYPE_CHECKING:
    from sambrief.commands.build import BuildResult, Draft


def summary(console: Console, result: BuildResult | Draft) -> None:
    if console.quiet:
        return
    from sambrief.commands.build import Draft
    from sambrief.i18n.levels import split

    warning_count = len(split(result.warnings, result.briefings)[1])
    if isinstance(result, Draft):  # composed only: the table of what a build would make, and that nothing was written
        done: str = Notice("dry_run", n=len(result.briefings), warnings=Notice("warnings", n=warning_count))
    elif console.fancy:
        done = console.say(
            "summary_files",
            n=len(result.written),
            out=short_path(result.out_dir),
            warnings=Notice("warnings", n=warning_count),
        )
    else:
        for path in result.written:
            print(f"sambrief: {Notice('wrote', path=str(path)).in_language(console.lang)}", flush=True)
        done = Notice("built", n=len(result.briefings), warnings=Notice("warnings", n=warning_count))

    if console.fancy:
        from rich.markup import escape
        from rich.table import Table

        from sambrief.commands.build import summary_table

        table_data = summary_table(result, console.lang)
        headers = (console.say("summary_audience"), console.say("summary_slides"), *table_data.figure_columns)
        rows = [(key, str(slide_count), *values) for key, slide_count, values in table_data.rows]
        # Rich's box: one space of padding either side and a rule between and around the columns.
        width = sum(max(len(cell) for cell in column) + 3 for column in zip(headers, *rows)) + 1
        if width <= console.out.width:
            table = Table(title=f"sambrief {result.period}", title_justify="left")
            for col in headers:
                table.add_column(col, no_wrap=True)
            for row in rows:
                table.add_row(*row)
        else:
            # Too wide for the terminal (a figure column per summary figure): one small table per
            # briefing, figure and value stacked, so nothing is cut to "Zielg…" or "921…".
            table = Table(
                title=f"sambrief {result.period}", title_justify="left", show_header=False, box=None, padding=(0, 1)
            )
            table.add_column(overflow="fold")
            table.add_column(overflow="fold")
            for row in rows:
                table.add_row(f"[bold]{escape(row[0])}[/bold]", f"{headers[1]}: {row[1]}")
                for header, value in zip(headers[2:], row[2:]):
                    table.add_row(f"  {escape(header)}", escape(value))
        console.out.print(table)
        console.out.print(in_language(done, console.lang))
    else:
        print(f"sambrief: {in_language(done, console.lang)}", flush=True)


def build_command(
    audience: Annotated[
        str,
        typer.Option(
            "--audience",
            "-a",
            metavar="NAME|all",
            help="Audience key from audiences.yaml, or 'all'.",
            autocompletion=completer("audiences"),
        ),
    ] = "all",
    config: ConfigOpt = None,
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            "-d",
            metavar="NAME",
            help="Only this department's seats and requests (a departmental briefing).",
            autocompletion=completer("departments"),
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="YYYY-MM",
            help="Period (default: month of the newest report date in the data, else the previous month).",
            autocompletion=completer("periods"),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="DIR", help="Output folder (default: `output` in sambrief.yaml)."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", metavar="de|en", help="Language (default: the audience's).")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail (exit 1, nothing written) if there are warnings; information never fails."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if no export changed since the last build of the period.")
    ] = False,
    deliver_: Annotated[
        bool,
        typer.Option(
            "--deliver", help="Send the briefings on their delivery channels after building (see `sambrief deliver`)."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Read the exports and compose the briefings, print what a build would make; write nothing.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")] = False,
    log_file: Annotated[
        Path | None,
        typer.Option("--log-file", metavar="FILE", help="Also append every line, with a timestamp, to this file."),
    ] = None,
    debug: DebugOpt = False,
) -> None:
    """Build the briefing decks, one-pagers, intranet page and manifest for a period.

    \b
    Examples:
      sambrief build --audience management --period 2026-10
      sambrief build --strict --quiet
    """
    from sambrief.commands.arguments import check_language, parse_period

    console = Console(quiet, log_file)
    run(debug, console, lambda: check_language(lang))
    run(debug, console, lambda: parse_period(period))
    check_file(console, config, "--config")
    console.lang = lang or workspace_language()
    from sambrief.commands.build import BuildRequest, BuildResult, draft
    from sambrief.commands.build import build as run_build
    from sambrief.ingest.memory import imports_settled

    imports_settled()
    request = BuildRequest(
        config=config,
        audience=audience,
        department=department,
        period=period,
        out=out,
        language=lang,
        strict=strict,
        force=force,
    )

    if dry_run and deliver_:
        usage_error(console, Notice("dry_run_deliver"))

    def make(progress) -> BuildResult | Draft:
        return draft(request, progress) if dry_run else run_build(request, progress)

    def action():
        if console.fancy and not quiet:
            with console.out.status(Notice("building").in_language(console.lang)) as status:
                return make(lambda text: status.update(in_language(text, console.lang)))
        return make(console.step)

    result = run(debug, console, action)
    if isinstance(result, BuildResult) and result.noop:
        console.status(Notice("unchanged", period=result.period))
    else:
        console.messages(result.warnings, result.briefings)
        summary(console, result)
    if deliver_:
        deliver_period(console, debug, config, result.period, out, resend=False, audiences=None)
