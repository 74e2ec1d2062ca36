"""What themes produce and renderers consume: plain data, no I/O, no formatting decisions left."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Chart:
    kind: str  # 'bar' (horizontal, ranked), 'column' (time or buckets), 'line'
    categories: tuple[str, ...]
    values: tuple[float, ...]
    series_name: str
    value_format: str  # 'money', 'count' or 'percent'
    highlight: int | None = None  # index of a bar drawn in the accent colour
    label_zero: bool = True  # False: a zero value gets no data label (months without savings)
    highlights: tuple[int, ...] = ()  # more bars in the accent colour (a window of months)

    def accented(self, index: int) -> bool:
        """Whether the bar or column at `index` is drawn in the accent colour."""
        return index == self.highlight or index in self.highlights


@dataclass(frozen=True)
class ProcessStep:
    label: str
    duration: str  # formatted typical duration, or '' where the data has none
    text: str


@dataclass(frozen=True)
class BigFigure:
    value: str  # formatted
    caption: str


@dataclass(frozen=True)
class Tile:
    """A key figure as a tile of the summary: the number large, a short label, the change since
    the previous period. Plain text for every renderer (deck, one-pager, PDF)."""

    figure: str  # registry key ('risk.exposure_total'), listed among the summary slide's figures
    value: str  # formatted with its unit ('620.833 €', '89 %', '5 Tage')
    label: str  # what the number is, short ('Nachlizenzierungsbedarf')
    change: str  # '▼ 18.311 € seit September', 'unverändert seit September', or what is unknown
    direction: str  # 'up', 'down', 'same' or 'none' (no earlier value)
    tone: str  # 'good', 'bad' or 'neutral': whether the change is good for this figure


@dataclass
class Finding:
    theme: str
    key: str  # unique within the briefing, e.g. 'risk.exposure'
    headline: str  # the point as a full sentence with its number
    bullets: list[str]  # at most three
    notes: list[str]  # definitions, method, the full lists
    source: str  # which export, which date
    key_point: str  # one sentence for the key-points slide
    chart: Chart | None = None
    figure: BigFigure | None = None
    process: tuple[ProcessStep, ...] | None = None
    priority: int = 50
    keep_bullets: int | None = None  # a list finding (news, an overview) keeps this many bullets on the one-pager
    figures: tuple[str, ...] = ()  # the registry keys this slide states (manifest `slides`, `sambrief explain`)
    list_total: int | None = None  # how many items the list has in all (the rest is in the notes)


@dataclass
class ThemeResult:
    theme: str
    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    achieved: list[str] = field(default_factory=list)  # for the balance slide
    remaining: list[str] = field(default_factory=list)
    # open work a reader can act on (a blocked action and what it waits for): leads the balance's
    # "remaining" column, ahead of every theme's other items, so its cap never drops it
    remaining_first: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # population ('cloud_seats', 'requests') -> the sets of groups (sambrief.model.disclosure) whose
    # figures the theme states besides the totals: the disclosure audit checks them
    published: dict[str, list[frozenset[str]]] = field(default_factory=dict)
