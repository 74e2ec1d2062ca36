from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sambrief.ingest.columns import blank_mask
from sambrief.ingest.numbers import parse_numbers
from sambrief.ingest.parsing import parse_bool, parse_date, parse_number
from sambrief.text import clean_text, inert_cell, shorten


@pytest.mark.parametrize(
    "raw, decimal, expected",
    [
        ("1.234,56", ",", 1234.56),
        ("1,234.56", ".", 1234.56),
        ("-12", ".", -12.0),
        ("(12)", ".", -12.0),
        ("12-", ",", -12.0),
        ("-9.487,50 €", ",", -9487.5),
        ("EUR 24,360.00", ".", 24360.0),
        ("1 234,5", ",", 1234.5),
        ("1'234.5", ".", 1234.5),
        (5, ".", 5.0),
        (2.5, ",", 2.5),
    ],
)
def test_parse_number(raw, decimal, expected):
    assert parse_number(raw, decimal) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2,3,4.5.6", "", "n/a", True, None, "5%", "1e30", "1.2.3", "12,5,0"])
def test_parse_number_refuses(raw):
    assert parse_number(raw, ",") is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("33.7", 33.7),
        ("33,70", 33.7),
        ("1.234,50", 1234.5),
        ("1 234,5", 1234.5),
        ("1.234", 1.234),
        ("1,234", 1.234),
        ("1.234.567", 1234567.0),
        (" 12 ", 12.0),
        (40, 40.0),
    ],
)
def test_a_configuration_number_takes_the_comma_as_decimal_mark(raw, expected):
    assert parse_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["1,234,567", "1,234.5", "zwölf", "12.5.2026"])
def test_a_configuration_number_refuses_english_thousands_and_text(raw):
    assert parse_number(raw) is None


def _decided(cells: list[str], default: str) -> str:
    column = pd.Series(cells, dtype="str")
    return parse_numbers(column, blank_mask(column), default)[3]


def test_decimal_mark_from_column_evidence():
    assert _decided(["1.234,56", "12"], ".") == ","
    assert _decided(["12.5", "3"], ",") == "."
    assert _decided(["1,234"], ",") == ","  # ambiguous -> file default
    assert _decided(["1,234"], ".") == "."
    assert _decided(["1.234.567"], ".") == ","


_CELL = st.text(alphabet="0123456789.,-+() €'EUR", max_size=12)


@settings(max_examples=40, deadline=None)
@given(st.lists(_CELL, min_size=1, max_size=8), st.sampled_from([",", "."]))
def test_one_grammar_for_a_column_and_for_one_value(cells, default):
    """The column parser and the one-value parser read every cell alike (the grammar is written once)."""
    column = pd.Series(cells, dtype="str")
    blank = blank_mask(column)
    values, bad, _, decimal = parse_numbers(column, blank, default)
    for cell, value, refused, empty in zip(cells, values, bad, blank):
        if empty:
            continue
        one = parse_number(cell, decimal)
        assert (one is None) == bool(refused), cell
        if one is not None:
            assert one == value, cell


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-10-31", date(2026, 10, 31)),
        ("31.10.2026", date(2026, 10, 31)),
        ("8/19/2021 1:25:31 PM", date(2021, 8, 19)),
        ("3 Jan 2024", date(2024, 1, 3)),
        ("2016/04/04 00:24:13", date(2016, 4, 4)),
        ("2022-03-18 19:49:35Z", date(2022, 3, 18)),
        ("2014-01-01T00:00:00Z", date(2014, 1, 1)),
        (45000, date(2023, 3, 15)),
        ("45000", date(2023, 3, 15)),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("Ja", True), ("Nein", False), ("True", True), ("FALSE", False), ("1", True), ("0", False), ("Yes", True)],
)
def test_parse_bool(raw, expected):
    assert parse_bool(raw) is expected


def _german(value: float) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_number_round_trip_german_and_english(value):
    v = float(value)
    assert parse_number(_german(v), ",") == pytest.approx(v)
    assert parse_number(f"{v:,.2f}", ".") == pytest.approx(v)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_date_round_trip(day):
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d %b %Y")) == day


@pytest.mark.slow
@given(st.text())
def test_clean_text_is_xml_safe_single_line(text):
    cleaned = clean_text(text)
    assert "\n" not in cleaned and "\r" not in cleaned
    assert all(ch in "\t" or ord(ch) >= 0x20 for ch in cleaned)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff" for ch in cleaned)


def test_formula_and_shorten():
    assert inert_cell("=1+3") == "\u200b=1+3"
    assert inert_cell("http://x.example") == "\u200bhttp://x.example"
    assert inert_cell("Microsoft") == "Microsoft"
    assert shorten("Microsoft Visio Professional 2021 Volume License", 20) == "Microsoft Visio…"
    assert len(shorten("x" * 200, 40)) == 40
