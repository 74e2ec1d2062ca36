"""Briefing -> PowerPoint deck, on the company's template, with native charts and notes.

Layout of every slide is computed from the template's slide size and title placeholder,
so the same code serves 16:9 and 4:3 templates. Text is budgeted here (python-pptx cannot
shrink text at generation time); what does not fit moves to the speaker notes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from sambrief.briefing import Briefing
from sambrief.errors import RenderError
from sambrief.findings import Chart, Finding
from sambrief.text import clean_text, shorten

# Role -> layout names tried in order (English and German PowerPoint names).
LAYOUT_NAMES = {
    "title": ("Title Slide", "Titelfolie"),
    "content": ("Title Only", "Nur Titel", "Title and Content", "Titel und Inhalt"),
}
HEADLINE_CHARS = 120
BULLET_CHARS = 110
KEY_POINT_CHARS = 140
GREY = RGBColor(0x6B, 0x6B, 0x6B)


def load_template(path: Path) -> Presentation:
    """Open a .pptx or .potx template and drop any sample slides it carries."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".potx":
            data = _potx_as_pptx(data)
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises several types for a bad package
        raise RenderError(f"{path}: cannot open the deck template ({exc}); use a .pptx or .potx saved by PowerPoint") from None
    _remove_slides(prs)
    return prs


def _potx_as_pptx(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.template.main+xml", b"presentationml.presentation.main+xml")
            dst.writestr(info, blob)
    return out.getvalue()


def _remove_slides(prs: Presentation) -> None:
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        rel_id = slide_id.rId
        id_list.remove(slide_id)
        prs.part.drop_rel(rel_id)


def _layout(prs: Presentation, role: str):  # noqa: ANN202
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    for name in LAYOUT_NAMES[role]:
        for layout in layouts:
            if layout.name == name:
                return layout
    # Fallback by placeholder types: a title and as few other placeholders as possible.
    with_title = [l for l in layouts if any(p.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) for p in l.placeholders)]
    if not with_title:
        raise RenderError("the deck template has no layout with a title placeholder; add one in PowerPoint's slide master")
    return min(with_title, key=lambda l: len(l.placeholders))


class DeckBuilder:
    def __init__(self, prs: Presentation, briefing: Briefing):
        self.prs = prs
        self.b = briefing
        self.width = prs.slide_width
        self.height = prs.slide_height
        self.margin = int(self.width * 0.045)
        self.slide_no = 0

    # -- slide scaffolding -------------------------------------------------
    def new_slide(self, role: str, title: str):  # noqa: ANN201
        slide = self.prs.slides.add_slide(_layout(self.prs, role))
        self.slide_no += 1
        title_shape = slide.shapes.title
        if title_shape is None:
            title_shape = self._textbox(slide, self.margin, int(self.height * 0.05), self.width - 2 * self.margin, int(self.height * 0.16))
        title_shape.text_frame.word_wrap = True
        title_shape.text_frame.text = title
        for para in title_shape.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(self._title_size(title, role))
        # Placeholders we do not fill would show "Click to add text" in PowerPoint.
        for ph in list(slide.placeholders):
            if ph.placeholder_format.type not in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) and ph.placeholder_format.idx != 1:
                ph._element.getparent().remove(ph._element)
        return slide, title_shape

    def _title_size(self, title: str, role: str) -> int:
        if role == "title":
            return 36 if len(title) < 60 else 30
        return 26 if len(title) <= 70 else 22

    def content_top(self, title_shape) -> int:  # noqa: ANN001
        return int(title_shape.top + title_shape.height + self.height * 0.03)

    def footer(self, slide) -> None:  # noqa: ANN001
        text = f"{self.b.organisation} · {self.b.msg('deck.kicker')} · {self.b.period_label}"
        box = self._textbox(slide, self.margin, int(self.height * 0.935), int(self.width * 0.7), int(self.height * 0.05))
        self._write(box, [text], 10, color=GREY)
        num = self._textbox(slide, int(self.width * 0.85), int(self.height * 0.935), int(self.width * 0.15) - self.margin, int(self.height * 0.05))
        self._write(num, [str(self.slide_no)], 10, color=GREY, align=PP_ALIGN.RIGHT)

    def _textbox(self, slide, left, top, width, height):  # noqa: ANN001, ANN202
        box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        return box

    def _write(self, box, lines, size, color=None, bold=False, align=None, bullet=False, space_after=6, theme_color=None):  # noqa: ANN001, ANN202
        tf = box.text_frame
        tf.clear()
        for i, line in enumerate(lines):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = para.add_run()
            run.text = ("• " if bullet else "") + line
            run.font.size = Pt(size)
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
            if theme_color is not None:
                run.font.color.theme_color = theme_color
            if align is not None:
                para.alignment = align
            para.space_after = Pt(space_after)
        return box

    def notes(self, slide, lines: list[str]) -> None:  # noqa: ANN001
        slide.notes_slide.notes_text_frame.text = "\n".join(clean_text(line) for line in lines if line)

    # -- slides ------------------------------------------------------------
    def title_slide(self) -> None:
        slide, _ = self.new_slide("title", self.b.title)
        subtitle = f"{self.b.organisation} · {self.b.msg('deck.period', month=self.b.period_label)}"
        placeholders = [p for p in slide.placeholders if p.placeholder_format.idx == 1]
        if placeholders:
            placeholders[0].text_frame.text = subtitle
            for run in placeholders[0].text_frame.paragraphs[0].runs:
                run.font.size = Pt(20)
        else:
            box = self._textbox(slide, self.margin, int(self.height * 0.6), self.width - 2 * self.margin, int(self.height * 0.12))
            self._write(box, [subtitle], 20)
        self.notes(slide, [self.b.msg("deck.generated", date=self.b.fmt.date(self.b.as_of))])

    def key_points_slide(self) -> None:
        slide, title = self.new_slide("content", self.b.msg("deck.key_points_title"))
        self._drop_body(slide)
        top = self.content_top(title)
        intro = self.b.audience.intro.get(self.b.language, "")
        if intro:
            lead = self._textbox(slide, self.margin, top, self.width - 2 * self.margin, int(self.height * 0.08))
            self._write(lead, [shorten(clean_text(intro), KEY_POINT_CHARS)], 18, color=GREY)
            lead.text_frame.paragraphs[0].runs[0].font.italic = True
            top += int(self.height * 0.1)
        box = self._textbox(slide, self.margin, top, self.width - 2 * self.margin, int(self.height * 0.9) - top)
        points = [shorten(p, KEY_POINT_CHARS) for p in self.b.key_points]
        self._write(box, points, 20, bullet=True, space_after=14)
        self.footer(slide)
        self.notes(slide, self.b.key_points)

    def finding_slide(self, finding: Finding) -> None:
        headline = shorten(finding.headline, HEADLINE_CHARS)
        slide, title = self.new_slide("content", headline)
        self._drop_body(slide)
        top = self.content_top(title)
        bottom = int(self.height * 0.86)
        visual_w = int((self.width - 2 * self.margin) * 0.6)
        if finding.process:
            self._process(slide, finding.process, top, bottom)
            visual_w = None
        elif finding.chart is None and finding.figure is None:
            visual_w = None  # text-only finding (news): the bullets take the width
        if visual_w is None:
            if finding.bullets:
                box = self._textbox(slide, self.margin, top, self.width - 2 * self.margin, bottom - top)
                self._write(box, [shorten(b, 160) for b in finding.bullets[:3]], 20, bullet=True, space_after=16)
        elif finding.chart is not None:
            self._chart(slide, finding.chart, self.margin, top, visual_w, bottom - top)
        elif finding.figure is not None:
            self._big_figure(slide, finding.figure.value, finding.figure.caption, self.margin, top, visual_w, bottom - top)
        if visual_w is not None:
            gap = int(self.width * 0.03)
            left = self.margin + visual_w + gap
            box = self._textbox(slide, left, top + int(self.height * 0.02), self.width - self.margin - left, bottom - top)
            bullets = [shorten(b, BULLET_CHARS) for b in finding.bullets[:3]]
            self._write(box, bullets, 16, bullet=True, space_after=12)
        if finding.source:
            src = self._textbox(slide, self.margin, bottom + int(self.height * 0.015), self.width - 2 * self.margin, int(self.height * 0.045))
            self._write(src, [shorten(finding.source, 160)], 10, color=GREY)
        self.footer(slide)
        extra = [finding.headline] if headline != finding.headline else []
        cut = [b for b in finding.bullets if shorten(b, BULLET_CHARS) != b or b not in finding.bullets[:3]]
        self.notes(slide, extra + cut + finding.notes + [f"{self.b.msg('deck.notes_source')}: {finding.source}"])

    def balance_slide(self) -> None:
        msg = self.b.msg
        slide, title = self.new_slide("content", msg("deck.balance_title"))
        self._drop_body(slide)
        top = self.content_top(title)
        col_w = int((self.width - 2 * self.margin - self.width * 0.04) / 2)
        columns = (
            (msg("deck.balance_achieved"), self.b.achieved or [msg("deck.balance_nothing_achieved")], MSO_THEME_COLOR.ACCENT_3),
            (msg("deck.balance_remaining"), self.b.remaining or [msg("deck.balance_nothing_remaining")], MSO_THEME_COLOR.ACCENT_2),
        )
        for i, (head, items, colour) in enumerate(columns):
            left = self.margin + i * (col_w + int(self.width * 0.04))
            bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(col_w), Emu(int(self.height * 0.07)))
            bar.fill.solid()
            bar.fill.fore_color.theme_color = colour
            bar.line.fill.background()
            bar.text_frame.text = head
            bar.text_frame.margin_left = Emu(int(self.width * 0.012))
            para = bar.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.LEFT
            para.runs[0].font.size = Pt(20)
            para.runs[0].font.bold = True
            para.runs[0].font.color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
            box_top = top + int(self.height * 0.1)
            box = self._textbox(slide, left, box_top, col_w, int(self.height * 0.86) - box_top)
            self._write(box, [shorten(x, BULLET_CHARS) for x in items], 18, bullet=True, space_after=12)
        self.footer(slide)
        self.notes(slide, [f"{msg('deck.balance_achieved')}: " + "; ".join(self.b.achieved), f"{msg('deck.balance_remaining')}: " + "; ".join(self.b.remaining)])

    def closing_slide(self) -> None:
        msg, contact = self.b.msg, self.b.contact
        slide, title = self.new_slide("content", msg("deck.closing_title"))
        self._drop_body(slide)
        top = self.content_top(title) + int(self.height * 0.05)
        box = self._textbox(slide, self.margin, top, self.width - 2 * self.margin, int(self.height * 0.5))
        lines = [msg("deck.closing_text"), contact.team]
        lines += [x for x in (contact.email, contact.phone, contact.url) if x]
        self._write(box, [clean_text(x) for x in lines], 22, space_after=10)
        box.text_frame.paragraphs[1].runs[0].font.bold = True
        self.footer(slide)
        self.notes(slide, [msg("deck.generated", date=self.b.fmt.date(self.b.as_of))])

    # -- visuals -----------------------------------------------------------
    def _drop_body(self, slide) -> None:  # noqa: ANN001
        for ph in list(slide.placeholders):
            if ph.placeholder_format.type not in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                ph._element.getparent().remove(ph._element)

    def _chart(self, slide, chart: Chart, left: int, top: int, width: int, height: int) -> None:  # noqa: ANN001
        fmt = self.b.fmt
        number_format = fmt.chart_format(chart.value_format)
        data = CategoryChartData(number_format=number_format)
        # Bar charts draw the first category at the bottom; reverse so the largest is on top.
        categories = [clean_text(c) for c in chart.categories]
        values = list(chart.values)
        kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
        data.categories = categories
        data.add_series(clean_text(chart.series_name), values, number_format)
        frame = slide.shapes.add_chart(kind, Emu(left), Emu(top), Emu(width), Emu(height), data)
        c = frame.chart
        _chart_language(c, "de-DE" if self.b.language == "de" else "en-GB")
        c.has_legend = False
        c.has_title = False
        c.font.size = Pt(12)
        plot = c.plots[0]
        plot.vary_by_categories = False  # one colour for a single series
        plot.gap_width = 60
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(12)
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
        if chart.highlight is not None and 0 <= chart.highlight < len(values):
            point = series.points[chart.highlight]
            point.format.fill.solid()
            point.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_2
        value_axis = c.value_axis
        value_axis.visible = False
        value_axis.has_major_gridlines = False
        value_axis.minimum_scale = 0
        top_value = max(values) if values else 0
        if top_value > 0:
            value_axis.maximum_scale = top_value * 1.18  # room for the outside labels
        cat_axis = c.category_axis
        cat_axis.tick_labels.font.size = Pt(12)
        cat_axis.format.line.fill.background()
        cat_axis.has_major_gridlines = False
        if chart.kind == "bar":
            cat_axis.reverse_order = True

    def _process(self, slide, steps, top: int, bottom: int) -> None:  # noqa: ANN001
        """Steps as chevrons left to right, each with its typical duration and a short text below."""
        n = len(steps)
        overlap = int(self.width * 0.006)
        width = int((self.width - 2 * self.margin + overlap * (n - 1)) / n)
        height = int(self.height * 0.11)
        for i, step in enumerate(steps):
            left = self.margin + i * (width - overlap)
            shape = slide.shapes.add_shape(MSO_SHAPE.CHEVRON if i else MSO_SHAPE.PENTAGON, Emu(left), Emu(top), Emu(width), Emu(height))
            shape.adjustments[0] = 0.3  # a flatter point leaves room for the label
            shape.fill.solid()
            shape.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
            shape.line.fill.background()
            tf = shape.text_frame
            tf.margin_left = tf.margin_right = Emu(int(width * 0.02))
            tf.word_wrap = True
            tf.text = step.label
            run = tf.paragraphs[0].runs[0]
            run.font.size = Pt(12 if max(len(s.label) for s in steps) > 11 else 14)
            run.font.bold = True
            run.font.color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
            tf.paragraphs[0].alignment = PP_ALIGN.CENTER
            text_left = left + int(width * 0.08)
            text_w = width - int(width * 0.2)
            y = top + height + int(self.height * 0.03)
            if step.duration:
                dur = self._textbox(slide, text_left, y, text_w, int(self.height * 0.06))
                self._write(dur, [step.duration], 14, bold=True, theme_color=MSO_THEME_COLOR.ACCENT_2)
            body = self._textbox(slide, text_left, y + int(self.height * 0.07), text_w, bottom - y - int(self.height * 0.07))
            self._write(body, [shorten(step.text, 90)], 13)

    def _big_figure(self, slide, value: str, caption: str, left: int, top: int, width: int, height: int) -> None:  # noqa: ANN001
        box = self._textbox(slide, left, top + int(height * 0.2), width, int(height * 0.4))
        self._write(box, [value], 66, bold=True, theme_color=MSO_THEME_COLOR.ACCENT_1)
        cap = self._textbox(slide, left, top + int(height * 0.62), width, int(height * 0.3))
        self._write(cap, [caption], 18, color=GREY)


def _chart_language(chart, tag: str) -> None:  # noqa: ANN001
    """Tell viewers which locale the number formats are in (thousands and decimal marks)."""
    space = chart._chartSpace
    ns = space.nsmap.get("c") or "http://schemas.openxmlformats.org/drawingml/2006/chart"
    lang = space.find(f"{{{ns}}}lang")
    if lang is None:
        lang = space.makeelement(f"{{{ns}}}lang", {})
        date1904 = space.find(f"{{{ns}}}date1904")
        (date1904.addnext(lang) if date1904 is not None else space.insert(0, lang))
    lang.set("val", tag)


def render_deck(briefing: Briefing, template: Path) -> bytes:
    prs = load_template(template)
    builder = DeckBuilder(prs, briefing)
    builder.title_slide()
    builder.key_points_slide()
    for finding in briefing.findings:
        builder.finding_slide(finding)
    builder.balance_slide()
    builder.closing_slide()
    _set_properties(prs, briefing)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _set_properties(prs: Presentation, b: Briefing) -> None:
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
