"""intranet.yaml: the standing blocks of the SAM intranet page, kept by the SAM team.

Text is plain paragraphs with a tiny, safe Markdown subset: blank lines separate paragraphs,
lines starting with '- ' are list items, **bold**, and [text](https://… or mailto:…) links.
Everything else is escaped: a block can never inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from sambrief.text import clean_text

LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Block:
    title: str
    html: Markup


def render_text(text: str) -> Markup:
    parts: list[str] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif lines:
            parts.append(f"<p>{_inline(' '.join(lines))}</p>")
    return Markup("".join(parts))


def _inline(text: str) -> str:
    escaped = str(escape(clean_text(text)))
    escaped = BOLD.sub(r"<strong>\1</strong>", escaped)
    # Links are matched on the escaped text; their URLs contain no markup characters.
    return LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', escaped)


def read_blocks(path: Path | None) -> list[Block]:
    """Read intranet.yaml, validated by its schema (sambrief.config.schema.IntranetFile)."""
    if path is None or not path.is_file():
        return []
    from sambrief.config.loading import load_file
    from sambrief.config.schema import IntranetFile

    return [Block(clean_text(block.title), render_text(block.text)) for block in load_file(path, IntranetFile).blocks]
