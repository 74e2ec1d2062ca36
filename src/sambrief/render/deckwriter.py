"""Writing one slide of a deck: new slides from the template's layouts (their XML learnt once
and copied), text fitted into its frame (shorter, fewer, smaller), speaker notes, the footer;
and a note of everything drawn, so the deck's PDF (deckpdf.py) shows the same without reading
the pptx back. The deck's slides are in pptx.py, its visuals in deckvisuals.py."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu, Pt

from sambrief.briefing.compose import Briefing
from sambrief.briefing.findings import Chart
from sambrief.i18n.notices import INFO, WARNING, Notice
from sambrief.render import placeholders
from sambrief.render.brand import darkened, text_on
from sambrief.render.fit import EMU_PER_PT, Measurer
from sambrief.render.shapes import THEME_NAMES, A, P, set_text, text_box
from sambrief.render.template import (
    TITLE_TYPES,
    Frame,
    content_frames,
    deck_colours,
    deck_fonts,
    footer_frames,
    frame_of,
    layout_fills,
    map_roles,
)
from sambrief.text import clean_text, shorten

GREY = RGBColor(0x6B, 0x6B, 0x6B)
INSETS = (Emu(91440), Emu(45720))  # python-pptx/PowerPoint default text insets (left/right, top/bottom)
BULLET_LIMITS = (220, 150, 110, 80, 60)  # characters per bullet tried in turn before a bullet moves to the notes
MIN_FONT_PT = 10

# Made once per process and copied, never handed out: python-pptx elements are mutable.
_TEXT_BODIES: dict[tuple[Any, ...], Any] = {}  # (text body before, lines, style) -> text body of that style


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


class SlideWriter:
    def __init__(
        self,
        prs: Any,
        briefing: Briefing,
        layout_names: dict[str, str] | None = None,
        shared: dict[Any, Any] | None = None,
        logo: bytes | None = None,
    ):
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
        self.places: dict[int, tuple[Any, ...]] = {}  # what the current slide's placeholders inherit
        self.inherited: list[dict[int, tuple[Any, ...]]] = []  # the same of every slide (the quality gate)
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
        part = NotesSlidePart(
            package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE, package, deepcopy(fresh)
        )
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return slide.notes_slide

    def draw(self, kind: str, shape: Any, lines: list[str], size: float, **style: Any) -> None:
        """Note what the current slide shows (for the deck's PDF)."""
        f = self.frame(shape)
        self.pages[-1].drawn.append(Drawn(kind, f.left, f.top, f.width, f.height, tuple(lines), size, **style))

    def frame(self, shape: Any) -> Frame:
        """Where a shape of the current slide is, read from its XML (and a placeholder's layout)."""
        if shape._element.tag != f"{P}sp":
            return frame_of(shape)
        return placeholders.position(shape._element, self.places)

    def pt(self, size: float) -> float:
        return max(MIN_FONT_PT, round(size * self.scale))

    def warn(self, key: str, level: str = WARNING, **values: Any) -> None:
        self.warnings.append(
            Notice(key, level, where=Notice("slide", audience=self.b.output_key, slide=self.slide_no), **values)
        )

    # -- scaffolding ---------------------------------------------------------
    def new_slide(self, role: str, title: str):
        layout = self.roles[role]
        slide = self.add_slide(layout)
        places = ("places", str(layout.part.partname))
        if places not in self.shared:
            self.shared[places] = placeholders.inherited(layout)
        self.places = self.shared[places]
        self.inherited.append(self.places)
        self.slide_no += 1
        self.pages.append(SlidePage(role, self.slide_no))
        key = ("fills", str(layout.part.partname))
        if key not in self.shared:
            self.shared[key] = layout_fills(layout)
        # what the layout draws (a colour band) under everything on the slide, in the PDF too
        self.pages[-1].drawn.extend(
            Drawn("rect", f.left, f.top, f.width, f.height, fill=colour, role="layout")
            for f, colour in self.shared[key]
        )
        title_shape = placeholders.title(slide)
        if title_shape is None:
            title_shape = self.textbox(
                slide,
                Frame(self.margin, int(self.height * 0.05), self.width - 2 * self.margin, int(self.height * 0.16)),
            )
        self.fit_title(title_shape, title, role)
        return slide, title_shape, layout

    def fit_title(self, shape, title: str, role: str) -> None:
        sizes = (40, 36, 32, 28) if role in ("title", "closing") else (28, 26, 24, 22, 20)
        box = self.frame(shape)
        box_w, box_h = box.width, box.height
        chosen: float | None = None
        for points in sizes:
            size = self.pt(points)
            if self.heading.fits([title], size, box_w, box_h, bold=True, insets_emu=(2 * INSETS[0], 2 * INSETS[1])):
                chosen = size
                break
        if chosen is None:
            chosen = self.pt(sizes[-1])
            limit = len(title)
            while limit > 40 and not self.heading.fits(
                [shorten(title, limit)], chosen, box_w, box_h, bold=True, insets_emu=(2 * INSETS[0], 2 * INSETS[1])
            ):
                limit -= 10
            if shorten(title, limit) != title:
                self.warn("headline_shortened", INFO, title=repr(title[:60]))  # the full headline is in the notes
                title = shorten(title, limit)
        tf = shape.text_frame
        tf.word_wrap = True
        set_text(tf, title, chosen)
        self.draw(
            "text",
            shape,
            [p.text for p in tf.paragraphs],
            chosen,
            bold=True,
            colour="dk2",
            role="title",
            anchor=placeholders.text_anchor(shape._element, self.places),
        )

    def drop_placeholders(self, slide, keep_subtitle: bool = False) -> None:
        """Unfilled placeholders would show 'Click to add text'; their frames are read from the layout."""
        for elm, ph in list(placeholders.placeholders(slide)):
            kind = placeholders.ph_type(ph)
            if kind in TITLE_TYPES or (keep_subtitle and kind == PP_PLACEHOLDER.SUBTITLE):
                continue
            elm.getparent().remove(elm)
        # From here shapes are only added: python-pptx's turbo mode counts the ids on from the
        # largest instead of searching the slide for it with each new shape (the same ids).
        slide.shapes.turbo_add_enabled = True

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
        title = self.frame(title_shape)
        top = int(title.top + title.height + self.height * 0.03)
        return Frame(self.margin, top, self.width - 2 * self.margin, footer_top - top)

    def footer(self, slide, layout) -> None:
        frames = self.footer_frames(layout)
        text = f"{self.b.organisation} · {self.b.msg('deck.kicker')} · {self.b.period_label}"
        band = int(self.height * 0.05)
        footer = frames.get("footer") or Frame(self.margin, int(self.height * 0.935), int(self.width * 0.7), band)
        number = frames.get("number") or Frame(
            int(self.width * 0.85), int(self.height * 0.935), int(self.width * 0.15) - self.margin, band
        )
        size = self.pt(10)
        insets = (2 * INSETS[0], 2 * INSETS[1])
        for candidate in (text, f"{self.b.organisation} · {self.b.period_label}", self.b.period_label):
            if self.body.fits(
                [candidate], size, footer.width, max(footer.height, int(size * EMU_PER_PT * 1.6)), insets_emu=insets
            ):
                text = candidate
                break
        else:
            text = shorten(self.b.period_label, 20)
        self.write(self.textbox(slide, footer), [text], size, color=GREY)
        self.write(self.textbox(slide, number), [str(self.slide_no)], self.pt(10), color=GREY, align=PP_ALIGN.RIGHT)

    def textbox(self, slide, frame: Frame, name: str | None = None):
        return text_box(slide, frame.left, frame.top, frame.width, frame.height, name)

    def write(
        self,
        box,
        lines,
        size,
        color=None,
        bold=False,
        align=None,
        bullet=False,
        space_after=6,
        theme_color=None,
        italic=False,
    ):
        self._drawn_write(box, lines, size, color, bold, align, bullet, space_after, theme_color, italic)
        # A text body's XML depends on its style and number of lines, not on their words: it is
        # built once per style through python-pptx (a few dozen XPath lookups a line) and copied,
        # each run then given its line as python-pptx sets a run's text.
        body = box._element.txBody
        key = (etree.tostring(body), len(lines), size, color, bold, align, bullet, space_after, theme_color, italic)
        styled = _TEXT_BODIES.get(key)
        if styled is None:
            tf = box.text_frame
            tf.clear()
            for i in range(len(lines)):
                para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                run = para.add_run()
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
            if len(_TEXT_BODIES) > 1024:
                _TEXT_BODIES.clear()
            styled = _TEXT_BODIES[key] = deepcopy(box._element.txBody)
        written = deepcopy(styled)
        marker = "• " if bullet else ""
        for para, line in zip(written.iterchildren(f"{A}p"), lines):
            para.find(f"{A}r").text = marker + line  # python-pptx's run text (control characters escaped)
        body.getparent().replace(body, written)
        return box

    def _drawn_write(
        self,
        box,
        lines,
        size,
        color=None,
        bold=False,
        align=None,
        bullet=False,
        space_after=6,
        theme_color=None,
        italic=False,
    ):
        colour = (
            str(color) if color is not None else THEME_NAMES.get(theme_color, "") if theme_color is not None else ""
        )
        self.draw(
            "text",
            box,
            [("• " if bullet else "") + line for line in lines],
            size,
            bold=bold,
            italic=italic,
            colour=colour,
            align={PP_ALIGN.RIGHT: "right", PP_ALIGN.CENTER: "center"}.get(align, "left"),
            space_after=space_after,
        )

    def fit_bullets(
        self, items: list[str], frame: Frame, size: float, space_after: float
    ) -> tuple[list[str], float, list[str]]:
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
                    if self.body.fits(
                        ["• " + t for t in trial], current, frame.width, frame.height, space_after, insets_emu=insets
                    ):
                        moved += [x for x, t in zip(kept, trial) if x != t] + items[len(kept) :]
                        return trial, current, moved
                kept = kept[:-1]  # the least important bullet goes to the notes
        self.warn("text_does_not_fit")
        return [shorten(items[0], 60)] if items else [], self.pt(size - 4), items

    def _fit_lines(self, text: str, size: float, width: int, height: int) -> str:
        """The text shortened at a word boundary until it fits the box (its full form is in the notes)."""
        insets = (2 * INSETS[0], 2 * INSETS[1])
        limit = len(text)
        while limit > 12 and not self.body.fits([shorten(text, limit)], size, width, height, insets_emu=insets):
            limit -= 4
        return shorten(text, limit)

    def readable(self, name: str) -> RGBColor:
        """A theme colour as text on the white slide: itself, or a darker shade where it would
        not reach WCAG AA (a light brand accent)."""
        return RGBColor.from_string(darkened(self.colours.get(name) or "1F5A8C"))

    def on(self, theme_colour) -> RGBColor:
        """The text colour for a shape filled with a theme colour (a balance bar, a step)."""
        name = {
            MSO_THEME_COLOR.ACCENT_1: "accent1",
            MSO_THEME_COLOR.ACCENT_2: "accent2",
            MSO_THEME_COLOR.ACCENT_3: "accent3",
        }.get(theme_colour, "")
        return RGBColor.from_string(text_on(self.colours.get(name) or "1F5A8C"))

    def notes(self, slide, lines: list[str]) -> None:
        text = "\n".join(clean_text(line) for line in lines if line)
        # The audiences share findings and so their notes: a notes page is written once per text.
        written = self.shared.setdefault("notes written", {})
        if text in written:
            self.notes_slide(slide, written[text])
            return
        notes = self.notes_slide(slide)
        set_text(notes.notes_text_frame, text)
        if len(written) > 512:
            written.clear()
        written[text] = deepcopy(notes._element)
