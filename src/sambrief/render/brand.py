"""A workspace's brand without a corporate template: `brand:` in sambrief.yaml recolours the
packaged deck template's theme (and so the charts, the one-pager and the intranet page), sets
its font and puts the logo on the title slide and the one-pager.

Colours are checked for contrast as WCAG 2.x computes it: text on a coloured area needs 4.5:1
(AA). Where white text on a brand colour falls short, the text is set dark instead and the
build says so; titles on white in a colour too light to read get a darkened shade of it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from sambrief.config.settings import Brand
from sambrief.i18n.notices import INFO, WARNING, Notice
from sambrief.render.template import file_version

AA = 4.5  # WCAG 2.x AA contrast for normal text
# A key figure's change coloured by whether it is good for that figure: calm green, amber (never
# alarm red), grey where neither; each at least 4.5:1 on white and on a tile's light fill.
TONES = {"good": "2E6B30", "bad": "9A4A00", "neutral": "555F66"}
WHITE, DARK, BLACK = "FFFFFF", "1A1A1A", "000000"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _luminance(rgb: str) -> float:
    channels = [int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours given as RRGGBB (1.0 to 21.0)."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """The text colour for a coloured area: white where it reaches AA, else a dark grey, else
    black. One of white and black always reaches AA (at least 4.58:1 on any colour)."""
    for candidate in (WHITE, DARK, BLACK):
        if contrast(candidate, fill) >= AA:
            return candidate
    return max((WHITE, BLACK), key=lambda c: contrast(c, fill))  # pragma: no cover (see above)


def darkened(colour: str, against: str = WHITE) -> str:
    """The colour, darkened in steps of 5 % until it reaches AA against `against` (titles in the
    brand colour on a white slide)."""
    rgb = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    current = colour
    for _ in range(40):
        if contrast(current, against) >= AA:
            return current
        rgb = [int(c * 0.95) for c in rgb]
        current = "".join(f"{c:02X}" for c in rgb)
    return DARK


@dataclass(frozen=True)
class Palette:
    """Theme colours (RRGGBB) a brand sets: accent1 the primary colour (bands, bars, charts),
    accent2 the accent (highlights), dk2 the titles' colour, hlink the links'."""

    accent1: str
    accent2: str | None
    dk2: str
    hlink: str

    def scheme(self) -> dict[str, str]:
        out = {"accent1": self.accent1, "dk2": self.dk2, "hlink": self.hlink}
        if self.accent2:
            out["accent2"] = self.accent2
        return out


def palette(brand: Brand) -> Palette:
    title = darkened(brand.primary)
    return Palette(brand.primary, brand.accent, title, title)


def notices(brand: Brand | None) -> list[str]:
    """One warning per brand colour that white text on it would not make readable, with what
    the decks and pages do instead."""
    if brand is None:
        return []
    out: list[str] = []
    for key, colour in (("primary", brand.primary), ("accent", brand.accent)):
        if colour and contrast(WHITE, colour) < AA:
            out.append(
                Notice(
                    "brand_contrast",
                    WARNING,
                    setting=f"brand.{key}",
                    colour=f"#{colour}",
                    ratio=f"{contrast(WHITE, colour):.1f}",
                    minimum=f"{AA:g}",
                )
            )
    if darkened(brand.primary) != brand.primary:
        out.append(
            Notice(
                "brand_title_colour",
                INFO,
                colour=f"#{brand.primary}",
                ratio=f"{contrast(WHITE, brand.primary):.1f}",
                shade=f"#{darkened(brand.primary)}",
            )
        )
    return out


def theme_xml(blob: bytes, brand: Brand) -> bytes:
    """The theme part with the brand's colours (and font, for headings and body alike)."""
    root = etree.fromstring(blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    if scheme is not None:
        for name, rgb in palette(brand).scheme().items():
            node = scheme.find(f"{{{A}}}{name}")
            if node is None:
                continue
            for child in list(node):
                node.remove(child)
            etree.SubElement(node, f"{{{A}}}srgbClr").set("val", rgb)
    if brand.font:
        for tag in ("majorFont", "minorFont"):
            latin = root.find(f".//{{{A}}}{tag}/{{{A}}}latin")
            if latin is not None:
                latin.set("typeface", brand.font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def apply_to_deck(prs, brand: Brand) -> None:
    """Recolour every slide master's theme of an opened deck template."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        part._blob = theme_xml(part.blob, brand)


def logo_png(path: Path) -> bytes:
    """The logo as PNG bytes for the deck (python-pptx places raster images only): a PNG as it
    is, an SVG rasterised at a width that stays sharp on a projector."""
    return _logo_png(path, file_version(path))


@lru_cache(maxsize=4)
def _logo_png(path: Path, version: tuple[int, ...]) -> bytes:
    data = path.read_bytes()
    if path.suffix.lower() != ".svg":
        return data
    import cairosvg

    out = io.BytesIO()
    cairosvg.svg2png(bytestring=data, write_to=out, output_width=1200)
    return out.getvalue()
