"""`sambrief build` as a person reads it: the summary of what was built, a table on a
terminal (stacked when too wide), `sambrief:` lines under cron."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sambrief.cli.console import Console, short_path
from sambrief.i18n.notices import Notice

if TYPE_CHECKING:
    from sambrief.commands.build import BuildResult


def summary(console: Console, result: BuildResult) -> None:
    if console.quiet:
        return
    from sambrief.i18n.levels import split

    warning_count = len(split(result.warnings, result.briefings)[1])

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
            table = Table(title=f"sambrief {result.period}", title_justify="left", show_header=False, box=None, padding=(0, 1))
            table.add_column(overflow="fold")
            table.add_column(overflow="fold")
            for row in rows:
                table.add_row(f"[bold]{escape(row[0])}[/bold]", f"{headers[1]}: {row[1]}")
                for header, value in zip(headers[2:], row[2:]):
                    table.add_row(f"  {escape(header)}", escape(value))
        console.out.print(table)
        console.out.print(console.say("summary_files", n=len(result.written), out=short_path(result.out_dir),
                                      warnings=Notice("warnings", n=warning_count)))
    else:
        for path in result.written:
            print(f"sambrief: {Notice('wrote', path=str(path)).in_language(console.lang)}", flush=True)
        done = Notice("built", n=len(result.briefings), warnings=Notice("warnings", n=warning_count))
        print(f"sambrief: {done.in_language(console.lang)}", flush=True)
