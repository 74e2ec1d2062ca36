"""Text measurement: will this text fit that box? Used before writing (to shorten) and after
rendering (the quality gate). Widths come from the real font's metrics where the machine has
the font or a metric-compatible substitute (Carlito for Calibri, Liberation for Arial/Times);
otherwise from a conservative average."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache

EMU_PER_PT = 12700
LINE_SPACING = 1.2
AVERAGE_EM = 0.55  # fallback average glyph width in em: errs on the wide side
SUBSTITUTES = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "courier new": "Liberation Mono",
}


@cache
def _font_file(name: str, bold: bool) -> str | None:
    if not shutil.which("fc-match"):
        return None
    query = f"{name}:bold" if bold else name
    try:
        out = subprocess.run(["fc-match", query, "file"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = out.split("=", 1)[1].strip() if "=" in out else ""
    return path if path.lower().endswith((".ttf", ".otf")) else None


@cache
def _font(family: str, bold: bool):
    path = _font_file(SUBSTITUTES.get(family.casefold(), family), bold)  # Calibri and Carlito: one lookup
    if path is None:
        return None
    try:
        from PIL import ImageFont

        return ImageFont.truetype(path, 1000)  # measured at 1000 units per em
    except OSError:
        return None


@lru_cache(maxsize=65536)
def _units(family: str, bold: bool, text: str) -> float | None:
    """Advance width at 1000 units per em; the fitting loops measure the same texts at every
    size and length they try, and the width scales with the size."""
    font = _font(family, bold)
    return None if font is None else font.getlength(text)


def shorten_clause(text: str, limit: int) -> str:
    """Shorten a sentence to `limit` characters, preferring to end at a clause boundary
    (" – ", "; ", ": ") so the rest reads as a complete statement; else at a word with "…".
    Never inside a parenthesis ("(mindestens 19.106 € im…") nor between a number and what
    it counts ("19.106" without its "€"): such a cut says something else than the sentence."""
    if len(text) <= limit:
        return text
    import re

    from sambrief.text import shorten

    depth = _depths(text)
    ends = [m.start() for m in re.finditer(r" – |; |: ", text[: limit + 1]) if depth[m.start()] == 0]
    if ends and ends[-1] >= limit * 0.5:
        return text[: ends[-1]].rstrip(" ,")
    # a space outside parentheses, not right after a digit (the number's unit or noun follows)
    spaces = [
        i
        for i in range(min(limit - 1, len(text) - 1), 0, -1)
        if text[i] == " " and depth[i] == 0 and not text[i - 1].isdigit()
    ]
    if spaces and spaces[0] >= limit * 0.4:
        return text[: spaces[0]].rstrip(" ,;:-–(") + "…"
    return shorten(text, limit)


def _depths(text: str) -> list[int]:
    """Each character's depth in parentheses (brackets count as well) and in quotes: a quoted
    title ("„Austrittsprozess: automatische Lizenzrücknahme“") is not cut at its own colon.
    German quotes open with „ and close with “, English ones open with “ and close with ”."""
    depths, depth, german = [], 0, 0
    for char in text:
        opens = char in "([„" or (char == "“" and not german)
        closes = char in ")]”" or (char == "“" and german > 0)
        if opens:
            depth += 1
            german += char == "„"
        depths.append(depth)
        if closes and not opens:
            depth = max(0, depth - 1)
            german = max(0, german - (char == "“"))
    return depths


def fit_label(text: str, measurer: Measurer, size_pt: float, width_pt: float, lines: int = 2) -> str:
    """Shorten a chart label to what fits `lines` lines of `width_pt`, measured with the font,
    cut at a word boundary with an ellipsis (never mid-word unless one word is too long)."""
    if measurer.width_pt(text, size_pt) <= width_pt * lines * 0.9:
        return text
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:n]).rstrip(" ,;:-(") + "…"
        if measurer.width_pt(candidate, size_pt) <= width_pt * lines * 0.9:
            return candidate
    cut = text
    while len(cut) > 1 and measurer.width_pt(cut + "…", size_pt) > width_pt * lines * 0.9:
        cut = cut[:-1]
    return cut + "…"


@dataclass(frozen=True)
class Measurer:
    family: str = "Calibri"

    def width_pt(self, text: str, size_pt: float, bold: bool = False) -> float:
        units = _units(self.family, bold, text)
        if units is None:
            return len(text) * AVERAGE_EM * size_pt * (1.05 if bold else 1.0)
        return units / 1000 * size_pt

    def lines(self, text: str, size_pt: float, width_pt: float, bold: bool = False) -> int:
        """Lines a paragraph needs when wrapped at word boundaries (long words break anywhere)."""
        if not text:
            return 1
        count, current = 1, ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if self.width_pt(candidate, size_pt, bold) <= width_pt:
                current = candidate
                continue
            if current:
                count += 1
            current = word
            while self.width_pt(current, size_pt, bold) > width_pt and len(current) > 1:
                # An unbreakable word wider than the box wraps by characters.
                cut = max(1, int(len(current) * width_pt / self.width_pt(current, size_pt, bold)))
                current = current[cut:]
                count += 1
        return count

    def height_pt(
        self, paragraphs: list[str], size_pt: float, width_pt: float, space_after_pt: float = 0, bold: bool = False
    ) -> float:
        total = 0.0
        for i, para in enumerate(paragraphs):
            total += self.lines(para, size_pt, width_pt, bold) * size_pt * LINE_SPACING
            if i < len(paragraphs) - 1:
                total += space_after_pt
        return total

    def fits(
        self,
        paragraphs: list[str],
        size_pt: float,
        box_w_emu: int,
        box_h_emu: int,
        space_after_pt: float = 0,
        bold: bool = False,
        insets_emu: tuple[int, int] = (182880, 91440),
    ) -> bool:
        width = (box_w_emu - insets_emu[0]) / EMU_PER_PT
        height = (box_h_emu - insets_emu[1]) / EMU_PER_PT
        return self.height_pt(paragraphs, size_pt, width, space_after_pt, bold) <= height
