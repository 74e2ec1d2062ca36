"""Display names of whole columns (the notes list every product of a licence position) are
those of display_product / with_maker for each name, whatever the name's characters."""

from __future__ import annotations

import random
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from sambrief.ingest.products import (
    _HAS_LOWER,
    _SAFE,
    casefolded,
    display_names,
    display_product,
    packaged_mapping,
    product_names,
    with_maker,
)


def _safe_characters() -> list[str]:
    return [chr(c) for c in range(0x100) if re.fullmatch(f"[{_SAFE}]", chr(c))]  # Latin-1 at most


def test_the_column_path_folds_only_characters_whose_casefold_is_utf8_lower():
    safe = _safe_characters()
    assert "ß" not in safe and "µ" not in safe and " " not in safe and "\xa0" not in safe
    lowered = pc.utf8_lower(pa.array(safe)).to_pylist()
    assert lowered == [c.casefold() for c in safe] == [c.lower() for c in safe]
    assert all(c.islower() for c in safe if re.fullmatch(_HAS_LOWER, c))
    assert all(not c.isspace() for c in safe)


def _names(count: int, seed: int) -> list[object]:
    rng = random.Random(seed)
    keys = list(packaged_mapping())
    pieces = [*"abcXYZ  \t\xa0äÄßẞµİıσςΣéÉ0123-–.ﬁKÿŸ", "OFFICE", "Microsoft", "SAP", "PRO", "ADOBE", "Größe"]

    def name() -> str:
        if rng.random() < 0.25:  # a mapped name, as exports spell it
            key = rng.choice(keys)
            return rng.choice([key, key.upper(), key.title(), f" {key}", key.replace(" ", "  "), f"{key}\xa0"])
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))

    return [name() for _ in range(count)] + [None, float("nan"), ""]


@pytest.mark.parametrize("dtype", [object, "category", "str"])
def test_a_whole_column_is_named_as_each_name(dtype):
    products = _names(4000, seed=7)
    rng = random.Random(3)
    publishers = [
        rng.choice(
            [
                "SAP",
                "Microsoft",
                "ADOBE SYSTEMS",
                "",
                None,
                "Straße AG",
                "İBM",
                "Micro Focus",
                "ÄÖÜ GmbH",
                "σ corp",
                "x",
                "OFFICE",
                "Größe",
            ]
        )
        for _ in products
    ]
    texts = [p if isinstance(p, str) else None for p in products]
    column = pd.Series(texts, dtype=object).astype(dtype)
    makers = pd.Series(publishers, dtype=object).astype(dtype)
    assert display_names(column).tolist() == [None if t is None else display_product(t) for t in texts]
    assert product_names(makers, column)[1].tolist() == [with_maker(p, t or "") for p, t in zip(publishers, texts)]
    assert list(casefolded(column)) == [None if t is None else t.casefold() for t in texts]


def test_values_that_are_not_texts_are_named_by_their_text():
    assert display_names(pd.Series([2024, None, "OFFICE 2021"], dtype=object)).tolist() == [
        "2024",
        None,
        display_product("OFFICE 2021"),
    ]


def test_bytes_in_a_column_are_named_by_their_text_as_each_name_is():
    column = pd.Series(["OFFICE 2021", b"abc", None], dtype=object)
    assert display_names(column).tolist() == [display_product("OFFICE 2021"), "b'abc'", None]
