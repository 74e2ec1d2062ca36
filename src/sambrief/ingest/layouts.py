"""The layout registry: how each vendor's export maps onto a canonical dataset.

A layout is declarative data (one YAML file in ``sambrief/layouts/``): the dataset it
feeds, the header names of each canonical field in English and German, and the value
conventions of the tool that writes it. Adding a vendor is adding one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from sambrief.i18n.notices import Notice
from sambrief.ingest.datasets import DATASETS, Dataset
from sambrief.packaged import load_packaged
from sambrief.text import normalise_header


@dataclass(frozen=True)
class ColumnRule:
    """How one canonical field is found in a header row and read from its cells."""

    field: str
    names: tuple[str, ...]  # normalised header names; '*' is a wildcard
    combine: str = "first"  # 'max' or 'min' when several columns match (e.g. activity dates)
    split: str | None = None  # regex; a list cell ('A+B') becomes one row per item
    never: tuple[str, ...] = ()  # literals meaning "no date" (never used, never logged in)
    negate: bool = False  # the export's sign is the opposite of the canonical one
    date_formats: tuple[str, ...] = ()
    kind: str | None = None  # only for helper fields ('_...') that are not in the dataset
    true_values: tuple[str, ...] = ()  # for yes/no fields written as words ('Suspended')
    # A seat export's activity date per workload ('Exchange Last Activity Date' -> exchange): a
    # seat's activity is the latest of the columns whose workload its product holds (sambrief.ingest.workloads).
    evidence: tuple[tuple[str, str], ...] = ()

    def workload_of(self, header: str) -> str | None:
        """The workload a (normalised) header of this field evidences, None when it names none."""
        for pattern, workload in zip(_patterns(tuple(p for p, _ in self.evidence)), (w for _, w in self.evidence)):
            if pattern.fullmatch(header):
                return workload
        return None

    def matches(self, header: str) -> bool:
        return self.rank(header) is not None

    def rank(self, header: str) -> int | None:
        """Position of the first name pattern the header matches (earlier names are preferred)."""
        for position, pattern in enumerate(_patterns(self.names)):
            if pattern.fullmatch(header):
                return position
        return None


@cache
def _patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # Only '*' is a wildcard: vendor headers contain brackets ("Status [READ ONLY]").
    return tuple(re.compile(".*".join(re.escape(part) for part in name.split("*")), re.DOTALL) for name in names)


@dataclass(frozen=True)
class RowFilter:
    """Rows whose helper or canonical field has one of these values are dropped (with a reason)."""

    field: str
    values: tuple[Any, ...]
    reason: str


class Title(str):
    """A layout's title: its English text as a string (JSON, logs), in another language with
    `in_language` (the layout's YAML gives `title: {en: ..., de: ...}`)."""

    titles: dict[str, str]

    def __new__(cls, titles: dict[str, str]) -> Title:
        self = super().__new__(cls, titles["en"])
        self.titles = dict(titles)
        return self

    def __reduce__(self):  # pickling keeps every language
        return (Title, (self.titles,))

    def in_language(self, language: str) -> str:
        return self.titles.get(language, str(self))


def _title(value: Any, key: str) -> Title:
    if isinstance(value, dict):
        if set(value) != {"en", "de"}:
            raise ValueError(f"layout {key}: title needs the texts en and de, not {sorted(value)}")
        return Title({k: str(v) for k, v in value.items()})
    return Title({"en": str(value), "de": str(value)})


@dataclass(frozen=True)
class Layout:
    key: str
    dataset: str
    title: str  # a Title, or a Notice for the `columns:` mapping: either prints in the language
    source: str = ""
    decimal: str = "."  # decimal mark for numbers that are ambiguous on their own
    encoding: str | None = None  # preferred text encoding of CSV exports
    columns: tuple[ColumnRule, ...] = ()
    required: tuple[str, ...] = ()  # fields this layout must find besides the dataset's required ones
    constants: dict[str, Any] = field(default_factory=dict)
    drop_rows: tuple[RowFilter, ...] = ()
    unpivot: dict[str, Any] | None = None
    # Workloads all of this activity export's signals evidence (written to the `workload` field).
    evidence: tuple[str, ...] = ()
    # Header names that must not be in the header: another report with the same columns and more
    # (SharePoint site usage is not OneDrive account usage).
    not_with: tuple[str, ...] = ()
    # Header names (patterns) that must all be in the header, not read: what tells this report from
    # another with the same user and date columns (Teams' 'Team Chat Message Count'). An entry that
    # is a list is satisfied by any of its names.
    identified_by: tuple[tuple[str, ...], ...] = ()
    # Fields the tool computes by its own rule, not the dataset's difference rule (not checked against it).
    own_rule: tuple[str, ...] = ()

    @property
    def schema(self) -> Dataset:
        return DATASETS[self.dataset]


@dataclass(frozen=True)
class SourcePin:
    """What sambrief.yaml pins for a source entry (all optional)."""

    dataset: str | None = None
    layout: str | None = None
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class HeaderMatch:
    layout: Layout
    header_row: int
    columns: dict[str, list[int]]  # canonical field -> column indices
    confidence: float


def _rule_from_yaml(name: str, spec: Any) -> ColumnRule:
    if isinstance(spec, (str, list)):
        spec = {"names": spec}
    names = spec.get("names", [])
    if isinstance(names, str):
        names = [names]
    never = spec.get("never", [])
    return ColumnRule(
        field=name,
        names=tuple(normalise_header(n) for n in names),
        combine=spec.get("combine", "first"),
        split=spec.get("split"),
        never=tuple(normalise_header(v) for v in never),
        negate=bool(spec.get("negate", False)),
        date_formats=tuple(spec.get("date_formats", ())),
        kind=spec.get("kind"),
        true_values=tuple(normalise_header(v) for v in spec.get("true_values", ())),
        evidence=tuple((normalise_header(h), str(w)) for h, w in (spec.get("evidence") or {}).items()),
    )


def _checked_workloads(names: Any, where: str) -> tuple[str, ...]:
    from sambrief.ingest.workloads import workload_names

    names = tuple(str(n) for n in ([names] if isinstance(names, str) else names or ()))
    unknown = [n for n in names if n not in workload_names()]
    if unknown:
        raise ValueError(
            f"{where}: unknown workload {', '.join(map(repr, unknown))} (known: {', '.join(sorted(workload_names()))}; "
            "see defaults/product_families.yaml)"
        )
    return names


def layout_from_mapping(data: dict[str, Any], origin: str = "") -> Layout:
    """Build a Layout from its YAML form; raises ValueError naming the problem."""
    try:
        dataset = data["dataset"]
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r} (known: {', '.join(DATASETS)})")
        columns = tuple(_rule_from_yaml(k, v) for k, v in data["columns"].items())
        schema = DATASETS[dataset]
        for rule in columns:
            if not rule.field.startswith("_") and rule.field not in schema.field_names:
                raise ValueError(f"column {rule.field!r} is not a field of {dataset}")
            if rule.evidence and (dataset != "cloud_seats" or rule.field != "last_activity"):
                raise ValueError(f"column {rule.field!r}: evidence per column is for a seat export's last_activity")
            _checked_workloads([w for _, w in rule.evidence], f"column {rule.field!r}")
        evidence = _checked_workloads(data.get("evidence"), "evidence")
        if evidence and dataset != "cloud_activity":
            raise ValueError("evidence: is for activity exports (cloud_activity); a seat export says it per column")
        constants = dict(data.get("constants", {}))
        if evidence:
            constants["workload"] = "+".join(evidence)
        drops = tuple(
            RowFilter(d["field"], tuple(d["values"]), d.get("reason", f"{d['field']} excluded"))
            for d in data.get("drop_rows", [])
        )
        return Layout(
            key=data["key"],
            dataset=dataset,
            title=_title(data.get("title", data["key"]), data["key"]),
            source=data.get("source", ""),
            decimal=data.get("decimal", "."),
            encoding=data.get("encoding"),
            columns=columns,
            required=tuple(data.get("required", ())),
            constants=constants,
            drop_rows=drops,
            unpivot=data.get("unpivot"),
            evidence=evidence,
            not_with=tuple(normalise_header(n) for n in data.get("not_with", ())),
            identified_by=tuple(
                tuple(normalise_header(n) for n in ([entry] if isinstance(entry, str) else entry))
                for entry in data.get("identified_by", ())
            ),
            own_rule=tuple(data.get("own_rule", ())),
        )
    except KeyError as exc:
        raise ValueError(f"layout {origin or data.get('key', '?')}: missing key {exc}") from None


@lru_cache(maxsize=1)
def registry() -> dict[str, Layout]:
    """All packaged layouts by key."""
    layouts: dict[str, Layout] = {}
    folder = resources.files("sambrief") / "layouts"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            data = load_packaged(entry.read_text(encoding="utf-8"))
            layout = layout_from_mapping(data, entry.name)
            layouts[layout.key] = layout
    return layouts


def titled(text: str) -> str:
    """A packaged layout's title from its English text (as the manifest and a seat's activity
    sources keep it), so it prints in the language; any other text as it is."""
    return next((lay.title for lay in registry().values() if lay.title == text), text)


def custom_layout(dataset: str, mapping: dict[str, str], base: Layout | None = None) -> Layout:
    """A layout from a `columns:` mapping in sambrief.yaml (source header -> canonical field).

    Fields the mapping does not name keep the base layout's rules, so a user can fix one
    renamed column of a known layout.
    """
    by_field: dict[str, list[str]] = {}
    for header, field_name in mapping.items():
        by_field.setdefault(field_name, []).append(header)
    rules = [ColumnRule(field=f, names=tuple(normalise_header(h) for h in headers)) for f, headers in by_field.items()]
    if base is not None:
        rules += [r for r in base.columns if r.field not in by_field]
        return Layout(**{**base.__dict__, "key": f"{base.key}+columns", "columns": tuple(rules)})
    return Layout(key="columns", dataset=dataset, title=Notice("layout_columns"), columns=tuple(rules))


def match_header(layout: Layout, cells: list[str], header_row: int) -> HeaderMatch | None:
    """Does this row of (normalised) cells look like the layout's header? Returns the mapping."""
    matcher = _matcher(layout)
    if matcher.not_with and any(c in matcher.not_with for c in cells):
        return None
    # Each distinct cell once: which rule reads it (the first in the layout's order) and which
    # identifying columns it is (a header row repeats across rows, files and layouts' tries).
    known = [(index, matcher.cell(cell)) for index, cell in enumerate(cells) if cell]
    signature = 0
    for _, (_, _, identifies) in known:
        signature |= identifies
    if signature != matcher.signature:
        return None
    found: dict[str, list[int]] = {}
    best_rank: dict[str, int] = {}
    recognised = 0
    for index, (rule, rank, identifies) in known:
        if rule is None:
            recognised += identifies != 0  # known to the layout, not read
            continue
        hits = found.setdefault(rule.field, [])
        if rule.combine != "first":
            hits.append(index)
        elif not hits or rank < best_rank[rule.field]:
            # One column per field: the one matching the layout's preferred name.
            hits[:] = [index]
            best_rank[rule.field] = rank
        recognised += 1
    if matcher.unpivot is not None:
        pattern, value_field, key_field = matcher.unpivot
        indices = [i for i, c in enumerate(cells) if c and pattern.search(c)]
        if indices:
            found[value_field] = indices
            found[key_field] = indices
            recognised += len(indices)
    if not matcher.needed <= found.keys():
        return None
    for group in matcher.one_of:
        if not any(g in found for g in group):
            return None
    coverage = sum(1 for r in layout.columns if r.field in found) / max(1, len(layout.columns))
    confidence = round(0.5 * coverage + 0.5 * recognised / max(1, len(known)), 3)
    return HeaderMatch(layout, header_row, found, confidence)


class _Matcher:
    """What match_header needs of one layout, worked out once: all its column names as one
    pattern (alternatives in the layout's order, so the first that matches is the rule and rank
    the rules' own loop would find), its identifying columns as bits, and the fields it needs."""

    MEMO = 4096  # distinct header cells remembered per layout (a header is untrusted text)

    def __init__(self, layout: Layout):
        self.not_with = frozenset(layout.not_with)
        self.hits: list[tuple[ColumnRule, int]] = [
            (rule, rank) for rule in layout.columns for rank in range(len(rule.names))
        ]
        self.names = _alternatives(tuple(n for rule in layout.columns for n in rule.names))
        self.identified = [_alternatives(names) for names in layout.identified_by]
        self.signature = (1 << len(layout.identified_by)) - 1
        self.unpivot: tuple[re.Pattern[str], str, str] | None = None
        if layout.unpivot:
            spec = layout.unpivot
            self.unpivot = (re.compile(spec["pattern"], re.IGNORECASE), spec["value"], spec["key"])
        schema = layout.schema
        needed = {f.name for f in schema.fields if f.required} | set(layout.required)
        self.needed = needed - set(layout.constants)
        # A group a constant satisfies is satisfied for every header.
        self.one_of = [group for group in schema.one_of if not any(g in layout.constants for g in group)]
        self.memo: dict[str, tuple[ColumnRule | None, int, int]] = {}

    def cell(self, cell: str) -> tuple[ColumnRule | None, int, int]:
        """(the rule that reads the cell or None, its rank there, bits of the identifying columns it is)."""
        known = self.memo.get(cell)
        if known is None:
            hit = self.names.fullmatch(cell) if self.hits else None
            rule, rank = self.hits[hit.lastindex - 1] if hit and hit.lastindex else (None, 0)
            bits = sum(1 << i for i, pattern in enumerate(self.identified) if pattern.fullmatch(cell))
            if len(self.memo) >= self.MEMO:
                self.memo.clear()
            known = self.memo[cell] = (rule, rank, bits)
        return known


def _alternatives(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern of the names' patterns, each its own group: which one matched is `lastindex`."""
    return re.compile("|".join(f"({p.pattern})" for p in _patterns(names)), re.DOTALL)


# Keyed by the layout's identity (a Layout holds a dict, so it has no hash); the entry holds the
# layout, so an id is not reused while it is here. Registry layouts stay, custom ones are few.
_MATCHERS: dict[int, tuple[Layout, _Matcher]] = {}


def _matcher(layout: Layout) -> _Matcher:
    entry = _MATCHERS.get(id(layout))
    if entry is None:
        if len(_MATCHERS) >= 1024:
            _MATCHERS.clear()
        entry = _MATCHERS[id(layout)] = (layout, _Matcher(layout))
    return entry[1]
