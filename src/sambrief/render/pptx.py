"""Briefing -> PowerPoint deck on the company's template, with native charts and notes.

Every slide takes its layout from the template by role (title, chart, figure, two columns,
closing) and places content in that layout's own frames, so a 4:3 corporate master with
German layout names works as well as the packaged 16:9 one. Text is budgeted against font
metrics before it is written (python-pptx cannot shrink text at generation time): bullets
are shortened and moved to the notes before anything may overflow; a quality gate measures
every slide afterwards (deckcheck.py). Writing and fitting one slide is deckwriter.py, the
charts, tiles, big figures and process steps deckvisuals.py.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, time
from typing import Any

from lxml import etree
from PIL import Image
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from sambrief.briefing.compose import Briefing
from sambrief.briefing.findings import Finding
from sambrief.config.settings import Brand
from sambrief.i18n.notices import INFO
from sambrief.render import deckvisuals, placeholders
from sambrief.render.brand import apply_to_deck, logo_png, text_on
from sambrief.render.deckcheck import quality_gate
from sambrief.render.deckwriter import GREY, INSETS, DeckResult, Drawn, SlideWriter
from sambrief.render.fit import EMU_PER_PT
from sambrief.render.shapes import THEME_NAMES, A, P, filled_rect
from sambrief.render.template import Frame, logo_frame, open_template, template_file
from sambrief.text import clean_text, shorten


class DeckBuilder(SlideWriter):
    """The slides of one deck, in order: title, key points, one per finding, balance, closing."""

    # -- slides --------------------------------------------------------------
    def title_slide(self) -> None:
        slide, title_shape, layout = self.new_slide("title", self.b.title)
        subtitle = self.b.subtitle or f"{self.b.organisation} · {self.b.msg('deck.period', month=self.b.period_label)}"
        self.drop_placeholders(slide, keep_subtitle=True)
        self.on_band(layout, title_shape)
        subs = [
            elm for elm, ph in placeholders.placeholders(slide) if placeholders.ph_type(ph) == PP_PLACEHOLDER.SUBTITLE
        ]
        if subs:
            sub = slide.shapes._shape_factory(subs[0])
            sub.text_frame.text = subtitle
            for run in sub.text_frame.paragraphs[0].runs:
                run.font.size = Pt(self.pt(20))
            self.draw(
                "text",
                sub,
                [p.text for p in sub.text_frame.paragraphs],
                self.pt(20),
                colour="595959",
                role="subtitle",
            )
        else:
            title = placeholders.title(slide)
            top = int(self.frame(title).bottom) if title is not None else int(self.height * 0.6)
            self.write(
                self.textbox(slide, Frame(self.margin, top, self.width - 2 * self.margin, int(self.height * 0.12))),
                [subtitle],
                self.pt(20),
            )
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
        drawn = self.pages[-1].drawn  # the PDF's title in the same colour
        drawn[:] = [replace(d, colour=text_on(colour)) if d.role == "title" else d for d in drawn]

    def place_logo(self, slide, layout) -> None:
        """The brand's logo in the layout's logo place, else in the top right corner; scaled to
        fit, never stretched or cropped."""
        if self.logo is None:
            return
        frame = logo_frame(layout) or Frame(
            int(self.width * 0.78), int(self.height * 0.04), int(self.width * 0.18), int(self.height * 0.12)
        )
        with Image.open(io.BytesIO(self.logo)) as image:
            w, h = image.size
        scale = min(frame.width / w, frame.height / h)
        width, height = int(w * scale), int(h * scale)
        picture = slide.shapes.add_picture(
            io.BytesIO(self.logo), Emu(frame.right - width), Emu(frame.top), Emu(width), Emu(height)
        )
        picture.name = "Logo"
        self.pages[-1].drawn.append(Drawn("logo", frame.right - width, frame.top, width, height))

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
            frame = Frame(
                frame.left,
                frame.top + lead_h + int(self.height * 0.02),
                frame.width,
                frame.height - lead_h - int(self.height * 0.02),
            )
        if self.b.tiles:
            used = deckvisuals.tiles(self, slide, self.b.tiles, frame)
            frame = Frame(frame.left, frame.top + used + gap, frame.width, frame.height - used - gap)
        points, size, moved = self.fit_bullets(
            self.b.key_points, frame, 18 if self.b.tiles else 20, 10 if self.b.tiles else 14
        )
        self.write(self.textbox(slide, frame), points, size, bullet=True, space_after=10 if self.b.tiles else 14)
        self.footer(slide, layout)
        tiles = [f"{t.label}: {t.value} ({t.change})" for t in self.b.tiles]
        self.notes(slide, ([intro] if intro and self.b.tiles else []) + tiles + self.b.key_points)

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
            deckvisuals.process(self, slide, finding.process, area)
        elif finding.chart is None and finding.figure is None:
            bullets, size, moved = self.fit_bullets(finding.bullets[:3], area, 20, 16)
            self.write(self.textbox(slide, area), bullets, size, bullet=True, space_after=16)
        else:
            share = 0.6 if finding.chart is not None else 0.5  # a big number needs less room than a chart
            visual = Frame(area.left, area.top, int(area.width * share), area.height)
            text = Frame(visual.right + self.gap, area.top, area.right - visual.right - self.gap, area.height)
            if finding.chart is not None:
                deckvisuals.chart(self, slide, finding.chart, visual)
            else:
                assert finding.figure is not None  # the finding has a chart or a big figure
                deckvisuals.big_figure(self, slide, finding.figure.value, finding.figure.caption, visual)
            bullets, size, moved = self.fit_bullets(
                finding.bullets[:3], text, 16 if finding.chart is not None else 18, 12
            )
            self.write(self.textbox(slide, text), bullets, size, bullet=True, space_after=12)
        if finding.source:
            src = self.textbox(slide, Frame(area.left, area.bottom, area.width, source_h))
            self.write(src, [shorten(finding.source, 170)], self.pt(10), color=GREY)
        self.footer(slide, layout)
        shown = placeholders.title(slide)
        shown_title = shown.text_frame.text if shown is not None else ""
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
            frames = [
                Frame(whole.left, whole.top, half, whole.height),
                Frame(whole.left + half + self.gap, whole.top, half, whole.height),
            ]
        columns = (
            (
                self.b.achieved_label or msg("deck.balance_achieved"),
                self.b.achieved or [msg("deck.balance_nothing_achieved")],
                MSO_THEME_COLOR.ACCENT_3,
            ),
            (
                self.b.remaining_label or msg("deck.balance_remaining"),
                self.b.remaining or [msg("deck.balance_nothing_remaining")],
                MSO_THEME_COLOR.ACCENT_2,
            ),
        )
        bar_h = int(self.height * 0.08)
        below = int(self.height * 0.025)
        fitted = []
        for (_, items, _), col in zip(columns, frames[:2]):
            room = Frame(col.left, col.top + bar_h + below, col.width, col.bottom - col.top - bar_h - below)
            bullets, size, _ = self.fit_bullets(items, room, 22, 14)
            fitted.append((bullets, size))
        size = min(f[1] for f in fitted)  # both columns in one size, their panels of one height
        needed = max(
            self.body.height_pt(["• " + b for b in bullets], size, (col.width - 2 * INSETS[0]) / EMU_PER_PT, 14)
            for (bullets, _), col in zip(fitted, frames[:2])
        )
        height = min(
            min(col.bottom - col.top for col in frames[:2]) - bar_h - below,
            int(needed * EMU_PER_PT) + 2 * INSETS[1] + int(size * EMU_PER_PT),
        )
        for (head, _, colour), col, (bullets, _) in zip(columns, frames[:2], fitted):
            bar = filled_rect(slide, col.left, col.top, col.width, bar_h, colour)
            bar.text_frame.text = head
            para = bar.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.LEFT
            para.runs[0].font.size = Pt(self.pt(22))
            para.runs[0].font.bold = True
            para.runs[0].font.color.rgb = self.on(colour)
            self.draw(
                "rect",
                bar,
                [head],
                self.pt(22),
                bold=True,
                colour=str(self.on(colour)),
                fill=THEME_NAMES[colour],
                anchor="ctr",
            )
            box = Frame(col.left, col.top + bar_h + below, col.width, height)
            card = filled_rect(
                slide, box.left, box.top - below, box.width, box.height + 2 * below, MSO_THEME_COLOR.BACKGROUND_2
            )
            self.draw("rect", card, [], 0, fill="bg2")
            self.write(self.textbox(slide, box), bullets, size, bullet=True, space_after=14)
        self.footer(slide, layout)
        self.notes(
            slide,
            [
                f"{msg('deck.balance_achieved')}: " + "; ".join(self.b.achieved),
                f"{msg('deck.balance_remaining')}: " + "; ".join(self.b.remaining),
            ],
        )

    def closing_slide(self) -> None:
        msg, contact = self.b.msg, self.b.contact
        slide, title, layout = self.new_slide("closing", msg("deck.closing_title"))
        frame = self.body_frame(layout, title)
        self.drop_placeholders(slide)
        self.on_band(layout, title)
        lines = [msg("deck.closing_text"), contact.team] + [x for x in (contact.email, contact.phone, contact.url) if x]
        lines = [shorten(clean_text(x), 90) for x in lines]
        size = next(
            (
                pt
                for pt in (26, 24, 22, 20, 18)
                if self.body.fits(
                    lines, self.pt(pt), frame.width, frame.height, 10, insets_emu=(2 * INSETS[0], 2 * INSETS[1])
                )
            ),
            18,
        )
        box = self.write(self.textbox(slide, frame), lines, self.pt(size), space_after=10)
        box.text_frame.paragraphs[1].runs[0].font.bold = True
        self.pages[-1].drawn[-1] = replace(
            self.pages[-1].drawn[-1], role="closing"
        )  # the team's line bold, as in the deck
        self.place_logo(slide, layout)
        self.footer(slide, layout)
        self.notes(slide, [msg("deck.generated", date=self.b.fmt.date(self.b.as_of))])


_MISSING = object()


def _band_colour(layout) -> str | None:
    """The theme colour of a layout's drawn "Colour band" (the packaged template's title and
    closing layouts), None where the layout has none (a company's template)."""
    for sp in layout._element.iter(f"{P}sp"):
        name = sp.find(f"{P}nvSpPr/{P}cNvPr")
        if name is not None and name.get("name") == "Colour band":
            scheme = sp.find(f"{P}spPr/{A}solidFill/{A}schemeClr")
            return scheme.get("val") if scheme is not None else None
    return None


def render_deck(
    briefing: Briefing,
    template: Any,
    layout_names: dict[str, str] | None = None,
    brand: Brand | None = None,
    recolour: bool = False,
) -> DeckResult:
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
    warnings = builder.warnings + quality_gate(prs, briefing.output_key, builder.body, builder.inherited)
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
