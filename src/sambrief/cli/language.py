"""The language of the command line's own words, and click's texts in it.

The language is the workspace's (`language:` in the sambrief.yaml that --config names, else
the nearest one), else --lang, else the system locale (LC_ALL, LC_MESSAGES, LANG), else English.
It is decided from the raw arguments before click parses them, so that click's own usage
errors ("No such option", "Usage:", the "Error:" label) come in the same language as every
other line, with one error label per language.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sambrief.names import LANGUAGES

_args: list[str] = []
_current: str | None = None


def current() -> str:
    """The command line's language, decided on first use (a `--help` never needs it)."""
    global _current
    if _current is None:
        _current = decide(_args)
    return _current


def locale_language(environ: Any = None) -> str | None:
    """The language of the system locale, as gettext reads it: the first of LC_ALL,
    LC_MESSAGES, LANG that is set ('de_DE.UTF-8' -> 'de'); None for C/POSIX or an unknown one."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else None
    return None


def _option(args: Sequence[str], *names: str) -> str | None:
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if name.startswith("--") and arg.startswith(name + "="):
                return arg[len(name) + 1:]
    return None


def workspace_language(config: str | None, cwd: Path | None = None) -> str | None:
    """`language:` of the workspace (its default, German, when the file names none); None where
    no sambrief.yaml is found. Read as text, not parsed: deciding the language must not import
    the YAML or configuration stack on every command line (`--help` stays fast); the settings
    are validated later by the command itself."""
    import re

    # --config's file, and (when that is missing: the mistake to report) the nearest workspace.
    start = (cwd or Path.cwd()).resolve()
    candidates = [Path(config)] if config else []
    candidates += [folder / "sambrief.yaml" for folder in (start, *start.parents)]
    for path in candidates:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = re.search(r"^language:[ \t]*[\"']?([A-Za-z]+)[\"']?[ \t]*(?:#.*)?$", text, re.MULTILINE)
        language = found.group(1) if found else "de"
        return language if language in LANGUAGES else None
    return None


def decide(args: Sequence[str], environ: Any = None) -> str:
    """The language for this command line (see the module's docstring)."""
    if args and args[0] == "init":  # the workspace init creates: its --lang, else init's default, German
        lang = _option(args, "--lang")
        return str(lang) if lang in LANGUAGES else "de"
    found = workspace_language(_option(args, "--config", "-c"))
    if found:
        return found
    lang = _option(args, "--lang")
    if lang in LANGUAGES:
        return str(lang)
    return locale_language(environ) or "en"


def use(args: list[str]) -> None:
    """Start a command line: its language is decided from these arguments when first needed,
    and click's usage errors are printed in it."""
    global _args, _current
    _args, _current = list(args), None
    _install_click_texts()


def _usage_text(error: Any) -> Any:
    """A click usage error as a notice in the catalogs, by its kind and attributes; a message
    click words in a way not known here stays click's."""
    import re

    from sambrief.i18n.notices import Notice

    kind = type(error).__name__
    near = sorted(getattr(error, "possibilities", None) or [])
    if kind == "NoSuchOption":
        option = getattr(error, "option_name", "")
        return Notice("usage_no_such_option", option=option, near=", ".join(near)) if near else \
            Notice("usage_no_such_option_plain", option=option)
    if kind == "BadOptionUsage" and "requires" in error.message:
        return Notice("usage_needs_value", option=getattr(error, "option_name", ""))
    if kind in ("MissingParameter", "BadParameter"):
        param = getattr(error, "param", None)
        hint = getattr(error, "param_hint", None) or (param.get_error_hint(error.ctx) if param is not None and error.ctx else "")
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
