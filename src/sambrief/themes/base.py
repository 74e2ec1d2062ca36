"""What every theme gets, and small helpers they share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from sambrief.config import Audience, Settings
from sambrief.i18n import Formatter, Messages
from sambrief.model import Model
from sambrief.text import shorten

LABEL_CHARS = 38  # a chart category label longer than this crowds the axis


@dataclass(frozen=True)
class ThemeContext:
    model: Model
    settings: Settings
    audience: Audience
    language: str

    @property
    def fmt(self) -> Formatter:
        return Formatter(self.language, self.settings.currency)

    @property
    def msg(self) -> Messages:
        return Messages(self.language)

    @property
    def top_n(self) -> int:
        return self.audience.top_n

    def source_line(self, dataset: str) -> str:
        infos = self.model.sources_of(dataset)
        if not infos:
            return ""
        names = ", ".join(sorted({i.name for i in infos}))
        dates = [i.report_date for i in infos if i.report_date]
        day = max(dates) if dates else self.model.as_of
        return self.msg("common.source", files=names, date=self.fmt.date(day))

    def for_audience(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Register rows whose `audiences` list is empty (all) or names this audience."""
        if frame.empty or "audiences" not in frame:
            return frame
        key = self.audience.key.casefold()

        def wanted(value: object) -> bool:
            if not value or value != value:
                return True
            return key in {str(v).casefold() for v in value}  # type: ignore[union-attr]

        return frame[frame["audiences"].map(wanted)]


def ranked(series: pd.Series, top_n: int, other_label: str) -> tuple[list[str], list[float]]:
    """Top n categories by value, the rest summed into 'other' (never a long tail on a slide)."""
    series = series[series > 0].sort_values(ascending=False)
    labels = [shorten(str(k), LABEL_CHARS) for k in series.index[:top_n]]
    values = [float(v) for v in series.values[:top_n]]
    rest = float(series.values[top_n:].sum())
    if rest > 0:
        labels.append(other_label)
        values.append(rest)
    return labels, values


def in_range(day: object, start: date, end: date) -> bool:
    return day is not None and day == day and start <= day <= end  # type: ignore[operator]
