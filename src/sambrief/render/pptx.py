"""Briefing -> PowerPoint deck on the company's template, with native charts and notes.

Every slide takes its layout from the template by role (title, chart, figure, two columns,
closing) and places content in that layout's own frames, so a 4:3 corporate master with
German layout names works as well as the packaged 16:9 one. Text is budgeted against font
metrics before it is written (python-pptx cannot shrink text at generation time): bullets
are shortened and moved to the notes before anything may overflow; a quality gate measures
every slide afterwards.
"""

from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Any

from lxml import etree
from PIL import Image
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.shapes.shapetree import SlideShapeFactory
from pptx.util import Emu, Pt

from sambrief.briefing.compose import Briefing
from sambrief.briefing.findings import Chart, Finding, Tile
from sambrief.config.settings import Brand
from sambrief.i18n.notices import INFO, WARNING, Notice
from sambrief.render.brand import TONES, apply_to_deck, darkened, logo_png, text_on
from sambrief.render.fit import EMU_PER_PT, Measurer, fit_label
from sambrief.render.template import (
    TITLE_TYPES,
    Frame,
    content_frames,
    deck_colours,
    deck_fonts,
    footer_frames,
    logo_frame,
    map_roles,
    open_template,
    template_file,
)
from sambrief.text import clean_text, inert_cell, shorten

GREY = RGBColor(0x6B, 0x6B, 0x6B)
INSETS = (Emu(91440), Emu(45720))  # python-pptx/PowerPoint default text insets (left/right, top/bottom)
BULLET_LIMITS = (220, 150, 110, 80, 60)  # characters per bullet tried in turn before a bullet moves to the notes
MIN_FONT_PT = 10
TILE_VALUE_PT = (40, 36, 32, 30, 28)  # a tile's number: as large as the row allows, never below 28 pt
TILE_TONES = {tone: RGBColor.from_string(rgb) for tone, rgb in TONES.items()}
TILE_LABEL = RGBColor(0x33, 0x3D, 0x47)
MAX_WORDS_PER_SLIDE = 110


class _ChartData(CategoryChartData):
    """Chart data whose embedded workbook (the data behind PowerPoint's "Edit data") is written
    once per content: xlsxwriter takes about a millisecond a workbook, and the audiences' decks
    share many charts."""

    @property
    def xlsx_blob(self) -> bytes:
        key = (self.number_format, self.categories.number_format, repr([c.label for c in self.categories]),
               repr([(s.name, s.values, s.number_format) for s in self]))
        blob = _WORKBOOKS.get(key)
        if blob is None:
            if len(_WORKBOOKS) > 256:
                _WORKBOOKS.clear()
            blob = _WORKBOOKS[key] = super().xlsx_blob
        return blob


# Made once per process and copied, never handed out: python-pptx elements are mutable.
_WORKBOOKS: dict[tuple[str, ...], bytes] = {}  # chart data -> embedded workbook
_TEXT_BODIES: dict[tuple[Any, ...], Any] = {}  # (text body before, what was written) -> text body after
_CHARTS: dict[tuple[Any, ...], Any] = {}  # a chart's content and style -> its formatted XML


@dataclass(frozen=True)
class Drawn:
    """One thing on a slide as written: its frame (EMU), what it is and its text, so the deck's
    PDF shows the same texts in the same places without reading the pptx back."""

    kind: str  # 'text', 'rect' (a coloured bar with text), 'chevron' and 'pentagon' (process steps), 'chart'
    left: int
    top: int
    width: int
    height: int
    lines: tuple[str, ...] = ()
    size: float = 18
    bold: bool = False
    italic: bool = False
    colour: str = ""  # hex 'RRGGBB', or a theme colour's name ('accent1', 'bg1')
    fill: str = ""  # a shape's fill: a theme colour's name
    align: str = "left"
    space_after: float = 0
    role: str = ""  # 'title', 'subtitle', 'closing' or '' (the PDF's stylesheet may treat them apart)
    anchor: str = "t"  # where the text sits in its box: 't', 'ctr' or 'b'
    chart: Chart | None = None


@dataclass
class SlidePage:
    role: str
    number: int
    drawn: list[Drawn] = field(default_factory=list)


@dataclass
class DeckResult:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    pages: list[SlidePage] = field(default_factory=list)  # what each slide shows (the deck's PDF)
    size: tuple[int, int] = (12192000, 6858000)  # slide width and height, EMU


class DeckBuilder:
    def __init__(self, prs: Any, briefing: Briefing, layout_names: dict[str, str] | None = None,
                 shared: dict[Any, Any] | None = None, logo: bytes | None = None):
        self.prs = prs
        self.b = briefing
        self.logo = logo
        self.colours = deck_colours(prs)
        self.roles = {role: layout for role, (layout, _) in map_roles(prs, layout_names).items()}
        heading, body = deck_fonts(prs)
        self.heading = Measurer(heading)
        self.body = Measurer(body)
        self.width = prs.slide_width
        self.height = prs.slide_height
        self.margin = int(self.width * 0.045)
        self.gap = int(self.width * 0.025)
        self.scale = min(1.0, self.width / 12192000 * 1.1)  # narrower slides get smaller type
        self.slide_no = 0
        self.warnings: list[str] = []
        self.pages: list[SlidePage] = []
        # Learnt from the template once per build and shared by its decks: frames and the XML of
        # fresh slides, keyed by layout part name (the same in every deck opened from the file).
        self.shared: dict[Any, Any] = {} if shared is None else shared

    # A layout's frames are read once: python-pptx resolves each inherited position through
    # the master with XPath on every access.
    def content_frames(self, layout) -> list[Frame]:
        key = ("content", str(layout.part.partname))
        if key not in self.shared:
            self.shared[key] = content_frames(layout)
        return list(self.shared[key])

    def footer_frames(self, layout) -> dict[str, Frame]:
        key = ("footer", str(layout.part.partname))
        if key not in self.shared:
            self.shared[key] = footer_frames(layout)
        return dict(self.shared[key])

    # python-pptx clones a layout's placeholders into each new slide (and the notes master's into
    # each notes page) through its shape API, about 0.5 ms a slide; the first slide of a layout
    # is made that way and later ones get a copy of its XML, related exactly as python-pptx does.
    def add_slide(self, layout):
        key = ("slide", str(layout.part.partname))
        fresh = self.shared.get(key)
        if fresh is None:
            slide = self.prs.slides.add_slide(layout)
            self.shared[key] = deepcopy(slide._element)
            return slide
        prs_part = self.prs.part
        part = SlidePart(prs_part._next_slide_partname, CT.PML_SLIDE, prs_part.package, deepcopy(fresh))
        part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        self.prs.slides._sldIdLst.add_sldId(prs_part.relate_to(part, RT.SLIDE))
        return part.slide

    def notes_slide(self, slide, written=None):
        """The slide's notes page; `written`: the XML of a notes page to copy instead of a fresh one."""
        fresh = self.shared.get("notes") if written is None else written
        if fresh is None:
            notes = slide.notes_slide
            self.shared["notes"] = deepcopy(notes._element)
            return notes
        package = self.prs.part.package
        master = self.prs.part.notes_master_part  # made from python-pptx's default if the template has none
        part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE, package, deepcopy(fresh))
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return slide.notes_slide

    def draw(self, kind: str, shape: Any, lines: list[str], size: float, **style: Any) -> None:
        """Note what the current slide shows (for the deck's PDF)."""
        self.pages[-1].drawn.append(Drawn(kind, int(shape.left), int(shape.top), int(shape.width), int(shape.height),
                                          tuple(lines), size, **style))

    def pt(self, size: float) -> float:
        return max(MIN_FONT_PT, round(size * self.scale))

    def warn(self, key: str, level: str = WARNING, **values: Any) -> None:
        self.warnings.append(Notice(key, level, where=Notice("slide", audience=self.b.output_key, slide=self.slide_no), **values))

    # -- scaffolding ---------------------------------------------------------
    def new_slide(self, role: str, title: str):
        layout = self.roles[role]
        slide = self.add_slide(layout)
        self.slide_no += 1
        self.pages.append(SlidePage(role, self.slide_no))
        title_shape = slide.shapes.title
        if title_shape is None:
            title_shape = self.textbox(slide, Frame(self.margin, int(self.height * 0.05), self.width - 2 * self.margin, int(self.height * 0.16)))
        self.fit_title(title_shape, title, role)
        return slide, title_shape, layout

    def fit_title(self, shape, title: str, role: str) -> None:
        sizes = (40, 36, 32, 28) if role in ("title", "closing") else (28, 26, 24, 22, 20)
        box_w, box_h = int(shape.width), int(shape.height)
        chosen: float | None = None
        for points in sizes:
            size = self.pt(points)
            if self.heading.fits([title], size, box_w, box_h, bold=True, insets_emu=(2 * INSETS[0], 2 * INSETS[1])):
                chosen = size
                break
        if chosen is None:
            chosen = self.pt(sizes[-1])
            limit = len(title)
            while limit > 40 and not self.heading.fits([shorten(title, limit)], chosen, box_w, box_h, bold=True,
                                                        insets_emu=(2 * INSETS[0], 2 * INSETS[1])):
                limit -= 10
            if shorten(title, limit) != title:
                self.warn("headline_shortened", INFO, title=repr(title[:60]))  # the full headline is in the notes
                title = shorten(title, limit)
        tf = shape.text_frame
        tf.word_wrap = True
        tf.text = title
        for para in tf.paragraphs:
            for run in para.runs:
                run.font.size = Pt(chosen)
        self.draw("text", shape, [p.text for p in tf.paragraphs], chosen, bold=True, colour="dk2", role="title", anchor=_anchor(shape))

    def drop_placeholders(self, slide, keep_subtitle: bool = False) -> None:
        """Unfilled placeholders would show 'Click to add text'; their frames are read from the layout."""
        for ph in list(slide.placeholders):
            kind = ph.placeholder_format.type
            if kind in TITLE_TYPES or (keep_subtitle and kind == PP_PLACEHOLDER.SUBTITLE):
                continue
            ph._element.getparent().remove(ph._element)

    def body_frame(self, layout, title_shape) -> Frame:
        """Where content goes: the layout's content placeholder(s), else below the title."""
        frames = self.content_frames(layout)
        footer_top = min([f.top for f in self.footer_frames(layout).values()] + [int(self.height * 0.92)])
        if frames:
            left = min(f.left for f in frames)
            top = min(f.top for f in frames)
            right = max(f.right for f in frames)
            bottom = min(max(f.bottom for f in frames), footer_top)
            return Frame(left, top, right - left, bottom - top)
        top = int(title_shape.top + title_shape.height + self.height * 0.03)
        return Frame(self.margin, top, self.width - 2 * self.margin, footer_top - top)

    def footer(self, slide, layout) -> None:
        frames = self.footer_frames(layout)
        text = f"{self.b.organisation} · {self.b.msg('deck.kicker')} · {self.b.period_label}"
        band = int(self.height * 0.05)
        footer = frames.get("footer") or Frame(self.margin, int(self.height * 0.935), int(self.width * 0.7), band)
        number = frames.get("number") or Frame(int(self.width * 0.85), int(self.height * 0.935), int(self.width * 0.15) - self.margin, band)
        size = self.pt(10)
        insets = (2 * INSETS[0], 2 * INSETS[1])
        for candidate in (text, f"{self.b.organisation} · {self.b.period_label}", self.b.period_label):
            if self.body.fits([candidate], size, footer.width, max(footer.height, int(size * EMU_PER_PT * 1.6)), insets_emu=insets):
                text = candidate
                break
        else:
            text = shorten(self.b.period_label, 20)
        self.write(self.textbox(slide, footer), [text], size, color=GREY)
        self.write(self.textbox(slide, number), [str(self.slide_no)], self.pt(10), color=GREY, align=PP_ALIGN.RIGHT)

    def textbox(self, slide, frame: Frame):
        box = slide.shapes.add_textbox(Emu(frame.left), Emu(frame.top), Emu(frame.width), Emu(frame.height))
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        return box

    def write(self, box, lines, size, color=None, bold=False, align=None, bullet=False, space_after=6,
              theme_color=None, italic=False):
        self._drawn_write(box, lines, size, color, bold, align, bullet, space_after, theme_color, italic)
        # Footers, slide numbers and the findings the audiences share repeat the same text: its
        # XML is built once through python-pptx (a few dozen XPath lookups) and copied after.
        body = box._element.txBody
        key = (etree.tostring(body), tuple(lines), size, color, bold, align, bullet, space_after, theme_color, italic)
        written = _TEXT_BODIES.get(key)
        if written is not None:
            body.getparent().replace(body, deepcopy(written))
            return box
        tf = box.text_frame
        tf.clear()
        for i, line in enumerate(lines):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = para.add_run()
            run.text = ("• " if bullet else "") + line
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.italic = italic
            if color is not None:
                run.font.color.rgb = color
            if theme_color is not None:
                run.font.color.theme_color = theme_color
            if align is not None:
                para.alignment = align
            para.space_after = Pt(space_after)
        if len(_TEXT_BODIES) > 4096:
            _TEXT_BODIES.clear()
        _TEXT_BODIES[key] = deepcopy(box._element.txBody)
        return box

    def _drawn_write(self, box, lines, size, color=None, bold=False, align=None, bullet=False, space_after=6,
                     theme_color=None, italic=False):
        colour = str(color) if color is not None else _THEME_NAMES.get(theme_color, "") if theme_color is not None else ""
        self.draw("text", box, [("• " if bullet else "") + line for line in lines], size, bold=bold, italic=italic, colour=colour,
                  align={PP_ALIGN.RIGHT: "right", PP_ALIGN.CENTER: "center"}.get(align, "left"), space_after=space_after)

    def fit_bullets(self, items: list[str], frame: Frame, size: float, space_after: float) -> tuple[list[str], float, list[str]]:
        """Bullets that fit the frame: shorter first, then fewer (the rest to the notes), then smaller.
        Returns (bullets, font size, texts moved to the notes)."""
        moved: list[str] = []
        items = [clean_text(x) for x in items if x]
        if not items:
            return [], self.pt(size), []
        insets = (2 * INSETS[0], 2 * INSETS[1])
        for current in (size, size - 2, size - 4):
            current = self.pt(current)
            kept = list(items)
            while kept:
                for limit in BULLET_LIMITS:
                    trial = [shorten(x, limit) for x in kept]
                    if self.body.fits(["• " + t for t in trial], current, frame.width, frame.height, space_after, insets_emu=insets):
                        moved += [x for x, t in zip(kept, trial) if x != t] + items[len(kept):]
                        return trial, current, moved
                kept = kept[:-1]  # the least important bullet goes to the notes
        self.warn("text_does_not_fit")
        return [shorten(items[0], 60)] if items else [], self.pt(size - 4), items

    # -- slides --------------------------------------------------------------
    def title_slide(self) -> None:
        slide, title_shape, layout = self.new_slide("title", self.b.title)
        subtitle = self.b.subtitle or f"{self.b.organisation} · {self.b.msg('deck.period', month=self.b.period_label)}"
        self.drop_placeholders(slide, keep_subtitle=True)
        self.on_band(layout, title_shape)
        subs = [p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE]
        if subs:
            subs[0].text_frame.text = subtitle
            for run in subs[0].text_frame.paragraphs[0].runs:
                run.font.size = Pt(self.pt(20))
            self.draw("text", subs[0], [p.text for p in subs[0].text_frame.paragraphs], self.pt(20), colour="595959", role="subtitle")
        else:
            title = slide.shapes.title
            top = int(title.top + title.height) if title is not None else int(self.height * 0.6)
            self.write(self.textbox(slide, Frame(self.margin, top, self.width - 2 * self.margin, int(self.height * 0.12))), [subtitle], self.pt(20))
        self.place_logo(slide, layout)
        self.notes(slide, [self.b.msg("deck.generated", date=self.b.fmt.date(self.b.as_of))])

    def on_band(self, layout, title_shape) -> None:
        """A title on the layout's colour band (the packaged template's title and closing
        slides) in the text colour that reads on it: white, or dark where white would not reach
        WCAG AA on that colour (a light brand colour)."""
        band = self.shared.get(("band", str(layout.part.partname)), _MISSING)
        if band is _MISSING:
            band = self.shared[("band", str(layout.part.partname))] = _band_colour(layout)
        if band is None or title_shape is None:
            return
        colour = self.colours.get(band)
        if not colour:
            return
        for para in title_shape.text_frame.paragraphs:
            for run in para.runs:
                run.font.color.rgb = RGBColor.from_string(text_on(colour))

    def place_logo(self, slide, layout) -> None:
        """The brand's logo in the layout's logo place, else in the top right corner; scaled to
        fit, never stretched or cropped."""
        if self.logo is None:
            return
        frame = logo_frame(layout) or Frame(int(self.width * 0.78), int(self.height * 0.04), int(self.width * 0.18), int(self.height * 0.12))
        with Image.open(io.BytesIO(self.logo)) as image:
            w, h = image.size
        scale = min(frame.width / w, frame.height / h)
        width, height = int(w * scale), int(h * scale)
        picture = slide.shapes.add_picture(io.BytesIO(self.logo), Emu(frame.right - width), Emu(frame.top), Emu(width), Emu(height))
        picture.name = "Logo"

    def readable(self, name: str) -> RGBColor:
        """A theme colour as text on the white slide: itself, or a darker shade where it would
        not reach WCAG AA (a light brand accent)."""
        return RGBColor.from_string(darkened(self.colours.get(name) or "1F5A8C"))

    def on(self, theme_colour) -> RGBColor:
        """The text colour for a shape filled with a theme colour (a balance bar, a step)."""
        name = {MSO_THEME_COLOR.ACCENT_1: "accent1", MSO_THEME_COLOR.ACCENT_2: "accent2",
                MSO_THEME_COLOR.ACCENT_3: "accent3"}.get(theme_colour, "")
        return RGBColor.from_string(text_on(self.colours.get(name) or "1F5A8C"))

    def key_points_slide(self) -> None:
        """The summary: the key-figure tiles, then one sentence per finding. With tiles the
        audience's intro goes to the notes: the tiles say at a glance what it announces."""
        slide, title, layout = self.new_slide("chart", self.b.msg("deck.key_points_title"))
        frame = self.body_frame(layout, title)
        self.drop_placeholders(slide)
        gap = int(self.height * 0.035)
        intro = clean_text(self.b.audience.intro.get(self.b.language, ""))
        if intro and not self.b.tiles:
            lead_h = int(self.height * 0.08)
            lead = self.textbox(slide, Frame(frame.left, frame.top, frame.width, lead_h))
            self.write(lead, [shorten(intro, 140)], self.pt(18), color=GREY, italic=True)
            frame = Frame(frame.left, frame.top + lead_h + int(self.height * 0.02), frame.width, frame.height - lead_h - int(self.height * 0.02))
        if self.b.tiles:
            used = self.tiles(slide, self.b.tiles, frame)
            frame = Frame(frame.left, frame.top + used + gap, frame.width, frame.height - used - gap)
        points, size, moved = self.fit_bullets(self.b.key_points, frame, 18 if self.b.tiles else 20, 10 if self.b.tiles else 14)
        self.write(self.textbox(slide, frame), points, size, bullet=True, space_after=10 if self.b.tiles else 14)
        self.footer(slide, layout)
        tiles = [f"{t.label}: {t.value} ({t.change})" for t in self.b.tiles]
        self.notes(slide, ([intro] if intro and self.b.tiles else []) + tiles + self.b.key_points)

    def tiles(self, slide, tiles: list[Tile], frame: Frame) -> int:
        """Key-figure tiles in one row, or two where a row would make the numbers smaller than
        TILE_MIN_PT (a 4:3 template). Every tile's number has the same size. Returns the height used."""
        gap = int(self.width * 0.012)
        pad = int(self.width * 0.01)
        for rows in (1, 2):
            per_row = -(-len(tiles) // rows)
            width = int((frame.width - gap * (per_row - 1)) / per_row)
            room = width - 2 * pad - 2 * INSETS[0]
            size = next((pt for pt in TILE_VALUE_PT
                         if all(self.heading.width_pt(t.value, pt, bold=True) <= room / EMU_PER_PT for t in tiles)), None)
            if size is not None:
                break
        else:
            size, rows, per_row = TILE_VALUE_PT[-1], 2, -(-len(tiles) // 2)
            width = int((frame.width - gap * (per_row - 1)) / per_row)
        label_pt, change_pt = self.pt(13), self.pt(12)
        value_h = int(size * 1.3 * EMU_PER_PT) + 2 * INSETS[1]
        label_h = int(2 * label_pt * 1.2 * EMU_PER_PT) + 2 * INSETS[1]
        change_h = int(2 * change_pt * 1.45 * EMU_PER_PT) + 2 * INSETS[1]
        height = pad + value_h + label_h + change_h + pad
        row_gap = int(self.height * 0.02)
        for i, tile in enumerate(tiles):
            row, col = divmod(i, per_row)
            left, top = frame.left + col * (width + gap), frame.top + row * (height + row_gap)
            box = _filled_rect(slide, left, top, width, height, MSO_THEME_COLOR.BACKGROUND_2, f"Tile: {tile.figure}")
            self.draw("rect", box, [], 0, fill="bg2")
            bar = _filled_rect(slide, left, top, int(pad * 0.5), height, MSO_THEME_COLOR.ACCENT_1, f"Tile accent: {tile.figure}")
            self.draw("rect", bar, [], 0, fill="accent1")
            inner = Frame(left + pad, top + pad, width - 2 * pad, 0)
            value = self.textbox(slide, Frame(inner.left, inner.top, inner.width, value_h))
            value.name = f"Tile value: {tile.figure}"
            self.write(value, [tile.value], size, bold=True, theme_color=MSO_THEME_COLOR.TEXT_2, space_after=0)
            label = self.textbox(slide, Frame(inner.left, inner.top + value_h, inner.width, label_h))
            label.name = f"Tile label: {tile.figure}"
            text = self._fit_lines(tile.label, label_pt, inner.width, label_h)
            self.write(label, [text], label_pt, color=TILE_LABEL, space_after=0)
            change = self.textbox(slide, Frame(inner.left, inner.top + value_h + label_h, inner.width, change_h))
            change.name = f"Tile change: {tile.figure}"
            self.write(change, [self._fit_lines(tile.change, change_pt, inner.width, change_h)], change_pt,
                       color=TILE_TONES[tile.tone], bold=tile.tone != "neutral", space_after=0)
        return rows * height + (rows - 1) * row_gap

    def _fit_lines(self, text: str, size: float, width: int, height: int) -> str:
        """The text shortened at a word boundary until it fits the box (its full form is in the notes)."""
        insets = (2 * INSETS[0], 2 * INSETS[1])
        limit = len(text)
        while limit > 12 and not self.body.fits([shorten(text, limit)], size, width, height, insets_emu=insets):
            limit -= 4
        return shorten(text, limit)

    def finding_slide(self, finding: Finding) -> None:
        if finding.chart is not None and not finding.chart.categories:
            finding = replace(finding, chart=None)  # nothing to draw: the bullets carry the slide
        role = "figure" if finding.figure is not None and finding.chart is None else "chart"
        slide, title, layout = self.new_slide(role, clean_text(finding.headline))
        frame = self.body_frame(layout, title)
        self.drop_placeholders(slide)
        source_h = int(self.height * 0.045) if finding.source else 0
        area = Frame(frame.left, frame.top, frame.width, frame.height - source_h)
        moved: list[str] = []
        if finding.process:
            self.process(slide, finding.process, area)
        elif finding.chart is None and finding.figure is None:
            bullets, size, moved = self.fit_bullets(finding.bullets[:3], area, 20, 16)
            self.write(self.textbox(slide, area), bullets, size, bullet=True, space_after=16)
        else:
            share = 0.6 if finding.chart is not None else 0.5  # a big number needs less room than a chart
            visual = Frame(area.left, area.top, int(area.width * share), area.height)
            text = Frame(visual.right + self.gap, area.top, area.right - visual.right - self.gap, area.height)
            if finding.chart is not None:
                self.chart(slide, finding.chart, visual)
            else:
                assert finding.figure is not None  # the finding has a chart or a big figure
                self.big_figure(slide, finding.figure.value, finding.figure.caption, visual)
            bullets, size, moved = self.fit_bullets(finding.bullets[:3], text, 16 if finding.chart is not None else 18, 12)
            self.write(self.textbox(slide, text), bullets, size, bullet=True, space_after=12)
        if finding.source:
            src = self.textbox(slide, Frame(area.left, area.bottom, area.width, source_h))
            self.write(src, [shorten(finding.source, 170)], self.pt(10), color=GREY)
        self.footer(slide, layout)
        shown_title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        extra = [finding.headline] if shown_title != clean_text(finding.headline) else []
        if moved:
            self.warn("bullets_shortened", INFO, n=len(moved))  # the full text is in the notes
        self.notes(slide, extra + moved + finding.notes + [f"{self.b.msg('deck.notes_source')}: {finding.source}"])

    def balance_slide(self) -> None:
        """Two columns, achieved and open: a coloured head and the items below, sized to what
        they say (a few items get larger type) and placed high on the slide, not stretched."""
        msg = self.b.msg
        slide, title, layout = self.new_slide("two_columns", self.b.balance_title or msg("deck.balance_title"))
        frames = self.content_frames(layout)
        whole = self.body_frame(layout, title)
        self.drop_placeholders(slide)
        if len(frames) < 2:
            half = int((whole.width - self.gap) / 2)
            frames = [Frame(whole.left, whole.top, half, whole.height), Frame(whole.left + half + self.gap, whole.top, half, whole.height)]
        columns = (
            (self.b.achieved_label or msg("deck.balance_achieved"), self.b.achieved or [msg("deck.balance_nothing_achieved")], MSO_THEME_COLOR.ACCENT_3),
            (self.b.remaining_label or msg("deck.balance_remaining"), self.b.remaining or [msg("deck.balance_nothing_remaining")], MSO_THEME_COLOR.ACCENT_2),
        )
        bar_h = int(self.height * 0.08)
        below = int(self.height * 0.025)
        fitted = []
        for (_, items, _), col in zip(columns, frames[:2]):
            room = Frame(col.left, col.top + bar_h + below, col.width, col.bottom - col.top - bar_h - below)
            bullets, size, _ = self.fit_bullets(items, room, 22, 14)
            fitted.append((bullets, size))
        size = min(f[1] for f in fitted)  # both columns in one size, their panels of one height
        needed = max(self.body.height_pt(["• " + b for b in bullets], size, (col.width - 2 * INSETS[0]) / EMU_PER_PT, 14)
                     for (bullets, _), col in zip(fitted, frames[:2]))
        height = min(min(col.bottom - col.top for col in frames[:2]) - bar_h - below,
                     int(needed * EMU_PER_PT) + 2 * INSETS[1] + int(size * EMU_PER_PT))
        for (head, _, colour), col, (bullets, _) in zip(columns, frames[:2], fitted):
            bar = _filled_rect(slide, col.left, col.top, col.width, bar_h, colour)
            bar.text_frame.text = head
            para = bar.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.LEFT
            para.runs[0].font.size = Pt(self.pt(22))
            para.runs[0].font.bold = True
            para.runs[0].font.color.rgb = self.on(colour)
            self.draw("rect", bar, [head], self.pt(22), bold=True, colour=str(self.on(colour)), fill=_THEME_NAMES[colour], anchor="ctr")
            box = Frame(col.left, col.top + bar_h + below, col.width, height)
            card = _filled_rect(slide, box.left, box.top - below, box.width, box.height + 2 * below, MSO_THEME_COLOR.BACKGROUND_2)
            self.draw("rect", card, [], 0, fill="bg2")
            self.write(self.textbox(slide, box), bullets, size, bullet=True, space_after=14)
        self.footer(slide, layout)
        self.notes(slide, [f"{msg('deck.balance_achieved')}: " + "; ".join(self.b.achieved),
                           f"{msg('deck.balance_remaining')}: " + "; ".join(self.b.remaining)])

    def closing_slide(self) -> None:
        msg, contact = self.b.msg, self.b.contact
        slide, title, layout = self.new_slide("closing", msg("deck.closing_title"))
        frame = self.body_frame(layout, title)
        self.drop_placeholders(slide)
        self.on_band(layout, title)
        lines = [msg("deck.closing_text"), contact.team] + [x for x in (contact.email, contact.phone, contact.url) if x]
        lines = [shorten(clean_text(x), 90) for x in lines]
        size = next((pt for pt in (26, 24, 22, 20, 18) if self.body.fits(lines, self.pt(pt), frame.width, frame.height, 10,
                                                                        insets_emu=(2 * INSETS[0], 2 * INSETS[1]))), 18)
        box = self.write(self.textbox(slide, frame), lines, self.pt(size), space_after=10)
        box.text_frame.paragraphs[1].runs[0].font.bold = True
        self.place_logo(slide, layout)
        self.pages[-1].drawn[-1] = replace(self.pages[-1].drawn[-1], role="closing")  # the team's line bold, as in the deck
        self.footer(slide, layout)
        self.notes(slide, [msg("deck.generated", date=self.b.fmt.date(self.b.as_of))])

    def notes(self, slide, lines: list[str]) -> None:
        text = "\n".join(clean_text(line) for line in lines if line)
        # The audiences share findings and so their notes: a notes page is written once per text.
        written = self.shared.setdefault("notes written", {})
        if text in written:
            self.notes_slide(slide, written[text])
            return
        notes = self.notes_slide(slide)
        notes.notes_text_frame.text = text
        if len(written) > 512:
            written.clear()
        written[text] = deepcopy(notes._element)

    # -- visuals -------------------------------------------------------------
    def chart(self, slide, chart: Chart, frame: Frame) -> None:
        number_format = self.b.fmt.chart_format(chart.value_format)
        data = _ChartData(number_format=number_format)
        # Labels shortened by their measured width at a word boundary: a bar chart's axis gets
        # about a third of the frame, a column chart's category its share of the width.
        label_pt = self.pt(12)
        frame_pt = frame.width / EMU_PER_PT
        room = frame_pt * 0.3 if chart.kind == "bar" else frame_pt / max(1, len(chart.categories))
        data.categories = [inert_cell(fit_label(clean_text(c), self.body, label_pt, room)) for c in chart.categories]
        values = list(chart.values)
        data.add_series(clean_text(chart.series_name), values, number_format)
        kind = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "line": XL_CHART_TYPE.LINE_MARKERS}.get(chart.kind, XL_CHART_TYPE.COLUMN_CLUSTERED)
        shape = slide.shapes.add_chart(kind, Emu(frame.left), Emu(frame.top), Emu(frame.width), Emu(frame.height), data)
        self.pages[-1].drawn.append(Drawn("chart", frame.left, frame.top, frame.width, frame.height, size=self.pt(12), chart=chart))
        # The audiences share charts: a chart's formatting (python-pptx, about a millisecond) is
        # done once per content and style, then its XML copied into the new chart part.
        key = (chart.kind, repr([c.label for c in data.categories]), data[0].name, repr(values), number_format,
               chart.label_zero, chart.highlight, chart.highlights, self.b.language, self.pt(12))
        formatted = _CHARTS.get(key)
        if formatted is not None:
            shape.chart_part._element = deepcopy(formatted)
            return
        c = shape.chart
        self._format_chart(c, chart, values, number_format)
        if len(_CHARTS) > 256:
            _CHARTS.clear()
        _CHARTS[key] = deepcopy(c._chartSpace)

    def _format_chart(self, c, chart: Chart, values: list, number_format: str) -> None:
        _chart_language(c, "de-DE" if self.b.language == "de" else "en-GB")
        c.has_legend = False
        c.has_title = False
        size = Pt(self.pt(12))
        c.font.size = size
        plot = c.plots[0]
        plot.vary_by_categories = False  # one colour for a single series (#482)
        if chart.kind != "line":
            plot.gap_width = 60
        plot.has_data_labels = True
        labels = plot.data_labels
        # An empty third section of the format leaves zero values unlabelled.
        labels.number_format = number_format if chart.label_zero else self.b.fmt.chart_format(chart.value_format, zero=False)
        labels.number_format_is_linked = False
        labels.font.size = size
        labels.position = XL_LABEL_POSITION.ABOVE if chart.kind == "line" else XL_LABEL_POSITION.OUTSIDE_END
        series = plot.series[0]
        if chart.kind == "line":
            series.format.line.color.theme_color = MSO_THEME_COLOR.ACCENT_1
            series.format.line.width = Pt(3)
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
        for index in (i for i in range(len(values)) if chart.accented(i)):
            point = series.points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_2
        value_axis = c.value_axis
        value_axis.visible = False
        value_axis.has_major_gridlines = False
        value_axis.minimum_scale = 0
        if values and max(values) > 0:
            value_axis.maximum_scale = max(values) * 1.2  # room for the outside labels
        cat_axis = c.category_axis
        cat_axis.tick_labels.font.size = size
        cat_axis.format.line.fill.background()
        cat_axis.has_major_gridlines = False
        if chart.kind == "bar":
            cat_axis.reverse_order = True  # largest on top

    def big_figure(self, slide, value: str, caption: str, frame: Frame) -> None:
        """The big-number layout: the number as large as the panel allows, one line of meaning
        under it, both centred on a light panel with the accent at its edge (as the tiles)."""
        _filled_rect(slide, frame.left, frame.top, frame.width, frame.height, MSO_THEME_COLOR.BACKGROUND_2, "Big figure panel")
        edge = int(self.width * 0.005)
        _filled_rect(slide, frame.left, frame.top, edge, frame.height, MSO_THEME_COLOR.ACCENT_1)
        pad = int(self.width * 0.03)
        inner = frame.width - 2 * pad
        room = (inner - 2 * INSETS[0]) / EMU_PER_PT
        size = self.pt(next((pt for pt in (88, 80, 72, 64, 56, 48, 40) if self.heading.width_pt(value, self.pt(pt), bold=True) <= room), 40))
        caption_pt = self.pt(20)
        caption = self._fit_lines(caption, caption_pt, inner, int(3 * caption_pt * 1.25 * EMU_PER_PT) + 2 * INSETS[1])
        value_h = int(size * 1.25 * EMU_PER_PT) + 2 * INSETS[1]
        caption_h = int(self.body.height_pt([caption], caption_pt, room) * EMU_PER_PT) + 2 * INSETS[1] + int(caption_pt * 0.4 * EMU_PER_PT)
        top = frame.top + max(0, (frame.height - value_h - caption_h) // 2)
        number = self.textbox(slide, Frame(frame.left + pad, top, inner, value_h))
        number.name = "Big figure"
        self.write(number, [value], size, bold=True, color=self.readable("accent1"), space_after=0)
        meaning = self.textbox(slide, Frame(frame.left + pad, top + value_h, inner, caption_h))
        meaning.name = "Big figure caption"
        self.write(meaning, [caption], caption_pt, color=TILE_LABEL, space_after=0)

    def process(self, slide, steps, frame: Frame) -> None:
        """Steps as chevrons left to right, each with its typical duration and a short text below.
        On a narrow (4:3) slide the six steps go in two rows, so German compounds need not break."""
        rows = 1 if frame.width / len(steps) >= 1.9 * 914400 else 2
        per_row = -(-len(steps) // rows)
        row_h = int(frame.height / rows)
        for r in range(rows):
            part = steps[r * per_row:(r + 1) * per_row]
            self._process_row(slide, part, Frame(frame.left, frame.top + r * row_h, frame.width, row_h), first=r == 0)

    def _process_row(self, slide, steps, frame: Frame, first: bool) -> None:
        n = len(steps)
        overlap = int(self.width * 0.006)
        width = int((frame.width + overlap * (n - 1)) / n)
        height = int(self.height * 0.1)
        label_size = self.pt(14)
        while label_size > MIN_FONT_PT and any(
            self.body.width_pt(s.label, label_size, bold=True) > (width * 0.62) / EMU_PER_PT for s in steps
        ):
            label_size -= 1
        for i, step in enumerate(steps):
            left = frame.left + i * (width - overlap)
            arrow = MSO_SHAPE.CHEVRON if (i or not first) else MSO_SHAPE.PENTAGON
            shape = slide.shapes.add_shape(arrow, Emu(left), Emu(frame.top), Emu(width), Emu(height))
            shape.adjustments[0] = 0.3  # a flatter point leaves room for the label
            shape.fill.solid()
            shape.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
            shape.line.fill.background()
            tf = shape.text_frame
            tf.margin_left = tf.margin_right = Emu(int(width * 0.02))
            tf.word_wrap = True
            tf.text = step.label
            run = tf.paragraphs[0].runs[0]
            run.font.size = Pt(label_size)
            run.font.bold = True
            run.font.color.rgb = self.on(MSO_THEME_COLOR.ACCENT_1)
            tf.paragraphs[0].alignment = PP_ALIGN.CENTER
            self.draw("chevron" if arrow == MSO_SHAPE.CHEVRON else "pentagon", shape, [step.label], label_size, bold=True,
                      colour=str(self.on(MSO_THEME_COLOR.ACCENT_1)),
                      fill="accent1", align="center", anchor="ctr")
            column = Frame(left + int(width * 0.06), frame.top + height + int(self.height * 0.02), width - int(width * 0.16), 0)
            duration_h = int(self.height * 0.05)
            if step.duration:
                self.write(self.textbox(slide, Frame(column.left, column.top, column.width, duration_h)), [step.duration],
                           self.pt(13), bold=True, color=self.readable("accent2"))
            body_top = column.top + duration_h + int(self.height * 0.01)
            body = Frame(column.left, body_top, column.width, frame.bottom - body_top)
            size = self.pt(13)
            longest = max(step.text.split(), key=len, default="")
            while size > MIN_FONT_PT and self.body.width_pt(longest, size) > (column.width - 2 * INSETS[0]) / EMU_PER_PT:
                size -= 1
            texts, size, _ = self.fit_bullets([step.text], body, size, 0)
            self.write(self.textbox(slide, body), texts, size)


_MISSING = object()


def _band_colour(layout) -> str | None:
    """The theme colour of a layout's drawn "Colour band" (the packaged template's title and
    closing layouts), None where the layout has none (a company's template)."""
    for sp in layout._element.iter(f"{_P}sp"):
        name = sp.find(f"{_P}nvSpPr/{_P}cNvPr")
        if name is not None and name.get("name") == "Colour band":
            scheme = sp.find(f"{_P}spPr/{_A}solidFill/{_A}schemeClr")
            return scheme.get("val") if scheme is not None else None
    return None


def _filled_rect(slide, left: int, top: int, width: int, height: int, colour: Any, name: str | None = None):  # noqa: ANN001
    """A rectangle filled with a theme colour, without outline or shadow (tiles, panels, bars)."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    if name:
        shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.theme_color = colour
    shape.line.fill.background()
    _flat(shape)
    return shape


def _flat(shape) -> None:
    """No theme style on a drawn shape: its fill and line are set, and the style's effect would
    add the theme's shadow (LibreOffice draws it even under an empty effect list)."""
    style = shape._element.find(f"{_P}style")
    if style is not None:
        shape._element.remove(style)


_THEME_NAMES = {MSO_THEME_COLOR.ACCENT_1: "accent1", MSO_THEME_COLOR.ACCENT_2: "accent2", MSO_THEME_COLOR.ACCENT_3: "accent3",
                MSO_THEME_COLOR.BACKGROUND_1: "bg1", MSO_THEME_COLOR.BACKGROUND_2: "bg2", MSO_THEME_COLOR.TEXT_2: "dk2"}


def _anchor(shape: Any) -> str:
    """A placeholder's vertical text anchor, inherited from its layout and master ('t' if none says)."""
    while shape is not None:
        body = shape._element.find(f".//{_A}bodyPr")
        if body is not None and body.get("anchor"):
            return str(body.get("anchor"))
        shape = getattr(shape, "_base_placeholder", None)
    return "t"


def _chart_language(chart, tag: str) -> None:
    """Tell viewers which locale the number formats are in (thousands and decimal marks)."""
    space = chart._chartSpace
    ns = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    lang = space.find(f"{{{ns}}}lang")
    if lang is None:
        lang = space.makeelement(f"{{{ns}}}lang", {})
        date1904 = space.find(f"{{{ns}}}date1904")
        (date1904.addnext(lang) if date1904 is not None else space.insert(0, lang))
    lang.set("val", tag)


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def quality_gate(prs: Any, key: str, body: Measurer) -> list[str]:
    """Measure every slide as rendered: text that overflows its box, type below the minimum,
    too many words, tables longer than five rows.

    Read from the slides' XML, with the meaning python-pptx gives it: its shape API resolves
    every property through XPath, a large part of a deck's cost."""
    warnings: list[str] = []
    inherited: dict[Any, tuple[int, int]] = {}  # placeholder without a frame of its own -> its layout's
    for number, slide in enumerate(prs.slides, 1):
        words = 0
        where = Notice("slide", audience=key, slide=number)
        for elm in slide._element.find(f"{_P}cSld/{_P}spTree"):
            if elm.tag == f"{_P}graphicFrame":
                rows = _table_rows(elm)
                if rows > 5:
                    warnings.append(Notice("table_too_long", where=where, rows=rows, maximum=5))
                continue
            text_body = elm.find(f"{_P}txBody") if elm.tag == f"{_P}sp" else None
            if text_body is None or not _has_text(text_body):
                continue
            texts, sizes, spacing = [], [], 0.0
            for para in text_body.iterchildren(f"{_A}p"):
                runs = para.findall(f"{_A}r")
                texts.append("".join(r.findtext(f"{_A}t") or "" for r in runs))
                sizes += [int(r.find(f"{_A}rPr").get("sz")) / 100 for r in runs
                          if r.find(f"{_A}rPr") is not None and r.find(f"{_A}rPr").get("sz") is not None]
                after = para.find(f"{_A}pPr/{_A}spcAft/{_A}spcPts")
                if after is not None:
                    spacing = max(spacing, int(after.get("val")) / 100)
            words += sum(len(t.split()) for t in texts)
            if sizes and min(sizes) < MIN_FONT_PT:
                warnings.append(Notice("type_too_small", where=where, size=f"{min(sizes):g}", minimum=MIN_FONT_PT))
            placeholder = elm.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
            if placeholder is None and _is_auto_shape(elm):
                continue  # chevrons and bars: single words, sized when drawn
            size = max(sizes) if sizes else 18
            ext = elm.find(f"{_P}spPr/{_A}xfrm/{_A}ext")
            if ext is not None:
                width, height = int(ext.get("cx")), int(ext.get("cy"))
            else:
                place = (slide.part.part_related_by(RT.SLIDE_LAYOUT).partname, placeholder.get("idx"), placeholder.get("type"))
                if place not in inherited:
                    shape = SlideShapeFactory(elm, slide.shapes)
                    inherited[place] = (int(shape.width), int(shape.height))
                width, height = inherited[place]
            if not body.fits(texts, size, width, height, spacing, insets_emu=(2 * INSETS[0], 2 * INSETS[1])):
                warnings.append(Notice("text_overflows", where=where, text=repr(texts[0][:50])))
        if words > MAX_WORDS_PER_SLIDE:
            warnings.append(Notice("too_many_words", where=where, words=words,
                                   maximum=MAX_WORDS_PER_SLIDE))
    return warnings


def _has_text(text_body) -> bool:
    """python-pptx's `text_frame.text.strip()`: the text of runs and fields (breaks are blank)."""
    return any((child.findtext(f"{_A}t") or "").strip() for para in text_body.iterchildren(f"{_A}p")
               for child in para.iterchildren(f"{_A}r", f"{_A}fld"))


def _is_auto_shape(sp) -> bool:
    """python-pptx's shape type AUTO_SHAPE (for a shape that is no placeholder): a preset
    geometry that is not a text box."""
    if sp.find(f"{_P}spPr/{_A}custGeom") is not None or sp.find(f"{_P}spPr/{_A}prstGeom") is None:
        return False
    return sp.find(f"{_P}nvSpPr/{_P}cNvSpPr").get("txBox") not in ("1", "true")


def _table_rows(frame) -> int:
    data = frame.find(f"{_A}graphic/{_A}graphicData")
    return len(data.findall(f"{_A}tbl/{_A}tr")) if data is not None and data.get("uri") == _TABLE_URI else 0


def render_deck(briefing: Briefing, template: Any, layout_names: dict[str, str] | None = None,
                brand: Brand | None = None, recolour: bool = False) -> DeckResult:
    """`brand`: its logo goes on the title and closing slides; `recolour`: its colours and font
    replace the template's theme (the packaged template; a company's keeps its own)."""
    prs = open_template(template)
    if brand is not None and recolour:
        apply_to_deck(prs, brand)
    logo = logo_png(brand.logo) if brand is not None and brand.logo is not None else None
    shared = template_file(template).shared
    if brand is not None:  # slides learnt from a branded deck are not those of the plain template
        shared = shared.setdefault(("brand", brand, recolour), {})
    builder = DeckBuilder(prs, briefing, layout_names, shared, logo)
    builder.title_slide()
    builder.key_points_slide()
    for finding in briefing.findings:
        builder.finding_slide(finding)
    builder.balance_slide()
    builder.closing_slide()
    _set_properties(prs, briefing)
    warnings = builder.warnings + quality_gate(prs, briefing.output_key, builder.body)
    out = io.BytesIO()
    prs.save(out)
    return DeckResult(out.getvalue(), warnings, builder.pages, (int(builder.width), int(builder.height)))


def _set_properties(prs: Any, b: Briefing) -> None:
    """Overwrite every document property: nothing of the template's author or company leaks."""
    props = prs.core_properties
    stamp = datetime.combine(b.as_of, time(12, 0))
    props.title = shorten(clean_text(f"{b.title} – {b.period_label}"), 250)
    props.subject = b.period
    props.author = shorten(clean_text(b.contact.team or b.msg("deck.author")), 250)
    props.last_modified_by = props.author
    props.keywords = "sambrief"
    props.comments = ""
    props.category = b.audience.key
    props.content_status = ""
    props.identifier = ""
    props.language = "de-DE" if b.language == "de" else "en-GB"
    props.version = ""
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            root = etree.fromstring(part.blob)
            for node in root:
                if etree.QName(node).localname in ("Company", "Manager", "HyperlinkBase"):
                    node.text = ""
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
