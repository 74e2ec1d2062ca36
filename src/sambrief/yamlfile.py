"""YAML configuration files read with the line of every key and every duplicate key noted.

PyYAML silently keeps the last of two equal keys; for a configuration that hides a mistake
(the first `prices:` block simply vanishes), so duplicates are reported as problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from sambrief.errors import ConfigError
from sambrief.i18n.notices import Notice

KeyPath = tuple[str, ...]  # mapping keys and list indices, all as text


@dataclass
class YamlDocument:
    path: Path
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)  # key path -> 1-based line of the key (or list item)
    duplicates: list[tuple[KeyPath, int, int]] = field(default_factory=list)  # path, line, line of the first

    def line_of(self, path: tuple[Any, ...]) -> int:
        """Line of the deepest part of `path` that the file has (a missing key points at its parent)."""
        parts = tuple(str(p) for p in path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return 1


_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"


def _join_decimal_commas(node: yaml.MappingNode) -> None:
    """`{Microsoft 365 E3: 33,70}` is a price with a decimal comma, but YAML's flow syntax reads
    it as `33` plus a key `70` without a value. Join such pairs back into the text '33,70'."""
    pairs = node.value
    i = 1
    while i < len(pairs):
        key, value = pairs[i]
        previous = pairs[i - 1][1]
        if (
            isinstance(previous, yaml.ScalarNode)
            and previous.tag == _INT
            and not previous.style
            and isinstance(key, yaml.ScalarNode)
            and key.tag == _INT
            and not key.style
            and key.value.isdigit()
            and isinstance(value, yaml.ScalarNode)
            and value.tag == _NULL
            and value.value == ""
            and key.start_mark.index == previous.end_mark.index + 1
        ):
            joined = yaml.ScalarNode(
                "tag:yaml.org,2002:str", f"{previous.value},{key.value}", previous.start_mark, key.end_mark
            )
            pairs[i - 1] = (pairs[i - 1][0], joined)
            del pairs[i]
        else:
            i += 1


class _Marking:
    """Records the line of every key and list item and every duplicate key while loading."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]  # the loader class it is mixed into
        self.lines: dict[KeyPath, int] = {}
        self.duplicates: list[tuple[KeyPath, int, int]] = []
        self.data: Any = None  # the document, once loaded

    def mark(self, node: yaml.Node, path: KeyPath) -> None:
        if isinstance(node, yaml.MappingNode):
            if node.flow_style:
                _join_decimal_commas(node)
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = str(self.construct_object(key_node))  # type: ignore[attr-defined]  # the loader's
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicates.append((path + (key,), line, seen[key]))
                else:
                    seen[key] = line
                    self.lines[path + (key,)] = line
                self.mark(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[path + (str(index),)] = item.start_mark.line + 1
                self.mark(item, path + (str(index),))


class _PureMarkingLoader(_Marking, yaml.SafeLoader):
    """PyYAML's own parser: its messages for a broken file are the more helpful ones
    ("found character '\\t' that cannot start any token" where libyaml leaves out the tab)."""


# libyaml's parser where PyYAML has it (the wheels do): the same nodes with the same marks,
# several times faster on every build, check and completion. A broken file is read again
# with the pure-Python parser for its message.
MarkingLoader: type[Any] = (
    type("MarkingLoader", (_Marking, yaml.CSafeLoader), {}) if hasattr(yaml, "CSafeLoader") else _PureMarkingLoader
)


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.Node):
    # 2026-13-01 is a mistake in one value, not in the file: keep the text, the schema names it
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]  # registered for scalars only
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


for _loader in (MarkingLoader, _PureMarkingLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


def read_yaml(path: Path, label: str | None = None) -> YamlDocument:
    """Parse one file; a syntax error stops here (nothing after it can be trusted)."""
    where = label or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError([Notice("cfg_unreadable", reason=str(exc.strerror))], where) from None
    except UnicodeDecodeError:
        raise ConfigError([Notice("cfg_not_utf8")], where) from None
    try:
        loader = _load(MarkingLoader, text)
    except yaml.YAMLError:
        try:
            loader = _load(_PureMarkingLoader, text)
        except yaml.YAMLError as exc:
            _invalid(exc, where)
    return YamlDocument(path, loader.data, loader.lines, loader.duplicates)


def _load(kind: type[Any], text: str) -> Any:
    loader = kind(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            loader.mark(node, ())
            loader.data = loader.construct_document(node)
    finally:
        loader.dispose()
    return loader


def _invalid(exc: yaml.YAMLError, where: str) -> NoReturn:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark:
        raise ConfigError(
            [Notice("cfg_invalid_yaml_at", line=mark.line + 1, column=mark.column + 1, problem=problem)], where
        ) from None
    raise ConfigError([Notice("cfg_invalid_yaml", problem=problem)], where) from None
