"""The language of the command line's own words, and click's texts in it.

The language is the workspace's (`language:` in the sambrief.yaml that --config names, else
the nearest one), else --lang, else the system locale (LC_ALL, LC_MESSAGES, LANG), else English.
It is decided from the raw arguments before click parses them, so that click's own usage
errors ("No such option", "Usage:", the "Error:" label) come in the same language as every
other line, with one error label per language (cli/options.py prints them).
"""

from __future__ import annotations

import os
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
                return arg[len(name) + 1 :]
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
    """Start a command line: its language is decided from these arguments when first needed."""
    global _args, _current
    _args, _current = list(args), None
