"""Raw tables -> canonical dataset frames: layout detection, parsing and privacy.

This is the door every export passes: after it, no raw identifier, control character
or unparsed number exists anywhere in sambrief.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sambrief.datasets import BOOL, CHOICE, DATASETS, DATE, LIST, NUMBER, USER
from sambrief.errors import InputError
from sambrief.layouts import HeaderMatch, Layout, SourcePin, custom_layout, match_header, registry
from sambrief.parsing import decimal_style, is_blank, parse_bool, parse_date, parse_number
from sambrief.privacy import Pseudonymiser
from sambrief.readers import RawTable, read_bytes, read_tables
from sambrief.text import clean_text, normalise_header

HEADER_SEARCH_ROWS = 30
TOTAL_WORDS = {"summe", "gesamt", "gesamtsumme", "total", "totals", "grand total", "sum", "insgesamt", "gesamt:", "total:", "summe:"}
MAX_EXAMPLES = 3


@dataclass
class LoadedSource:
    path: Path
    dataset: str
    layout: str
    layout_title: str
    sheet: str | None
    header_row: int  # 1-based row of the header in the file or sheet
    confidence: float
    mapping: dict[str, str]  # source header -> canonical field
    frame: pd.DataFrame
    rows_read: int
    dropped: dict[str, int]
    size: int
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[str] = field(default_factory=list)


def candidate_layouts(pin: SourcePin) -> list[Layout]:
    layouts = registry()
    if pin.layout:
        base = layouts[pin.layout]
        return [custom_layout(base.dataset, pin.columns, base) if pin.columns else base]
    if pin.columns:
        dataset = pin.dataset or ""
        return [custom_layout(dataset, pin.columns)]
    return [lay for lay in layouts.values() if not pin.dataset or lay.dataset == pin.dataset]


def load_source(path: Path, pin: SourcePin, pseudonymise: Pseudonymiser) -> LoadedSource:
    layouts = candidate_layouts(pin)
    encodings = {lay.encoding for lay in layouts if lay.encoding}
    data = read_bytes(path)  # read once: parsed, and hashed for the history
    tables = read_tables(path, data, encodings.pop() if len(encodings) == 1 else None)
    if pin.sheet is not None:
        chosen = [t for t in tables if t.sheet == pin.sheet]
        if not chosen:
            names = ", ".join(repr(t.sheet) for t in tables)
            raise InputError(f"{path}: no sheet named {pin.sheet!r} (sheets: {names}); fix `sheet:` in sambrief.yaml")
        tables = chosen
    table, match = _detect(path, tables, layouts, pin)
    frame, rows_read, dropped, row_warnings = canonicalise(path, table, match, pseudonymise)
    headers = [clean_text(c) for c in table.rows[match.header_row]]
    mapping = {headers[i]: f for f, idx in match.columns.items() for i in idx if not f.startswith("_")}
    return LoadedSource(
        path=path,
        dataset=match.layout.dataset,
        layout=match.layout.key,
        layout_title=match.layout.title,
        sheet=table.sheet,
        header_row=match.header_row + 1,
        confidence=match.confidence,
        mapping=mapping,
        frame=frame,
        rows_read=rows_read,
        dropped=dropped,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=table.encoding,
        delimiter=table.delimiter,
        warnings=row_warnings,
    )


def _detect(path: Path, tables: list[RawTable], layouts: list[Layout], pin: SourcePin) -> tuple[RawTable, HeaderMatch]:
    matches: list[tuple[RawTable, HeaderMatch]] = []
    for table in tables:
        best_here: HeaderMatch | None = None
        for row_index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            cells = [normalise_header(c) for c in row]
            if sum(1 for c in cells if c) < 2:
                continue
            for layout in layouts:
                m = match_header(layout, cells, row_index)
                if m and (best_here is None or m.confidence > best_here.confidence):
                    best_here = m
            if best_here is not None:
                break  # the first row that is a header is the header
        if best_here is not None:
            matches.append((table, best_here))
    if not matches:
        raise InputError(_no_layout_message(path, tables, layouts, pin))
    matches.sort(key=lambda tm: tm[1].confidence, reverse=True)
    table, best = matches[0]
    # Same table, another layout equally good -> ambiguous; say how to pin it.
    rivals = _rivals(table, best, layouts)
    if rivals:
        names = ", ".join([best.layout.key] + rivals)
        raise InputError(
            f"{path}: the header fits several layouts equally well ({names}); "
            f"pin one with `layout: {best.layout.key}` under this source in sambrief.yaml"
        )
    data_rows = [r for r in table.rows[best.header_row + 1 :] if any(not is_blank(c) for c in r)]
    if not data_rows and not best.layout.schema.register:
        raise InputError(
            f"{path}: has a header row but no data rows; export it again with data "
            "or remove it from the sources"
        )
    return table, best


def _rivals(table: RawTable, best: HeaderMatch, layouts: list[Layout]) -> list[str]:
    cells = [normalise_header(c) for c in table.rows[best.header_row]]
    out = []
    for layout in layouts:
        if layout.key == best.layout.key:
            continue
        m = match_header(layout, cells, best.header_row)
        if m and m.confidence == best.confidence and m.columns != best.columns:
            out.append(layout.key)
    return out


def _no_layout_message(path: Path, tables: list[RawTable], layouts: list[Layout], pin: SourcePin) -> str:
    # The nearest layout: the one whose column names appear most in any early row.
    best: tuple[int, Layout | None, list[str]] = (0, None, [])
    for table in tables:
        for row in table.rows[:HEADER_SEARCH_ROWS]:
            cells = [normalise_header(c) for c in row]
            for layout in layouts:
                hits = {r.field for r in layout.columns for c in cells if c and r.matches(c)}
                if len(hits) > best[0]:
                    needed = [f.name for f in layout.schema.fields if f.required] + list(layout.required)
                    best = (len(hits), layout, [n for n in needed if n not in hits])
    hits, layout, missing = best
    if hits < 2:
        layout = None
    if layout is not None and missing:
        names = "; ".join(f"{m} ({_header_names(layout, m)})" for m in missing)
        return (
            f"{path}: required column missing for layout {layout.key}: {names}; "
            "add the column to the export, or map it with `columns:` in sambrief.yaml"
        )
    datasets = [d for d in DATASETS if any(lay.dataset == d for lay in layouts)] or list(DATASETS)
    canon = "; ".join(f"{d}: {', '.join(DATASETS[d].field_names)}" for d in datasets[:2])
    if len(datasets) > 2:
        canon += f"; also {', '.join(datasets[2:])} (see README)"
    nearest = f" (nearest known layout: {layout.key})" if layout else ""
    return (
        f"{path}: no known layout matches its header{nearest}; pin `layout:` or map the columns "
        f"with `columns:` in sambrief.yaml (canonical columns: {canon})"
    )


def _header_names(layout: Layout, field_name: str) -> str:
    for rule in layout.columns:
        if rule.field == field_name:
            return "'" + "' or '".join(rule.names[:3]) + "'"
    return field_name


def _is_total_row(row: list[object]) -> bool:
    texts = [normalise_header(c) for c in row if not is_blank(c)][:2]
    return any(t.rstrip(":") in TOTAL_WORDS or t in TOTAL_WORDS for t in texts)


def canonicalise(
    path: Path, table: RawTable, match: HeaderMatch, pseudonymise: Pseudonymiser
) -> tuple[pd.DataFrame, int, dict[str, int], list[str]]:
    layout = match.layout
    schema = layout.schema
    rules = {r.field: r for r in layout.columns}
    header_cells = [clean_text(c) for c in table.rows[match.header_row]]
    dropped: Counter[str] = Counter()
    records: list[dict[str, Any]] = []
    line_numbers: list[int] = []
    first_data = match.header_row + 1
    for offset, row in enumerate(table.rows[first_data:]):
        line = first_data + offset + 1
        if not any(not is_blank(c) for c in row):
            dropped["empty row"] += 1
            continue
        if _is_total_row(row):
            dropped["totals row"] += 1
            continue
        base = {f: [row[i] if i < len(row) else None for i in idx] for f, idx in match.columns.items()}
        if layout.unpivot:
            value_field, key_field = layout.unpivot["value"], layout.unpivot["key"]
            pattern = re.compile(layout.unpivot["pattern"], re.IGNORECASE)
            for i in match.columns[value_field]:
                cell = row[i] if i < len(row) else None
                if is_blank(cell):
                    continue  # no access to that product: no seat
                rec = {f: v for f, v in base.items() if f not in (value_field, key_field)}
                rec[value_field] = [cell]
                found = pattern.search(header_cells[i])
                rec[key_field] = [clean_text(found.group("product")) if found else header_cells[i]]
                records.append(rec)
                line_numbers.append(line)
        else:
            records.append(base)
            line_numbers.append(line)

    # Parse each field over all rows, collecting every failure with its line.
    problems: list[str] = []
    columns: dict[str, list[Any]] = {}
    for field_name in {*match.columns} | ({layout.unpivot["key"]} if layout.unpivot else set()):
        kind = schema.field(field_name).kind if field_name in schema.field_names else (rules[field_name].kind or "text")
        rule = rules.get(field_name)
        values_per_row = [rec.get(field_name, [None]) for rec in records]
        decimal = "."
        if kind == NUMBER:
            strings = [str(v) for vals in values_per_row for v in vals if isinstance(v, str) and v.strip()]
            decimal = decimal_style(strings, table.decimal_hint if table.delimiter else layout.decimal)
        parsed, bad = [], []
        for rec_values, line in zip(values_per_row, line_numbers):
            try:
                parsed.append(_parse_cell(kind, rec_values, rule, decimal, schema, field_name, pseudonymise))
            except ValueError:
                shown = next((clean_text(v) for v in rec_values if not is_blank(v)), "")
                bad.append((line, shown))
        if bad:
            header = _source_header(header_cells, match.columns.get(field_name, []))
            what = {NUMBER: "numbers", DATE: "dates", BOOL: "yes/no values", CHOICE: "known values"}.get(kind, "valid")
            examples = ", ".join(f"row {ln}: {val[:30]!r}" for ln, val in bad[:MAX_EXAMPLES])
            more = f" and {len(bad) - MAX_EXAMPLES} more" if len(bad) > MAX_EXAMPLES else ""
            hint = ""
            if kind == CHOICE:
                hint = f" (allowed: {', '.join(schema.field(field_name).choices)})"
            problems.append(
                f"column '{header}': {len(bad)} value(s) are not {what}{hint} ({examples}{more})"
            )
        columns[field_name] = parsed
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems) + "; correct the cells in the export and run again")

    frame = pd.DataFrame({f: pd.Series(v, dtype=object) for f, v in columns.items()}, index=range(len(records)))
    # List cells (Assigned Products 'A+B') become one row per item.
    for rule in layout.columns:
        if rule.split and rule.field in frame:
            splitter = re.compile(rule.split)
            frame[rule.field] = frame[rule.field].map(
                lambda v, sp=splitter: [clean_text(p) for p in sp.split(str(v)) if clean_text(p)] if v else []
            )
            frame = frame.explode(rule.field, ignore_index=True)
            empty = frame[rule.field].isna()
            if empty.any():
                dropped[f"no {rule.field}"] += int(empty.sum())
                frame = frame[~empty].reset_index(drop=True)
    for name, value in layout.constants.items():
        frame[name] = value
    for flt in layout.drop_rows:
        if flt.field in frame:
            hit = frame[flt.field].isin(list(flt.values))
            if hit.any():
                dropped[flt.reason] += int(hit.sum())
                frame = frame[~hit].reset_index(drop=True)
    # Empty text where a required text field should be: a row nobody can use.
    for f in schema.fields:
        if f.required and f.name in frame and f.kind != DATE:
            missing = frame[f.name].map(lambda v: v is None or v == "")
            if missing.any():
                dropped[f"no {f.name}"] += int(missing.sum())
                frame = frame[~missing].reset_index(drop=True)
    frame = frame[[c for c in frame.columns if not str(c).startswith("_")]]
    for f in schema.fields:
        if f.name not in frame:
            frame[f.name] = None
    warnings = [f"{path}: dropped {n} {reason}(s)" for reason, n in dropped.items() if reason not in ("empty row", "totals row")]
    return frame[list(schema.field_names)], len(records), dict(dropped), warnings


def _source_header(header_cells: list[str], indices: list[int]) -> str:
    return header_cells[indices[0]] if indices else "?"


def _parse_cell(kind, values, rule, decimal, schema, field_name, pseudonymise):  # noqa: ANN001
    present = [v for v in values if not is_blank(v)]
    if kind == DATE:
        never = rule.never if rule else ()
        dates = []
        for v in present:
            if isinstance(v, str) and normalise_header(v) in never:
                continue
            dates.append(parse_date(v, rule.date_formats if rule and rule.date_formats else None))
        if not dates:
            return None
        if rule and rule.combine == "min":
            return min(dates)
        return max(dates)  # 'max' and single columns: the latest date
    if not present:
        return None
    value = present[0]
    if kind == NUMBER:
        number = parse_number(value, decimal)
        return -number if rule and rule.negate else number
    if kind == BOOL:
        if rule and rule.true_values:
            return normalise_header(value) in rule.true_values
        return parse_bool(value)
    if kind == USER:
        text = clean_text(value)
        return pseudonymise(text) if text else None
    if kind == CHOICE:
        text = normalise_header(value)
        for canonical, spellings in schema.field(field_name).choices.items():
            if text == canonical or text in spellings:
                return canonical
        raise ValueError(text)
    if kind == LIST:
        return tuple(p for p in (clean_text(x) for x in re.split(r"[,;]", str(value))) if p)
    return clean_text(value)
