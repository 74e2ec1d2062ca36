"""The charts of the one-pager and the deck's PDF: SVG bars, columns and lines with HTML labels
placed so that none overlaps another (placement.py), in the page's colours."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from sambrief.briefing.findings import Chart
from sambrief.i18n.catalog import Formatter
from sambrief.render.fit import Measurer, fit_label
from sambrief.render.placement import Box, overlaps, place_labels
from sambrief.text import shorten

# WeasyPrint lays out SVG <text> glyph by glyph (one Pango layout per letter), HTML text once per
# line: the labels are HTML spans over a text-free SVG, placed in the same chart units.
CHART_MM = 34  # the chart's height on the page; its width follows the 320 x 150 units
# Carlito's ascent is 0.75 em (hhea): a line-height of 1 puts the baseline 0.75 em below the top.
_ASCENT = 0.75
# Spaces collapse as SVG text collapsed them, and every character that breaks a line (U+2028 and
# the like survive clean_text) becomes a space: a label is one line of a shared box, and a break
# inside it would move the labels below it to the wrong bars. A no-break space stays.
_XML_SPACE = re.compile(r"[ \t\r\n\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
# Column labels are measured and cut at a word boundary ("in 30 Tagen…", never "später fäll…").
_LABELS = Measurer("Carlito")
MIN_LABEL_PT = 6.5  # no chart label smaller on the page (a crowded chart staggers its values instead)
# The labels are measured in Carlito, so they are set in it whatever the page's (brand) font is.
_LABEL_FONTS = "Carlito,Calibri,'Liberation Sans',sans-serif"


def svg_chart(
    chart: Chart,
    fmt: Formatter,
    colours: dict[str, str] | None = None,
    width: int = 320,
    height: int = 150,
    height_mm: float = CHART_MM,
) -> Markup:
    """A small bar, column or line chart: a box of fixed proportions holding an SVG of the shapes
    and the labels as positioned HTML text. Sizes and places are inline, not in the page's
    stylesheet, so a workspace's own onepager.css cannot take the chart apart. `height_mm`: the
    box's height on the page (a chart unit is height_mm / height millimetres)."""
    colours = colours or {"accent1": "1F5A8C", "accent2": "D9822B"}
    labels = [shorten(c, 28) for c in chart.categories]
    values = list(chart.values)
    top = max(values) if values and max(values) > 0 else 1
    size = 11
    text = [fmt_value(v, chart.value_format, fmt) for v in values]
    desc = "; ".join(f"{label}: {t}" for label, t in zip(labels, text))
    mm = height_mm / height  # millimetres per chart unit

    def label(
        x: float,
        baseline: float,
        lines: list[str],
        anchor: str,
        px: float = size,
        colour: str = "1a1a1a",
        gap: float = 0,
        value_first: bool = False,
        lead: float = 0,
    ) -> str:
        """Lines of text placed as SVG's text-anchor at x and y = baseline would place the first,
        the next ones gap units lower: one box for several labels (a box costs WeasyPrint about
        three times what a line of text does). The box has a set width, wider than any label, so
        nothing wraps and the text is not measured twice."""
        left, align = {"end": (x - width, "right"), "middle": (x - width / 2, "center")}.get(anchor, (x, "left"))
        texts = [escape(_XML_SPACE.sub(" ", x).strip(" ")) for x in lines]  # one line each
        line = gap or px  # the line box: Carlito's ascent and descent are 1 em, the rest is shared above and below
        if value_first:  # the value in the values' darker colour, inline so a workspace's stylesheet cannot lose it
            texts[0] = Markup(f'<span style="color:#1a1a1a">{texts[0]}</span>')
            # The name goes `gap` lower by a relative shift, not by a line box that tall: such a
            # box reaches far above the value and below the name (past the page's top or foot on
            # a slide), and WeasyPrint carries what does onto another page.
            # A name of two lines: its second line `lead` below its first.
            texts[1:] = [
                Markup(
                    f'<span style="position:relative;top:{(gap + (i - 1) * (lead or gap) - i * px) * mm:.3f}mm">'
                    f"{t}</span>"
                )
                for i, t in enumerate(texts[1:], 1)
            ]
            line = px
        top = baseline - (line - px) / 2 - _ASCENT * px
        shown = "\n".join(texts)
        return (
            f'<span style="position:absolute;left:{left / width * 100:.2f}%;width:100%;text-align:{align};'
            f"top:{top / height * 100:.2f}%;font-size:{px * mm:.3f}mm;line-height:{line * mm:.3f}mm;white-space:pre;"
            f'color:#{colour}">{shown}</span>'
        )

    shapes: list[str] = []
    texts: list[str] = []
    if chart.kind == "bar":
        row = height / max(1, len(values))
        label_w = width * 0.42
        for i, (value, shown) in enumerate(zip(values, text)):
            y = i * row
            bar = (width - label_w - 70) * value / top
            colour = colours["accent2" if chart.accented(i) else "accent1"]
            shapes.append(
                f'<rect x="{label_w:.0f}" y="{y + row * 0.15:.1f}" width="{max(bar, 1):.1f}" '
                f'height="{row * 0.7:.1f}" fill="#{colour}"/>'
            )
            texts.append(label(label_w + bar + 4, y + row * 0.68, [shown], "start"))
        texts.insert(0, label(round(label_w - 6), row * 0.68, labels, "end", colour="3d3d3d", gap=row))
    elif chart.kind == "line":
        col = width / max(1, len(values))
        base = height - 18
        points = [(i * col + col / 2, base - (base - 16) * v / top) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        shapes.append(f'<polyline points="{path}" fill="none" stroke="#{colours["accent1"]}" stroke-width="2.5"/>')
        widths = [_LABELS.width_pt(shown, size) for shown in text]
        places = line_value_places(points, widths, size, width, floor=height - 4 - _ASCENT * size - 1)
        for (x, y), name, shown, (vx, baseline, anchor) in zip(points, labels, text, places):
            shapes.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#{colours["accent1"]}"/>')
            if (vx, anchor) == (x, "middle") and baseline < y:  # above its point: value and name share a box
                texts.append(
                    label(
                        x,
                        baseline,
                        [shown, fit_label(name, _LABELS, size, col, 1)],
                        "middle",
                        colour="3d3d3d",
                        gap=height - 4 - baseline,
                        value_first=True,
                    )
                )
            else:
                texts.append(label(vx, baseline, [shown], anchor))
                texts.append(label(x, height - 4, [fit_label(name, _LABELS, size, col, 1)], "middle", colour="3d3d3d"))
    else:
        col = width / max(1, len(values))
        # many columns: smaller labels, but never below MIN_LABEL_PT on the page
        small = min(size, max(MIN_LABEL_PT / (mm * 72 / 25.4), col / 5.5))
        # A name too wide for its column breaks at its last space ("Nov." over "26") rather than
        # losing its year; only a part still too wide is cut. The names' row then takes two lines.
        names = [column_name_lines(name, small, col) for name in labels]
        lead = small * 1.15
        name_base = height - 4 - (lead if any(len(n) > 1 for n in names) else 0)  # the first line's baseline
        ground = name_base - 14
        shown_w = [_LABELS.width_pt(t, small) for t in text]
        # values wider than their column move up where a neighbour's value or bar is in the way
        crowded = max(shown_w, default=0) > col * 0.95
        top_room, baselines = 16.0, [ground - 3 - (ground - 16) * v / top for v in values]
        if crowded:  # the fewest raised lines above the highest column that leave every value clear
            top_room, baselines = column_value_places(values, shown_w, col, ground, small, top)
        for i, (fitted, value, shown) in enumerate(zip(names, values, text)):
            h = (ground - top_room) * value / top
            x = i * col
            colour = colours["accent2" if chart.accented(i) else "accent1"]
            shapes.append(
                f'<rect x="{x + col * 0.15:.1f}" y="{ground - h:.1f}" width="{col * 0.7:.1f}" '
                f'height="{max(h, 1):.1f}" fill="#{colour}"/>'
            )
            baseline = baselines[i]
            gap = name_base - baseline  # from the value's baseline down to the name's
            if value and gap > small:  # the value above its name: one box for both
                texts.append(
                    label(
                        x + col / 2,
                        baseline,
                        [shown, *fitted],
                        "middle",
                        small,
                        "3d3d3d",
                        gap=gap,
                        value_first=True,
                        lead=lead,
                    )
                )
            else:  # no value, or a negative one that reaches down to the names: the name alone in its place
                if value:
                    texts.append(label(x + col / 2, baseline, [shown], "middle", small))
                texts.append(label(x + col / 2, name_base, fitted, "middle", small, "3d3d3d", gap=lead))
    # The outer box clips as the SVG's viewport did (the card's width), the inner one is the
    # drawing, centred as the SVG's viewBox was; the labels' wide boxes stay inside.
    return Markup(
        f'<div class="chart" role="img" aria-label="{escape(chart.series_name)}: {escape(desc)}" '
        f'style="height:{height_mm:g}mm;overflow:hidden;font-family:{_LABEL_FONTS}">'
        f'<div style="position:relative;width:{width * mm:.2f}mm;max-width:100%;height:100%;margin:0 auto">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        'aria-hidden="true" '
        f'style="display:block;width:100%;height:100%">{"".join(shapes)}</svg>{"".join(texts)}</div></div>'
    )


def column_name_lines(name: str, size: float, col: float) -> list[str]:
    """A column's name as it fits its column: one line, else two broken at the last space that
    leaves both fitting, else one line cut at a word (fit_label)."""
    one = fit_label(name, _LABELS, size, col, 1)
    if one == name or " " not in name:
        return [one]
    first, _, rest = name.rpartition(" ")
    if fit_label(first, _LABELS, size, col, 1) == first:
        return [first, fit_label(rest, _LABELS, size, col, 1)]
    return [one]


def column_value_places(
    values: list[float], widths: list[float], col: float, base: float, size: float, top: float
) -> tuple[float, list[float]]:
    """The room above the highest column and each value's baseline in a crowded column chart:
    a value stands above its column, else one line higher or more, clear of the other columns
    and of the values placed before it. The room grows a line at a time until every value is
    clear (a value is never left on another); the fewest lines that do it."""
    lead = size * 1.15
    for extra in range(len(values) + 1):
        room = 16 + lead * (1 + extra)
        heights = [(base - room) * v / top for v in values]
        bars: list[Box] = [
            (i * col + col * 0.15, base - h, i * col + col * 0.85, float(base)) for i, h in enumerate(heights)
        ]
        taken: list[Box] = []
        baselines: list[float] = []
        for i, (value, w, h) in enumerate(zip(values, widths, heights)):
            x, low = i * col + col / 2, base - h - 3
            if value <= 0:  # a negative value hangs below the base line; no value has no label
                baselines.append(low)
                continue
            place = next(
                (
                    b
                    for b in (
                        low - step * lead for step in range(extra + 4 if extra < len(values) else int(low / lead) + 1)
                    )
                    if _clear(text_box(x, b, "middle", w + size * 0.4, size), x, bars, taken)
                ),
                None,
            )
            if place is None and extra < len(values):
                break  # more room above
            baselines.append(low if place is None else place)  # (a value on a line of its own each: never)
            taken.append(text_box(x, baselines[-1], "middle", w + size * 0.4, size))
        else:
            return room, baselines
    raise AssertionError("unreachable: the last room places every value")


def _clear(box: Box, x: float, bars: list[Box], taken: list[Box]) -> bool:
    """Inside the chart's top and clear of the values placed and of the other columns."""
    return box[1] >= 0 and not any(overlaps(box, other) for other in taken + [b for b in bars if not b[0] <= x <= b[2]])


def line_value_places(
    points: list[tuple[float, float]], widths: list[float], size: float, width: float, floor: float
) -> list[tuple[float, float, str]]:
    """Where each value of a line chart goes, as (x, baseline, text-anchor): above its point
    unless the line or an earlier value is there (a falling line crosses the space above its
    middle points), else above to the right or left, else below, else higher above (the bottom
    of a V). Inside the chart and above its names (`floor`)."""

    def candidates(i: int) -> list[tuple[tuple[float, float, str], Box]]:
        (x, y), w = points[i], widths[i]
        above, below = y - 6, y + 6 + _ASCENT * size
        places = [
            (x, above, "middle"),
            (x + 5, above, "start"),
            (x - 5, above, "end"),
            (x, below, "middle"),
            (x + 5, below, "start"),
            (x - 5, below, "end"),
        ]
        places += [(x, above - step * size / 2, "middle") for step in range(1, 7)]  # higher: the bottom of a V
        return [(place, text_box(*place, w, size)) for place in places]

    return place_labels(points, candidates, (0, 0, width, floor), margin=2.5)


def text_box(x: float, baseline: float, anchor: str, w: float, size: float) -> Box:
    """The box of a one-line label placed as SVG places text (x by text-anchor, y the baseline)."""
    left = {"middle": x - w / 2, "end": x - w}.get(anchor, x)
    return left, baseline - _ASCENT * size, left + w, baseline + (1 - _ASCENT) * size


def fmt_value(value: float, kind: str, fmt: Formatter) -> str:
    if kind == "money":
        return fmt.money_short(value, 2) if abs(value) >= 1_000_000 else fmt.money(value)
    if kind == "percent":
        return fmt.percent(value)
    return fmt.count(value)
