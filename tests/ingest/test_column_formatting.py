"""The notes' full lists format whole columns at once: every text must equal what the Formatter
(Babel) writes for the same value, in both languages, so details.csv does not change."""

from __future__ import annotations

import numpy as np
import pytest

from sambrief.briefing.themes.base import count_texts, money_texts
from sambrief.i18n.catalog import Formatter

VALUES = np.concatenate(
    [
        np.random.default_rng(11).uniform(-5e6, 5e6, 3000),
        np.arange(-3000, 3000) / 2,  # every half: commercial rounding, 0.5 away from zero
        [0.0, -0.0, -0.4, 2.4999999999999996, 999.5, 999_999.5, 1e13 + 0.5, 7.0, 2.0**52 - 1, 1000.0, 100_000.0],
    ]
)


# Babel formats each value one by one for the comparison (about half a second for the 9,000):
# the workspace default on a sample in the fast tier (random values, the halves around zero, the
# edge cases), every value and the other languages and currencies in the slow one.
SAMPLE = np.concatenate([VALUES[:600], np.arange(-700, 700) / 2, VALUES[-11:]])


@pytest.mark.parametrize(
    ("language", "currency", "values"),
    [
        pytest.param("de", "EUR", SAMPLE, id="de-EUR-sample"),
        *(
            pytest.param(language, currency, VALUES, marks=pytest.mark.slow, id=f"{language}-{currency}")
            for language, currency in [
                ("de", "EUR"),
                ("en", "EUR"),
                ("de", "USD"),
                ("en", "USD"),
                ("de", "CHF"),
                ("en", "CHF"),
            ]
        ),
    ],
)
def test_column_texts_equal_the_formatter(language: str, currency: str, values: np.ndarray):
    fmt = Formatter(language, currency)
    assert money_texts(values, fmt) == [fmt.money(v) for v in values]
    assert count_texts(values, fmt) == [fmt.count(v) for v in values]


def test_unknown_value_stays_unknown():
    fmt = Formatter("de", "EUR")
    assert money_texts([1234.4, float("nan")], fmt) == ["1.234\u00a0€", None]


def test_dates_parsed_once_per_distinct_text_name_the_same_rows():
    import pandas as pd
    import pyarrow as pa

    from sambrief.ingest.columns import blank_mask
    from sambrief.ingest.dates import parse_dates
    from sambrief.ingest.kinds import _parse_dates_once_each

    texts = ["2026-10-31", "", "gestern", "2026-01-05", "31.12.2025"] * 400
    column = pd.Series(pd.array(texts, dtype=pd.ArrowDtype(pa.string())))
    blank = blank_mask(column)
    days, bad = _parse_dates_once_each(column, blank, ())
    expected_days, expected_bad = parse_dates(column, blank, ())
    assert (
        np.array_equal(days, expected_days, equal_nan=True)
        if days.dtype.kind == "f"
        else (
            (np.isnat(days) == np.isnat(expected_days)).all()
            and (days[~np.isnat(days)] == expected_days[~np.isnat(expected_days)]).all()
        )
    )
    assert list(np.flatnonzero(bad)) == list(np.flatnonzero(expected_bad)) == list(range(2, 2000, 5))
