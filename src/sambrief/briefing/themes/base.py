"""What every theme gets, and small helpers they share."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sambrief.briefing.findings import Finding, ThemeResult
from sambrief.config.settings import Audience, Settings
from sambrief.i18n.catalog import Formatter, Messages
from sambrief.model.core import Model
from sambrief.model.disclosure import Disclosure

LABEL_CHARS = 80  # a first cap for data names; the renderer fits labels by measured width
# A share (products covered, seats in use) is listed under "Erreicht" only from this level on:
# "24 von 40 Produkten voll lizenziert" is not an achievement while 40 % are short (README).
ACHIEVED_SHARE = 0.8

# What a theme reads of its audience besides the model, the settings, the language, the department
# and top_n. Every theme module declares one as AUDIENCE (no default: a theme that reads the
# audience's own data and said nothing would have its result shared with other audiences).
SHARED = "shared"  # nothing else: computed once per build, shared by the audiences with the same key
PER_AUDIENCE = "per audience"  # the audience's own registers, items or figures: computed for each
# ... or a function audience -> the part of it the theme reads (shared where that part is equal)
AudienceReads = str | Callable[[Audience], Hashable]


@dataclass(frozen=True)
class ThemeContext:
    model: Model
    settings: Settings
    audience: Audience
    language: str
    current_figures: dict = field(default_factory=dict)  # this period's headline figures, whatever the audience
    # The period's disclosure plan (which groups are shown on their own); None: planned from this model alone
    disclosure: Disclosure | None = None
    # dataset -> why this departmental briefing states nothing derived from its people (see withheld_notice)
    withheld: dict[str, str] = field(default_factory=dict)
    theme: str = ""  # the key of the theme computing with this context (set by the briefing per theme)

    def result(self) -> ThemeResult:
        """The theme's empty result."""
        return ThemeResult(self.theme)

    def text(self, name: str, **values: Any) -> str:
        """The theme's own sentence `name` (`<theme>.<name>` in the catalogs), values filled in."""
        return self.msg(f"{self.theme}.{name}", **values)

    def figure_key(self, name: str) -> str:
        """'risk.exposure_total': the registry key of one of the theme's figures."""
        return f"{self.theme}.{name}"

    def finding(
        self, name: str, headline: str, bullets: list[str], notes: list[str], source: str, key_point: str, **rest: Any
    ) -> Finding:
        """A finding of this theme, keyed `<theme>.<name>` (rest: chart, figure, priority, ... of Finding)."""
        return Finding(
            theme=self.theme,
            key=self.figure_key(name),
            headline=headline,
            bullets=bullets,
            notes=notes,
            source=source,
            key_point=key_point,
            **rest,
        )

    @property
    def fmt(self) -> Formatter:
        return Formatter(self.language, self.settings.currency)

    @property
    def msg(self) -> Messages:
        return Messages(self.language)

    @property
    def top_n(self) -> int:
        return self.audience.top_n

    def source_line(self, *datasets: str) -> str:
        infos = [info for dataset in datasets for info in self.model.sources_of(dataset)]
        if not infos:
            return ""
        # Each export with the data's own date, and which date it is: its report date, its month
        # folder, the newest entry of the period (a register, an export without a report date),
        # and only where nothing else dates it, the file's modification date.
        groups: dict[tuple, list[str]] = {}
        for info in sorted(infos, key=lambda i: i.name):
            key = (info.report_date or self.model.as_of, info.dated_by if info.report_date else "report")
            if info.dated_by == "file":
                entries = info.entries_up_to(self.model.period.end)
                key = (entries, "rows") if entries is not None else key
            groups.setdefault(key, []).append(info.name)
        parts = [
            self.msg(f"common.source_{kind}", files=", ".join(names), date=self.fmt.date(day))
            for (day, kind), names in groups.items()
        ]
        return self.msg("common.source", list=" · ".join(parts))

    def previous(self, key: str) -> float | None:
        """The figure in the previous period, from the history store (None when unknown)."""
        figures = self.model.previous_figures()
        value = figures.get(key) if figures else None
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def since(self) -> str:
        """'September' / 'September 2026': the previous period as the headlines name it."""
        prev = self.model.period.previous
        return self.fmt.month(prev.start) if prev.year != self.model.period.year else self.fmt.month_name(prev.start)

    def withheld_warning(self, *datasets: str) -> str | None:
        """The warning of a theme whose people-derived figures this departmental briefing
        withholds (the department is below the minimum, or merged with smaller ones elsewhere)."""
        reason = next((self.withheld[d] for d in datasets if d in self.withheld), None)
        if reason is None:
            return None
        return self.msg(
            f"common.withheld_{reason}",
            theme=self.theme,
            group=self.audience.department or "",
            n=self.settings.min_group_size,
        )

    def for_audience(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Register rows whose `audiences` list is empty (all) or names this audience."""
        if frame.empty or "audiences" not in frame:
            return frame
        key = self.audience.key.casefold()

        def wanted(value: Any) -> bool:  # a register of a few hundred rows
            if value is None or value is pd.NA or (isinstance(value, float) and value != value) or not len(value):
                return True
            return key in {str(v).casefold() for v in value}

        return frame[frame["audiences"].map(wanted)]


def licence_products(model: Model) -> pd.DataFrame:
    """The licence position per product, sorted by name: publisher (the first row's), shortfall,
    exposure (NaN where no row of the product states one: unknown, not 0) and `row`, the
    position of the licence row whose publisher it names (its names in licence_names). Once per model."""

    def per_product() -> pd.DataFrame:
        lp = model.frame("license_position")
        # Grouped by each product's place in name order (an integer): the names are hashed and
        # sorted once, as distinct values, whatever the column's type.
        codes, names = _factorized(model, "product")
        names = np.asarray(names, dtype=object)
        order = sorted_order(names)
        rank = np.empty(len(names), dtype=np.int64)
        rank[order] = np.arange(len(names))
        named = np.flatnonzero(codes >= 0)  # licence rows with a product
        groups = rank[codes[named]]  # every name has a row: the groups are 0 .. len(names) - 1
        count = len(names)
        # Sums through pandas (its compensated float sums, as the figures always had); the
        # first rows and the counts in numpy (a named aggregation costs milliseconds per call).
        grouped = (
            pd.DataFrame({"shortfall": lp["shortfall"].to_numpy()[named], "exposure": lp["exposure"].to_numpy()[named]})
            .groupby(groups, sort=True)
            .sum()
        )
        # "first" skips a missing publisher: the row of the publisher named, else the product's first row
        named_row = first_rows(groups, count, where=lp["publisher"].notna().to_numpy()[named])
        row = named[np.where(named_row >= 0, named_row, first_rows(groups, count))]
        # the column's own type (object, category or arrow text), missing where no row names one
        publisher = lp["publisher"].iloc[row].reset_index(drop=True).where(named_row >= 0)
        stated = np.bincount(groups, weights=lp["exposure"].notna().to_numpy()[named], minlength=count)
        grouped["exposure"] = grouped["exposure"].where(stated > 0)
        grouped.insert(0, "publisher", publisher)
        grouped["row"] = row.astype(np.int64)
        grouped.index = pd.Index(names[order], dtype=object, name="product")
        return grouped

    return model.derived("licence_products", per_product)


def first_rows(groups: np.ndarray, count: int, where: np.ndarray | None = None) -> np.ndarray:
    """Per group 0 .. count - 1, the position of its first row (among the rows `where` holds);
    -1 for a group without such a row."""
    first = np.full(count, -1, dtype=np.int64)
    candidates = np.arange(len(groups)) if where is None else np.flatnonzero(where)
    present, at = np.unique(groups[candidates], return_index=True)
    first[present] = candidates[at]
    return first


def _factorized(model: Model, column: str) -> tuple[np.ndarray, Any]:
    """pd.factorize of a licence-position column (code -1 where missing), once per model."""
    return model.derived(
        f"factorized.license_position.{column}",
        lambda: pd.factorize(model.frame("license_position")[column], use_na_sentinel=True),
    )


def licence_codes(model: Model) -> tuple[np.ndarray, np.ndarray]:
    """The licence position's publisher and product per row as integer codes (-1 where missing)."""
    return _factorized(model, "publisher")[0], _factorized(model, "product")[0]


def short_products(model: Model) -> pd.DataFrame:
    """licence_products of the under-licensed products, the largest exposure first (unknown
    last). Once per model (risk_detail, open_issues); masks as arrays, not Series (a Series mask
    is aligned on the index: 70,000 product names hashed)."""

    def short() -> pd.DataFrame:
        per_product = licence_products(model)
        return per_product[(per_product["shortfall"] > 0).to_numpy()].sort_values(
            "exposure", ascending=False, na_position="last"
        )

    return model.derived("short_products", short)


LIST_CHARS = 80  # a product in the notes' lists (with its maker)


def licence_names(model: Model, limit: int = LIST_CHARS, maker: bool = True) -> np.ndarray:
    """Per licence-position row, its product as the notes list it: with its maker (with_maker)
    or without (display_product), cut to `limit` characters. Once per model, whichever theme
    lists the rows (risk, risk_detail, opportunities, open_issues)."""
    from sambrief.ingest.products import product_names
    from sambrief.text import shorten

    def names() -> np.ndarray:
        lp = model.frame("license_position")
        shown = model.derived("licence_names", lambda: product_names(lp["publisher"], lp["product"]))[
            1 if maker else 0
        ].copy()
        shown[pd.isna(shown)] = ""
        long = np.flatnonzero(np.fromiter(map(len, shown), dtype=np.int64, count=len(shown)) > limit)
        shown[long] = [shorten(name, limit) for name in shown[long].tolist()]
        return shown

    return model.derived(f"licence_names.{limit}.{maker}", names)


def sorted_order(names: np.ndarray) -> np.ndarray:
    """Positions that sort distinct texts as Python sorts them (code points): pyarrow sorts
    UTF-8 bytes, the same order; anything else is sorted by Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return pc.sort_indices(pa.array(names, type=pa.string())).to_numpy()
    except (pa.ArrowException, TypeError, UnicodeError):
        return np.argsort(names, kind="stable")


def ranked(series: pd.Series, top_n: int, other_label: str) -> tuple[list[str], list[float]]:
    """Top n categories by value, the rest summed into 'other' (never a long tail on a slide)."""
    series = series[series > 0].sort_values(ascending=False)
    labels = [str(k) for k in series.index[:top_n]]  # the renderer fits them by measured width
    values = [float(v) for v in series.values[:top_n]]
    rest = float(series.values[top_n:].sum())
    if rest > 0:
        labels.append(other_label)
        values.append(rest)
    return labels, values


def given(value: Any) -> bool:
    """A cell with a value: not None, NaN or NA (object, arrow-string and categorical columns
    write a missing cell differently), and not empty."""
    return bool(pd.notna(value)) and bool(value)


def nearest_rank(values: list[float], share: float) -> float:
    """The p-th percentile by nearest rank: a value that occurs in the data (easy to check by hand)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return float(ordered[rank - 1])


# Formatting whole columns for the notes' full lists (20,000 products at enterprise size): Babel
# is asked once for the locale's affixes and group symbol, then every value is rounded half up
# with numpy and grouped by str.format. Identical to Formatter.money / Formatter.count (tested);
# a locale whose probe does not split cleanly falls back to Babel per value.
_EXACT_LIMIT = 2.0**52  # below this, |v| - floor(|v|) is exact in binary floating point


def _grouped_texts(values: object, one: Callable[[float], str]) -> list[str | None]:
    """`one` formatted for every value (None where the value is NaN)."""
    # (a Series' own array: np.asarray would ask the Series for numpy's attributes, which looks
    # each name up in its index, hashing 70,000 product names)
    numbers = np.asarray(values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else values, dtype=float)
    probe_digits = one(1234567)
    group = one(1234).strip()[1:2] if one(1234).strip()[:1] == "1" else ""
    positive = probe_digits.split(f"1{group}234{group}567") if group else []
    negative = one(-1234567).split(f"1{group}234{group}567") if group else []
    finite = np.isfinite(numbers)
    if len(positive) != 2 or len(negative) != 2 or group.isdigit() or (np.abs(numbers[finite]) >= _EXACT_LIMIT).any():
        return [one(float(v)) if f else None for v, f in zip(numbers, finite)]
    magnitude = np.abs(np.where(finite, numbers, 0.0))
    whole = np.floor(magnitude)
    rounded = (whole + (magnitude - whole >= 0.5)).astype(np.int64)  # half up, away from zero (Decimal ROUND_HALF_UP)
    negatives = (numbers < 0) & (rounded > 0)
    (pos_prefix, pos_suffix), (neg_prefix, neg_suffix) = positive, negative
    if not len(numbers) or any("\n" in part for part in (*positive, *negative, group)):
        return [
            None
            if not f
            else f"{neg_prefix if n else pos_prefix}{f'{r:,}'.replace(',', group)}{neg_suffix if n else pos_suffix}"
            for r, n, f in zip(rounded.tolist(), negatives.tolist(), finite.tolist())
        ]
    # Every value as a positive one in one joined text (grouped, prefix and suffix added by whole-text
    # replaces), then the few negative and unknown values set apart.
    joined = _thousands(rounded).replace(",", group)
    texts: list[str | None] = []
    texts.extend((pos_prefix + joined.replace("\n", f"{pos_suffix}\n{pos_prefix}") + pos_suffix).split("\n"))
    for i in np.flatnonzero(negatives).tolist():
        texts[i] = f"{neg_prefix}{f'{rounded[i]:,}'.replace(',', group)}{neg_suffix}"
    for i in np.flatnonzero(~finite).tolist():
        texts[i] = None
    return texts


_DIGITS = 16  # of the largest value formatted whole-column (below _EXACT_LIMIT = 2**52)
# The byte matrix's columns: digit k (0 = the 10**15 place) and a comma after each digit with a
# positive multiple of three digits after it (the digit's index for both), then a newline.
_COLUMNS = [k for d in range(_DIGITS) for k in ([d, d] if (_DIGITS - 1 - d) % 3 == 0 and d < _DIGITS - 1 else [d])]
_IS_COMMA = np.array([i > 0 and _COLUMNS[i - 1] == k for i, k in enumerate(_COLUMNS)])


def _thousands(rounded: np.ndarray) -> str:
    """ "{:,}".format of every value (int64, 0 <= v < 10**16), joined by newlines: the digits of
    all values (arrow's int-to-text, zero-padded to _DIGITS) laid out with commas in one byte
    matrix, and the places in front of each value's first digit dropped."""
    import pyarrow as pa
    import pyarrow.compute as pc

    padded = pc.utf8_lpad(pc.cast(pa.array(rounded, type=pa.int64()), pa.string()), _DIGITS, "0")
    digits = np.frombuffer(padded.buffers()[2], dtype=np.uint8)[: len(rounded) * _DIGITS].reshape(len(rounded), _DIGITS)
    nonzero = digits != ord("0")
    first = np.where(
        nonzero.any(axis=1), nonzero.argmax(axis=1), _DIGITS - 1
    )  # the place of each value's first digit ("0": the last)
    columns = np.array(_COLUMNS)
    text = np.empty((len(rounded), len(_COLUMNS) + 1), dtype=np.uint8)
    text[:, :-1] = np.where(_IS_COMMA, ord(","), digits[:, columns])
    text[:, -1] = ord("\n")
    shown = np.ones(text.shape, dtype=bool)
    shown[:, :-1] = columns >= first[:, None]
    return text[shown].tobytes().decode("ascii")[:-1]


def money_texts(values: object, fmt: Formatter) -> list[str | None]:
    """fmt.money of every value of a column (None for NaN)."""
    return _grouped_texts(values, fmt.money)


def count_texts(values: object, fmt: Formatter) -> list[str | None]:
    """fmt.count of every value of a column (None for NaN)."""
    return _grouped_texts(values, fmt.count)
