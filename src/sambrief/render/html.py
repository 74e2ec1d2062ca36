"""HTML outputs: the one-pager per audience (HTML and, through WeasyPrint, one A4 PDF page) and
the SAM intranet page. Jinja2 templates, autoescaped, strict about undefined variables; a
workspace's templates/ folder is searched first, and `sambrief/NAME` always reaches the packaged
original so a user template can extend the one it replaces."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    UndefinedError,
)
from markupsafe import Markup

from sambrief.briefing.compose import Briefing
from sambrief.briefing.findings import Finding
from sambrief.config.settings import Settings
from sambrief.errors import RenderError
from sambrief.i18n.notices import INFO, WARNING, Notice
from sambrief.render.brand import TONES, palette, text_on
from sambrief.render.fit import Measurer, shorten_clause
from sambrief.render.svgchart import CHART_MM, svg_chart
from sambrief.text import shorten

PACKAGED = Path(str(resources.files("sambrief") / "defaults" / "templates"))


def environment(user_dir: Path | None) -> Environment:
    # One environment per templates folder: Jinja compiles each template once per environment
    # and reloads a template whose file changed; a file added or removed changes the folder's
    # mtime and so gives a new environment.
    try:
        stamp = user_dir.stat().st_mtime_ns if user_dir and user_dir.is_dir() else None
    except OSError:
        stamp = None
    # Without a templates folder every workspace renders the packaged templates: one environment.
    return _environment(user_dir if stamp is not None else None, stamp)


@lru_cache(maxsize=16)
def _environment(user_dir: Path | None, stamp: int | None) -> Environment:
    loaders: list[BaseLoader] = [FileSystemLoader(str(user_dir))] if user_dir and stamp is not None else []
    loaders += [FileSystemLoader(str(PACKAGED)), PrefixLoader({"sambrief": FileSystemLoader(str(PACKAGED))})]
    return Environment(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


def render_template(env: Environment, name: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(name).render(**context)
    except UndefinedError as exc:
        raise RenderError(Notice("html_undefined", name=_failing_template(exc) or name, detail=exc.message)) from None
    except TemplateNotFound as exc:
        raise RenderError(Notice("html_not_found", name=name, missing=repr(exc.name))) from None
    except TemplateError as exc:
        lineno, filename = getattr(exc, "lineno", None), getattr(exc, "filename", None)
        where = Notice("html_where_line", name=filename or name, line=lineno) if lineno else name
        raise RenderError(Notice("html_template_error", where=where, detail=exc.message)) from None


def _failing_template(exc: BaseException) -> str | None:
    tb = exc.__traceback__
    found = None
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = Path(template.filename).name if template.filename else template.name
        tb = tb.tb_next
    return found


# -- one-pager --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Budget:
    """How much of the briefing goes on the page; shrunk step by step until it is one page."""

    findings: int = 6
    bullets: int = 2  # the one-pager carries two bullets per finding; the deck three
    headline_chars: int = 140
    bullet_chars: int = 120
    list_items: int = 4  # bullets of a list finding (news, an overview), at most its own keep_bullets
    # A chart's height in its units (CHART_MM for 150): a lower chart keeps its text size (a
    # unit stays as long) and gives a row of cards back the room of the key-figure tiles.
    chart_height: int = 150
    # A page of more than six findings: only the leading findings (by priority) keep `bullets`,
    # the others one; their other bullets stay in the deck.
    full_cards: int = 99
    # The card spanning the page (a chart of many columns drawn across it) with its headline and
    # chart only: the renewal calendar's months say what its bullets add.
    compact_across: bool = False


# The first tries are the briefing whole (all findings, the deck's three bullets, then the
# one-pager's two, no text cut): a page is filled before anything is trimmed, and trimmed only
# where the render overflows it. Leaving the third bullet to the deck is not a cut.
# Lower charts come before any cut: a chart 120 units high shows the same bars, labels and values.
# A page of more than six findings (seven with the trend) then lowers its charts further and
# leaves the second bullet of the lower-priority findings, then the spanning card's bullets, to
# the deck: every finding keeps its card, headline and chart, and no text is cut.
_WHOLE = Budget(findings=99, bullets=3, headline_chars=10_000, bullet_chars=10_000, list_items=99)
_LOW, _LOWER, _LOWEST = 110, 90, 80
_TWO = replace(_WHOLE, bullets=2, list_items=4)
_DENSE = replace(_TWO, chart_height=_LOWEST, full_cards=2)
UNCUT = (
    _WHOLE,
    _TWO,
    replace(_TWO, chart_height=_LOW),
    replace(_TWO, chart_height=_LOWER, full_cards=4),
    replace(_DENSE, full_cards=4),
    _DENSE,
    replace(_DENSE, compact_across=True),
    replace(_DENSE, compact_across=True, full_cards=0),
)
# Then texts are cut, every finding still on the page (one bullet each at last), and only then is
# a finding left out.
_CUT = replace(_DENSE, compact_across=True, headline_chars=110, bullet_chars=90)
BUDGETS = (
    *UNCUT,
    _CUT,
    replace(_CUT, full_cards=0),
    replace(_CUT, full_cards=0, headline_chars=90, bullet_chars=70),
    Budget(chart_height=_LOW),
    Budget(headline_chars=110, bullet_chars=90, chart_height=_LOW),
    Budget(findings=4, headline_chars=100, bullet_chars=80, chart_height=_LOW),
    Budget(findings=4, bullets=1, headline_chars=90, bullet_chars=70, list_items=1, chart_height=_LOW),
    Budget(findings=3, bullets=1, headline_chars=80, bullet_chars=60, list_items=1, chart_height=_LOW),
)


# A column chart of more columns than this is crowded in half the page (its values stagger):
# when a card spans the page, it is this chart's, drawn across the whole width.
ACROSS_COLUMNS = 8
ACROSS_UNITS = 776  # the spanning card's inner width (176 mm) in chart units (CHART_MM / 150 mm each)


def _across(findings: list[Finding]) -> Finding | None:
    """The finding whose card spans the page, its chart across it: with an odd number of cards
    one is alone in its row; the column chart of the most columns (more than ACROSS_COLUMNS) takes
    that row, so its values stand side by side. None: the last card takes it as it is."""
    if len(findings) % 2 == 0:
        return None
    columns = {id(f): len(f.chart.categories) for f in findings if f.chart is not None and f.chart.kind == "column"}
    many = [f for f in findings if columns.get(id(f), 0) > ACROSS_COLUMNS]
    return max(many, key=lambda f: columns[id(f)], default=None)


def onepager_context(b: Briefing, budget: Budget, sources: str, colours: dict[str, str]) -> dict[str, Any]:
    fmt, msg = b.fmt, b.msg
    ranked = sorted(b.findings, key=lambda f: f.priority)
    chosen = ranked[: budget.findings]
    full = ranked[: budget.full_cards]
    findings = []
    shortened = hidden_items = 0
    shown = [f for f in b.findings if f in chosen]
    across = _across(shown)
    if across is not None:  # the card alone in the last row spans the page
        shown = [f for f in shown if f is not across] + [across]
    for f in shown:
        keep = (
            min(f.keep_bullets, budget.list_items)
            if f.keep_bullets
            else 0
            if f is across and budget.compact_across
            else budget.bullets
            if f in full
            else min(budget.bullets, 1)
        )
        bullets = [shorten_clause(x, budget.bullet_chars) for x in f.bullets[:keep]]
        shortened += sum(1 for x, y in zip(f.bullets, bullets) if x != y) + (len(f.headline) > budget.headline_chars)
        if f.list_total:
            hidden_items += max(0, f.list_total - len(bullets))
        findings.append(
            {
                "theme": f.theme,
                "headline": shorten_clause(f.headline, budget.headline_chars),
                "bullets": bullets,
                "chart": svg_chart(
                    f.chart,
                    fmt,
                    colours,
                    width=ACROSS_UNITS if f is across else 320,
                    height=budget.chart_height,
                    height_mm=CHART_MM * budget.chart_height / 150,
                )
                if f.chart is not None and f.chart.categories
                else None,
                "across": f is across,
                "figure": f.figure,
                "steps": [{"label": s.label, "duration": s.duration} for s in (f.process or ())],
            }
        )
    contact = b.contact
    return {
        "lang": b.language,
        "title": b.title,
        "organisation": b.organisation,
        "kicker": msg("deck.kicker"),
        "period_text": b.subtitle or msg("deck.period", month=b.period_label),
        "intro": b.audience.intro.get(b.language, ""),
        # The deck's key-figure tiles, opening the page as they open the deck's summary.
        "tiles": [
            {"value": t.value, "label": t.label, "change": t.change, "tone": t.tone, "colour": TONES[t.tone]}
            for t in b.tiles
        ],
        "findings": findings,
        "achieved": b.achieved,
        "remaining": b.remaining,
        "labels": {
            "achieved": b.achieved_label or msg("deck.balance_achieved"),
            "remaining": b.remaining_label or msg("deck.balance_remaining"),
            "nothing_achieved": msg("deck.balance_nothing_achieved"),
            "nothing_remaining": msg("deck.balance_nothing_remaining"),
            "sources": msg("deck.notes_source"),
            "contact": msg("deck.closing_title"),
            "balance": msg("deck.balance_title"),
            "tiles": msg("deck.key_points_title"),
        },
        "sources": sources,
        "contact": {"team": contact.team, "email": contact.email, "phone": contact.phone, "url": contact.url},
        "dropped": len(b.findings) - len(findings),
        "shortened": shortened,
        "hidden_items": hidden_items,
    }


def template_colours(settings: Settings) -> dict[str, str]:
    """The deck template's theme colours, so the one-pager matches the deck."""
    from sambrief.render.template import file_version

    path = settings.deck_template
    try:
        version = file_version(path)
    except OSError:
        version = ()  # open_template says what is wrong with the file
    colours = dict(_deck_colours(path, version))
    if settings.brand is not None and settings.branded_template:
        colours.update(palette(settings.brand).scheme())
    defaults = {"accent1": "1F5A8C", "accent2": "B45F06", "accent3": "4A7A49", "dk2": "1F3A5F", "hlink": "1F5A8C"}
    out = {k: (colours.get(k) or v) for k, v in defaults.items()}
    # text on a coloured area: white where it reads (WCAG AA), else dark
    out.update({f"on_{k}": text_on(out[k]) for k in ("accent1", "accent2", "accent3", "dk2")})
    return out


# The packaged pages' typefaces: Carlito is metric-compatible with Calibri (the deck template's
# font), so the one-pager measures the same wherever it is made.
FALLBACK_FONTS = 'Carlito, Calibri, "Liberation Sans", "DejaVu Sans", Arial, sans-serif'


TILE_VALUE_PT = (17, 16, 15, 14, 13, 12)  # a tile's number on the page: as large as its tile allows
_TILE_ROW_MM, _TILE_GAP_MM, _TILE_INSET_MM = 188, 2, 6.0  # onepager.css: the row, the spacing, border and padding


def tile_value_pt(values: list[str], font: str | None) -> float:
    """The tiles' number size: the largest at which the widest number fits its tile, measured
    with the page's first font (fc-match's nearest where it is not installed, which errs wide)."""
    if not values:
        return TILE_VALUE_PT[0]
    room = ((_TILE_ROW_MM - (len(values) + 1) * _TILE_GAP_MM) / len(values) - _TILE_INSET_MM) * 72 / 25.4
    measurer = Measurer(font or "Carlito")
    return next(
        (pt for pt in TILE_VALUE_PT if max(measurer.width_pt(v, pt, bold=True) for v in values) <= room),
        TILE_VALUE_PT[-1],
    )


def font_family(settings: Settings) -> Markup:
    """The pages' CSS font-family: the brand's font first where it applies (as its colours do,
    to the packaged template's look), then the fallbacks, for a machine without it. The name is
    checked in the configuration (letters, digits, spaces, dots, hyphens), so quoting it is safe."""
    brand = settings.brand
    if brand is not None and brand.font and settings.branded_template:
        return Markup(f'"{brand.font}", {FALLBACK_FONTS}')
    return Markup(FALLBACK_FONTS)


def logo_uri(settings: Settings) -> str | None:
    """The brand's logo as a data: URI for the one-pager (WeasyPrint draws PNG and SVG alike)."""
    logo = settings.brand.logo if settings.brand is not None else None
    if logo is None:
        return None
    kind = "image/svg+xml" if logo.suffix.lower() == ".svg" else "image/png"
    return f"data:{kind};base64,{base64.b64encode(logo.read_bytes()).decode('ascii')}"


@cache
def _deck_colours(path: Path, version: tuple[int, ...]) -> dict[str, str]:
    """Read once per template file (and again when it changes), not once per one-pager; an
    error is not cached (functools.cache keeps only results)."""
    from sambrief.render.template import deck_colours, open_template

    return deck_colours(open_template(path))


@dataclass
class OnePage:
    html: bytes
    pdf: bytes
    warnings: list[Any]


def render_onepager(b: Briefing, settings: Settings) -> OnePage:
    env = environment(settings.templates)
    colours = template_colours(settings)
    logo = logo_uri(settings)
    font = font_family(settings)
    brand_font = settings.brand.font if settings.brand is not None and settings.branded_template else None
    tile_pt = tile_value_pt([t.value for t in b.tiles], brand_font)
    sources = shorten(", ".join(b.sources), 300)
    html, tried = "", set()
    document: Any = None
    for step, budget in enumerate(BUDGETS):
        context = onepager_context(b, budget, sources, colours) | {
            "colours": colours,
            "logo": logo,
            "font": font,
            "tile_pt": tile_pt,
        }
        html = render_template(env, "onepager.html.j2", context)
        if html in tried:  # a step that changes nothing on this page (it has fewer findings than the step trims)
            continue
        tried.add(html)
        document = layout(html)  # laid out to count its pages; written as PDF only once it is one
        if len(document.pages) == 1:
            warnings: list[str] = []
            cuts = [
                Notice(what, n=n)
                for n, what in (
                    (context["shortened"], "cut_texts"),
                    (context["dropped"], "cut_findings"),
                    (context["hidden_items"], "cut_items"),
                )
                if n
            ]
            if cuts:  # shortened texts are documented behaviour; a finding or list item left out is a warning
                level = INFO if all(cut.key == "cut_texts" for cut in cuts) else WARNING
                warnings.append(Notice("onepager_shortened_by", level, audience=b.output_key, cuts=cuts))
            elif step >= len(UNCUT):
                warnings.append(Notice("onepager_shortened", INFO, audience=b.output_key))
            return OnePage(html.encode("utf-8"), document.write_pdf(), warnings)
    too_long = Notice("onepager_too_long", audience=b.output_key, pages=len(document.pages))
    return OnePage(html.encode("utf-8"), document.write_pdf(), [too_long])


def layout(html: str) -> Any:
    """A page template's HTML laid out by WeasyPrint (its `pages`, `write_pdf()`)."""
    weasyprint, font_config = _weasyprint()
    sheets = _STYLE.findall(html)
    if len(sheets) != 1 or html.count("<style") != 1 or "<link" in html:
        return weasyprint.HTML(string=html, base_url=None).render(font_config=font_config)
    # A page's one stylesheet is parsed once per text, not once per layout (a one-pager is laid
    # out until it fits; parsing was about a tenth of a small page's layout). Handed to
    # WeasyPrint beside the page it is a user stylesheet: with no other stylesheet in the page
    # its rules still come after the browser's and before style attributes: the same cascade.
    page = weasyprint.HTML(string=_STYLE.sub("", html, count=1), base_url=None)
    return page.render(font_config=font_config, stylesheets=[_stylesheet(sheets[0])])


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@lru_cache(maxsize=8)
def _stylesheet(text: str) -> Any:
    weasyprint, font_config = _weasyprint()
    return weasyprint.CSS(string=text, base_url=None, font_config=font_config)


def write_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of a page template's HTML and its number of pages."""
    document = layout(html)
    return document.write_pdf(), len(document.pages)


@cache
def _weasyprint() -> tuple[Any, Any]:
    """WeasyPrint, imported on the first PDF, and one font configuration shared by every PDF of
    the process (Pango's font map and its loaded faces are reused instead of rebuilt per page)."""
    try:
        weasyprint = _import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise RenderError(Notice("html_no_weasyprint", detail=str(exc))) from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint, FontConfiguration()


def _import_weasyprint() -> Any:
    """WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names each; every name
    that does not open as it is goes through ctypes.util.find_library, which on Linux starts
    ldconfig, gcc and ld (about 50 processes, 0.15 s of CPU per build). The names WeasyPrint
    tries last are the sonames (libpango-1.0.so.0), which the dynamic loader finds itself: so
    the first attempt skips the search, and only if that fails is WeasyPrint imported as usual."""
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import contextlib
    import ctypes.util
    import io

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints install advice before it fails
            import weasyprint
        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint

    return weasyprint
