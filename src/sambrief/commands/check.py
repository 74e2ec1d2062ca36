"""`sambrief check`: is the workspace ready to build? Configuration, delivery messages, the
deck template's slide layouts per slide role, and every export read (nothing written).

What `check` adds beyond a valid configuration: placeholders left from `init` that would reach
a deck (every build warns about them too), and prices or thresholds for cloud products that no
export has. The texts are notices (catalog section `notices:`), printed in the workspace language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.commands.stages import read_sources
from sambrief.config.settings import Settings
from sambrief.config.workspace import open_workspace
from sambrief.errors import ConfigError, SambriefError
from sambrief.i18n.levels import split
from sambrief.i18n.notices import INFO, Notice, in_language, unknown
from sambrief.ingest.canonical import LoadedSource
from sambrief.ingest.memory import collector_paused
from sambrief.ingest.sources import SKIPPED
from sambrief.publish.deliver import channel_problems, message_problems
from sambrief.render.template import map_roles, open_template


@dataclass
class CheckResult:
    settings: Settings
    sources: list[LoadedSource]
    messages: list[str]  # warnings and information, as `levels.split` sorts them
    errors: list[str]  # what makes the workspace not ready although the build would run (files it would skip)
    template: Path
    roles: dict[str, tuple[Any, str]]  # slide role -> (slide layout, how it was found)

    def to_json(self) -> dict[str, Any]:
        """For scripts (`check --json`), every message in the workspace language as the plain lines say them."""
        language = self.settings.language
        infos, warnings = ([in_language(m, language) for m in group] for group in split(self.messages))
        return {
            "ok": not self.errors,
            "errors": [in_language(e, language) for e in self.errors],
            "config": str(self.settings.config_path),
            "language": language,
            "audiences": list(self.settings.audiences),
            "template": str(self.template),
            "roles": {r: layout.name for r, (layout, _) in self.roles.items()},
            "sources": [
                {"file": str(s.path), "dataset": s.dataset, "layout": s.layout, "rows": len(s.frame)}
                for s in self.sources
            ],
            "warnings": warnings,
            "information": infos,
        }


def failed_json(error: SambriefError, language: str = "en") -> dict[str, Any]:
    """`check --json` when the workspace cannot be checked at all: every problem of the configuration,
    or the one error, in the command line's language as the plain lines say them."""
    if isinstance(error, ConfigError):
        return {"ok": False, "errors": [in_language(p, language) for p in error.problems]}
    return {"ok": False, "errors": [error.in_language(language)]}


def check_workspace(config: Path | None) -> CheckResult:
    settings = open_workspace(config)
    problems = message_problems(settings)
    if problems:
        raise ConfigError(problems, str(settings.config_path))
    template = settings.deck_template
    roles = map_roles(open_template(template), settings.layout_names)
    with collector_paused():
        sources, messages = read_sources(settings, lambda _: None, create_key=False)
    messages = (
        placeholder_warnings(settings)
        + unused_product_warnings(settings, sources)
        + channel_problems(settings)
        + messages
        + absent_column_notices(sources)
        + unpriced_product_notices(settings, sources)
    )
    # A build leaves a file no layout fits out (with a warning); check is where that is found first.
    errors: list[str] = [m for m in messages if isinstance(m, Notice) and m.key in SKIPPED]
    messages = [m for m in messages if m not in errors]
    return CheckResult(settings, sources, messages, errors, template, roles)


# What `sambrief init` writes (defaults/init/); a deck must not go out with these.
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
        settings.organisation in EARLIER_PLACEHOLDER_ORGANISATIONS and placeholder_address
    ):
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
    folded = {p.casefold() for p in products}
    out: list[str] = []
    for where, names in (("prices", settings.seat_prices), ("thresholds.products", settings.product_inactive_days)):
        out += [
            unknown("unused_product", name, products, fold=True, where=where, name=name)
            for name in names
            if name.casefold() not in folded
        ]
    return out


# Per dataset: columns of which no export has any, and the notice that says what stays unknown
# (the briefing says it in the audience's words; here is what to add). Cloud activity and
# blocked accounts may also come from an activity export (Entra, usage reports).
ABSENT_EFFECTS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "license_position": (
        (("unit_price", "total_cost", "exposure"), "absent_price"),
        (("renewal_date",), "absent_renewal"),
    ),
    "cloud_seats": ((("last_activity",), "absent_activity"), (("account_disabled",), "absent_blocked")),
    "successes": ((("amount",), "absent_amount"),),
    "actions": ((("due_date",), "absent_due"), (("product",), "absent_action_product")),
    "budget": ((("actual",), "absent_actual"), (("committed",), "absent_committed")),
    "requests": ((("approval_date",), "absent_approval"), (("closed_date",), "absent_closed")),
}
ALSO_FROM = {("cloud_seats", "last_activity"): "cloud_activity", ("cloud_seats", "account_disabled"): "cloud_activity"}


def absent_column_notices(sources: list[Any]) -> list[str]:
    """What no export of a dataset has a column for, and what therefore stays unknown (information)."""
    have: dict[str, set[str]] = {}
    files: dict[str, list[str]] = {}
    for source in sources:
        have.setdefault(source.dataset, set()).update(getattr(source, "fields", ()) or ())
        files.setdefault(source.dataset, []).append(source.path.name)
    out: list[str] = []
    for dataset, effects in ABSENT_EFFECTS.items():
        if dataset not in files:
            continue
        for group, key in effects:
            elsewhere = {ALSO_FROM.get((dataset, f)) for f in group} - {None}
            if have[dataset] & set(group) or any(have.get(str(d), set()) & set(group) for d in elsewhere):
                continue
            out.append(Notice(key, INFO, where=", ".join(files[dataset])))
    return out


def unpriced_product_notices(settings: Settings, sources: list[Any]) -> list[str]:
    """Cloud products that no `prices:` entry prices: their cost is said to be unknown in the briefing."""
    products: dict[str, str] = {}
    for source in sources:
        if source.dataset == "cloud_seats" and "product" in source.frame.columns:
            products.update({str(p).casefold(): str(p) for p in source.frame["product"].dropna().unique()})
    missing = sorted(name for key, name in products.items() if settings.seat_price(name) is None)
    if not missing:
        return []
    shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
    return [Notice("unpriced_products", INFO, n=len(missing), list=shown)]
