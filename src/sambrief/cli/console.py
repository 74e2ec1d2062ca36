"""The command line's output: rich on a terminal, plain `sambrief:` lines under cron, errors
to stderr, an optional log file; and the one error funnel that maps every error to one line
and an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from sambrief.errors import ExitCode, SambriefError
from sambrief.i18n.notices import Notice, in_language

T = TypeVar("T")


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

            word = self.say(f"log_{level.lower()}")
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

    def say(self, key: str, **values: Any) -> str:
        """A line or label of the command line's own, from the message catalog (`notices.<key>`)."""
        return Notice(key, **values).in_language(self.lang)

    def _labelled(self, label: str, colour: str, text: str) -> None:
        if self.err.is_terminal:
            from rich.markup import escape

            self.err.print(f"[{colour}]{self.say('label_' + label)}:[/] {escape(text)}")
        else:
            print(f"{self.say('label_' + label)}: {text}", file=sys.stderr, flush=True)

    def warning(self, text: str) -> None:
        text = in_language(text, self.lang)
        self._log("WARNING", text)
        self._labelled("warning", "yellow", text)

    def note(self, text: str) -> None:
        """Information about documented behaviour: shown, logged, never fails --strict."""
        text = in_language(text, self.lang)
        self._log("INFO", text)
        if not self.quiet:
            self._labelled("info", "cyan", text)

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
        self._labelled("error", "red", text)


def print_json(data: Any) -> None:
    """Every `--json` output: a result (or a list of them) by its `to_json`, indented, non-ASCII as it is."""

    def plain(item: Any) -> Any:
        return item.to_json() if hasattr(item, "to_json") else item

    print(
        json.dumps(
            [plain(item) for item in data] if isinstance(data, list) else plain(data), indent=2, ensure_ascii=False
        )
    )


def run(
    debug: bool, console: Console, action: Callable[[], T], as_json: Callable[[SambriefError], Any] | None = None
) -> T:
    """The one error funnel: a user's error is one line (or, for `--json`, the object
    `as_json` makes of it) and its exit code; a bug one line unless --debug."""
    from sambrief.errors import UsageError

    try:
        return action()
    except (typer.Exit, typer.Abort):  # the command's own exit, or a question answered with Ctrl-C
        raise
    except SambriefError as exc:
        if debug and not isinstance(exc, UsageError):
            raise
        if as_json is not None:
            print_json(as_json(exc))
        else:
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
            console.error(output_error(exc, exc.filename).in_language(console.lang))
        else:
            console.error(Notice("unexpected", kind=type(exc).__name__, detail=str(exc)))
        raise typer.Exit(int(ExitCode.USER_ERROR)) from None
    except Exception as exc:  # a bug, not a user error: one line unless --debug
        if debug:
            raise
        console.error(Notice("unexpected", kind=type(exc).__name__, detail=str(exc)))
        raise typer.Exit(int(ExitCode.USER_ERROR)) from None


def short_path(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
