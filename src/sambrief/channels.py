"""The channels a briefing reaches (`channels:` of an audience in audiences.yaml), one entry
per channel. An audience appears only on the channels it names.

Three roles:

- `document`: which of the audience's documents are shared at all (`deck`: the presentation and
  the detail list behind it; `onepager`). An audience that names neither shares all of them.
- `page`: the period's intranet page (`intranet` lists and links the audience's documents;
  `newsflash` is the page's news block, which carries no files).
- `delivery`: sent by `sambrief deliver`, each configured per audience under `deliver:` in
  sambrief.yaml (`settings`), posted once per period and audience (`mail`: once per recipient).

`carries` says which of a document's files a channel takes: `linked` (those with a download
link: decks and PDFs), `mailed` (attachments), `all` (every file, e.g. a copy on a share) or
`none`. A leaf: the schema, config, renderers and delivery all read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DOCUMENT, PAGE, DELIVERY = "document", "page", "delivery"


@dataclass(frozen=True)
class Channel:
    key: str
    role: str
    carries: str = "none"  # linked, mailed, all, none
    settings: str | None = None  # its per-audience section under `deliver:` (delivery channels)


CHANNELS: dict[str, Channel] = {
    c.key: c
    for c in (
        Channel("deck", DOCUMENT),
        Channel("onepager", DOCUMENT),
        Channel("intranet", PAGE, carries="linked"),
        Channel("newsflash", PAGE),
        Channel("mail", DELIVERY, carries="mailed", settings="recipients"),
        Channel("teams", DELIVERY, carries="linked", settings="teams"),
        Channel("slack", DELIVERY, carries="linked", settings="slack"),
        Channel("folder", DELIVERY, carries="all", settings="folder"),
    )
}
DELIVERY_CHANNELS = tuple(key for key, c in CHANNELS.items() if c.role == DELIVERY)


def file_channels(audience_channels: Iterable[str], document: str | None, linked: bool, mailed: bool) -> list[str]:
    """The channels one file of an audience is made for, in the audience's order: its document
    channel, then every page or delivery channel that carries a file of its sort. A file of a
    document the audience does not share (a deck where channels name only `onepager`) goes nowhere."""
    named = [c for c in audience_channels if c in CHANNELS]
    documents = [c for c in named if CHANNELS[c].role == DOCUMENT]
    if document is not None and documents and document not in documents:
        return []
    wanted = {"linked": linked, "mailed": mailed, "all": True, "none": False}
    return [c for c in named if c == document or (CHANNELS[c].role != DOCUMENT and wanted[CHANNELS[c].carries])]
