"""`sambrief check` as a person reads it: the deck template's slide layouts per role, each
source read, the warnings and information, and the files a build would skip (exit 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from sambrief.cli.console import Console
from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice

if TYPE_CHECKING:
    from sambrief.commands.check import CheckResult


def present(console: Console, result: CheckResult) -> None:
    console.lang = result.settings.language
    roles = ", ".join(f"{r} -> {layout.name!r}" for r, (layout, _) in result.roles.items())
    console.info(Notice("check_template", name=result.template.name, roles=roles))
    for s in result.sources:
        console.info(Notice("check_source", file=s.path.name, dataset=s.dataset, layout=s.layout, rows=Notice("count_rows", n=len(s.frame))))
    console.messages(result.messages)
    for error in result.errors:  # files a build would skip: the workspace is not ready
        console.error(error)
    if result.errors:
        raise typer.Exit(int(ExitCode.USER_ERROR))
    console.info(Notice("check_ok", audiences=Notice("count_audiences", n=len(result.settings.audiences)),
                        sources=Notice("count_sources", n=len(result.sources))))
