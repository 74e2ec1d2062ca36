"""The visuals of a deck's slides: native charts (PowerPoint's, editable), the big figure, the
key-figure tiles of the summary and the process chevrons; each drawn by a SlideWriter."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from sambrief.briefing.findings import Chart, Tile
from sambrief.render.brand import TONES
from sambrief.render.deckwriter import INSETS, MIN_FONT_PT, Drawn, SlideWriter
from sambrief.render.fit import EMU_PER_PT, fit_label
from sambrief.render.shapes import filled_rect
from sambrief.render.template import Frame
from sambrief.text import clean_text, inert_cell

TILE_VALUE_PT = (40, 36, 32, 30, 28)  # a tile's number: as large as the row allows, never below 28 pt
TILE_TONES = {tone: RGBColor.from_string(rgb) for tone, rgb in TONES.items()}
TILE_LABEL = RGBColor(0x33, 0x3D, 0x47)


class _ChartData(CategoryChartData):
    """Chart data whose embedded workbook (the data behind PowerPoint's "Edit data") is written
    once per content: xlsxwriter takes about a millisecond a workbook, and the audiences' decks
    share many charts."""

    @property
    def xlsx_blob(self) -> bytes:
        key = (
            self.number_format,
            self.categories.number_format,
            repr([c.label for c in self.categories]),
            repr([(s.name, s.values, s.number_format) for s in self]),
        )
        blob = _WORKBOOKS.get(key)
        if blob is None:
            if len(_WORKBOOKS) > 256:
                _WORKBOOKS.clear()
            blob = _WORKBOOKS[key] = super().xlsx_blob
        return blob


# Made once per process and copied, never handed out: python-pptx elements are mutable.
_WORKBOOKS: dict[tuple[str, ...], bytes] = {}  # chart data -> embedded workbook
_CHARTS: dict[tuple[Any, ...], Any] = {}  # a chart's content and style -> its formatted XML


def tiles(deck: SlideWriter, slide, tiles: list[Tile], frame: Frame) -> int:
    """Key-figure tiles in one row, or two where a row would make the numbers smaller than
    TILE_MIN_PT (a 4:3 template). Every tile's number has the same size. Returns the height used."""
    gap = int(deck.width * 0.012)
    pad = int(deck.width * 0.01)
    for rows in (1, 2):
        per_row = -(-len(tiles) // rows)
        width = int((frame.width - gap * (per_row - 1)) / per_row)
        room = width - 2 * pad - 2 * INSETS[0]
        size = next(
            (
                pt
                for pt in TILE_VALUE_PT
                if all(deck.heading.width_pt(t.value, pt, bold=True) <= room / EMU_PER_PT for t in tiles)
            ),
            None,
        )
        if size is not None:
            break
    else:
        size, rows, per_row = TILE_VALUE_PT[-1], 2, -(-len(tiles) // 2)
        width = int((frame.width - gap * (per_row - 1)) / per_row)
    label_pt, change_pt = deck.pt(13), deck.pt(12)
    value_h = int(size * 1.3 * EMU_PER_PT) + 2 * INSETS[1]
    label_h = int(2 * label_pt * 1.2 * EMU_PER_PT) + 2 * INSETS[1]
    change_h = int(2 * change_pt * 1.45 * EMU_PER_PT) + 2 * INSETS[1]
    height = pad + value_h + label_h + change_h + pad
    row_gap = int(deck.height * 0.02)
    for i, tile in enumerate(tiles):
        row, col = divmod(i, per_row)
        left, top = frame.left + col * (width + gap), frame.top + row * (height + row_gap)
        box = filled_rect(slide, left, top, width, height, MSO_THEME_COLOR.BACKGROUND_2, f"Tile: {tile.figure}")
        deck.draw("rect", box, [], 0, fill="bg2")
        bar = filled_rect(
            slide, left, top, int(pad * 0.5), height, MSO_THEME_COLOR.ACCENT_1, f"Tile accent: {tile.figure}"
        )
        deck.draw("rect", bar, [], 0, fill="accent1")
        inner = Frame(left + pad, top + pad, width - 2 * pad, 0)
        value = deck.textbox(slide, Frame(inner.left, inner.top, inner.width, value_h), f"Tile value: {tile.figure}")
        deck.write(value, [tile.value], size, bold=True, theme_color=MSO_THEME_COLOR.TEXT_2, space_after=0)
        label_frame = Frame(inner.left, inner.top + value_h, inner.width, label_h)
        label = deck.textbox(slide, label_frame, f"Tile label: {tile.figure}")
        text = deck._fit_lines(tile.label, label_pt, inner.width, label_h)
        deck.write(label, [text], label_pt, color=TILE_LABEL, space_after=0)
        change_frame = Frame(inner.left, inner.top + value_h + label_h, inner.width, change_h)
        change = deck.textbox(slide, change_frame, f"Tile change: {tile.figure}")
        deck.write(
            change,
            [deck._fit_lines(tile.change, change_pt, inner.width, change_h)],
            change_pt,
            color=TILE_TONES[tile.tone],
            bold=tile.tone != "neutral",
            space_after=0,
        )
    return rows * height + (rows - 1) * row_gap


# -- visuals -------------------------------------------------------------
def chart(deck: SlideWriter, slide, chart: Chart, frame: Frame) -> None:
    number_format = deck.b.fmt.chart_format(chart.value_format)
    data = _ChartData(number_format=number_format)
    # Labels shortened by their measured width at a word boundary: a bar chart's axis gets
    # about a third of the frame, a column chart's category its share of the width.
    label_pt = deck.pt(12)
    frame_pt = frame.width / EMU_PER_PT
    room = frame_pt * 0.3 if chart.kind == "bar" else frame_pt / max(1, len(chart.categories))
    data.categories = [inert_cell(fit_label(clean_text(c), deck.body, label_pt, room)) for c in chart.categories]
    values = list(chart.values)
    data.add_series(clean_text(chart.series_name), values, number_format)
    kind = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "line": XL_CHART_TYPE.LINE_MARKERS}.get(
        chart.kind, XL_CHART_TYPE.COLUMN_CLUSTERED
    )
    shape = slide.shapes.add_chart(kind, Emu(frame.left), Emu(frame.top), Emu(frame.width), Emu(frame.height), data)
    deck.pages[-1].drawn.append(
        Drawn("chart", frame.left, frame.top, frame.width, frame.height, size=deck.pt(12), chart=chart)
    )
    # The audiences share charts: a chart's formatting (python-pptx, about a millisecond) is
    # done once per content and style, then its XML copied into the new chart part.
    key = (
        chart.kind,
        repr([c.label for c in data.categories]),
        data[0].name,
        repr(values),
        number_format,
        chart.label_zero,
        chart.highlight,
        chart.highlights,
        deck.b.language,
        deck.pt(12),
    )
    formatted = _CHARTS.get(key)
    if formatted is not None:
        shape.chart_part._element = deepcopy(formatted)
        return
    c = shape.chart
    _format_chart(deck, c, chart, values, number_format)
    if len(_CHARTS) > 256:
        _CHARTS.clear()
    _CHARTS[key] = deepcopy(c._chartSpace)


def _format_chart(deck: SlideWriter, c, chart: Chart, values: list, number_format: str) -> None:
    _chart_language(c, "de-DE" if deck.b.language == "de" else "en-GB")
    c.has_legend = False
    c.has_title = False
    size = Pt(deck.pt(12))
    c.font.size = size
    plot = c.plots[0]
    plot.vary_by_categories = False  # one colour for a single series (#482)
    if chart.kind != "line":
        plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    # An empty third section of the format leaves zero values unlabelled.
    labels.number_format = (
        number_format if chart.label_zero else deck.b.fmt.chart_format(chart.value_format, zero=False)
    )
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


def big_figure(deck: SlideWriter, slide, value: str, caption: str, frame: Frame) -> None:
    """The big-number layout: the number as large as the panel allows, one line of meaning
    under it, both centred on a light panel with the accent at its edge (as the tiles)."""
    filled_rect(
        slide, frame.left, frame.top, frame.width, frame.height, MSO_THEME_COLOR.BACKGROUND_2, "Big figure panel"
    )
    edge = int(deck.width * 0.005)
    filled_rect(slide, frame.left, frame.top, edge, frame.height, MSO_THEME_COLOR.ACCENT_1)
    pad = int(deck.width * 0.03)
    inner = frame.width - 2 * pad
    room = (inner - 2 * INSETS[0]) / EMU_PER_PT
    size = deck.pt(
        next(
            (pt for pt in (88, 80, 72, 64, 56, 48, 40) if deck.heading.width_pt(value, deck.pt(pt), bold=True) <= room),
            40,
        )
    )
    caption_pt = deck.pt(20)
    caption = deck._fit_lines(caption, caption_pt, inner, int(3 * caption_pt * 1.25 * EMU_PER_PT) + 2 * INSETS[1])
    value_h = int(size * 1.25 * EMU_PER_PT) + 2 * INSETS[1]
    caption_h = (
        int(deck.body.height_pt([caption], caption_pt, room) * EMU_PER_PT)
        + 2 * INSETS[1]
        + int(caption_pt * 0.4 * EMU_PER_PT)
    )
    top = frame.top + max(0, (frame.height - value_h - caption_h) // 2)
    number = deck.textbox(slide, Frame(frame.left + pad, top, inner, value_h), "Big figure")
    deck.write(number, [value], size, bold=True, color=deck.readable("accent1"), space_after=0)
    meaning = deck.textbox(slide, Frame(frame.left + pad, top + value_h, inner, caption_h), "Big figure caption")
    deck.write(meaning, [caption], caption_pt, color=TILE_LABEL, space_after=0)


def process(deck: SlideWriter, slide, steps, frame: Frame) -> None:
    """Steps as chevrons left to right, each with its typical duration and a short text below.
    On a narrow (4:3) slide the six steps go in two rows, so German compounds need not break."""
    rows = 1 if frame.width / len(steps) >= 1.9 * 914400 else 2
    per_row = -(-len(steps) // rows)
    row_h = int(frame.height / rows)
    for r in range(rows):
        part = steps[r * per_row : (r + 1) * per_row]
        _process_row(deck, slide, part, Frame(frame.left, frame.top + r * row_h, frame.width, row_h), first=r == 0)


def _process_row(deck: SlideWriter, slide, steps, frame: Frame, first: bool) -> None:
    n = len(steps)
    overlap = int(deck.width * 0.006)
    width = int((frame.width + overlap * (n - 1)) / n)
    height = int(deck.height * 0.1)
    label_size = deck.pt(14)
    while label_size > MIN_FONT_PT and any(
        deck.body.width_pt(s.label, label_size, bold=True) > (width * 0.62) / EMU_PER_PT for s in steps
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
        run.font.color.rgb = deck.on(MSO_THEME_COLOR.ACCENT_1)
        tf.paragraphs[0].alignment = PP_ALIGN.CENTER
        deck.draw(
            "chevron" if arrow == MSO_SHAPE.CHEVRON else "pentagon",
            shape,
            [step.label],
            label_size,
            bold=True,
            colour=str(deck.on(MSO_THEME_COLOR.ACCENT_1)),
            fill="accent1",
            align="center",
            anchor="ctr",
        )
        column = Frame(
            left + int(width * 0.06), frame.top + height + int(deck.height * 0.02), width - int(width * 0.16), 0
        )
        duration_h = int(deck.height * 0.05)
        if step.duration:
            deck.write(
                deck.textbox(slide, Frame(column.left, column.top, column.width, duration_h)),
                [step.duration],
                deck.pt(13),
                bold=True,
                color=deck.readable("accent2"),
            )
        body_top = column.top + duration_h + int(deck.height * 0.01)
        body = Frame(column.left, body_top, column.width, frame.bottom - body_top)
        size = deck.pt(13)
        longest = max(step.text.split(), key=len, default="")
        while size > MIN_FONT_PT and deck.body.width_pt(longest, size) > (column.width - 2 * INSETS[0]) / EMU_PER_PT:
            size -= 1
        texts, size, _ = deck.fit_bullets([step.text], body, size, 0)
        deck.write(deck.textbox(slide, body), texts, size)


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
