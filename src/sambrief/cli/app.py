"""The command line: parse, call one library function, present, map errors to exit codes.

Heavy libraries (pandas, python-pptx) are imported by the commands that need them, so
`sambrief --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sambrief import __version__
from sambrief.errors import ExitCode, SambriefError
from sambrief.i18n.notices import Notice, in_language, unknown
from sambrief.names import LANGUAGES


def _readable_arguments() -> None:
    """typer writes a required argument as `{DIR}` and adds its type (`<path>`); people write `DIR`."""
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "_usage_display_name"):
        def usage(self) -> str:
            name = self.display_name_raw
            name = name if self.required else f"[{name}]"
            return name + ("..." if self.nargs != 1 and not name.endswith("...") else "")

        TyperArgument._usage_display_name = usage  # type: ignore[method-assign]  # typer has no hook for this
    typer_type = TyperArgument.display_type_rich
    TyperArgument.display_type_rich = lambda self, ctx: None if self.metavar else typer_type(self, ctx)  # type: ignore[method-assign]


_readable_arguments()


class _Group(typer.core.TyperGroup):
    """Decides the command line's language from the raw arguments before click parses them
    (cli_language.py), so click's own usage errors come in it too."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from sambrief.cli import language as cli_language

        cli_language.use(list(sys.argv[1:] if args is None else args))
        return super().main(args, *rest, **kwargs)


app = typer.Typer(
    cls=_Group,
    name="sambrief",
    help="Turn SAM tool exports into briefings (PowerPoint decks) for management, ITSM, business and IT.\n\n"
         "\b\nExamples:\n  sambrief init sam-briefing\n  sambrief check\n  sambrief build --audience management",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: readable in any terminal, and no markdown renderer to import
    context_settings={"help_option_names": ["-h", "--help"]},
)

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", metavar="PATH",
                                                   help="Path to sambrief.yaml (default: the nearest one in this folder or above).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


def _completer(name: str):
    """Tab completion from the workspace (sambrief.cli.completion), imported only when a shell asks."""
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from sambrief.cli import completion

        return list(getattr(completion, name)(ctx, incomplete))

    return complete
# The level of a line in the log file (--log-file), in the command line's language
LOG_LEVELS = {"de": {"INFO": "INFO", "WARNING": "WARNUNG", "ERROR": "FEHLER"}, "en": {"INFO": "INFO", "WARNING": "WARNING", "ERROR": "ERROR"}}
# Labels of the CLI's own lines, in the workspace language (or --lang)
LABELS: dict[str, dict[str, Any]] = {
    "de": {"warning": "Warnung", "info": "Hinweis", "ok": "Konfiguration in Ordnung: {a} Zielgruppe(n), {s} Quelldatei(en)",
           "rows": "{n} Zeilen", "template": "Vorlage", "created": "angelegt: {path}",
           "next": "weiter: Exporte nach {data} legen und `sambrief build` in {ws} ausführen",
           "columns": ("Zielgruppe", "Folien"),
           "files": "{n} Dateien in {out}/ (Präsentationen, Onepager, Intranetseite, Manifest)  ·  Warnungen: {w}",
           "no_history": "noch keine Zeiträume erstellt", "built": "erstellt", "error": "Fehler",},
    "en": {"warning": "Warning", "info": "Note", "ok": "configuration OK: {a} audience(s), {s} source file(s)",
           "rows": "{n} rows", "template": "template", "created": "created {path}",
           "next": "next: put your exports into {data} and run `sambrief build` in {ws}",
           "columns": ("audience", "slides"),
           "files": "{n} files in {out}/ (decks, one-pagers, intranet page, manifest)  ·  warnings: {w}",
           "no_history": "no periods built yet", "built": "built", "error": "Error",},
}


def _suggest(value: str, known) -> Notice:
    """'(did you mean 'de'? known: de, en)' in the command line's language."""
    return unknown("usage_known", value, known, known=", ".join(str(k) for k in known))


def _usage_error(console: Console, text: str | Notice) -> None:
    """A wrong command line: exit 2 before any work starts."""
    console.error(text)
    raise typer.Exit(int(ExitCode.USAGE))


def _check_lang(console: Console, lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        _usage_error(console, Notice("usage_unknown_language", value=repr(lang), known=_suggest(lang, LANGUAGES)))


def _check_period(console: Console, period: str | None, option: str = "--period") -> None:
    import re

    if period is None:
        return
    match = re.fullmatch(r"(\d{4})-(\d{2})", period.strip())
    if match and 1 <= int(match[2]) <= 12:
        return
    other = re.fullmatch(r"(\d{1,2})\s*[./-]\s*(\d{4})", period.strip()) or re.fullmatch(r"(\d{4})\s*[./](\d{1,2})", period.strip())
    if other:
        year, month = (other[2], other[1]) if len(other[2]) == 4 else (other[1], other[2])
        if 1 <= int(month) <= 12:
            _usage_error(console, Notice("usage_period_near", option=option, value=repr(period), near=f"{year}-{int(month):02d}"))
    _usage_error(console, Notice("usage_period", option=option, value=repr(period)))


def _check_file(console: Console, path: Path | None, option: str) -> None:
    if path is not None and not path.is_file():
        _usage_error(console, Notice("usage_file_not_found", option=option, path=str(path)))


def _check_audiences(console: Console, settings, names) -> None:
    known = list(settings.audiences)
    for name in names:
        if name != "all" and name not in settings.audiences:
            _usage_error(console, Notice("usage_unknown_audience", value=repr(name), known=_suggest(name, [*known, "all"])))


class Console:
    """Rich output on a terminal, plain log lines under cron; errors always to stderr.
    With a log file, every line also goes there with a timestamp (whatever --quiet says)."""

    def __init__(self, quiet: bool = False, log_file: Path | None = None, lang: str | None = None):
        from rich.console import Console as RichConsole

        from sambrief.cli import language as cli_language

        self.quiet = quiet
        self.lang = lang or cli_language.current()  # the workspace's, else --lang, else the locale
        self.out = RichConsole(highlight=False)
        self.err = RichConsole(stderr=True, highlight=False)
        self.fancy = self.out.is_terminal
        self.log = open(log_file, "a", encoding="utf-8") if log_file else None  # noqa: SIM115

    def _log(self, level: str, text: str) -> None:
        if self.log is not None:
            from datetime import datetime

            word = LOG_LEVELS.get(self.lang, LOG_LEVELS["en"])[level]
            self.log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {word} {text}\n")
            self.log.flush()

    def step(self, text: str) -> None:
        text = in_language(text, self.lang)
        self._log("INFO", text)
        if not self.quiet and not self.fancy:
            print(f"sambrief: {text}", flush=True)

    def info(self, text: str, prefix: str = "") -> None:
        text = in_language(text, self.lang)
        self._log("INFO", text)
        if not self.quiet:
            if self.fancy:
                self.out.print(text)
            else:
                print(f"{prefix}{text}", flush=True)

    def status(self, text: str) -> None:
        """A line of what a build or delivery did: under cron (no terminal) with the `sambrief:`
        prefix every log line of a run carries, so a mail from cron reads as one log."""
        self.info(text, prefix="sambrief: ")

    def label(self, key: str) -> str:
        return LABELS.get(self.lang, LABELS["en"])[key]

    def warning(self, text: str) -> None:
        text = in_language(text, self.lang)
        self._log("WARNING", text)
        if self.err.is_terminal:
            from rich.markup import escape

            self.err.print(f"[yellow]{self.label('warning')}:[/] {escape(text)}")
        else:
            print(f"{self.label('warning')}: {text}", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        """Information about documented behaviour: shown, logged, never fails --strict."""
        text = in_language(text, self.lang)
        self._log("INFO", text)
        if self.quiet:
            return
        if self.err.is_terminal:
            from rich.markup import escape

            self.err.print(f"[cyan]{self.label('info')}:[/] {escape(text)}")
        else:
            print(f"{self.label('info')}: {text}", file=sys.stderr, flush=True)

    def messages(self, messages, briefings=()) -> None:
        from sambrief.i18n.levels import split

        infos, warnings = split(messages, briefings)
        for text in infos:
            self.note(text)
        for text in warnings:
            self.warning(text)

    def error(self, text: str) -> None:
        text = in_language(text, self.lang)
        self._log("ERROR", text)
        if self.err.is_terminal:
            from rich.markup import escape

            self.err.print(f"[red]{self.label('error')}:[/] {escape(text)}")
        else:
            print(f"{self.label('error')}: {text}", file=sys.stderr, flush=True)


def _run(debug: bool, console: Console, action):
    try:
        return action()
    except SambriefError as exc:
        if debug:
            raise
        console.error(exc.in_language(console.lang))
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        console.error(Notice("interrupted"))
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except OSError as exc:  # disk full, no permission, read-only anywhere else: one line naming the path
        if debug:
            raise
        from sambrief.publish.output import is_storage_error, output_error

        if exc.filename is not None and is_storage_error(exc):
            console.error(str(output_error(exc, exc.filename)))
        else:
            console.error(f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)")
        raise typer.Exit(int(ExitCode.USER_ERROR)) from None
    except Exception as exc:  # a bug, not a user error: one line unless --debug
        if debug:
            raise
        console.error(f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)")
        raise typer.Exit(int(ExitCode.USER_ERROR)) from None


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
                                                autocompletion=_completer("audiences"))] = "all",
    config: ConfigOpt = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", metavar="NAME", help="Only this department's seats and requests (a departmental briefing).",
                     autocompletion=_completer("departments"))
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", metavar="YYYY-MM", help="Period (default: month of the newest report date in the data, else the previous month).",
                     autocompletion=_completer("periods")),
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
    console = Console(quiet, log_file)
    _check_lang(console, lang)
    _check_period(console, period)
    _check_file(console, config, "--config")
    settings = _load(console, debug, config)
    console.lang = lang if lang in LANGUAGES else settings.language
    _check_audiences(console, settings, [audience])
    from sambrief.commands.build import BuildRequest
    from sambrief.commands.build import build as run_build

    _imports_settled()
    request = BuildRequest(config=config, audience=audience, department=department, period=period, out=out, language=lang,
                           strict=strict, force=force)

    def action():
        if console.fancy and not quiet:
            with console.out.status(Notice("building").in_language(console.lang)) as status:
                return run_build(request, lambda text: status.update(in_language(text, console.lang)))
        return run_build(request, console.step)

    result = _run(debug, console, action)
    if result.noop:
        console.status(Notice("unchanged", period=result.period))
    else:
        console.messages(result.warnings, result.briefings)
        _summary(console, result)
    if deliver_:
        _deliver(console, debug, config, result.period, out, resend=False, audiences=None)


def _load(console: Console, debug: bool, config: Path | None):
    from sambrief.config.workspace import find_config, load_settings

    return _run(debug, console, lambda: load_settings(find_config(config)))


def _workspace_language(config: Path | None) -> str:
    """The language of a command's own lines before (or without) its reading of the
    configuration: the workspace's `language:` (read as text, so that a broken configuration
    is reported in it too), else --lang, else the system locale, else English."""
    from sambrief.cli import language as cli_language

    return cli_language.current()


def _short_path(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _summary(console: Console, result) -> None:
    if console.quiet:
        return
    from sambrief.i18n.levels import split

    warning_count = len(split(result.warnings, result.briefings)[1])

    if console.fancy:
        from rich.markup import escape
        from rich.table import Table

        from sambrief.commands.build import summary_table

        summary = summary_table(result, console.lang)
        headers = (*console.label("columns"), *summary.figure_columns)
        rows = [(key, str(slide_count), *values) for key, slide_count, values in summary.rows]
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
            table = Table(title=f"sambrief {result.period}", title_justify="left", show_header=False, box=None, padding=(0, 1))
            table.add_column(overflow="fold")
            table.add_column(overflow="fold")
            for row in rows:
                table.add_row(f"[bold]{escape(row[0])}[/bold]", f"{headers[1]}: {row[1]}")
                for header, value in zip(headers[2:], row[2:]):
                    table.add_row(f"  {escape(header)}", escape(value))
        console.out.print(table)
        console.out.print(console.label("files").format(n=len(result.written), out=_short_path(result.out_dir), w=warning_count))
    else:
        for path in result.written:
            print(f"sambrief: {Notice('wrote', path=str(path)).in_language(console.lang)}", flush=True)
        done = Notice("built", n=len(result.briefings), warnings=Notice("warnings", n=warning_count))
        print(f"sambrief: {done.in_language(console.lang)}", flush=True)


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
    import json

    from sambrief.errors import ConfigError

    console = Console()
    _check_file(console, config, "--config")
    console.lang = _workspace_language(config)  # for the error line, should a source fail to read

    def action():
        from sambrief.commands.check import check_workspace

        _imports_settled()
        r = check_workspace(config)
        return r.settings, r.sources, r.messages, r.errors, r.template, r.roles

    if as_json:
        try:
            settings, sources, messages, errors, template, roles = action()
        except ConfigError as exc:
            print(json.dumps({"ok": False, "errors": exc.problems}, indent=2, ensure_ascii=False))
            raise typer.Exit(int(exc.exit_code)) from None
        except Exception as exc:
            from sambrief.errors import SambriefError

            if debug or not isinstance(exc, SambriefError):
                raise
            print(json.dumps({"ok": False, "errors": [str(exc)]}, indent=2, ensure_ascii=False))
            raise typer.Exit(int(exc.exit_code)) from None
        from sambrief.i18n.levels import split

        infos, warnings = (
            [in_language(m, settings.language) for m in group] for group in split(messages))  # as the plain lines say them
        print(json.dumps({
            "ok": not errors, "errors": [in_language(e, settings.language) for e in errors],
            "config": str(settings.config_path), "language": settings.language,
            "audiences": list(settings.audiences), "template": str(template),
            "roles": {r: layout.name for r, (layout, _) in roles.items()},
            "sources": [{"file": str(s.path), "dataset": s.dataset, "layout": s.layout, "rows": len(s.frame)} for s in sources],
            "warnings": warnings, "information": infos,
        }, indent=2, ensure_ascii=False))
        if errors:
            raise typer.Exit(int(ExitCode.USER_ERROR))
        return
    settings, sources, messages, errors, template, roles = _run(debug, console, action)
    console.lang = settings.language
    console.info(f"{console.label('template')} {template.name}: " + ", ".join(f"{r} -> {layout.name!r}" for r, (layout, _) in roles.items()))
    for s in sources:
        console.info(f"{s.path.name}: {s.dataset} ({s.layout}), {console.label('rows').format(n=len(s.frame))}")
    console.messages(messages)
    for error in errors:  # files a build would skip: the workspace is not ready
        console.error(error)
    if errors:
        raise typer.Exit(int(ExitCode.USER_ERROR))
    console.info(console.label("ok").format(a=len(settings.audiences), s=len(sources)))


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
    console = Console()  # the language of the workspace it creates (--lang, else German)
    _check_lang(console, lang)
    from sambrief.commands.init import InitRequest, init_workspace

    result = _run(debug, console, lambda: init_workspace(InitRequest(directory, lang, organisation or None)))
    for path in result.created:
        console.info(console.label("created").format(path=path))
    console.info(console.label("next").format(data=result.data, ws=result.workspace))


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
    import json

    from sambrief.commands.inspect import inspect_files
    from sambrief.ingest.datasets import DATASETS
    from sambrief.ingest.layouts import SourcePin, registry

    console = Console()
    if layout is not None and layout not in registry():
        _usage_error(console, Notice("usage_unknown_layout", value=repr(layout), known=_suggest(layout, list(registry()))))
    if dataset is not None and dataset not in DATASETS:
        _usage_error(console, Notice("usage_unknown_dataset", value=repr(dataset), known=_suggest(dataset, list(DATASETS))))
    for file in files:
        if not file.exists():
            _usage_error(console, Notice("usage_file_missing", path=str(file)))
    console.lang = _workspace_language(None)  # files are inspected anywhere; a workspace around them sets the language
    report = _run(debug, console, lambda: inspect_files(files, SourcePin(dataset=dataset, layout=layout)))
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for entry in report:
            _print_inspection(entry, console.lang)
    if any(e["layout"] is None for e in report):
        raise typer.Exit(int(ExitCode.USER_ERROR))


def _print_inspection(entry: dict, lang: str = "en") -> None:
    from sambrief.i18n.catalog import Formatter
    from sambrief.i18n.notices import reason
    from sambrief.ingest.layouts import titled

    def say(key: str, **values: Any) -> str:
        return Notice(key, **values).in_language(lang)

    print(entry["path"])
    if entry["layout"] is None:
        print(f"  {say('inspect_problem', problem=entry['problems'][0])}")
        return
    confidence = Formatter(lang, "EUR").number(entry["confidence"], 2)
    print(f"  {say('inspect_layout', dataset=entry['dataset'], layout=entry['layout'], title=entry['layout_title'], confidence=confidence)}")
    parts = [say("inspect_header", row=entry["header_row"])]
    if entry["sheet"]:
        parts.append(say("inspect_sheet", sheet=repr(entry["sheet"])))
    if entry["delimiter"]:
        parts.append(say("inspect_encoding", encoding=entry["encoding"], separator=repr(entry["delimiter"])))
    print("  " + ", ".join(parts))
    for source, canonical in entry["columns"].items():
        print(f"    {source} -> {canonical}")
    dropped = [Notice("inspect_dropped", reason=reason(r), rows=n) for r, n in entry["dropped"].items()]
    print(f"  {say('inspect_rows', rows=entry['rows'], read=entry['rows_read'], dropped=dropped or Notice('inspect_nothing_dropped'))}")
    for product, found in entry.get("signals", {}).items():
        print(f"  {say('inspect_activity', product=product, found=[titled(f) for f in found] or Notice('inspect_no_activity'))}")
    for problem in entry["problems"]:
        print(f"  {say('inspect_problem', problem=problem)}")


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
    console = Console()
    _check_file(console, config, "--config")
    settings = _load(console, debug, config)
    if as_json:
        import json

        print(json.dumps([{"key": a.key, "title": a.title, "language": a.language, "themes": list(a.themes),
                           "max_slides": a.max_slides, "top_n": a.top_n, "formats": list(a.formats),
                           "department": a.department, "cadence": a.cadence, "channels": list(a.channels),
                           "owner": a.owner, "approver": a.approver} for a in settings.audiences.values()],
                         indent=2, ensure_ascii=False))
        return
    for a in settings.audiences.values():
        title = a.title.get(a.language, a.key)
        console.info(Notice("audience_line", name=a.key, title=title, language=a.language, themes=", ".join(a.themes), n=a.max_slides))


def _deliver(console: Console, debug: bool, config: Path | None, period: str | None, out: Path | None,
             resend: bool, audiences: list[str] | None) -> None:
    from sambrief.commands.deliver import DeliverRequest, deliver_period

    report = _run(debug, console, lambda: deliver_period(DeliverRequest(config, period, out, resend, audiences)))
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


@app.command("deliver")
def deliver_command(
    config: ConfigOpt = None,
    period: Annotated[str | None, typer.Option("--period", "-p", metavar="YYYY-MM", help="Period (default: the newest built one).",
                                                                      autocompletion=_completer("periods"))] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Output folder the briefings were built into.")] = None,
    audience: Annotated[list[str] | None, typer.Option("--audience", "-a", metavar="NAME", help="Only this audience (repeatable).",
                                                                           autocompletion=_completer("audiences"))] = None,
    resend: Annotated[bool, typer.Option("--resend", help="Send again to recipients and channels that already got this period's briefing.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Send each audience's briefing on its delivery channels: mail, Teams, Slack, a folder; once per period.

    \b
    Examples:
      sambrief deliver
      sambrief deliver --period 2026-10 --audience management --resend
    """
    console = Console()
    _check_period(console, period)
    _check_file(console, config, "--config")
    console.lang = _workspace_language(config)
    if audience:
        _check_audiences(console, _load(console, debug, config), audience)
    _deliver(console, debug, config, period, out, resend, audience)


@app.command()
def explain(
    figure: Annotated[str | None, typer.Argument(metavar="FIGURE", help="The figure key as in manifest.json, e.g. opportunities.surplus_value.",
                                                      autocompletion=_completer("figures"))] = None,
    period: Annotated[str | None, typer.Option("--period", "-p", metavar="YYYY-MM", help="The built period (default: the newest).",
                                                                      autocompletion=_completer("periods"))] = None,
    audience: Annotated[str | None, typer.Option("--audience", "-a", metavar="NAME", help="Only this audience.",
                                                                      autocompletion=_completer("audiences"))] = None,
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
    import json

    console = Console()
    _check_period(console, period)
    _check_file(console, config, "--config")

    from sambrief.commands.explain import ExplainRequest, explain_figure

    request = ExplainRequest(None if list_all else figure, period, audience, config)
    result = _run(debug, console, lambda: explain_figure(request))
    if as_json and result.info is not None:
        print(json.dumps(result.info, indent=2, ensure_ascii=False))
        return
    for line in result.lines:
        print(line)


history_app = typer.Typer(help="The history of built periods (.sambrief/history.sqlite).\n\n\b\nExamples:\n"
                          "  sambrief history\n  sambrief history --json\n  sambrief history forget 2026-08", invoke_without_command=True)
app.add_typer(history_app, name="history")

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
    import json

    from sambrief.commands.history import list_history

    console = Console()
    listing = _run(debug, console, lambda: list_history(config))
    console.lang = listing.language
    if as_json:
        print(json.dumps(listing.as_json(), indent=2, ensure_ascii=False))
        return
    if not listing.lines:
        console.info(console.label("no_history"))
        return
    for line in listing.lines:
        console.info(f"{line.period}  {console.label('built')} {line.built_at}  " + "  ".join(line.figures))


@history_app.command("forget")
def history_forget(
    period: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The period to remove from the history and from the outputs.",
                                          autocompletion=_completer("periods"))],
    config: ConfigOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before removing the period's outputs (for scripts).")] = False,
    debug: DebugOpt = False,
) -> None:
    """Remove one period: its figures from the history and its outputs (out/YYYY-MM/).

    Asks before removing the outputs unless --yes; without a terminal to ask on, --yes is needed.

    \b
    Examples:
      sambrief history forget 2026-08
      sambrief history forget 2026-08 --yes
    """
    console = Console()
    _check_period(console, period, "PERIOD")
    from sambrief.commands.history import forget_period, period_outputs

    console.lang = _workspace_language(config)
    outputs = _run(debug, console, lambda: period_outputs(period, config))
    if outputs is not None and not yes:
        if not sys.stdin.isatty():
            console.error(Notice("forget_needs_yes", period=period, path=_short_path(outputs)))
            raise typer.Exit(int(ExitCode.USAGE))
        if not typer.confirm(Notice("forget_confirm", period=period, path=_short_path(outputs)).in_language(console.lang)):
            raise typer.Exit(int(ExitCode.USER_ERROR))
    result = _run(debug, console, lambda: forget_period(period, config))
    if result.in_history:
        console.info(Notice("forgotten", period=period))
    if result.outputs is not None:
        console.info(Notice("outputs_removed", path=_short_path(result.outputs)))
    if not result.in_history and result.outputs is None:
        console.error(Notice("not_in_history", period=period))
        raise typer.Exit(int(ExitCode.USER_ERROR))


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
    console = Console()
    _check_lang(console, lang)
    _check_file(console, config, "--config")
    console.lang = lang or _load(console, debug, config).language
    from sambrief.commands.plan import PlanRequest, build_plan

    result = _run(debug, console, lambda: build_plan(PlanRequest(config, lang, out, strict), console.step))
    console.messages(result.warnings)
    for path in result.written:
        console.info(Notice("wrote", path=str(path)))


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
    import json

    console = Console()
    if file is not None and not file.is_file():
        _usage_error(console, Notice("usage_template_missing", path=str(file)))
    _check_file(console, config, "--config")

    from sambrief.commands.template import TemplateRequest, inspect_template

    result = _run(debug, console, lambda: inspect_template(TemplateRequest(file, config, console.lang)))
    if as_json:
        print(json.dumps(result.info, indent=2, ensure_ascii=False))
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


_OWN_PROCESS = False  # run as the `sambrief` program (main), not called by a test or a host program


def _imports_settled() -> None:
    """The libraries of the command are imported and live until the process ends: keep their
    objects out of the collector's full passes, which otherwise walk them again and again
    (about 0.15 s of CPU per build). Only in a process of its own: frozen objects are never
    collected, which a host program calling the app would not expect."""
    if _OWN_PROCESS:
        import gc

        gc.freeze()


def main() -> None:
    global _OWN_PROCESS
    _OWN_PROCESS = True
    import gc

    # A build allocates millions of short-lived containers (imports, themes, layout boxes), and
    # at the default threshold of 700 the collector starts a pass every few hundred of them:
    # about 5 % of a build's CPU. Passes every 200,000 allocations (as mypy does) cost about
    # 15 MB more at peak. Only in a process of its own, as gc.freeze below.
    gc.set_threshold(200_000, 30, 30)
    try:
        app()
    finally:
        # Nothing is left to collect at exit: without this the interpreter's shutdown walks
        # every object of the build several times (about 0.25 s of CPU) before exiting.
        gc.freeze()
