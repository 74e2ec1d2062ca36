"""What is wrong with an export's cells, in words that name the rows: cells not of their field's
kind, negative or out of range, ambiguous dates, and rows whose stated balance disagrees with
its own parts. Used by ingest.canonical while it parses each field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sambrief.i18n.notices import Notice
from sambrief.ingest.dates import AmbiguousDates
from sambrief.ingest.kinds import Kind, Parsed
from sambrief.ingest.layouts import Layout
from sambrief.ingest.totals import MAX_EXAMPLES, listed
from sambrief.text import clean_text


def refused(
    header: str,
    kind: Kind,
    field_name: str,
    parsed: Parsed,
    cols: list[pd.Series],
    blanks: list[np.ndarray],
    lines: np.ndarray,
) -> list[Notice]:
    """What is wrong with a field's cells: not of its kind, negative, out of range."""
    problems = []
    if parsed.bad.any():
        shown = _shown(cols, blanks, parsed.bad)
        offers = {"offers": kind.offers(field_name, shown)} if kind.offers else {}
        problems.append(
            Notice(
                kind.refused,
                header=header,
                n=int(parsed.bad.sum()),
                examples=_examples(lines[parsed.bad], shown),
                **offers,
            )
        )
    if parsed.negative is not None and parsed.negative.any():
        shown = _shown(cols, blanks, parsed.negative)
        problems.append(
            Notice(
                "in_negative",
                header=header,
                n=int(parsed.negative.sum()),
                examples=_examples(lines[parsed.negative], shown),
            )
        )
    if parsed.out_of_range is not None and parsed.out_of_range.any():
        shown = _shown(cols, blanks, parsed.out_of_range)
        problems.append(
            Notice(
                kind.beyond,
                header=header,
                n=int(parsed.out_of_range.sum()),
                examples=_examples(lines[parsed.out_of_range], shown),
                **kind.beyond_values,
            )
        )
    return problems


def disagreements(path: Path, layout: Layout, columns: dict[str, Any], lines: np.ndarray) -> list[Notice]:
    """Rows where a dataset's difference rule (a licence balance is entitlements − required)
    does not hold although the export states all three: a warning naming the rows; the export's
    own difference stays in use. A layout whose tool computes that field by another rule
    (Snow's Compliance counts coverage, not licences) lists it under `own_rule:`."""
    rule = layout.schema.difference
    if not rule or rule[0] in layout.own_rule or not all(f in columns for f in rule):
        return []
    difference, minuend, subtrahend = (np.asarray(columns[f], dtype=float) for f in rule)
    stated = ~(np.isnan(difference) | np.isnan(minuend) | np.isnan(subtrahend))
    off = stated & ~np.isclose(difference, minuend - subtrahend, rtol=0, atol=1e-6)
    if not off.any():
        return []
    at = np.flatnonzero(off)
    shown = [
        f"{lines[i]}: {_number(minuend[i])} − {_number(subtrahend[i])} ≠ {_number(difference[i])}"
        for i in at[:MAX_EXAMPLES]
    ]
    return [
        Notice(
            "balance_disagrees",
            where=str(path),
            n=len(at),
            rows="; ".join(shown) + (" …" if len(at) > MAX_EXAMPLES else ""),
        )
    ]


def _number(value: float) -> str:
    return f"{value:g}".replace("-", "−")


def _examples(lines: np.ndarray, shown: list[str]) -> list[Notice] | Notice:
    examples = [Notice("in_example", row=int(ln), value=repr(val[:30])) for ln, val in zip(lines[:MAX_EXAMPLES], shown)]
    return listed(examples, len(lines))


def _shown(cols: list[pd.Series], blanks: list[np.ndarray], rows: np.ndarray) -> list[str]:
    """The first few offending cells as the user sees them (cleaned, first non-empty column)."""
    out = []
    for i in np.flatnonzero(rows)[:MAX_EXAMPLES]:
        out.append(next((clean_text(c.iloc[i]) for c, b in zip(cols, blanks) if not b[i]), ""))
    return out


def ambiguous_dates(header: str, unclear: AmbiguousDates, proven: set[str]) -> Notice:
    if len(unclear.examples) > 1:
        return Notice(
            "in_dates_mixed", header=header, first=f"'{unclear.examples[0]}'", second=f"'{unclear.examples[1]}'"
        )
    return Notice(
        "in_dates_unclear_disagree" if len(proven) > 1 else "in_dates_unclear",
        header=header,
        example=f"'{unclear.examples[0]}'",
    )
