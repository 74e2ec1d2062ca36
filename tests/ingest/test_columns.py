"""Column parsers: one decision per column, the same values the per-cell parsers gave."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sambrief.ingest.columns import blank_mask, clean_column, days_to_dates
from sambrief.ingest.dates import parse_dates
from sambrief.ingest.numbers import parse_numbers
from sambrief.ingest.privacy import Pseudonymiser, pseudonymise_column
from sambrief.model.core import idle_mask


def numbers(cells: list, default: str = "."):
    column = pd.Series(cells, dtype="str" if all(isinstance(c, str) for c in cells) else object)
    values, bad, out_of_range, decimal = parse_numbers(column, blank_mask(column), default)
    return list(values), list(bad), list(out_of_range), decimal


def test_german_column_decides_decimal_comma_once():
    values, bad, _, decimal = numbers(["1.234,56", "12,5", "(3)", "7-", "1.000 €", "-9.487,50 €"])
    assert decimal == ","
    assert values == [1234.56, 12.5, -3.0, -7.0, 1000.0, -9487.5]
    assert not any(bad)


def test_two_grouping_styles_in_one_column_are_errors_not_guesses():
    values, bad, _, decimal = numbers(["1,234.50", "2,000.00", "1.234,50"])
    assert decimal == "."
    assert values[:2] == [1234.5, 2000.0]
    assert bad == [False, False, True]


def test_ambiguous_grouping_and_units_are_errors():
    _, bad, _, _ = numbers(["1.2.3", "1,2,3", "5%", "1e30", "12"], ",")
    assert bad == [True, True, True, True, False]


def test_native_workbook_numbers_and_range():
    values, bad, out_of_range, _ = numbers([5, 2.5, True, 1e30])
    assert values[:2] == [5.0, 2.5]
    assert bad == [False, False, True, False]
    assert out_of_range == [False, False, False, True]


def test_dates_in_mixed_formats_parse_per_column_and_per_value():
    column = pd.Series(
        ["2026-10-31", "31.10.2026", "3 Jan 2024", "8/19/2021 1:25:31 PM", "45000", "gestern", ""], dtype="str"
    )
    days, bad = parse_dates(column, blank_mask(column))
    assert list(days_to_dates(days)) == [
        date(2026, 10, 31),
        date(2026, 10, 31),
        date(2024, 1, 3),
        date(2021, 8, 19),
        date(2023, 3, 15),
        None,
        None,
    ]
    assert list(bad) == [False] * 5 + [True, False]


def test_a_user_column_is_pseudonymised_once_per_person():
    p = Pseudonymiser(b"k")
    column = pd.Series(["Anna@x.example", "anna@x.example ", None, "", "ben@x.example"], dtype=object)
    # what ingest does with a user column: cleaned and pseudonymised as a whole column
    keys = [None if pd.isna(k) else k for k in pseudonymise_column(column, blank_mask(column), p)]
    assert keys[0] == keys[1] == p("anna@x.example") and keys[4] == p("ben@x.example")
    assert keys[2] is None and keys[3] is None


def test_a_whole_user_column_gives_each_person_the_key_of_the_per_value_method():
    p = Pseudonymiser(b"k")
    cells = [
        "Anna.Mueller@Contoso.Example",
        " anna.mueller@contoso.example ",
        "anna\u200b.mueller@contoso.example",
        "first_example.com#EXT#@tenant.onmicrosoft.com",
        "FIRST@example.com",
        "Straße@x.example",
        "STRASSE@X.example",
        "  ",
        "\u200b",
        None,
        "",
    ]
    for dtype in ("str", object):  # a CSV column (arrow) and a workbook column (Python cells)
        column = pd.Series(cells, dtype=dtype)
        keys = list(pseudonymise_column(column, blank_mask(column), p))
        assert keys[:3] == [p("anna.mueller@contoso.example")] * 3
        assert keys[3] == keys[4] == p("first@example.com")
        assert keys[5] == keys[6] == p("strasse@x.example")
        assert pd.isna(keys[7:]).all()  # blank, or nothing left once cleaned: no one
        assert keys[0] != p("ben@contoso.example")


def test_idle_mask_uses_the_threshold_per_product_and_the_report_date():
    seats = pd.DataFrame(
        {
            "product": ["Miro", "MIRO", "Teams", "Teams", "Teams"],
            "report_date": [date(2026, 10, 31)] * 4 + [None],
            "last_activity": [date(2026, 9, 15), date(2026, 8, 1), date(2026, 8, 15), None, date(2026, 6, 1)],
            "activity_known": [True, True, True, True, True],
            "account_disabled": [False, False, False, False, False],
        }
    )
    days = {"miro": 60}
    idle, never = idle_mask(seats, date(2026, 9, 30), lambda p: days.get(p.casefold(), 90))
    # Miro: 60 days -> limit 1 Sep; Teams: 90 days -> 2 Aug; the last seat has no report date: as_of 30 Sep -> 2 Jul.
    assert list(idle) == [False, True, False, True, True]
    assert list(never) == [False, False, False, True, False]


def test_canonical_frames_are_typed(example_workspace):
    """Numbers are float64 (NaN = unknown); other fields hold one type of value or None, never NaN."""
    import math
    from datetime import date as day

    from sambrief.commands.stages import canonical_model, read_sources
    from sambrief.config.workspace import load_settings
    from sambrief.ingest.datasets import DATASETS, NUMBER

    settings = load_settings(example_workspace / "sambrief.yaml")
    sources, _ = read_sources(settings, lambda _: None, create_key=False)
    model = canonical_model(sources, None, day(2026, 11, 15))
    for name, frame in model.datasets.items():
        for field in DATASETS[name].fields:
            column = frame[field.name]
            if field.kind == NUMBER:
                assert column.dtype == "float64", (name, field.name)
            elif column.dtype == object:
                kinds = {type(v) for v in column if v is not None}
                assert not any(isinstance(v, float) and math.isnan(v) for v in column), (name, field.name)
                assert len(kinds) <= 1, (name, field.name, kinds)


def test_a_text_column_with_few_values_is_a_categorical_of_the_same_cleaned_texts():
    cells = [
        "Vertrieb",
        " Vertrieb ",
        "Ver\u200btrieb",
        None,
        "  ",
        "IT",
        "IT",
        "Vertrieb",
        "IT",
        "IT",
        "Einkauf",
        "IT",
    ] * 3
    column = pd.Series(cells, dtype=object)
    blank = blank_mask(column)
    typed = clean_column(column, blank, categorical_below=0.25)
    assert isinstance(typed, pd.Categorical) and sorted(typed.categories) == ["Einkauf", "IT", "Vertrieb"]
    expected = clean_column(column, blank)
    assert [None if pd.isna(v) else v for v in typed] == list(expected)
    few = pd.Series(["a", "b", "c", "d"], dtype=object)  # as many values as rows: plain text cells
    assert list(clean_column(few, blank_mask(few), categorical_below=0.25)) == ["a", "b", "c", "d"]
