"""`sambrief inspect` as a person reads it: per file its dataset and layout, where the header
is, the columns as mapped, the rows read and dropped, and the problems."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sambrief.cli.console import Console, print_json, run
from sambrief.cli.options import DebugOpt, usage_error, workspace_language
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice

if TYPE_CHECKING:
    from sambrief.commands.inspect import Inspection


def print_inspection(entry: Inspection, lang: str = "en") -> None:
    from sambrief.i18n.catalog import Formatter
    from sambrief.i18n.notices import reason
    from sambrief.ingest.layouts import titled

    def say(key: str, **values: Any) -> str:
        return Notice(key, **values).in_language(lang)

    print(entry.path)
    if entry.layout is None or entry.confidence is None:
        print(f"  {say('inspect_problem', problem=entry.problems[0])}")
        return
    confidence = Formatter(lang, "EUR").number(entry.confidence, 2)
    layout = say(
        "inspect_layout", dataset=entry.dataset, layout=entry.layout, title=entry.layout_title, confidence=confidence
    )
    print(f"  {layout}")
    parts = [say("inspect_header", row=entry.header_row)]
    if entry.sheet:
        parts.append(say("inspect_sheet", sheet=repr(entry.sheet)))
    if entry.delimiter:
        parts.append(say("inspect_encoding", encoding=entry.encoding, separator=repr(entry.delimiter)))
    print("  " + ", ".join(parts))
    for source, canonical in entry.columns.items():
        print(f"    {source} -> {canonical}")
    dropped = [Notice("inspect_dropped", reason=reason(r), rows=n) for r, n in entry.dropped.items()]
    rows = say(
        "inspect_rows", rows=entry.rows, read=entry.rows_read, dropped=dropped or Notice("inspect_nothing_dropped")
    )
    print(f"  {rows}")
    for product, found in (entry.signals or {}).items():
        named = [titled(f) for f in found] or Notice("inspect_no_activity")
        print(f"  {say('inspect_activity', product=product, found=named)}")
    for problem in entry.problems:
        print(f"  {say('inspect_problem', problem=problem)}")


def inspect_command(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Export files to examine.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (a list of objects).")] = False,
    layout: Annotated[str | None, typer.Option("--layout", metavar="KEY", help="Try only this layout.")] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", metavar="NAME", help="Try only layouts of this dataset.")
    ] = None,
    debug: DebugOpt = False,
) -> None:
    """Show how sambrief reads each export: dataset, layout, columns, rows, problems.

    \b
    Examples:
      sambrief inspect data/*.csv
      sambrief inspect export.xlsx --json
    """
    from sambrief.commands.arguments import suggest
    from sambrief.commands.inspect import inspect_files
    from sambrief.ingest.datasets import DATASETS
    from sambrief.ingest.layouts import SourcePin, registry

    console = Console()
    if layout is not None and layout not in registry():
        usage_error(
            console, Notice("usage_unknown_layout", value=repr(layout), known=suggest(layout, list(registry())))
        )
    if dataset is not None and dataset not in DATASETS:
        usage_error(
            console, Notice("usage_unknown_dataset", value=repr(dataset), known=suggest(dataset, list(DATASETS)))
        )
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
