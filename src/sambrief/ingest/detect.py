"""Which layout an export is: the header row among the first rows of each sheet, and the vendor
layout that fits it best; when none fits, the nearest layout and what the header lacks for it."""

from __future__ import annotations

from pathlib import Path

from sambrief.errors import InputError
from sambrief.i18n.notices import Joined, Notice
from sambrief.ingest.columns import blank_mask
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.layouts import ColumnRule, HeaderMatch, Layout, SourcePin, custom_layout, match_header, registry
from sambrief.ingest.readers import RawTable
from sambrief.text import normalise_header

HEADER_SEARCH_ROWS = 30


def candidate_layouts(pin: SourcePin) -> list[Layout]:
    layouts = registry()
    if pin.layout:
        base = layouts[pin.layout]
        return [custom_layout(base.dataset, pin.columns, base) if pin.columns else base]
    if pin.columns:
        dataset = pin.dataset or ""
        return [custom_layout(dataset, pin.columns)]
    return [lay for lay in layouts.values() if not pin.dataset or lay.dataset == pin.dataset]


def detect(path: Path, tables: list[RawTable], layouts: list[Layout], pin: SourcePin) -> tuple[RawTable, HeaderMatch]:
    # Per table: its header's best match, and every layout's match of that row (for the rivals).
    matches: list[tuple[RawTable, HeaderMatch, list[HeaderMatch]]] = []
    for table in tables:
        best_here: HeaderMatch | None = None
        for row_index, row in enumerate(table.head(HEADER_SEARCH_ROWS)):
            cells = [normalise_header(c) for c in row]
            if sum(1 for c in cells if c) < 2:
                continue
            row_matches = [m for m in (match_header(layout, cells, row_index) for layout in layouts) if m]
            for m in row_matches:
                if best_here is None or m.confidence > best_here.confidence:
                    best_here = m
            if best_here is not None:
                matches.append((table, best_here, row_matches))
                break  # the first row that is a header is the header
    if not matches:
        raise _no_layout(path, tables, layouts, pin)
    matches.sort(key=lambda tm: tm[1].confidence, reverse=True)
    table, best, header_matches = matches[0]
    # Same table, another layout equally good -> ambiguous; say how to pin it.
    rivals = [
        m.layout.key
        for m in header_matches
        if m.layout.key != best.layout.key and m.confidence == best.confidence and m.columns != best.columns
    ]
    if rivals:
        names = ", ".join([best.layout.key] + rivals)
        raise InputError(Notice("in_ambiguous_layout", path=str(path), names=names, layout=best.layout.key))
    # Column by column, each sliced only when the columns before it are empty (usually the first has data).
    has_data = any((~blank_mask(column.iloc[best.header_row + 1 :])).any() for _, column in table.frame.items())
    if not has_data and not best.layout.schema.register:
        raise InputError(Notice("in_no_data_rows", path=str(path)))
    return table, best


class UnknownLayout(InputError):
    """No layout fits the file's header: a file a build may skip (see pipeline.read_sources).
    Carries the nearest layout (None when no layout shares two column names with the header)
    and what the header lacks for it."""

    def __init__(self, message: Notice, path: Path, nearest: str | None, lacks: list[str]):
        super().__init__(message)
        self.path, self.nearest, self.lacks = path, nearest, lacks


def _no_layout(path: Path, tables: list[RawTable], layouts: list[Layout], pin: SourcePin) -> UnknownLayout:
    # The nearest layout: the one whose column names appear most in any early row.
    best: tuple[int, Layout | None, list[str]] = (0, None, [])
    for table in tables:
        for row in table.head(HEADER_SEARCH_ROWS):
            cells = [normalise_header(c) for c in row]
            for layout in layouts:
                hits = {r.field for r in layout.columns for c in cells if c and r.matches(c)}
                # a report's identifying columns count too: of the usage reports with the same
                # user and date columns, the one whose own columns the header has is the nearest
                found = len(hits) + len(layout.identified_by) - len(_missing_signature(layout, cells))
                if len(hits) >= 2 and found > best[0]:
                    best = (found, layout, _missing_fields(layout, hits) + _missing_signature(layout, cells))
    score, nearest_layout, missing = best
    if score < 2:
        nearest_layout, missing = None, []
    if nearest_layout is not None and missing:
        message = Notice(
            "in_required_missing", path=str(path), layout=nearest_layout.key, missing=Joined(tuple(missing))
        )
        return UnknownLayout(message, path, nearest_layout.key, missing)
    datasets = [d for d in DATASETS if any(lay.dataset == d for lay in layouts)] or list(DATASETS)
    canon: str | Notice = "; ".join(f"{d}: {', '.join(DATASETS[d].field_names)}" for d in datasets[:2])
    if len(datasets) > 2:
        canon = Notice("in_canonical_more", listed=canon, more=", ".join(datasets[2:]))
    if nearest_layout is None:
        return UnknownLayout(Notice("in_no_layout", path=str(path), canonical=canon), path, None, missing)
    message = Notice("in_no_layout_near", path=str(path), nearest=nearest_layout.key, canonical=canon)
    return UnknownLayout(message, path, nearest_layout.key, missing)


def _missing_fields(layout: Layout, hits: set[str]) -> list[str | Notice]:
    """What the header lacks for this layout, as match_header decides it: each required field,
    and each group of which one field is enough (a licence balance needs the entitlements or
    the balance), with the column names the layout knows for each."""
    have = hits | set(layout.constants)
    needed = [f.name for f in layout.schema.fields if f.required] + list(layout.required)
    missing: list[str | Notice] = [
        Notice("in_field_names", field=n, names=_header_names(layout, n))
        for n in dict.fromkeys(needed)
        if n not in have
    ]
    missing += [
        Notice(
            "in_one_of",
            alternatives=_either([Notice("in_field_names", field=n, names=_header_names(layout, n)) for n in group]),
        )
        for group in layout.schema.one_of
        if not have & set(group)
    ]
    return missing


def _missing_signature(layout: Layout, cells: list[str]) -> list[str | Notice]:
    """The identifying columns of the layout (`identified_by`) the header lacks."""
    missing: list[str | Notice] = []
    for names in layout.identified_by:
        probe = ColumnRule("_", names)
        if not any(c and probe.matches(c) for c in cells):
            quoted = [f"'{n}'" for n in names[:3]]
            missing.append(Notice("in_one_of", alternatives=_either(quoted)) if len(names) > 1 else quoted[0])
    return missing


def _header_names(layout: Layout, field_name: str) -> str | Notice:
    for rule in layout.columns:
        if rule.field == field_name:
            return _either([f"'{n}'" for n in list(dict.fromkeys(rule.names))[:3]])
    return field_name


def _either(alternatives: list) -> str | Notice:
    """'a', 'b' or 'c' in the language of the message."""
    if len(alternatives) == 1:
        return alternatives[0]
    return Notice("in_or", rest=alternatives[:-1], last=alternatives[-1])
