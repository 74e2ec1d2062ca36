"""Fuzzing the readers and ingest with mutated real exports: every input ends in a valid read or
one clean InputError line that names the file, never in another exception (`unexpected ...`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vendor_fixtures import LAYOUT_FIXTURES

from sambrief.errors import InputError
from sambrief.ingest.canonical import LoadedSource, load_source
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.layouts import SourcePin, registry
from sambrief.ingest.privacy import Pseudonymiser

PSEUDONYMISE = Pseudonymiser(b"fuzz-key")


# The layout each of the example's exports is written in (its file name is the same every period).
EXAMPLE_LAYOUTS = {
    "cloud_lizenzen.csv": "generic_cloud_seats_de",
    "lizenzbilanz.csv": "generic_license_position_de",
    "servicenow_sc_req_item.csv": "servicenow_requested_items_fields",
    "actions.xlsx": "register_actions",
    "budget.xlsx": "register_budget",
    "successes.xlsx": "register_successes",
}


def _corpus() -> list[tuple[str, bytes, str]]:
    """Every vendor fixture and every export of the example, with the layout it is written in."""
    files = [(name, build(), layout) for layout, (name, build) in LAYOUT_FIXTURES.items()]
    for path in sorted((REPO / "examples" / "data").rglob("*")):
        if path.suffix in (".csv", ".xlsx"):
            files.append((path.name, path.read_bytes(), EXAMPLE_LAYOUTS[path.name]))
    return files


CORPUS = _corpus()
INSERTS = [
    b";",
    b",",
    b"\t",
    b'"',
    b'""',
    b"\n",
    b"\r",
    b"\r\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"%",
    b"1.2.3",
    b"-",
    b"9" * 40,
    b"0001-01-01",
    b'=HYPERLINK("x")',
    "Ä".encode("cp1252"),
    "€".encode(),
]


def _mutate(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    for op, a, b in ops:
        if not data:
            break
        pos = a % len(data)
        if op == "truncate":
            data = data[:pos]
        elif op == "flip":
            data = data[:pos] + bytes([data[pos] ^ (1 << (b % 8))]) + data[pos + 1 :]
        elif op == "insert":
            data = data[:pos] + INSERTS[b % len(INSERTS)] + data[pos:]
        elif op == "delete":
            data = data[:pos] + data[pos + 1 + b % 16 :]
        elif op == "encoding":
            text = data.decode("utf-8", errors="replace")
            codec = ("cp1252", "utf-16", "utf-8-sig", "latin-1")[b % 4]
            data = text.encode(codec, errors="replace")
    return data


OPS = st.lists(
    st.tuples(
        st.sampled_from(["truncate", "flip", "insert", "delete", "encoding"]),
        st.integers(0, 1 << 20),
        st.integers(0, 255),
    ),
    min_size=1,
    max_size=4,
)


def check_one(name: str, data: bytes) -> LoadedSource | None:
    """The source read from `data`, or None when it is refused with one clean line naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            source = load_source(path, SourcePin(), PSEUDONYMISE)
        except InputError as exc:
            message = str(exc)
            assert message.startswith(str(path)), message
            assert "\n" not in message, message
            return None
        assert list(source.frame.columns) == list(DATASETS[source.dataset].field_names)
        for column in source.frame.columns:
            kind = DATASETS[source.dataset].field(column).kind
            values = source.frame[column]
            if kind == "number":
                assert values.dtype.kind == "f", (column, values.dtype)
            elif kind == "date":
                assert all(pd.isna(v) or (1990 <= v.year <= 2100) for v in values), column
    return source


def _run(examples: int):
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.sampled_from(CORPUS), OPS)
    def fuzz(case, ops):
        name, data, _ = case
        check_one(name, _mutate(data, ops))

    fuzz()


@pytest.mark.slow
def test_fuzz_readers_and_ingest():
    _run(300)


@pytest.mark.slow
def test_fuzz_readers_and_ingest_thoroughly():
    _run(3000)


@pytest.mark.slow  # the fuzz tier's baseline; the fast tier detects every fixture (test_layouts)
def test_every_unmutated_fixture_reads():
    # Unmutated, each file is read (not refused) by its own layout into that layout's dataset, with rows.
    layouts = registry()
    for name, data, layout in CORPUS:
        source = check_one(name, data)
        assert source is not None, f"{name} was refused"
        assert (source.layout, source.dataset) == (layout, layouts[layout].dataset), name
        assert source.rows_read > 0 and len(source.frame) > 0, name
