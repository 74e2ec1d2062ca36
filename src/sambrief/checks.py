"""What `sambrief check` adds beyond a valid configuration: placeholders left from `init`
that would reach a deck, and prices or thresholds for cloud products that no export has.
The texts are notices (catalog section `notices:`), printed in the workspace language."""

from __future__ import annotations

import difflib
from typing import Any

from sambrief.notices import Notice
from sambrief.settings import Settings

# What `sambrief init` writes (scaffold.py); a deck must not go out with these.
PLACEHOLDER_ORGANISATIONS = ("Muster AG (Platzhalter)", "Example Ltd (placeholder)")
# What earlier versions wrote: also the example workspace's fictitious company, so it counts as a
# placeholder only beside an address that is one too.
EARLIER_PLACEHOLDER_ORGANISATIONS = ("Muster GmbH", "Example Ltd")
PLACEHOLDER_TEAMS = ("Lizenzmanagement", "Software Asset Management")
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")

def placeholder_warnings(settings: Settings) -> list[str]:
    """Warnings (for `check` and every build) while the title or closing slide would show what
    `init` wrote: the organisation, the team or a placeholder address."""
    out: list[str] = []
    placeholder_address = settings.contact.email.rsplit("@", 1)[-1].casefold() in PLACEHOLDER_DOMAINS
    if settings.organisation in PLACEHOLDER_ORGANISATIONS or (
            settings.organisation in EARLIER_PLACEHOLDER_ORGANISATIONS and placeholder_address):
        out.append(Notice("placeholder_organisation", value=repr(settings.organisation)))
    if settings.contact.team in PLACEHOLDER_TEAMS and settings.contact.email.endswith(PLACEHOLDER_DOMAINS):
        out.append(Notice("placeholder_team", value=repr(settings.contact.team)))
    if placeholder_address:
        out.append(Notice("placeholder_email", value=repr(settings.contact.email)))
    return out


def unused_product_warnings(settings: Settings, sources: list[Any]) -> list[str]:
    """Prices and thresholds whose cloud product no export names (a typo prices nothing)."""
    products: set[str] = set()
    for source in sources:
        if source.dataset == "cloud_seats" and "product" in source.frame.columns:
            products.update(str(p) for p in source.frame["product"].dropna().unique())
    folded = {p.casefold(): p for p in products}
    out: list[str] = []
    for where, names in (("prices", settings.seat_prices), ("thresholds.products", settings.product_inactive_days)):
        for name in names:
            if name.casefold() in folded:
                continue
            close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
            if close:
                out.append(Notice("unused_product_near", where=where, name=name, near=repr(folded[close[0]])))
            else:
                out.append(Notice("unused_product", where=where, name=name))
    return out
