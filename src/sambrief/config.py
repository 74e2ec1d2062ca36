"""Workspace configuration: sambrief.yaml and audiences.yaml -> typed, frozen objects.

Validated once, here; every problem is collected with its key path and reported together.
Relative paths resolve against the file that names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sambrief.errors import ConfigError
from sambrief.limits import DEFAULT_LIMITS, Limits
from sambrief.layouts import SourcePin

CONFIG_NAME = "sambrief.yaml"
AUDIENCES_NAME = "audiences.yaml"
LANGUAGES = ("de", "en")
CADENCES = ("weekly", "monthly", "quarterly", "yearly")
CHANNELS = ("deck", "onepager", "intranet", "newsflash", "mail")
LIFECYCLE_STEPS = ("request", "approval", "procurement", "provisioning", "use", "reharvest")


@dataclass(frozen=True)
class Source:
    pattern: str  # as written, relative to the workspace
    pin: SourcePin


@dataclass(frozen=True)
class Contact:
    team: str
    email: str = ""
    phone: str = ""
    url: str = ""


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

    def with_department(self, department: str | None) -> "Audience":
        if not department:
            return self
        from dataclasses import replace

        return replace(self, department=department, department_in_name=True)


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
    limits: Limits = field(default_factory=Limits)  # size guards for exports (`limits:`)

    def inactive_days_for(self, product: str) -> int:
        return _lookup(self.product_inactive_days, product, self.inactive_days)

    def seat_price(self, product: str) -> float | None:
        """Monthly price; product names match case-insensitively (M365 writes them in capitals)."""
        return _lookup(self.seat_prices, product, None)


def _lookup(table: dict, product: str, default):  # noqa: ANN001, ANN202
    if product in table:
        return table[product]
    folded = str(product).casefold()
    for key, value in table.items():
        if key.casefold() == folded:
            return value
    return default


class _Checker:
    """Collects (key path, message) problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping of keys to values, got {_kind(value)}")
            return {}
        return value

    def string(self, data: dict, key: str, path: str, default: str | None = None, required: bool = False) -> str | None:
        value = data.get(key, default)
        if value is None:
            if required:
                self.add(_join(path, key), "is required")
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(_join(path, key), f"expected text, got {_kind(value)}")
            return default
        return str(value)

    def integer(self, data: dict, key: str, path: str, default: int, minimum: int = 1) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(_join(path, key), f"expected a whole number, got {value!r}")
            return default
        if value < minimum:
            self.add(_join(path, key), f"must be at least {minimum}, got {value}")
            return default
        return value

    def choices(self, data: dict, key: str, path: str, options: tuple[str, ...], default: list[str], what: str) -> list[str]:
        """A list whose items must each be one of `options`; every bad item is reported by index."""
        value = data.get(key, default)
        if not isinstance(value, list):
            self.add(_join(path, key), f"expected a list of {what}s (known: {', '.join(options)})")
            return list(default)
        out = []
        for i, item in enumerate(value):
            if item not in options:
                self.add(f"{_join(path, key)}[{i}]", f"unknown {what} {item!r} (known: {', '.join(options)})")
            else:
                out.append(item)
        return out

    def choice(self, data: dict, key: str, path: str, options: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in options:
            self.add(_join(path, key), f"unknown value {value!r} (known: {', '.join(options)})")
            return default
        return value


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError([f"cannot be read ({exc.strerror})"], str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError(["is not UTF-8 text; save it as UTF-8"], str(path)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([f"{where}invalid YAML ({problem})"], str(path)) from None


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError([f"configuration file not found: {explicit}"])
        return explicit.resolve()
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    if candidate.is_file():
        return candidate.resolve()
    raise ConfigError(
        [f"no {CONFIG_NAME} in {cwd or Path.cwd()}; run `sambrief init DIR` to create a workspace or pass --config PATH"]
    )


def load_settings(config_path: Path) -> Settings:
    """Read and validate sambrief.yaml and its audiences; raise ConfigError listing every problem."""
    from sambrief.layouts import registry
    from sambrief.datasets import DATASETS

    raw = _read_yaml(config_path)
    check = _Checker()
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError([f"the top level must be a mapping of settings, got {_kind(raw)}"], str(config_path))
    root = config_path.parent
    known = {
        "organisation", "organization", "currency", "language", "contact", "sources", "thresholds",
        "prices", "output", "templates", "audiences", "privacy", "lifecycle", "news", "template", "layouts", "intranet",
        "history", "deliver", "concept", "limits",
    }
    for key in raw:
        if key not in known:
            check.add(str(key), f"unknown setting (known: {', '.join(sorted(known - {'organization'}))})")

    organisation = check.string(raw, "organisation", "", raw.get("organization", "")) or ""
    if not organisation.strip():
        check.add("organisation", "is required (the company name shown on the title slide)")
    currency = (check.string(raw, "currency", "", "EUR") or "EUR").upper()
    if len(currency) != 3 or not currency.isalpha():
        check.add("currency", f"expected a three-letter ISO code such as EUR, got {currency!r}")
    language = check.choice(raw, "language", "", LANGUAGES, "de")

    contact_raw = check.mapping(raw.get("contact"), "contact")
    contact = Contact(
        team=check.string(contact_raw, "team", "contact", "") or "",
        email=check.string(contact_raw, "email", "contact", "") or "",
        phone=check.string(contact_raw, "phone", "contact", "") or "",
        url=check.string(contact_raw, "url", "contact", "") or "",
    )
    if not contact.team:
        check.add("contact.team", "is required (the team named on the closing slide; a team, not a person)")

    layouts = registry()
    sources: list[Source] = []
    raw_sources = raw.get("sources")
    if raw_sources is None:
        check.add("sources", "is required: a list of export paths or globs, e.g. `- data/*.csv`")
        raw_sources = []
    elif not isinstance(raw_sources, list):
        check.add("sources", f"expected a list of paths or globs, got {_kind(raw_sources)}")
        raw_sources = []
    for i, entry in enumerate(raw_sources):
        path = _join("sources", i)
        if isinstance(entry, str):
            sources.append(Source(entry, SourcePin()))
            continue
        if not isinstance(entry, dict):
            check.add(path, f"expected a path or a mapping with `path:`, got {_kind(entry)}")
            continue
        for key in entry:
            if key not in ("path", "dataset", "layout", "sheet", "columns"):
                check.add(_join(path, key), "unknown key (known: path, dataset, layout, sheet, columns)")
        pattern = check.string(entry, "path", path, required=True)
        dataset = check.string(entry, "dataset", path)
        if dataset is not None and dataset not in DATASETS:
            check.add(_join(path, "dataset"), f"unknown dataset {dataset!r} (known: {', '.join(DATASETS)})")
        layout = check.string(entry, "layout", path)
        if layout is not None and layout not in layouts:
            near = [k for k in layouts if dataset is None or layouts[k].dataset == dataset]
            check.add(_join(path, "layout"), f"unknown layout {layout!r} (known: {', '.join(near)})")
        elif layout and dataset and layouts[layout].dataset != dataset:
            check.add(_join(path, "layout"), f"layout {layout!r} reads {layouts[layout].dataset}, not {dataset}")
        sheet = check.string(entry, "sheet", path)
        columns_raw = check.mapping(entry.get("columns"), _join(path, "columns"))
        columns: dict[str, str] = {}
        target = dataset or (layouts[layout].dataset if layout in layouts else None)
        if columns_raw and target is None:
            check.add(_join(path, "columns"), "needs `dataset:` (or `layout:`) so sambrief knows what the columns mean")
        for header, canonical in columns_raw.items():
            if target and target in DATASETS and canonical not in DATASETS[target].field_names:
                check.add(
                    _join(_join(path, "columns"), str(header)),
                    f"unknown column {canonical!r} for {target} (known: {', '.join(DATASETS[target].field_names)})",
                )
            columns[str(header)] = str(canonical)
        if pattern:
            sources.append(Source(pattern, SourcePin(dataset, layout, sheet, columns)))

    thresholds = check.mapping(raw.get("thresholds"), "thresholds")
    inactive_days = check.integer(thresholds, "inactive_days", "thresholds", 90)
    product_days: dict[str, int] = {}
    per_product = check.mapping(thresholds.get("products"), "thresholds.products")
    for product, spec in per_product.items():
        spec_map = check.mapping(spec, f"thresholds.products.{product}")
        if "inactive_days" in spec_map:
            product_days[str(product)] = check.integer(spec_map, "inactive_days", f"thresholds.products.{product}", 90)
    prices: dict[str, float] = {}
    for product, price in check.mapping(raw.get("prices"), "prices").items():
        if isinstance(price, bool) or not isinstance(price, (int, float)) or price < 0:
            check.add(f"prices.{product}", f"expected a monthly price per seat (a number >= 0), got {price!r}")
        else:
            prices[str(product)] = float(price)

    privacy = check.mapping(raw.get("privacy"), "privacy")
    min_group_size = check.integer(privacy, "min_group_size", "privacy", 5, minimum=2)
    lifecycle = check.mapping(raw.get("lifecycle"), "lifecycle")
    target_days = check.integer(lifecycle, "target_days", "lifecycle", 10)
    lifecycle_text: dict[str, dict[str, str]] = {}
    for step, texts in check.mapping(lifecycle.get("steps"), "lifecycle.steps").items():
        if step not in LIFECYCLE_STEPS:
            check.add(f"lifecycle.steps.{step}", f"unknown step (known: {', '.join(LIFECYCLE_STEPS)})")
            continue
        if isinstance(texts, str):
            texts = {lang: texts for lang in LANGUAGES}
        lifecycle_text[step] = {str(k): str(v) for k, v in check.mapping(texts, f"lifecycle.steps.{step}").items()}
    news_setting = check.string(raw, "news", "", None)
    news_path = root / news_setting if news_setting else (root / "news.yaml" if (root / "news.yaml").is_file() else None)
    if news_setting and not news_path.is_file():
        check.add("news", f"file not found: {news_path}")
        news_path = None

    template_setting = check.string(raw, "template", "")
    template = root / template_setting if template_setting else None
    if template is not None and not template.is_file():
        check.add("template", f"file not found: {template}")
    elif template is not None and template.suffix.lower() not in (".pptx", ".potx"):
        check.add("template", f"expected a .pptx or .potx file, got {template.name}")
    from sambrief.render.template import ROLES

    layout_names: dict[str, str] = {}
    for role, name in check.mapping(raw.get("layouts"), "layouts").items():
        if role not in ROLES:
            check.add(f"layouts.{role}", f"unknown slide role (known: {', '.join(ROLES)})")
        elif not isinstance(name, str) or not name.strip():
            check.add(f"layouts.{role}", "expected the name of a layout in the template")
        else:
            layout_names[role] = name

    intranet_setting = check.string(raw, "intranet", "", None)
    intranet_path = root / intranet_setting if intranet_setting else (root / "intranet.yaml" if (root / "intranet.yaml").is_file() else None)
    if intranet_setting and not intranet_path.is_file():
        check.add("intranet", f"file not found: {intranet_path}")
        intranet_path = None

    concept_setting = check.string(raw, "concept", "", None)
    concept_path = root / concept_setting if concept_setting else (root / "concept.yaml" if (root / "concept.yaml").is_file() else None)
    if concept_setting and not concept_path.is_file():
        check.add("concept", f"file not found: {concept_path}")
        concept_path = None
    limits_raw = check.mapping(raw.get("limits"), "limits")
    for key in limits_raw:
        if key not in Limits.keys():
            check.add(_join("limits", str(key)), f"unknown limit (known: {', '.join(Limits.keys())})")
    limits = Limits(**{key: check.integer(limits_raw, key, "limits", getattr(DEFAULT_LIMITS, key)) for key in Limits.keys()})
    from sambrief.deliver import parse_delivery

    delivery = parse_delivery(raw.get("deliver"), check)

    output = root / (check.string(raw, "output", "", "out") or "out")
    templates = root / (check.string(raw, "templates", "", "templates") or "templates")

    audiences_path: Path | None
    aud_setting = raw.get("audiences")
    if isinstance(aud_setting, str):
        audiences_path = root / aud_setting
        if not audiences_path.is_file():
            check.add("audiences", f"file not found: {audiences_path}")
            audiences_path = None
    elif aud_setting is not None:
        check.add("audiences", f"expected the path of an audiences file, got {_kind(aud_setting)}")
        audiences_path = None
    else:
        audiences_path = root / AUDIENCES_NAME if (root / AUDIENCES_NAME).is_file() else None
    if audiences_path is not None:
        aud_raw = _read_yaml(audiences_path)
        aud_label = AUDIENCES_NAME if audiences_path.name == AUDIENCES_NAME else str(audiences_path.name)
    else:
        aud_raw = yaml.safe_load((resources.files("sambrief") / "defaults" / AUDIENCES_NAME).read_text("utf-8"))
        aud_label = "audiences"
    audiences = _parse_audiences(aud_raw, check, language, aud_label)

    if check.problems:
        raise ConfigError(check.problems, str(config_path))
    return Settings(
        root=root,
        config_path=config_path,
        organisation=organisation.strip(),
        currency=currency,
        language=language,
        contact=contact,
        sources=tuple(sources),
        inactive_days=inactive_days,
        product_inactive_days=product_days,
        seat_prices=prices,
        output=output,
        templates=templates,
        audiences=audiences,
        audiences_path=audiences_path,
        template=template,
        layout_names=layout_names,
        min_group_size=min_group_size,
        lead_time_target_days=target_days,
        lifecycle_text=lifecycle_text,
        news_path=news_path,
        intranet_path=intranet_path,
        history_path=root / (check.string(raw, "history", "", ".sambrief/history.sqlite") or ".sambrief/history.sqlite"),
        delivery=delivery,
        concept_path=concept_path,
        limits=limits,
    )


def _parse_audiences(raw: Any, check: _Checker, default_language: str, label: str) -> dict[str, Audience]:
    from sambrief.render import RENDERERS
    from sambrief.themes import THEMES

    FORMATS = tuple(RENDERERS)  # noqa: N806 - the renderer registry says what can be written

    if not isinstance(raw, dict) or not isinstance(raw.get("audiences"), dict) or not raw["audiences"]:
        check.add(label, "expected `audiences:` with at least one audience (e.g. management)")
        return {}
    base = "audiences"
    out: dict[str, Audience] = {}
    for key, spec in raw["audiences"].items():
        path = f"{base}.{key}"
        spec = check.mapping(spec, path)
        if not spec:
            continue
        allowed = {"title", "language", "themes", "max_slides", "top_n", "intro", "formats", "filter",
                   "cadence", "channels", "owner", "approver"}
        for k in spec:
            if k not in allowed:
                check.add(_join(path, k), f"unknown key (known: {', '.join(sorted(allowed))})")
        title = spec.get("title", key)
        if isinstance(title, str):
            title = {lang: title for lang in LANGUAGES}
        elif isinstance(title, dict):
            title = {str(k): str(v) for k, v in title.items()}
        else:
            check.add(_join(path, "title"), f"expected text or a mapping per language, got {_kind(title)}")
            title = {}
        intro = spec.get("intro", {})
        if isinstance(intro, str):
            intro = {lang: intro for lang in LANGUAGES}
        language = check.choice(spec, "language", path, LANGUAGES, default_language)
        if not spec.get("themes"):
            check.add(_join(path, "themes"), f"expected a list of themes (known: {', '.join(THEMES)})")
        themes = check.choices(spec, "themes", path, tuple(THEMES), [], "theme") if spec.get("themes") else []
        max_slides = check.integer(spec, "max_slides", path, 10, minimum=4)
        top_n = check.integer(spec, "top_n", path, 5, minimum=1)
        if top_n > 5:
            check.add(_join(path, "top_n"), f"at most 5 items fit a slide, got {top_n} (the full list goes to the notes)")
            top_n = 5
        formats = check.choices(spec, "formats", path, FORMATS, ["pptx", "onepager"], "format")
        filt = check.mapping(spec.get("filter"), _join(path, "filter"))
        for k in filt:
            if k != "department":
                check.add(_join(_join(path, "filter"), k), "unknown filter (known: department)")
        department = check.string(filt, "department", _join(path, "filter"))
        cadence = check.choice(spec, "cadence", path, CADENCES, "monthly")
        channels = check.choices(spec, "channels", path, CHANNELS, ["deck", "onepager"], "channel")
        roles = {}
        for role_key in ("owner", "approver"):
            value = check.string(spec, role_key, path, "") or ""
            if "@" in value:
                check.add(_join(path, role_key), "a role, not a person or mailbox (e.g. 'Lizenzmanagement', 'CIO')")
            roles[role_key] = value
        out[str(key)] = Audience(
            str(key), title, language, tuple(themes), max_slides, top_n, dict(intro or {}),
            tuple(formats or ["pptx", "onepager"]), department, cadence, tuple(channels), roles["owner"], roles["approver"],
        )
    return out
