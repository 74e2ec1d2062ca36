"""The figure registry: every number a briefing states is a named, declared figure.

Each theme module declares its figures once in a module-level ``FIGURES`` tuple (key, kind,
whether lower is better, a label per language, whether it has a trend series, a one-line
definition). Everything that lists, compares or explains figures reads this registry:
"what changed" (changes.py), the trend slide, the history improvements, the CLI summary,
`sambrief history` and `sambrief explain`. There is no second list of figure keys.

A figure that cannot be computed (no prices, an empty register) is absent from a theme's
figures, never 0: the sentence says what is missing instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sambrief.i18n.catalog import Formatter

KINDS = ("count", "money", "money_per_year", "share", "days", "date")


@dataclass(frozen=True)
class Figure:
    key: str  # 'theme.name', as in the manifest
    kind: str  # one of KINDS
    label: dict[str, str]  # per language: what the number is, as a reader would say it
    lower_is_better: bool | None = None  # None: neither (a total, a size)
    trend: bool = False  # has a month-over-month series (trend slide, "what changed", history)
    definition: dict[str, str] = field(default_factory=dict)  # per language, for `sambrief explain`
    summary: dict[str, str] | None = None  # per language: column title in the terminal summary and `sambrief history`
    tile: dict[str, str] | None = None  # per language: short label of its key-figure tile (summary slide, one-pager)
    tile_rank: int = 1  # within its theme: 1 leads, 2 fills the row where few themes have a tile

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"figure {self.key}: unknown kind {self.kind!r} (known: {', '.join(KINDS)})")

    @property
    def theme(self) -> str:
        return self.key.split(".", 1)[0]

    def summary_in(self, language: str) -> str:
        summary = self.summary or {}
        return summary.get(language) or summary.get("en") or self.label_in(language)

    def label_in(self, language: str) -> str:
        return self.label.get(language) or self.label.get("en") or self.key

    def format(self, value: Any, fmt: Formatter, unit: bool = True) -> str:
        """The value with its unit, as a sentence shows it ('122.103 € im Jahr', '4,5 Tage')."""
        return format_value(self.kind, value, fmt, unit)


def format_value(kind: str, value: Any, fmt: Formatter, unit: bool = True) -> str:
    if kind == "money":
        return fmt.money_short(value, 2)
    if kind == "money_per_year":
        return fmt.money_per_year(value) if unit else fmt.money_short(value)
    if kind == "share":
        return fmt.percent(value)
    if kind == "days":
        return fmt.days(value) if unit else fmt.number(value)
    if kind == "date":
        return fmt.date(value)
    return fmt.count(value)


def declare(theme: str, *figures: tuple) -> tuple[Figure, ...]:
    """Compact declaration for a theme module: (name, kind, {de, en}, options...)."""
    out = []
    for name, kind, label, *rest in figures:
        options = rest[0] if rest else {}
        out.append(Figure(f"{theme}.{name}", kind, label, **options))
    return tuple(out)


@lru_cache(maxsize=1)
def registry() -> dict[str, Figure]:
    """Every theme's FIGURES, in the themes' ORDER (the order of `sambrief history` columns and
    of "what changed"). The theme registry is looked up at call time: the theme modules import
    `declare` from here."""
    out: dict[str, Figure] = {}
    for module in import_module("sambrief.briefing.themes").THEME_MODULES.values():
        for figure in getattr(module, "FIGURES", ()):
            if figure.key in out:
                raise ValueError(f"figure {figure.key} declared twice")
            out[figure.key] = figure
    return out


def get(key: str) -> Figure | None:
    return registry().get(key)


def trend_figures() -> list[Figure]:
    return [f for f in registry().values() if f.trend]


def tile_figures() -> list[Figure]:
    """Figures that can lead the summary as a tile, in the themes' ORDER and, within a theme,
    most telling first."""
    return sorted((f for f in registry().values() if f.tile), key=lambda f: f.tile_rank)


def summary_figures() -> list[Figure]:
    return [f for f in registry().values() if f.summary]


def undeclared(figures: dict[str, Any]) -> list[str]:
    """Keys a theme produced without declaring them (a test keeps this empty)."""
    known = registry()
    return sorted(k for k in figures if k not in known)


# A number as a sentence states it: '620.833', '1,02 Mio.', '24', '4,5' (German) or
# '620,833', '1.02 M' (English); dates and years are not figures.
_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,3}(?:[.,\u202f\u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(\s?Mio\.|\s?M\b)?(?![\w/])"
)
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")


def _numbers_in(text: str, language: str) -> list[tuple[float, int, bool]]:
    """(value, decimals shown, in millions) of every number a sentence states."""
    out = []
    mark = "," if language == "de" else "."
    for match in _NUMBER.finditer(_DATE.sub(" ", text)):
        token = match.group(1).replace("\u202f", "").replace("\u00a0", "")
        grouped = re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token) is not None
        tail = re.search(rf"\{mark}(\d+)$", token)
        decimals = len(tail.group(1)) if tail and not grouped else 0
        plain = token.replace(".", "").replace(",", ".") if language == "de" else token.replace(",", "")
        try:
            out.append((float(plain), decimals, bool(match.group(2))))
        except ValueError:
            continue
    return out


def stated_in(texts: list[str], candidates: dict[str, Any], language: str) -> list[str]:
    """The keys of the candidate figures whose value one of the texts states (as shown: rounded to
    the digits shown, a share as per cent, an amount in millions): the figures a slide shows."""
    numbers = [n for text in texts for n in _numbers_in(text, language)]
    shown = []
    for key, value in candidates.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        for number, decimals, millions in numbers:
            tolerance = 0.5 * 10**-decimals + 1e-9
            forms = (value, abs(value), value * 100, abs(value) * 100)
            if any(abs((f / 1_000_000 if millions else f) - number) <= tolerance for f in forms):
                shown.append(key)
                break
    return shown
