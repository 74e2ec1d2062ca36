"""What `sambrief check` adds beyond a valid configuration: placeholders left from `init`
that would reach a deck, and prices or thresholds for cloud products that no export has.
The texts follow the workspace language."""

from __future__ import annotations

import difflib
from typing import Any

from sambrief.settings import Settings

# What `sambrief init` writes (scaffold.py); a deck must not go out with these.
PLACEHOLDER_ORGANISATIONS = ("Muster GmbH", "Example Ltd")
PLACEHOLDER_TEAMS = ("Lizenzmanagement", "Software Asset Management")
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")

TEXTS = {
    "de": {
        "organisation": "organisation: {value!r} ist der Platzhalter aus `sambrief init`; tragen Sie den Namen Ihres Unternehmens in sambrief.yaml ein",
        "team": "contact.team: {value!r} ist der Platzhalter aus `sambrief init`; nennen Sie Ihr Lizenzmanagement-Team",
        "email": "contact.email: {value!r} ist eine Platzhalter-Adresse; tragen Sie das Team-Postfach in sambrief.yaml ein (es steht auf der Schlussfolie)",
        "unused": "{where}.{name}: kein Export enthält dieses Produkt, der Eintrag wirkt nicht",
        "near": "; meinten Sie {near!r}?",
    },
    "en": {
        "organisation": "organisation: {value!r} is the placeholder from `sambrief init`; put your company's name into sambrief.yaml",
        "team": "contact.team: {value!r} is the placeholder from `sambrief init`; name your SAM team",
        "email": "contact.email: {value!r} is a placeholder address; put the team mailbox into sambrief.yaml (it is shown on the closing slide)",
        "unused": "{where}.{name}: no export has this product, so it is not used",
        "near": "; did you mean {near!r}?",
    },
}


def placeholder_warnings(settings: Settings) -> list[str]:
    text = TEXTS.get(settings.language, TEXTS["en"])
    out = []
    if settings.organisation in PLACEHOLDER_ORGANISATIONS:
        out.append(text["organisation"].format(value=settings.organisation))
    if settings.contact.team in PLACEHOLDER_TEAMS and settings.contact.email.endswith(PLACEHOLDER_DOMAINS):
        out.append(text["team"].format(value=settings.contact.team))
    if settings.contact.email.rsplit("@", 1)[-1].casefold() in PLACEHOLDER_DOMAINS:
        out.append(text["email"].format(value=settings.contact.email))
    return out


def unused_product_warnings(settings: Settings, sources: list[Any]) -> list[str]:
    """Prices and thresholds whose cloud product no export names (a typo prices nothing)."""
    text = TEXTS.get(settings.language, TEXTS["en"])
    products: set[str] = set()
    for source in sources:
        if source.dataset == "cloud_seats" and "product" in source.frame.columns:
            products.update(str(p) for p in source.frame["product"].dropna().unique())
    folded = {p.casefold(): p for p in products}
    out = []
    for where, names in (("prices", settings.seat_prices), ("thresholds.products", settings.product_inactive_days)):
        for name in names:
            if name.casefold() in folded:
                continue
            close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
            near = text["near"].format(near=folded[close[0]]) if close else ""
            out.append(text["unused"].format(where=where, name=name) + near)
    return out
