"""`sambrief check` as a person reads it: the deck template's slide layouts per role, each
source read, the warnings and information, and the files a build would skip (exit 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from sambrief.cli.console import Console
from sambrief.errors import ExitCode

if TYPE_CHECKING:
    from sambrief.commands.check import CheckResult


def present(console: Console, result: CheckResult) -> None:
    console.lang = result.settings.language
    roles = ", ".join(f"{r} -> {layout.name!r}" for r, (layout, _) in result.roles.items())
    console.info(f"{console.label('template')} {result.template.name}: {roles}")
    for s in result.sources:
        console.info(f"{s.path.name}: {s.dataset} ({s.layout}), {console.label('rows').format(n=len(s.frame))}")
    console.messages(result.messages)
    for error in result.errors:  # files a build would skip: the workspace is not ready
        console.error(error)
    if result.errors:
        raise typer.Exit(int(ExitCode.USER_ERROR))
    console.info(console.label("ok").format(a=len(result.settings.audiences), s=len(result.sources)))
