"""What every command's parsing shares: typer/click made to read as people write (argument
names; the language decided before click parses, and click's usage errors as one line in
it), the common options, tab completion, and the checks of arguments that need no workspace."""

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


def _usage_text(error: Any) -> Any:
    """A click usage error as a notice in the catalogs, by its kind and attributes; a message
    click words in a way not known here stays click's."""
    import re

    from sambrief.i18n.notices import Notice

    kind = type(error).__name__
    near = sorted(getattr(error, "possibilities", None) or [])
    if kind == "NoSuchOption":
        option = getattr(error, "option_name", "")
        return (
            Notice("usage_no_such_option", option=option, near=", ".join(near))
            if near
            else Notice("usage_no_such_option_plain", option=option)
        )
    if kind == "BadOptionUsage" and "requires" in error.message:
        return Notice("usage_needs_value", option=getattr(error, "option_name", ""))
    if kind in ("MissingParameter", "BadParameter"):
        param = getattr(error, "param", None)
        hint = getattr(error, "param_hint", None) or (
            param.get_error_hint(error.ctx) if param is not None and error.ctx else ""
        )
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint).replace("'", "")
        if kind == "MissingParameter":
            return Notice("usage_missing", param=hint)
        return Notice("usage_bad_value", param=hint, message=error.message)
    found = re.match(r"No such command '(?P<name>[^']*)'\.(?: Did you mean '(?P<near>[^']*)'\?)?", error.message)
    if found:
        if found["near"]:
            return Notice("usage_no_such_command", name=found["name"], near=found["near"])
        return Notice("usage_no_such_command_plain", name=found["name"])
    found = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)$", error.message)
    if found:
        return Notice("usage_extra", args=found["args"])
    if error.message == "Missing command.":
        return Notice("usage_missing_command")
    return error.format_message()


def _show_usage_error(self: Any, file: Any = None) -> None:
    """One line in the command line's language: the label, what is wrong with the closest valid
    value, and where the help is (replaces click's "Usage: ... Error: ..." block)."""
    from sambrief.cli.language import current
    from sambrief.i18n.notices import Notice, in_language

    language = current()
    label = {"de": "Fehler", "en": "Error"}.get(language, "Error")
    text = in_language(_usage_text(self), language)
    command = self.ctx.command_path if getattr(self, "ctx", None) is not None else "sambrief"
    hint = Notice("usage_help", command=command).in_language(language)
    print(f"{label}: {text}; {hint}", file=file if file is not None else sys.stderr, flush=True)


_installed = False


def _install_click_texts() -> None:
    """click's usage errors print through UsageError.show (typer carries its own copy of click
    since 0.22; older ones use click itself): that is the hook, patched once for both."""
    global _installed
    if _installed:
        return
    import importlib

    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        module.UsageError.show = _show_usage_error
    _installed = True


class Group(typer.core.TyperGroup):
    """Decides the command line's language from the raw arguments before click parses them
    (cli/language.py), so click's own usage errors come in it too."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from sambrief.cli import language as cli_language

        cli_language.use(list(sys.argv[1:] if args is None else args))
        _install_click_texts()
        return super().main(args, *rest, **kwargs)


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="PATH",
        help="Path to sambrief.yaml (default: the nearest one in this folder or above).",
    ),
]
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
