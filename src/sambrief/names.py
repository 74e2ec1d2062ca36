"""Name lists several layers agree on, in a leaf module so that none of them imports another
to learn a name (the schema, config checks and the deck renderer all need the slide roles)."""

from __future__ import annotations

# Languages of the message catalogs, briefings and the CLI's own lines (`--lang`).
LANGUAGES = ("de", "en")

# Slide roles: what a slide is for; `layouts:` in sambrief.yaml maps each to a slide layout of the deck template.
SLIDE_ROLES = ("title", "section", "chart", "figure", "two_columns", "closing")
