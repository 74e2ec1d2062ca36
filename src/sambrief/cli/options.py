"""What every command's parsing shares: typer/click made to read as people write (argument
names, the language decided before click parses), the common options, tab completion, and
the checks of arguments that need no workspace."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sambrief.errors import ExitCode
from sambrief.i18n.notices import Notice

if TYPE_CHECKING:
    from sambrief.cli.console import Console


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


class Group(typer.core.TyperGroup):
    """Decides the command line's language from the raw arguments before click parses them
    (cli/language.py), so click's own usage errors come in it too."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from sambrief.cli import language as cli_language

        cli_language.use(list(sys.argv[1:] if args is None else args))
        return super().main(args, *rest, **kwargs)


ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", metavar="PATH",
                                                   help="Path to sambrief.yaml (default: the nearest one in this folder or above).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


def completer(name: str):
    """Tab completion from the workspace (sambrief.cli.completion), imported only when a shell asks."""
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from sambrief.cli import completion

        return list(getattr(completion, name)(ctx, incomplete))

    return complete


def workspace_language() -> str:
    """The language of a command's own lines before (or without) its reading of the
    configuration: the workspace's `language:` (read as text, so that a broken configuration
    is reported in it too), else --lang, else the system locale, else English."""
    from sambrief.cli import language as cli_language

    return cli_language.current()


def usage_error(console: Console, text: str | Notice) -> None:
    """A wrong command line: exit 2 before any work starts."""
    console.error(text)
    raise typer.Exit(int(ExitCode.USAGE))


def check_file(console: Console, path: Path | None, option: str) -> None:
    if path is not None and not path.is_file():
        usage_error(console, Notice("usage_file_not_found", option=option, path=str(path)))
