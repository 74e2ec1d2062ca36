"""Compare two build output folders: manifest figures, slide titles, details.csv and every text
of every deck (titles, bodies, notes). Used to check that a speed change changed no figure.

Usage: python benchmarks/compare.py OUT_BEFORE OUT_AFTER   (the period folders, e.g. out/2026-10)
Exit 0 when identical; otherwise lists the first differences and exits 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pptx import Presentation


def deck_texts(path: Path) -> list[str]:
    texts = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(f"{number}: {shape.text_frame.text}")
            if getattr(shape, "has_chart", False) and shape.has_chart:
                plot = shape.chart.plots[0]
                texts.append(f"{number}: chart {list(plot.categories)} {[list(s.values) for s in plot.series]}")
        if slide.has_notes_slide:
            texts.append(f"{number} notes: {slide.notes_slide.notes_text_frame.text}")
    return texts


def snapshot(folder: Path) -> dict[str, object]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    out: dict[str, object] = {
        "audiences": manifest["audiences"],
        "seat_signals": manifest.get("seat_signals"),
        "warnings": manifest.get("warnings"),
    }
    for path in sorted(folder.rglob("details.csv")):
        out[str(path.relative_to(folder))] = path.read_bytes()
    for path in sorted(folder.rglob("*.pptx")):
        out[str(path.relative_to(folder))] = deck_texts(path)
    for path in sorted(folder.rglob("*.html")):
        out[str(path.relative_to(folder))] = path.read_text("utf-8")
    return out


def main() -> int:
    before, after = (snapshot(Path(p)) for p in sys.argv[1:3])
    differences = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    for key in differences[:20]:
        print(f"differs: {key}")
    print("identical" if not differences else f"{len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
