"""Workloads: which product's use an activity signal is evidence of.

A workload (Exchange, Teams, SharePoint, OneDrive, the Office apps, Copilot, Visio, Project,
Power BI, ...) is a family of products in ``defaults/product_families.yaml``; a suite holds
several. An export layout says which workloads its activity evidences (``evidence:`` in
``layouts/*.yaml``); a seat is evidenced by a signal whose workload its product holds. Data,
not code: a new product or workload is an entry in the YAML file.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from sambrief.ingest.products import display_product

SEPARATOR = "+"  # several workloads in one cell (a layout evidencing more than one)


@lru_cache(maxsize=1)
def _family_data() -> dict:
    path = resources.files("sambrief") / "defaults" / "product_families.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def workload_names() -> frozenset[str]:
    """Every workload (family) the data file names."""
    data = _family_data()
    return frozenset(data.get("families") or {}) | frozenset(
        f for fs in (data.get("suites") or {}).values() for f in fs
    )


def product_key(name: object) -> str:
    """A product name as compared across exports: its display name, spaces collapsed, case-folded."""
    return " ".join(display_product(str(name)).split()).casefold()


def family_table() -> dict[str, tuple[str, ...]]:
    """Product key (display name, case-folded) -> the workloads it holds. Built per call:
    the display names depend on the workspace's product-name table."""
    data = _family_data()
    table: dict[str, set[str]] = {}
    for family, names in (data.get("families") or {}).items():
        for name in names:
            table.setdefault(product_key(name), set()).add(family)
    for suite, families in (data.get("suites") or {}).items():
        table.setdefault(product_key(suite), set()).update(families)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def workloads_of_product(name: object, table: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The workloads a product holds; a product the data file does not list holds only itself
    (its key): its own activity is the only evidence of its use."""
    key = product_key(name)
    return (table if table is not None else family_table()).get(key, (key,))


def _signal_table() -> dict[str, tuple[str, ...]]:
    """Product key -> the workloads a signal about that product evidences: its families only,
    not the suites' bundles (an Apps for enterprise activation is Office use, not OneDrive use)."""
    table: dict[str, set[str]] = {}
    for family, names in (_family_data().get("families") or {}).items():
        for name in names:
            table.setdefault(product_key(name), set()).add(family)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def workloads_of_signal(value: object, table: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The workloads a signal evidences: the layout's workloads ('teams', 'exchange+teams')
    when the value names them, else the families of the product it names (a suite's workloads
    when it is in no family)."""
    text = str(value)
    parts = tuple(p.strip().casefold() for p in text.split(SEPARATOR))
    known = workload_names()
    if parts and all(p in known for p in parts):
        return tuple(sorted(set(parts)))
    key = product_key(text)
    return _signal_table().get(key) or workloads_of_product(text, table)
