"""Configuration files read against their schema, every problem collected with file, line and
key path and reported in one error (sambrief.yaml, audiences.yaml, news, intranet, concept)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sambrief.config.wording import path_text, validate
from sambrief.errors import ConfigError
from sambrief.i18n.notices import Notice
from sambrief.yamlfile import YamlDocument, read_yaml

CONFIG_NAME = "sambrief.yaml"


class Checker:
    """Collects (key path, message) problems instead of stopping at the first; used by sections
    that check meaning beyond the schema (config.delivery.parse_delivery)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Notice("located", where=path, message=message) if path else message)

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, Notice("cfg_expected_got", expected=Notice("cfg_expected_mapping"), got=kind_of(value)))
            return {}
        return value

    def string(self, data: dict, key: str, path: str, default: str | None = None, required: bool = False) -> str | None:
        value = data.get(key, default)
        if value is None:
            if required:
                self.add(key_path(path, key), Notice("cfg_required"))
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(key_path(path, key), Notice("cfg_expected_got", expected=Notice("kind_text"), got=kind_of(value)))
            return default
        return str(value)

    def integer(self, data: dict, key: str, path: str, default: int, minimum: int = 1) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key_path(path, key), Notice("cfg_expected_whole_number", value=repr(value)))
            return default
        if value < minimum:
            self.add(key_path(path, key), Notice("cfg_at_least", minimum=minimum, value=value))
            return default
        return value


def key_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def kind_of(value: Any) -> Any:
    """What a value is, in words (a notice, so it follows the language)."""
    name = {dict: "mapping", list: "list", str: "text", bool: "bool", type(None): "nothing"}.get(type(value))
    return Notice(f"kind_{name}") if name else type(value).__name__


def file_label(path: Path) -> str:
    """A file as the user would name it: relative to the current folder where it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class _Located(str):
    """'key.path: message' whose message may be a notice (rendered later in any language)."""

    message: Notice

    def __new__(cls, where: str, message: str) -> _Located:
        self = super().__new__(cls, f"{where}: {message}")
        self.message = Notice("located", where=where, message=message)
        return self


class Problems:
    """Every problem of every configuration file, each with its file, line and key path."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str, int, str]] = []  # file order, file, line, "path: message"
        self._files: dict[str, int] = {}

    def add(self, doc: YamlDocument | None, loc: tuple[Any, ...], message: str, line: int | None = None) -> None:
        name = file_label(doc.path) if doc else CONFIG_NAME
        order = self._files.setdefault(name, len(self._files))
        line = line or (doc.line_of(loc) if doc else 0)
        where = path_text(loc)
        self.entries.append((order, name, line, _Located(where, message) if where else message))

    def add_checker(self, doc: YamlDocument, check: Checker) -> None:
        for problem in check.problems:
            if isinstance(problem, Notice) and problem.key == "located":  # its message stays a notice
                where, message = problem.values["where"], problem.values["message"]
            else:
                where, _, message = problem.partition(": ")
            loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", where))
            self.add(doc, loc, message)

    def lines(self) -> list[str]:
        """'file:line: key.path: message', the message kept as a notice (printed in the command
        line's language; its English text is the str)."""
        out: list[str] = []
        for _, name, line, text in sorted(self.entries, key=lambda e: (e[0], e[2])):
            where = f"{name}:{line}" if line else name
            out.append(
                Notice("located", where=where, message=text.message)
                if isinstance(text, _Located)
                else Notice("located", where=where, message=text)
            )
        return out

    def raise_if_any(self) -> None:
        if self.entries:
            raise ConfigError(self.lines())


def validate_into(problems: Problems, doc: YamlDocument, model: type) -> Any:
    """Validate one file against its model; duplicate keys and schema problems go to `problems`."""
    for path, line, first in doc.duplicates:
        problems.add(doc, path, Notice("cfg_duplicate_key", first=first), line)
    result, errors = validate(model, doc.data)
    for loc, message in errors:
        problems.add(doc, loc, message)
    return result


def load_file(path: Path, model: type) -> Any:
    """One configuration file validated against its schema model (news.yaml, intranet.yaml,
    concept.yaml); a ConfigError lists every problem with file, line and key path."""
    problems = Problems()
    doc = read_yaml(path, file_label(path))
    if doc.data is not None and not isinstance(doc.data, dict):
        raise ConfigError([Notice("cfg_top_level_file", got=kind_of(doc.data))], file_label(path))
    result = validate_into(problems, doc, model)
    problems.raise_if_any()
    return result
