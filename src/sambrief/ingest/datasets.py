"""The canonical datasets: what every reader produces, whatever the vendor layout.

This is data, not code: the README's dataset reference, the readers' type coercion and
the privacy treatment of each field all come from these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from sambrief.i18n.theme_files import theme_texts
from sambrief.packaged import load_packaged

# Field kinds. 'user' is an identifier of a person: pseudonymised where it enters.
TEXT, NUMBER, DATE, BOOL, USER, CHOICE, LIST = "text", "number", "date", "bool", "user", "choice", "list"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    meaning: str
    unit: str = ""
    required: bool = False
    # CHOICE: canonical value -> accepted spellings (English and German)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What may reach an output: 'shown' (on slides as written), 'aggregated' (only in counts and
    # sums), 'pseudonymised' (replaced by a keyed hash when read; never shown). The privacy annex
    # of `sambrief plan` is generated from this.
    treatment: str = "shown"
    # A count or price: a negative value is an error in the export, never read as a number.
    nonnegative: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    meaning: str
    fields: tuple[Field, ...]
    # A register kept by hand may legitimately be empty (just its header row).
    register: bool = False
    # Groups of which at least one field must be present (e.g. two of the three balance fields).
    one_of: tuple[tuple[str, ...], ...] = ()
    # The large exports, whose columns the model and themes only use whole: dates held as
    # datetime64 (NaT = unknown) rather than date objects, text with few distinct values as
    # categoricals (missing = NaN, never None).
    typed: bool = False
    # The date fields that say when a row happened: without a report date, a source line cites
    # the newest of these within the period ("entries up to"), not the file's modification date.
    row_dates: tuple[str, ...] = ()
    # The model joins one person across exports (sambrief.model.seats): a row two exports share is
    # counted once there, so sambrief.ingest.repeats leaves such rows in place.
    people_joined: bool = False
    # (d, a, b): d = a − b wherever an export states all three (checked as the export is read).
    difference: tuple[str, str, str] | None = None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# What the Excel registers show in their drop-down lists, per language. Each label is one of
# the accepted spellings above, so the reader maps it back to the canonical value. A theme's
# label is its `action` text, in its own file (a theme without one takes no actions).
CHOICE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "category": {
        "savings": {"de": "Einsparung", "en": "Savings"},
        "harvest": {"de": "Rückgewinnung", "en": "Re-harvest"},
        "audit": {"de": "Audit", "en": "Audit"},
        "process": {"de": "Prozess", "en": "Process"},
        "other": {"de": "Sonstiges", "en": "Other"},
    },
    "status": {
        "open": {"de": "offen", "en": "open"},
        "in_progress": {"de": "in Arbeit", "en": "in progress"},
        "blocked": {"de": "blockiert", "en": "blocked"},
        "done": {"de": "erledigt", "en": "done"},
    },
    "theme": theme_texts("action"),
}


def _accepted(field_name: str) -> dict[str, tuple[str, ...]]:
    """The values a register accepts for a choice: exactly what its drop-down shows, in either
    language (and the canonical key). A synonym outside the list ("fertig") is refused with the
    list, never guessed: what the drop-down does not offer, the register does not mean."""
    return {
        key: tuple(dict.fromkeys(x.casefold() for x in (key, key.replace("_", " "), *labels.values())))
        for key, labels in CHOICE_LABELS[field_name].items()
    }


def choice_labels(field_name: str, language: str) -> list[str]:
    """A choice field's values as the register's drop-down shows them in `language`."""
    return [labels[language] for labels in CHOICE_LABELS[field_name].values()]


SUCCESS_CATEGORIES = _accepted("category")
ACTION_STATUSES = _accepted("status")
# The themes an action may belong to (the registers' localised labels among them, so a register
# filled in German reads back the same).
ACTION_THEMES = _accepted("theme")

LICENSE_POSITION = Dataset(
    "license_position",
    "The licence balance per product: what is owned against what is required.",
    (
        Field("publisher", TEXT, "Software publisher (manufacturer).", required=True),
        Field("product", TEXT, "Product or licence name.", required=True),
        Field("entitlements", NUMBER, "Licences owned (entitlements, rights owned).", "licences", nonnegative=True),
        Field("required", NUMBER, "Licences required by use under the licence metric.", "licences", nonnegative=True),
        Field("balance", NUMBER, "entitlements - required; negative is a shortfall.", "licences"),
        Field("unit_price", NUMBER, "Price of one licence.", "currency", nonnegative=True),
        Field(
            "total_cost",
            NUMBER,
            "Total cost of the licences owned (used to derive a unit price).",
            "currency",
            nonnegative=True,
        ),
        Field(
            "exposure",
            NUMBER,
            "Cost to close the shortfall: shortfall x unit price, or the export's own true-up "
            "or compliance cost. 0 when covered.",
            "currency",
        ),
        Field("org_unit", TEXT, "Organisation unit, cost centre or legal entity, where the export has one."),
        Field("renewal_date", DATE, "End of term or next renewal, where known."),
    ),
    # Two of entitlements, required and balance (the third follows): the balance alone says
    # nothing about what is owned or needed.
    one_of=(("entitlements", "balance"), ("required", "balance"), ("entitlements", "required")),
    difference=("balance", "entitlements", "required"),
)

CLOUD_SEATS = Dataset(
    "cloud_seats",
    "Assigned cloud (SaaS) seats: one row per user and product.",
    (
        Field(
            "user_key",
            USER,
            "Pseudonymous user key (keyed hash of the identifier).",
            required=True,
            treatment="pseudonymised",
        ),
        Field("product", TEXT, "Cloud product or licence SKU name.", required=True),
        Field("assigned_date", DATE, "Date the seat was assigned.", treatment="aggregated"),
        Field(
            "last_activity", DATE, "Latest activity of the user in the product; empty = never.", treatment="aggregated"
        ),
        Field("department", TEXT, "Department of the user, where the export has one.", treatment="aggregated"),
        Field("report_date", DATE, "Date the export was taken (report refresh date)."),
        Field(
            "account_disabled",
            BOOL,
            "The account is blocked or suspended but keeps its licence: the seat cannot be used, so it counts as "
            "unused.",
            treatment="aggregated",
        ),
        Field(
            "activity_known",
            BOOL,
            "False when the export carries no activity information at all (never guessed as idle).",
            treatment="aggregated",
        ),
        Field(
            "user_alias",
            USER,
            "Another identifier of the same person in the same row (the mail beside the UPN): joins one "
            "person across exports.",
            treatment="pseudonymised",
        ),
        Field(
            "deleted_date",
            DATE,
            "The account was deleted (soft-deleted) on this date but still holds the licence: the seat counts as "
            "unused.",
            treatment="aggregated",
        ),
    ),
    typed=True,
    row_dates=("last_activity", "assigned_date"),
    people_joined=True,
)

CLOUD_ACTIVITY = Dataset(
    "cloud_activity",
    "Activity and account signals of people, from exports that hold no seats (Microsoft 365 Apps usage, "
    "Office activations, Entra ID user download): they complete the seats of the same person.",
    (
        Field(
            "user_key",
            USER,
            "Pseudonymous user key (keyed hash of the identifier).",
            required=True,
            treatment="pseudonymised",
        ),
        Field(
            "user_alias",
            USER,
            "Another identifier of the same person in the same row (the mail beside the UPN).",
            treatment="pseudonymised",
        ),
        Field(
            "product",
            TEXT,
            "Product, app or product type the activity is about (mapped to a product family); empty for an account "
            "signal, which applies to every seat of the person.",
        ),
        Field(
            "workload",
            TEXT,
            "The workload(s) the activity is evidence of (exchange, teams, sharepoint, onedrive, office_apps, copilot, "
            "...; '+'-joined), from the export layout's `evidence:`; empty: the workloads of `product`.",
        ),
        Field("last_activity", DATE, "Latest activity or activation; empty = never.", treatment="aggregated"),
        Field("report_date", DATE, "Date the export was taken (report refresh date)."),
        Field(
            "activity_known",
            BOOL,
            "False when the row carries no activity information (an account list).",
            treatment="aggregated",
        ),
        Field(
            "account_disabled",
            BOOL,
            "The account is blocked or disabled: every seat the person holds is unused.",
            treatment="aggregated",
        ),
        Field("guest", BOOL, "Guest (external) account.", treatment="aggregated"),
        Field("department", TEXT, "Department of the person, where the export has one.", treatment="aggregated"),
    ),
    typed=True,
    row_dates=("last_activity",),
    people_joined=True,
)

SUCCESSES = Dataset(
    "successes",
    "Register of results achieved, kept by the SAM team.",
    (
        Field("date", DATE, "Date the result was achieved.", required=True),
        Field("title", TEXT, "What was achieved, in one line.", required=True),
        Field("category", CHOICE, "savings, harvest, audit, process or other.", choices=SUCCESS_CATEGORIES),
        Field("amount", NUMBER, "Realised saving or avoided cost.", "currency"),
        Field("audiences", LIST, "Audiences to show it to (empty = all)."),
        Field("note", TEXT, "Background for the speaker notes."),
    ),
    register=True,
    row_dates=("date",),
)

ACTIONS = Dataset(
    "actions",
    "Register of open issues and actions, kept by the SAM team.",
    (
        Field("id", TEXT, "Reference of the action."),
        Field("title", TEXT, "What needs doing, in one line.", required=True),
        Field("theme", CHOICE, "Theme the action belongs to (risk, cloud_sprawl, ...).", choices=ACTION_THEMES),
        Field("status", CHOICE, "open, in_progress, blocked or done.", required=True, choices=ACTION_STATUSES),
        Field(
            "blocked_by",
            TEXT,
            "What a blocked action waits for: a decision or an organisational unit, never a "
            "person's name (named on the open-work slide and in the balance).",
        ),
        Field("owner_role", TEXT, "Role responsible (a role, never a person's name)."),
        Field("due_date", DATE, "Date the action is due."),
        Field("product", TEXT, "Product the action is about, where it is about one."),
        Field("audiences", LIST, "Audiences to show it to (empty = all)."),
    ),
    register=True,
)

# What a request's state, stage and approval say, and the rules that make its outcome of them:
# data (defaults/request_vocabulary.yaml), so a new spelling is one entry, not code.
_VOCABULARY = load_packaged((resources.files("sambrief") / "defaults" / "request_vocabulary.yaml").read_text("utf-8"))
REQUEST_STATES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _VOCABULARY["states"].items()}
REQUEST_STAGES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _VOCABULARY["stages"].items()}
REQUEST_APPROVALS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _VOCABULARY["approvals"].items()}
REQUEST_OUTCOMES: tuple[str, ...] = tuple(_VOCABULARY["outcomes"])
REQUEST_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (outcome, column, tuple(values)) for outcome, column, values in _VOCABULARY["rules"]
)

REQUESTS = Dataset(
    "requests",
    "Software requests from the service catalogue (for lead times).",
    (
        Field("request_id", TEXT, "Request or requested-item number.", required=True, treatment="aggregated"),
        Field("item", TEXT, "Catalogue item requested.", required=True, treatment="aggregated"),
        Field("requested_date", DATE, "When the request was opened.", required=True, treatment="aggregated"),
        Field("approval_date", DATE, "When it was approved, where known.", treatment="aggregated"),
        Field("closed_date", DATE, "When it was provisioned or closed.", treatment="aggregated"),
        Field(
            "state",
            TEXT,
            "State of the request (open, closed complete, closed incomplete, ...).",
            treatment="aggregated",
            choices=REQUEST_STATES,
        ),
        Field("department", TEXT, "Department of the requester, where known.", treatment="aggregated"),
        Field(
            "requester",
            USER,
            "The person the request is for (ServiceNow `requested_for`): pseudonymised when read, "
            "only counted, so that a department's request figures rest on enough people.",
            treatment="pseudonymised",
        ),
        Field(
            "stage",
            TEXT,
            "Stage of the request's workflow (waiting for approval, fulfilment, completed, cancelled).",
            treatment="aggregated",
            choices=REQUEST_STAGES,
        ),
        Field(
            "approval",
            TEXT,
            "Approval of the request (requested, approved, rejected).",
            treatment="aggregated",
            choices=REQUEST_APPROVALS,
        ),
        Field(
            "updated_date",
            DATE,
            "When the request was last updated: dates a closed request that has no close date.",
            treatment="aggregated",
        ),
    ),
    typed=True,
    row_dates=("requested_date", "approval_date", "closed_date", "updated_date"),
)

BUDGET = Dataset(
    "budget",
    "Register of the software budget per cost centre and category, kept by the SAM team or controlling.",
    (
        Field("cost_centre", TEXT, "Cost centre or budget area.", required=True),
        Field("category", TEXT, "Budget category (e.g. licences, subscriptions, maintenance)."),
        Field("budget", NUMBER, "Budget for the year.", "currency", required=True),
        Field("actual", NUMBER, "Spent so far this year.", "currency"),
        Field("committed", NUMBER, "Ordered or contracted but not yet invoiced.", "currency"),
    ),
    register=True,
)

# What a contract's state says, as ServiceNow Contract Management (ast_contract: Draft, Active,
# Expired, Canceled; FOUND, ServiceNowDocs t_CreateAContract.md) and hand-kept registers write it
# (German labels INFERRED): canonical value -> accepted spellings, compared case-folded. A state
# not listed here says nothing: the contract counts as in force.
CONTRACT_STATES = {
    "active": ("active", "aktiv", "in force", "in kraft", "laufend", "running"),
    "draft": ("draft", "entwurf", "new", "neu", "in review", "in prüfung"),
    "expired": ("expired", "abgelaufen", "beendet", "ended", "ausgelaufen"),
    "cancelled": ("canceled", "cancelled", "gekündigt", "storniert", "terminated", "aufgehoben"),
}

CONTRACTS = Dataset(
    "contracts",
    "Contracts with their term and value: a contract management export or the contracts register a licence "
    "manager keeps (the renewal calendar's end dates; without it, the licence position's).",
    (
        Field("contract", TEXT, "Contract number or name.", required=True),
        Field("title", TEXT, "What the contract is about (short description, name)."),
        Field("vendor", TEXT, "Vendor or manufacturer."),
        Field("product", TEXT, "Product the contract licenses, where named (matches an action's product)."),
        Field("start_date", DATE, "Start of the contract's term."),
        Field("end_date", DATE, "End of the contract's term: the date it ends or renews."),
        Field("notice_days", NUMBER, "Notice period in days before the end date.", "days", nonnegative=True),
        Field("annual_value", NUMBER, "Value of the contract per year (yearly cost).", "currency", nonnegative=True),
        Field("total_value", NUMBER, "Value of the contract over its term (total cost).", "currency", nonnegative=True),
        Field(
            "state",
            TEXT,
            "State of the contract (active, draft, expired, cancelled); expired and cancelled "
            "contracts are not ending, drafts not yet in force.",
            choices=CONTRACT_STATES,
        ),
    ),
    # Kept by hand beside the exports (or exported from a contract tool): runs over the year and
    # may be just its header row.
    register=True,
)

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (LICENSE_POSITION, CLOUD_SEATS, CLOUD_ACTIVITY, SUCCESSES, ACTIONS, REQUESTS, BUDGET, CONTRACTS)
}
