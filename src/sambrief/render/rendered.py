"""What a renderer returns: its files (name within the audience's folder -> content) and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rendered:
    files: dict[str, bytes]  # file name within the audience's folder -> content
    warnings: list[str] = field(default_factory=list)
