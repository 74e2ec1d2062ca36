"""Field kinds map to column parsers through one registry (sambrief.ingest.kinds): every kind
a dataset uses has its parser, and a field is parsed by its kind's entry, not by a branch."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sambrief.ingest import datasets
from sambrief.ingest.columns import blank_mask
from sambrief.ingest.datasets import DATASETS, NUMBER
from sambrief.ingest.kinds import KINDS, FieldInput, kind_of
from sambrief.ingest.privacy import Pseudonymiser


def _cells(values: list, spec=None, decimal: str = ",") -> FieldInput:
    column = pd.Series(values, dtype="str")
    return FieldInput([column], [blank_mask(column)], ["x"], None, spec, decimal, False, Pseudonymiser(b"k"))


def test_every_kind_of_every_dataset_has_a_parser():
    kinds = {getattr(datasets, name) for name in ("TEXT", "NUMBER", "DATE", "BOOL", "USER", "CHOICE", "LIST")}
    assert set(KINDS) == kinds
    assert {f.kind for d in DATASETS.values() for f in d.fields} <= set(KINDS)
    assert kind_of("something else") is KINDS["text"]  # a layout's helper field of no known kind is text


def test_a_count_that_must_not_be_negative_is_refused_by_the_number_parser():
    spec = next(f for d in DATASETS.values() for f in d.fields if f.kind == NUMBER and f.nonnegative)
    parsed = KINDS[NUMBER].parse(_cells(["1.234,5", "-3", "zwölf", ""], spec))
    assert list(parsed.values[:2]) == [1234.5, -3.0] and np.isnan(parsed.values[3])
    assert list(parsed.bad) == [False, False, True, False]
    assert parsed.negative is not None and list(parsed.negative) == [False, True, False, False]


def test_yes_no_and_list_cells_are_parsed_by_their_entries():
    yes_no = KINDS["bool"].parse(_cells(["Ja", "nein", "vielleicht"]))
    assert list(yes_no.values) == [True, False, None] and list(yes_no.bad) == [False, False, True]
    lists = KINDS["list"].parse(_cells(["a; b", "c,d", ""]))
    assert list(lists.values) == [("a", "b"), ("c", "d"), None]
