"""The schema of every configuration file: sambrief.yaml, audiences.yaml, news.yaml,
intranet.yaml and concept.yaml, as pydantic models.

The models check structure and types (unknown keys at every depth, whole numbers, choices);
workspace.py adds what needs the registries or the file system (known themes, layouts, files);
wording.py turns errors into the tool's own one-line wording with the key path and the closest
known key. Numbers may be written the German way (`33,70`, `"1.234,50"`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from sambrief.channels import CHANNELS as CHANNEL_REGISTRY
from sambrief.i18n.notices import Notice
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.layouts import registry
from sambrief.ingest.parsing import parse_date, parse_number
from sambrief.names import LANGUAGES, SLIDE_ROLES

CADENCES = ("weekly", "monthly", "quarterly", "yearly")
CHANNELS = tuple(CHANNEL_REGISTRY)  # the channel registry's names (channels.py)
LIFECYCLE_STEPS = ("request", "approval", "procurement", "provisioning", "use", "reharvest")
LIMIT_KEYS = ("file_mb", "sheet_xml_mb", "cells", "rows", "columns")


def _number(what: str, minimum: float | None = None, strictly: bool = False, whole: bool = False):
    def validate(value: Any) -> float | int:
        number = parse_number(value)  # 33.7, 33,70, '1.234,50', '1 234,5' (a comma is the decimal mark)
        bad = number is None or (whole and number != int(number))
        if not bad and number is not None and minimum is not None:
            bad = number <= minimum if strictly else number < minimum
        if bad or number is None:
            raise PydanticCustomError(
                "sambrief_cfg_expected_got",
                "expected {expected}, got {got}",
                {"expected": Notice(f"cfg_expected_{what}"), "got": repr(value)},
            )
        return int(number) if whole else number

    return BeforeValidator(validate)


def _text(value: Any) -> Any:
    # `phone: 0301234` or `sheet: 2026` are meant as text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _per_language(value: Any) -> Any:
    # `title: Lagebild` means the same text in both languages
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {lang: str(value) for lang in LANGUAGES}
    return value


def _source_entry(value: Any) -> Any:
    return {"path": value} if isinstance(value, str) else value


def _comma_list(value: Any) -> Any:
    return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


def _a_date(value: Any) -> date:

    if value is None or value == "":
        raise PydanticCustomError("sambrief_cfg_required_date", "is required (YYYY-MM-DD)")
    try:
        return parse_date(value)
    except (ValueError, TypeError, OverflowError):
        raise PydanticCustomError("sambrief_cfg_not_a_date", "not a date", {"value": repr(value)}) from None


def _non_blank(what: str = ""):
    """Required and not blank; `what` names the notice cfg_required_<what> that says what belongs there."""
    key = f"sambrief_cfg_required_{what}" if what else "sambrief_cfg_required"

    def validate(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise PydanticCustomError(key, "is required")
        return value

    return BeforeValidator(validate)


Text = Annotated[str, BeforeValidator(_text)]
PerLanguage = Annotated[dict[Literal["de", "en"], Text], BeforeValidator(_per_language)]
Days = Annotated[int, Field(ge=1)]
# `what` names the notice cfg_expected_<what> that says what is expected, in the user's language.
Price = Annotated[float, _number("price", minimum=0)]
PositiveNumber = Annotated[float, _number("positive_number", minimum=0, strictly=True)]
PositiveCount = Annotated[int, _number("positive_count", minimum=0, strictly=True, whole=True)]
Date = Annotated[date, BeforeValidator(_a_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContactModel(Strict):
    team: Annotated[Text, _non_blank("team")] = Field(
        description="team named on the closing slide: a team, not a person"
    )
    email: Text = ""
    phone: Text = ""
    url: Text = ""


HexColour = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{6}$", description="hex colour, e.g. '#0B5CAD'")]
# A font family's name as the decks' theme and the pages' CSS name it: letters, digits, spaces,
# dots and hyphens (no quote, semicolon or angle bracket that could end a CSS value or a <style>).
FontName = Annotated[
    Text, Field(pattern=r"^\w[\w .\-]*$", max_length=60, description="font family, e.g. 'Source Sans 3'")
]


class BrandModel(Strict):
    """The organisation's brand for the packaged deck template, the one-pager and the intranet page."""

    primary: HexColour = Field(description="main colour: title band, bars, charts (hex, e.g. '#0B5CAD')")
    accent: HexColour | None = Field(None, description="second colour: highlights and the accent stripe (hex)")
    logo: Text | None = Field(None, description="logo file (PNG or SVG), relative to sambrief.yaml")
    font: FontName | None = Field(
        None,
        description="typeface for headings and text (installed where the decks are opened and "
        "where the one-pager's PDF is made; the pages fall back to Carlito, Calibri, Arial)",
    )


class SourceModel(Strict):
    path: Text = Field(description="path or glob relative to sambrief.yaml; `{period}` stands for YYYY-MM")
    dataset: Text | None = Field(None, description="canonical dataset the file holds")
    layout: Text | None = Field(None, description="vendor layout key (see `sambrief inspect`)")
    sheet: Text | None = Field(None, description="worksheet to read")
    columns: dict[Text, Text] = Field(default_factory=dict, description="source header -> canonical field")


class ProductThresholdModel(Strict):
    inactive_days: Days | None = None


class ThresholdsModel(Strict):
    inactive_days: Days = Field(90, description="a seat without use for this many days is idle")
    products: dict[Text, ProductThresholdModel] = Field(default_factory=dict)


class PrivacyModel(Strict):
    min_group_size: Annotated[int, Field(ge=2)] = 5


class LifecycleModel(Strict):
    target_days: Days = 10
    steps: dict[Text, PerLanguage] = Field(default_factory=dict)


class SmtpModel(Strict):
    host: Text | None = None
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    starttls: bool = False
    ssl: bool = False
    user: Text = ""
    password: Text | None = Field(None, description="never: name an environment variable in password_env")
    password_env: Text = "SAMBRIEF_SMTP_PASSWORD"
    sender: Text | None = None
    timeout: Annotated[int, Field(ge=1)] = 30


class WebhookModel(Strict):
    webhook_env: Text | None = Field(None, description="environment variable holding the webhook URL (a secret)")
    webhook_file: Text | None = Field(None, description="file outside the workspace holding the webhook URL (a secret)")
    webhook: Text | None = Field(
        None, description="never: name an environment variable in webhook_env or a file in webhook_file"
    )
    url: Text | None = Field(
        None, description="never: name an environment variable in webhook_env or a file in webhook_file"
    )
    link: Text = Field(
        description="https:// (SharePoint) or file:// (share) address of the audience's files; {period} and "
        "{audience} are filled in"
    )


class FolderModel(Strict):
    path: Text = Field(description="folder on a share; each audience's files go to <path>/<period>/<audience>/")


def _folder_entry(value: Any) -> Any:
    return {"path": value} if isinstance(value, str) else value


class DeliverModel(Strict):
    smtp: SmtpModel | None = None
    recipients: dict[Text, Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]] = Field(
        default_factory=dict
    )
    subject: dict[Text, Text] = Field(default_factory=dict)
    body: dict[Text, Text] = Field(default_factory=dict)
    teams: dict[Text, WebhookModel] = Field(default_factory=dict, description="per audience: a Teams Workflows webhook")
    slack: dict[Text, WebhookModel] = Field(default_factory=dict, description="per audience: a Slack incoming webhook")
    folder: dict[Text, Annotated[FolderModel, BeforeValidator(_folder_entry)]] = Field(
        default_factory=dict, description="per audience: a folder on a share the files are copied to"
    )


class LimitsModel(Strict):
    file_mb: PositiveNumber | None = Field(None, description="largest export file read, in MB")
    sheet_xml_mb: PositiveNumber | None = Field(None, description="largest unpacked worksheet, in MB")
    cells: PositiveCount | None = Field(None, description="most cells read from one sheet")
    rows: PositiveCount | None = Field(None, description="most rows read from one file")
    columns: PositiveCount | None = Field(None, description="most columns read from one file")


class SambriefConfig(Strict):
    """sambrief.yaml"""

    model_config = ConfigDict(extra="forbid", frozen=True, title="sambrief.yaml")

    organisation: Annotated[Text, _non_blank("organisation")] = Field(
        validation_alias=AliasChoices("organisation", "organization"), description="company name for the title slide"
    )
    currency: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")] = Field("EUR", description="ISO 4217 code")
    language: Literal["de", "en"] = "de"
    contact: ContactModel | None = None
    sources: list[Annotated[SourceModel, BeforeValidator(_source_entry)]] = Field(
        description="export paths or globs, or mappings with path and optionally dataset, layout, sheet, columns"
    )
    thresholds: ThresholdsModel = Field(default_factory=ThresholdsModel)
    prices: dict[Text, Price] = Field(default_factory=dict, description="monthly price of one seat per cloud product")
    output: Text = "out"
    templates: Text = "templates"
    template: Text | None = Field(None, description="the company's deck template (.pptx or .potx)")
    layouts: dict[Text, Text] = Field(default_factory=dict, description="slide role -> layout name in the template")
    brand: BrandModel | None = Field(
        None, description="colours, logo and font where there is no corporate deck template"
    )
    audiences: Text | None = Field(None, description="path of the audiences file (default audiences.yaml)")
    news: Text | None = None
    intranet: Text | None = None
    concept: Text | None = None
    history: Text = ".sambrief/history.sqlite"
    lifecycle: LifecycleModel = Field(default_factory=LifecycleModel)
    privacy: PrivacyModel = Field(default_factory=PrivacyModel)
    deliver: DeliverModel | None = None
    limits: LimitsModel = Field(default_factory=LimitsModel, description="size guards for reading exports")


class FilterModel(Strict):
    department: Text | None = None


class AudienceModel(Strict):
    title: PerLanguage | None = None
    language: Literal["de", "en"] | None = None
    themes: list[Text] = Field(default_factory=list)
    max_slides: Annotated[int, Field(ge=4)] = 10
    top_n: Annotated[int, Field(ge=1)] = 5
    intro: PerLanguage = Field(default_factory=dict)
    formats: list[Text] | None = None
    filter: FilterModel = Field(default_factory=FilterModel)
    cadence: Literal["weekly", "monthly", "quarterly", "yearly"] = "monthly"
    channels: list[Text] = ["deck", "onepager"]  # checked against the channel registry in config.py
    owner: Text = ""
    approver: Text = ""


class AudiencesFile(Strict):
    """audiences.yaml"""

    audiences: Annotated[dict[Text, AudienceModel], Field(min_length=1)]


class NewsItemModel(Strict):
    date: Date
    title: Annotated[Text, _non_blank()]
    text: Text = ""
    audiences: Annotated[list[Text], BeforeValidator(_comma_list)] = Field(default_factory=list)
    valid_until: Date | None = None


class NewsFile(Strict):
    """news.yaml"""

    items: list[NewsItemModel] = Field(default_factory=list)


class BlockModel(Strict):
    title: Annotated[Text, _non_blank()]
    text: Text = ""


class IntranetFile(Strict):
    """intranet.yaml"""

    blocks: list[BlockModel]


class ConceptFile(Strict):
    """concept.yaml"""

    goals: dict[Literal["de", "en"], list[Text]] = Field(default_factory=dict)
    supporters: dict[Text, PerLanguage] = Field(default_factory=dict)
    schedule_day: Annotated[int, Field(ge=1, le=28)] = 3


def config_json_schema() -> dict[str, Any]:
    """JSON Schema of sambrief.yaml for editors (shipped as defaults/sambrief.schema.json)."""

    schema = SambriefConfig.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    props, defs = schema["properties"], schema["$defs"]
    props["organization"] = {"type": "string", "description": "same as organisation"}
    props["sources"]["items"] = {"anyOf": [{"type": "string"}, props["sources"]["items"]]}
    number = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^\s*\d[\d. ]*(,\d+)?\s*$"}]}
    props["prices"]["additionalProperties"] = number
    source = defs["SourceModel"]["properties"]
    source["dataset"] = {"enum": list(DATASETS), "description": source["dataset"]["description"]}
    source["layout"] = {"enum": sorted(registry()), "description": source["layout"]["description"]}
    props["layouts"]["propertyNames"] = {"enum": list(SLIDE_ROLES)}
    defs["LifecycleModel"]["properties"]["steps"]["propertyNames"] = {"enum": list(LIFECYCLE_STEPS)}
    per_language = defs["LifecycleModel"]["properties"]["steps"]["additionalProperties"]
    defs["LifecycleModel"]["properties"]["steps"]["additionalProperties"] = {
        "anyOf": [{"type": "string"}, per_language]
    }
    folder = defs["DeliverModel"]["properties"]["folder"]
    folder["additionalProperties"] = {
        "anyOf": [{"type": "string"}, folder["additionalProperties"]]
    }  # `management: /mnt/share`
    return schema
