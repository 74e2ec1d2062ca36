"""What `sambrief check` adds beyond a valid configuration: placeholders left from `init`
that would reach a deck, and prices or thresholds for products that no export has."""

from __future__ import annotations

import difflib
from typing import Any

# What `sambrief init` writes (scaffold.py); a deck must not go out with these.
PLACEHOLDER_ORGANISATIONS = ("Muster GmbH", "Example Ltd")
PLACEHOLDER_TEAMS = ("Lizenzmanagement", "Software Asset Management")
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")


def placeholder_warnings(settings: Any) -> list[str]:
    out = []
    if settings.organisation in PLACEHOLDER_ORGANISATIONS:
        out.append(f"organisation: {settings.organisation!r} is the placeholder from `sambrief init`; "
                   "put your company's name into sambrief.yaml")
    if settings.contact.team in PLACEHOLDER_TEAMS and settings.contact.email.endswith(PLACEHOLDER_DOMAINS):
        out.append(f"contact.team: {settings.contact.team!r} is the placeholder from `sambrief init`; name your SAM team")
    if settings.contact.email.rsplit("@", 1)[-1].casefold() in PLACEHOLDER_DOMAINS:
        out.append(f"contact.email: {settings.contact.email!r} is a placeholder address; "
                   "put the team mailbox into sambrief.yaml (it is shown on the closing slide)")
    return out


def unused_product_warnings(settings: Any, sources: list[Any]) -> list[str]:
    """Prices and thresholds whose product no export names (a typo prices nothing)."""
    products: set[str] = set()
    for source in sources:
        frame = source.frame
        if "product" in getattr(frame, "columns", ()):
            products.update(str(p) for p in frame["product"].dropna().unique())
    if not products:
        return []
    folded = {p.casefold(): p for p in products}
    out = []
    for where, names in (("prices", settings.seat_prices), ("thresholds.products", settings.product_inactive_days)):
        for name in names:
            if name.casefold() in folded:
                continue
            close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
            hint = f"; did you mean {folded[close[0]]!r}?" if close else ""
            out.append(f"{where}.{name}: no export has this product, so it is not used{hint}")
    return out
