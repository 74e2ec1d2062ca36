"""Where a line chart's value labels go: the first of a renderer's candidate places that neither
the line nor an earlier label covers, inside the chart. Pure geometry, in the renderer's units
(y grows downwards); the one-pager and the deck each give their own candidates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Box = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]
Place = TypeVar("Place")


def place_labels(
    points: Sequence[Point], candidates: Callable[[int], Sequence[tuple[Place, Box]]], bounds: Box, margin: float
) -> list[Place]:
    """For each point, the first candidate (a place and the label's box there) inside `bounds`,
    clear of every line segment by `margin` and of the labels placed before it; the first
    candidate when none is free."""
    segments = list(zip(points, points[1:]))
    taken: list[Box] = []
    places: list[Place] = []
    for i in range(len(points)):
        options = candidates(i)
        chosen, box = options[0]
        for place, candidate in options:
            if not inside(candidate, bounds) or any(overlaps(candidate, other) for other in taken):
                continue
            if any(crosses(candidate, a, b, margin) for a, b in segments):
                continue
            chosen, box = place, candidate
            break
        taken.append(box)
        places.append(chosen)
    return places


def inside(box: Box, bounds: Box) -> bool:
    return box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crosses(box: Box, a: Point, b: Point, margin: float) -> bool:
    """Whether the segment a-b passes within `margin` of the box (Liang-Barsky clipping)."""
    left, top, right, bottom = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    dx, dy = b[0] - a[0], b[1] - a[1]
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
        if lo > hi:
            return False
    return True
