"""The typed, frozen settings a build runs on (made by config.load_settings).

A leaf of the configuration: themes, renderers and commands import these types from here;
loading and validating them (config.py) sits above the registries it validates against.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sambrief.ingest.limits import Limits
from sambrief.ingest.sources import Source

PACKAGED_DECK_TEMPLATE = "deck.pptx"


@dataclass(frozen=True)
class Contact:
    team: str
    email: str = ""
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class Brand:
    """`brand:` of sambrief.yaml: colours as RRGGBB (upper case, no '#'), the logo file."""

    primary: str
    accent: str | None = None
    logo: Path | None = None
    font: str | None = None


@dataclass(frozen=True)
class Audience:
    key: str
    title: dict[str, str]
    language: str
    themes: tuple[str, ...]
    max_slides: int = 10
    top_n: int = 5
    intro: dict[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = ("pptx", "onepager")
    department: str | None = None  # filter: only this department's seats and requests
    cadence: str = "monthly"  # how often the briefing goes out (for the plan's schedule)
    channels: tuple[str, ...] = ("deck", "onepager")
    owner: str = ""  # role that prepares it (a role, never a person)
    approver: str = ""  # role that signs it off
    department_in_name: bool = False  # --department: the outputs get the department in their name

    def with_department(self, department: str | None) -> Audience:
        if not department:
            return self
        return replace(self, department=department, department_in_name=True)

    def to_json(self) -> dict[str, Any]:
        """For scripts (`audiences --json`): what audiences.yaml says of it."""
        return {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in asdict(self).items()
            if k not in ("intro", "department_in_name")
        }


@dataclass(frozen=True)
class Settings:
    root: Path
    config_path: Path | None
    organisation: str
    currency: str
    language: str
    contact: Contact
    sources: tuple[Source, ...]
    inactive_days: int
    product_inactive_days: dict[str, int]
    seat_prices: dict[str, float]  # monthly price of one seat, per cloud product
    output: Path
    templates: Path
    audiences: dict[str, Audience]
    audiences_path: Path | None
    template: Path | None = None  # the company's deck template (.pptx or .potx)
    layout_names: dict[str, str] = field(default_factory=dict)  # role -> layout name in the template
    min_group_size: int = 5  # a group smaller than this is never shown on its own
    lead_time_target_days: int = 10
    lifecycle_text: dict[str, dict[str, str]] = field(default_factory=dict)  # step -> language -> text
    news_path: Path | None = None
    intranet_path: Path | None = None  # standing blocks of the intranet page
    history_path: Path = Path(".sambrief/history.sqlite")
    delivery: Any = None  # DeliverySettings from the `deliver:` section
    concept_path: Path | None = None  # free text of the internal-marketing concept (`sambrief plan`)
    limits: Limits = field(default_factory=Limits)  # size guards for exports (`limits:`; defaults in limits.py)
    brand: Brand | None = None  # `brand:`: recolours the packaged deck template, logo on title slide and one-pager

    @property
    def branded_template(self) -> bool:
        """The brand's colours and font apply to the packaged template only: a company's own
        template brings its own theme."""
        return self.brand is not None and self.deck_template.parent == Path(
            str(resources.files("sambrief") / "defaults")
        )

    @property
    def deck_template(self) -> Path:
        """The deck template: `template:` in sambrief.yaml, else templates/deck.pptx or .potx, else the packaged one."""
        if self.template is not None:
            return self.template
        for name in ("deck.pptx", "deck.potx"):
            candidate = self.templates / name
            if candidate.is_file():
                return candidate
        return Path(str(resources.files("sambrief") / "defaults" / PACKAGED_DECK_TEMPLATE))

    def inactive_days_for(self, product: str) -> int:
        return _lookup(self.product_inactive_days, product, self.inactive_days)

    def seat_price(self, product: str) -> float | None:
        """Monthly price; product names match case-insensitively (M365 writes them in capitals)."""
        return _lookup(self.seat_prices, product, None)


def _lookup(table: dict, product: str, default: Any) -> Any:
    if product in table:
        return table[product]
    folded = str(product).casefold()
    for key, value in table.items():
        if key.casefold() == folded:
            return value
    return default
