"""The command line: parse, call one library function, present, map errors to exit codes.

Heavy libraries (pandas, python-pptx) are imported by the commands that need them, so
`sambrief --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from sambrief import __version__
from sambrief.errors import ExitCode, SambriefError

app = typer.Typer(
    name="sambrief",
    help="Turn SAM tool exports into briefings (PowerPoint decks) for management, ITSM, business and IT.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="Path to sambrief.yaml (default: ./sambrief.yaml).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


class Console:
    """Rich output on a terminal, plain log lines under cron; errors always to stderr.
    With a log file, every line also goes there with a timestamp (whatever --quiet says)."""

    def __init__(self, quiet: bool = False, log_file: Path | None = None):
        from rich.console import Console as RichConsole

        self.quiet = quiet
        self.out = RichConsole(highlight=False)
        self.err = RichConsole(stderr=True, highlight=False)
        self.fancy = self.out.is_terminal
        self.log = open(log_file, "a", encoding="utf-8") if log_file else None  # noqa: SIM115

    def _log(self, level: str, text: str) -> None:
        if self.log is not None:
            from datetime import datetime

            self.log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {level} {text}\n")
            self.log.flush()

    def step(self, text: str) -> None:
        self._log("INFO", text)
        if not self.quiet and not self.fancy:
            print(f"sambrief: {text}", flush=True)

    def info(self, text: str) -> None:
        self._log("INFO", text)
        if not self.quiet:
            if self.fancy:
                self.out.print(text)
            else:
                print(text, flush=True)

    def warning(self, text: str) -> None:
        self._log("WARNING", text)
        if self.err.is_terminal:
            self.err.print(f"[yellow]Warning:[/] {text}", markup=True)
        else:
            print(f"Warning: {text}", file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        self._log("ERROR", text)
        if self.err.is_terminal:
            from rich.markup import escape

            self.err.print(f"[red]Error:[/] {escape(text)}")
        else:
            print(f"Error: {text}", file=sys.stderr, flush=True)


def _run(debug: bool, console: Console, action):  # noqa: ANN001, ANN202
    try:
        return action()
    except SambriefError as exc:
        if debug:
            raise
        console.error(str(exc))
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        console.error("interrupted; outputs written before stay as they were")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """sambrief: SAM briefings that managers actually read."""


@app.command()
def build(
    audience: Annotated[str, typer.Option("--audience", "-a", help="Audience key from audiences.yaml, or 'all'.")] = "all",
    config: ConfigOpt = None,
    department: Annotated[Optional[str], typer.Option("--department", "-d", help="Only this department's seats and requests (a departmental briefing).")] = None,
    period: Annotated[Optional[str], typer.Option("--period", "-p", help="Period YYYY-MM (default: month of the newest report date in the data, else the previous month).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: `output` in sambrief.yaml).")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language de or en (default: the audience's).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1, nothing written) if there are warnings.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if no export changed since the last build of the period.")] = False,
    deliver_: Annotated[bool, typer.Option("--deliver", help="Mail the briefings after building (see `sambrief deliver`).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")] = False,
    log_file: Annotated[Optional[Path], typer.Option("--log-file", help="Also append every line, with a timestamp, to this file.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Build the briefing decks, one-pagers, intranet page and manifest for a period."""
    from sambrief.pipeline import BuildRequest, build as run_build

    console = Console(quiet, log_file)
    if lang is not None and lang not in ("de", "en"):
        console.error(f"--lang: unknown language {lang!r} (known: de, en)")
        raise typer.Exit(int(ExitCode.USAGE))
    request = BuildRequest(config=config, audience=audience, department=department, period=period, out=out, language=lang,
                           strict=strict, force=force)

    def action():  # noqa: ANN202
        if console.fancy and not quiet:
            with console.out.status("building …") as status:
                return run_build(request, lambda text: status.update(text))
        return run_build(request, console.step)

    result = _run(debug, console, action)
    if result.noop:
        console.info(f"nothing changed since the last build of {result.period} (same exports and settings); nothing written. Use --force to rebuild.")
    else:
        for warning in result.warnings:
            console.warning(warning)
        _summary(console, result)
    if deliver_:
        _deliver(console, debug, config, result.period, out, resend=False, audiences=None)


def _short_path(path: Optional[Path]) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _summary(console: Console, result) -> None:  # noqa: ANN001
    if console.quiet:
        return
    from sambrief.i18n import Formatter

    if console.fancy:
        from rich.table import Table

        from sambrief.figures import summary_figures

        table = Table(title=f"sambrief {result.period}", title_justify="left")
        shown = summary_figures()  # the columns come from the figure registry
        for col in ("audience", "slides", *(f.summary for f in shown)):
            table.add_column(col, no_wrap=True)

        for b in result.briefings:
            f, fmt = b.figures, Formatter(b.language, b.currency)
            table.add_row(b.output_key, str(4 + len(b.findings)),
                          *(fig.format(f[fig.key], fmt, unit=False) if fig.key in f else "–" for fig in shown))
        console.out.print(table)
        console.out.print(f"{len(result.written)} files in {_short_path(result.out_dir)}/ (decks, one-pagers, intranet page, manifest)  ·  warnings: {len(result.warnings)}")
    else:
        for path in result.written:
            print(f"sambrief: wrote {path}", flush=True)
        print(f"sambrief: done, {len(result.briefings)} briefing(s), {len(result.warnings)} warning(s)", flush=True)


@app.command()
def check(config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Validate the configuration and read every source; write nothing."""
    from sambrief.config import find_config, load_settings
    from sambrief.pipeline import read_sources

    console = Console()

    def action():  # noqa: ANN202
        from sambrief.pipeline import deck_template
        from sambrief.render.template import map_roles, open_template

        settings = load_settings(find_config(config))
        template = deck_template(settings)
        roles = map_roles(open_template(template), settings.layout_names)
        sources, warnings = read_sources(settings, lambda _: None, create_key=False)
        return settings, sources, warnings, template, roles

    settings, sources, warnings, template, roles = _run(debug, console, action)
    console.info(f"template {template.name}: " + ", ".join(f"{r} -> {layout.name!r}" for r, (layout, _) in roles.items()))
    for s in sources:
        console.info(f"{s.path.name}: {s.dataset} ({s.layout}), {len(s.frame)} rows")
    for w in warnings:
        console.warning(w)
    console.info(f"configuration OK: {len(settings.audiences)} audience(s), {len(sources)} source file(s)")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace (created if missing).")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the workspace: de or en.")] = "de",
    organisation: Annotated[str, typer.Option("--organisation", help="Company name for the title slide.")] = "",
    debug: DebugOpt = False,
) -> None:
    """Create a workspace: sambrief.yaml, audiences.yaml, data/ with the register workbooks."""
    from sambrief.scaffold import scaffold

    console = Console()
    if lang not in ("de", "en"):
        console.error(f"--lang: unknown language {lang!r} (known: de, en)")
        raise typer.Exit(int(ExitCode.USAGE))
    created = _run(debug, console, lambda: scaffold(directory, lang, organisation or None))
    for path in created:
        console.info(f"created {path}")
    console.info(f"next: put your exports into {directory / 'data'} and run `sambrief build` in {directory}")


@app.command()
def inspect(
    files: Annotated[list[Path], typer.Argument(help="Export files to examine.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (a list of objects).")] = False,
    layout: Annotated[Optional[str], typer.Option("--layout", help="Try only this layout.")] = None,
    dataset: Annotated[Optional[str], typer.Option("--dataset", help="Try only layouts of this dataset.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Show how sambrief reads each export: dataset, layout, columns, rows, problems."""
    import json

    from sambrief.datasets import DATASETS
    from sambrief.layouts import SourcePin
    from sambrief.layouts import registry
    from sambrief.pipeline import inspect_files

    console = Console()
    if layout is not None and layout not in registry():
        console.error(f"--layout: unknown layout {layout!r} (known: {', '.join(registry())})")
        raise typer.Exit(int(ExitCode.USAGE))
    if dataset is not None and dataset not in DATASETS:
        console.error(f"--dataset: unknown dataset {dataset!r} (known: {', '.join(DATASETS)})")
        raise typer.Exit(int(ExitCode.USAGE))
    report = _run(debug, console, lambda: inspect_files(files, SourcePin(dataset=dataset, layout=layout)))
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for entry in report:
            _print_inspection(entry)
    if any(e["layout"] is None for e in report):
        raise typer.Exit(int(ExitCode.USER_ERROR))


def _print_inspection(entry: dict) -> None:
    print(entry["path"])
    if entry["layout"] is None:
        print(f"  problem: {entry['problems'][0]}")
        return
    sheet = f", sheet {entry['sheet']!r}" if entry["sheet"] else ""
    print(f"  dataset {entry['dataset']}, layout {entry['layout']} ({entry['layout_title']}), confidence {entry['confidence']:.2f}")
    text = f", {entry['encoding']}, separator {entry['delimiter']!r}" if entry["delimiter"] else ""
    print(f"  header in row {entry['header_row']}{sheet}{text}")
    for source, canonical in entry["columns"].items():
        print(f"    {source} -> {canonical}")
    dropped = ", ".join(f"{n} {reason}" for reason, n in entry["dropped"].items()) or "none"
    print(f"  rows: {entry['rows']} ({entry['rows_read']} read; dropped: {dropped})")
    for problem in entry["problems"]:
        print(f"  problem: {problem}")


@app.command()
def audiences(config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """List the audiences of the workspace with their themes."""
    from sambrief.config import find_config, load_settings

    console = Console()
    settings = _run(debug, console, lambda: load_settings(find_config(config)))
    for a in settings.audiences.values():
        title = a.title.get(a.language, a.key)
        console.info(f"{a.key}: {title} [{a.language}] themes: {', '.join(a.themes)}; max {a.max_slides} slides")


def _deliver(console: Console, debug: bool, config: Optional[Path], period: Optional[str], out: Optional[Path],
             resend: bool, audiences: Optional[list[str]]) -> None:
    from sambrief.config import find_config, load_settings
    from sambrief.deliver import deliver as run_deliver
    from sambrief.model import Period
    from sambrief.pipeline import newest_period_folder, parse_period

    def action():  # noqa: ANN202
        settings = load_settings(find_config(config))
        chosen = parse_period(period) or _latest_output(settings, out) or newest_period_folder(settings) or Period.of(__import__("datetime").date.today()).previous
        return run_deliver(settings, str(chosen), (out or settings.output) / str(chosen), resend, audiences)

    report = _run(debug, console, action)
    for key, recipient in report.sent:
        console.info(f"sent {key} briefing to {recipient}")
    for key, recipient in report.skipped:
        console.info(f"already delivered {key} briefing to {recipient} this period (use --resend to send again)")
    for key, recipient, reason in report.failed:
        console.error(f"could not send {key} briefing to {recipient}: {reason}")
    console.info(f"delivery: {len(report.sent)} sent, {len(report.skipped)} already delivered, {len(report.failed)} failed")
    if report.failed:
        raise typer.Exit(int(ExitCode.DELIVERY_FAILED))


def _latest_output(settings, out: Optional[Path]):  # noqa: ANN001, ANN202
    import re

    from sambrief.model import Period

    folder = out or settings.output
    periods = [p.name for p in folder.glob("*") if re.fullmatch(r"\d{4}-\d{2}", p.name) and (p / "manifest.json").is_file()] if folder.is_dir() else []
    return Period.parse(max(periods)) if periods else None


@app.command("deliver")
def deliver_command(
    config: ConfigOpt = None,
    period: Annotated[Optional[str], typer.Option("--period", "-p", help="Period YYYY-MM (default: the newest built one).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder the briefings were built into.")] = None,
    audience: Annotated[Optional[list[str]], typer.Option("--audience", "-a", help="Only these audiences (repeatable).")] = None,
    resend: Annotated[bool, typer.Option("--resend", help="Send again to recipients who already got this period's briefing.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Mail each audience its deck and one-pager, once per period and recipient."""
    _deliver(Console(), debug, config, period, out, resend, audience)


@app.command()
def explain(
    figure: Annotated[Optional[str], typer.Argument(help="The figure key as in manifest.json, e.g. opportunities.surplus_value.")] = None,
    period: Annotated[Optional[str], typer.Option("--period", "-p", help="The built period YYYY-MM (default: the newest).")] = None,
    audience: Annotated[Optional[str], typer.Option("--audience", "-a", help="Only this audience.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    list_all: Annotated[bool, typer.Option("--list", help="List every figure of the registry.")] = False,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Where a number comes from: definition, sources and rows, and the sentence it appears in."""
    import json

    console = Console()

    def action():  # noqa: ANN202
        from sambrief.config import find_config, load_settings
        from sambrief.explain import explain as explain_figure, render_text
        from sambrief.figures import registry

        settings = load_settings(find_config(config))
        if list_all or figure is None:
            return [f"{f.key}  ({f.kind})  {f.label_in(settings.language)}" for f in registry().values()], None
        info = explain_figure(figure, settings.output, settings.history_path, period, audience, settings.currency)
        return render_text(info, settings.language), info

    lines, info = _run(debug, console, action)
    if as_json and info is not None:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return
    for line in lines:
        print(line)


history_app = typer.Typer(help="The history of built periods (.sambrief/history.sqlite).", invoke_without_command=True)
app.add_typer(history_app, name="history")

@history_app.callback()
def history_list(
    ctx: typer.Context,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    debug: DebugOpt = False,
) -> None:
    """List the built periods with their key figures."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    from sambrief.config import find_config, load_settings
    from sambrief.history import History

    console = Console()
    records = _run(debug, console, lambda: History(load_settings(find_config(config)).history_path).periods())
    if as_json:
        print(json.dumps([{"period": r.period, "built_at": r.built_at, "as_of": r.as_of, "audiences": r.audiences,
                           "figures": r.figures} for r in records], indent=2, ensure_ascii=False))
        return
    if not records:
        console.info("no periods built yet")
        return
    for r in records:
        from sambrief.figures import summary_figures

        parts = [f"{fig.summary} {r.figures[fig.key]:,.{1 if fig.kind == 'days' else 0}f}" for fig in summary_figures()
                 if isinstance(r.figures.get(fig.key), (int, float))]
        console.info(f"{r.period}  built {r.built_at}  " + "  ".join(parts))


@history_app.command("forget")
def history_forget(
    period: Annotated[str, typer.Argument(help="The period YYYY-MM to remove from the history.")],
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Remove one period from the history (its outputs stay where they are)."""
    from sambrief.config import find_config, load_settings
    from sambrief.history import History
    from sambrief.pipeline import parse_period

    console = Console()

    def action():  # noqa: ANN202
        parse_period(period)
        return History(load_settings(find_config(config)).history_path).forget(period)

    if _run(debug, console, action):
        console.info(f"removed {period} from the history")
    else:
        console.error(f"{period} is not in the history (see `sambrief history`)")
        raise typer.Exit(int(ExitCode.USER_ERROR))


@app.command()
def plan(
    config: ConfigOpt = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language de or en (default: the workspace's).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: `output` in sambrief.yaml); files go to OUT/plan/.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1, nothing written) if there are warnings.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Write the internal-marketing concept for the management's sign-off (deck and one-pager)."""
    from sambrief.pipeline import PlanRequest, build_plan

    console = Console()
    if lang is not None and lang not in ("de", "en"):
        console.error(f"--lang: unknown language {lang!r} (known: de, en)")
        raise typer.Exit(int(ExitCode.USAGE))
    result = _run(debug, console, lambda: build_plan(PlanRequest(config, lang, out, strict), console.step))
    for warning in result.warnings:
        console.warning(warning)
    for path in result.written:
        console.info(f"wrote {path}")


template_app = typer.Typer(help="Work with deck templates.", no_args_is_help=True)
app.add_typer(template_app, name="template")


@template_app.command("inspect")
def template_inspect(
    file: Annotated[Path, typer.Argument(help="A .pptx or .potx template.")],
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    debug: DebugOpt = False,
) -> None:
    """List masters, layouts and placeholders, and the layout sambrief uses for each slide role."""
    import json

    from sambrief.render.template import describe

    console = Console()

    def action():  # noqa: ANN202
        names = {}
        if config is not None or Path("sambrief.yaml").is_file():
            from sambrief.config import find_config, load_settings

            names = load_settings(find_config(config)).layout_names
        if not file.is_file():
            from sambrief.errors import RenderError

            raise RenderError(f"{file}: template not found")
        return describe(file, names)

    info = _run(debug, console, action)
    if as_json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return
    width, height = info["slide_size_cm"]
    print(f"{info['path']}: {width} x {height} cm, fonts {info['fonts']['heading']} / {info['fonts']['body']}")
    for master in info["masters"]:
        print(f"master {master['master']}")
        for layout in master["layouts"]:
            print(f"  layout {layout['name']!r}")
            for p in layout["placeholders"]:
                print(f"    idx {p['idx']:>2} {p['type']:<13} at {p['left_cm']}, {p['top_cm']} cm, {p['width_cm']} x {p['height_cm']} cm")
    print("roles:")
    for role, found in info["roles"].items():
        print(f"  {role:<12} -> {found['layout']!r} ({found['how']})")


def main() -> None:
    app()
