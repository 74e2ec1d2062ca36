"""Drawn shapes of a deck: rectangles filled with a theme colour and without the theme's shape
style (no outline, no shadow), and the XML namespaces the deck code reads."""

from __future__ import annotations

from typing import Any

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def filled_rect(slide, left: int, top: int, width: int, height: int, colour: Any, name: str | None = None):  # noqa: ANN001
    """A rectangle filled with a theme colour, without outline or shadow (tiles, panels, bars)."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    if name:
        shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.theme_color = colour
    shape.line.fill.background()
    flat(shape)
    return shape


def flat(shape) -> None:
    """No theme style on a drawn shape: its fill and line are set, and the style's effect would
    add the theme's shadow (LibreOffice draws it even under an empty effect list)."""
    style = shape._element.find(f"{P}style")
    if style is not None:
        shape._element.remove(style)


THEME_NAMES = {
    MSO_THEME_COLOR.ACCENT_1: "accent1",
    MSO_THEME_COLOR.ACCENT_2: "accent2",
    MSO_THEME_COLOR.ACCENT_3: "accent3",
    MSO_THEME_COLOR.BACKGROUND_1: "bg1",
    MSO_THEME_COLOR.BACKGROUND_2: "bg2",
    MSO_THEME_COLOR.TEXT_2: "dk2",
}
