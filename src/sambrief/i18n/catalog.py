"""Message catalogs and locale formatting (Babel): all fixed text and every number on a slide."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent, get_currency_symbol

from sambrief.i18n.theme_files import clear as clear_theme_files
from sambrief.i18n.theme_files import theme_files
from sambrief.packaged import load_packaged

LOCALES = {"de": "de_DE", "en": "en_GB"}
# Windows locale ids (hex) of LOCALES, as number formats name a locale: `[$-407]` is de-DE.
# Excel and LibreOffice read the hex form; LibreOffice ignores a `[$-de-DE]` tag.
LCIDS = {"de": "407", "en": "809"}


MESSAGES = resources.files("sambrief") / "defaults" / "messages"


@cache
def _catalog(language: str) -> dict[str, Any]:
    catalog = load_packaged((MESSAGES / f"{language}.yaml").read_text("utf-8"))
    for section, data in theme_files().items():
        if section in catalog:
            raise ValueError(
                f"messages/themes/{section}.yaml: section '{section}' is also in {language}.yaml; keep one"
            )
        catalog[section] = data[language]
    return catalog


def clear_caches() -> None:
    """Forget the catalogs read (a test that adds a theme's file)."""
    clear_theme_files()
    _catalog.cache_clear()


def catalog(language: str) -> dict[str, Any]:
    """The language's messages: its catalog with the themes' own files merged in."""
    return _catalog(language)


class Messages:
    """Looks up 'theme.key' in the language's catalog and fills in the (formatted) figures."""

    def __init__(self, language: str):
        self.language = language
        self._data = _catalog(language)

    def raw(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"message {key!r} missing in the {self.language} catalog")
            node = node[part]
        return node

    def __call__(self, key: str, **values: Any) -> str:
        """A message with a count `n` is a mapping of CLDR plural categories (one, other, ...);
        Babel's plural rules of the language pick the form, and `{count}` is `n` formatted."""
        template = self.raw(key)
        if isinstance(template, dict):
            n = values.get("n")
            if not isinstance(n, (int, float)):
                raise KeyError(f"message {key!r} needs a count n")
            form = plural_form(self.language, n)
            template = template.get(form, template["other"])
            values.setdefault("count", format_decimal(n, locale=babel_locale(self.language)))
        return str(template).format(**values).strip()


def plural_form(language: str, n: float) -> str:
    """CLDR plural category of n in the language ('one', 'other', ...), by Babel's rules."""
    return babel_locale(language).plural_form(abs(n))


@cache
def babel_locale(language: str) -> Locale:
    """The language's Babel locale, parsed once: Babel parses a locale name again on every call
    that is given one (hundreds of times per briefing)."""
    return Locale.parse(LOCALES[language])


def _half_up(value: float) -> int:
    """Commercial rounding (0.5 up), not Python's round-half-even."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Formatter:
    language: str
    currency: str

    @property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    def money(self, value: float) -> str:
        pattern = "#,##0\u00a0¤" if self.language == "de" else "¤#,##0"
        return format_currency(
            _half_up(value), self.currency, format=pattern, locale=self.locale, currency_digits=False
        )

    def money_short(self, value: float, digits: int = 2) -> str:
        """Headline money: exact below a million, '1,02 Mio. €' above (the same as the figure registry writes it)."""
        if abs(value) >= 1_000_000:
            return format_compact_currency(value, self.currency, locale=self.locale, fraction_digits=digits)
        return self.money(value)

    def money_per_year(self, value: float) -> str:
        """A yearly amount always says so: '122.103 € im Jahr' / '€122,103 a year'."""
        return Messages(self.language)("common.per_year", amount=self.money_short(value))

    def days(self, value: float) -> str:
        return Messages(self.language)("common.days", n=value, count=self.number(value))

    def count(self, value: float) -> str:
        return format_decimal(_half_up(value), locale=self.locale)

    def number(self, value: float, digits: int = 1) -> str:
        return format_decimal(round(value, digits), locale=self.locale)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.locale)

    def date(self, day: date) -> str:
        return format_date(day, "medium", locale=self.locale)

    def month(self, day: _dt.date) -> str:
        return format_date(day, "MMMM y", locale=self.locale)

    def month_name(self, day: _dt.date) -> str:
        return format_date(day, "MMMM", locale=self.locale)

    def month_short(self, day: _dt.date) -> str:
        return format_date(day, "MMM", locale=self.locale)

    @property
    def currency_symbol(self) -> str:
        return get_currency_symbol(self.currency, locale=self.locale)

    def chart_format(self, kind: str, zero: bool = True) -> str:
        """Excel number format for chart data labels. It names the briefing's locale (`[$-407]`),
        so PowerPoint and LibreOffice group and round as the slide text does, whatever the
        viewer's regional settings. `zero=False`: a zero value gets no label (empty third section)."""
        if kind == "money":
            sym = self.currency_symbol.replace('"', "")
            code = f'#,##0 "{sym}"' if self.language == "de" else f'"{sym}"#,##0'
        elif kind == "percent":
            # German writes a (no-break) space before the percent sign, as the slide text does.
            code = '0"\u00a0"%' if self.language == "de" else "0%"
        else:
            code = "#,##0"
        tag = f"[$-{LCIDS[self.language]}]"
        return f"{tag}{code}" if zero else f"{tag}{code};-{code};"
