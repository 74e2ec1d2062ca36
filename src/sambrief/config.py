"""Workspace configuration: sambrief.yaml and the files it names -> typed, frozen objects.

The structure of every file is checked by its pydantic model (schema.py); what needs the
registries or the file system (datasets, layouts, themes, files) is checked here. Every
problem of every file is collected with file, line and key path and reported together.
Relative paths resolve against the file that names them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from sambrief.errors import ConfigError
from sambrief.layouts import SourcePin
from sambrief.limits import Limits
from sambrief.schema import CADENCES, CHANNELS, LANGUAGES, LIFECYCLE_STEPS, suggest  # noqa: F401 - re-exported
from sambrief.yamlfile import YamlDocument, read_yaml

CONFIG_NAME = "sambrief.yaml"
AUDIENCES_NAME = "audiences.yaml"


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

    def with_department(self, department: str | None) -> Audience:
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
    limits: Limits = field(default_factory=Limits)  # size guards for exports (`limits:`; defaults in limits.py)

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
    """Collects (key path, message) problems instead of stopping at the first; used by sections
    that check meaning beyond the schema (deliver.parse_delivery)."""

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


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


def _label(path: Path) -> str:
    """A file as the user would name it: relative to the current folder where it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class Problems:
    """Every problem of every configuration file, each with its file, line and key path."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str, int, str]] = []  # file order, file, line, "path: message"
        self._files: dict[str, int] = {}

    def add(self, doc: YamlDocument | None, loc: tuple[Any, ...], message: str, line: int | None = None) -> None:
        from sambrief.schema import path_text

        name = _label(doc.path) if doc else CONFIG_NAME
        order = self._files.setdefault(name, len(self._files))
        line = line or (doc.line_of(loc) if doc else 0)
        where = path_text(loc)
        self.entries.append((order, name, line, f"{where}: {message}" if where else message))

    def add_checker(self, doc: YamlDocument, check: _Checker) -> None:
        for problem in check.problems:
            where, _, message = problem.partition(": ")
            loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", where))
            self.add(doc, loc, message)

    def lines(self) -> list[str]:
        return [f"{name}:{line}: {text}" if line else f"{name}: {text}"
                for _, name, line, text in sorted(self.entries, key=lambda e: (e[0], e[2]))]

    def raise_if_any(self) -> None:
        if self.entries:
            raise ConfigError(self.lines())


def _structure(problems: Problems, doc: YamlDocument, model: type) -> Any:
    """Validate one file against its model; duplicate keys and schema problems go to `problems`."""
    from sambrief.schema import validate

    for path, line, first in doc.duplicates:
        problems.add(doc, path, f"duplicate key (first at line {first}); the later one would silently win, remove one", line)
    result, errors = validate(model, doc.data)
    for loc, message in errors:
        problems.add(doc, loc, message)
    return result


def load_file(path: Path, model: type) -> Any:
    """One configuration file validated against its schema model (news.yaml, intranet.yaml,
    concept.yaml); a ConfigError lists every problem with file, line and key path."""
    problems = Problems()
    doc = read_yaml(path, _label(path))
    if doc.data is not None and not isinstance(doc.data, dict):
        raise ConfigError([f"the top level must be a mapping, got {_kind(doc.data)}"], _label(path))
    result = _structure(problems, doc, model)
    problems.raise_if_any()
    return result


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path:
    """--config, else sambrief.yaml in the current folder or the nearest folder above it."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError([f"configuration file not found: {explicit}"])
        return explicit.resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(
        [f"no {CONFIG_NAME} in {cwd or Path.cwd()} or a folder above it; run `sambrief init DIR` to create a workspace or pass --config PATH"]
    )


def _optional_file(root: Path, setting: Any, default_name: str, key: str, doc: YamlDocument, problems: Problems) -> Path | None:
    if isinstance(setting, str) and setting:
        path = root / setting
        if not path.is_file():
            problems.add(doc, (key,), f"file not found: {path}")
            return None
        return path
    return root / default_name if (root / default_name).is_file() else None


def load_settings(config_path: Path) -> Settings:
    """Read and validate sambrief.yaml and every file it names (audiences, news, intranet,
    concept); raise one ConfigError listing every problem with file, line and key path."""
    from sambrief.schema import AudiencesFile, ConceptFile, IntranetFile, NewsFile, SambriefConfig

    doc = read_yaml(config_path, _label(config_path))
    raw = doc.data if doc.data is not None else {}
    if not isinstance(raw, dict):
        raise ConfigError([f"the top level must be a mapping of settings, got {_kind(raw)}"], _label(config_path))
    problems = Problems()
    model = _structure(problems, doc, SambriefConfig)
    _check_references(raw, doc, problems)
    root = config_path.parent
    language = str(raw["language"]) if raw.get("language") in LANGUAGES else "de"

    audiences_path = _optional_file(root, raw.get("audiences"), AUDIENCES_NAME, "audiences", doc, problems)
    if audiences_path is not None:
        aud_doc = read_yaml(audiences_path, _label(audiences_path))
    else:
        packaged = resources.files("sambrief") / "defaults" / AUDIENCES_NAME
        with resources.as_file(packaged) as packaged_path:
            aud_doc = read_yaml(packaged_path, "audiences.yaml (packaged)")
    aud_model = _structure(problems, aud_doc, AudiencesFile)
    audiences = _parse_audiences(aud_doc, aud_model, problems, language)

    news_path = _optional_file(root, raw.get("news"), "news.yaml", "news", doc, problems)
    intranet_path = _optional_file(root, raw.get("intranet"), "intranet.yaml", "intranet", doc, problems)
    concept_path = _optional_file(root, raw.get("concept"), "concept.yaml", "concept", doc, problems)
    if news_path is not None:
        news_doc = read_yaml(news_path, _label(news_path))
        _structure(problems, news_doc, NewsFile)
    for path, file_model in ((intranet_path, IntranetFile), (concept_path, ConceptFile)):
        if path is not None:
            _structure(problems, read_yaml(path, _label(path)), file_model)

    delivery = None
    deliver_raw = raw.get("deliver")
    if deliver_raw is not None and not any(e[3].startswith("deliver") for e in problems.entries if e[1] == _label(config_path)):
        from sambrief.deliver import parse_delivery

        check = _Checker()
        delivery = parse_delivery(deliver_raw, check)
        problems.add_checker(doc, check)

    problems.raise_if_any()
    assert model is not None  # every structural problem was raised above
    sources = tuple(Source(s.path, SourcePin(s.dataset, s.layout, s.sheet, dict(s.columns))) for s in model.sources)
    limits = Limits(**model.limits.model_dump(exclude_none=True))
    return Settings(
        root=root,
        config_path=config_path,
        organisation=model.organisation.strip(),
        currency=model.currency.upper(),
        language=model.language,
        contact=Contact(**model.contact.model_dump()) if model.contact else Contact(""),
        sources=sources,
        inactive_days=model.thresholds.inactive_days,
        product_inactive_days={p: t.inactive_days for p, t in model.thresholds.products.items() if t.inactive_days},
        seat_prices=dict(model.prices),
        output=root / model.output,
        templates=root / model.templates,
        audiences=audiences,
        audiences_path=audiences_path,
        template=root / model.template if model.template else None,
        layout_names=dict(model.layouts),
        min_group_size=model.privacy.min_group_size,
        lead_time_target_days=model.lifecycle.target_days,
        lifecycle_text={step: dict(texts) for step, texts in model.lifecycle.steps.items()},
        news_path=news_path,
        intranet_path=intranet_path,
        history_path=root / model.history,
        delivery=delivery,
        concept_path=concept_path,
        limits=limits,
    )


T = TypeVar("T", list, dict)

def _of_type(value: Any, kind: type[T]) -> T:
    """The value when it has the expected kind, else an empty one (the schema reports the wrong kind)."""
    return value if isinstance(value, kind) else kind()


def _check_references(raw: dict, doc: YamlDocument, problems: Problems) -> None:
    """What the schema cannot know: datasets, layouts, columns, roles, steps, files."""
    from sambrief.datasets import DATASETS
    from sambrief.layouts import registry
    from sambrief.render.template import ROLES

    root = doc.path.parent
    if raw.get("contact") is None:
        problems.add(doc, ("contact", "team"), "is required (the team named on the closing slide; a team, not a person)")
    layouts = registry()
    sources = _of_type(raw.get("sources"), list)
    for i, entry in enumerate(sources):
        if not isinstance(entry, dict):
            continue
        dataset, layout = entry.get("dataset"), entry.get("layout")
        if isinstance(dataset, str) and dataset not in DATASETS:
            problems.add(doc, ("sources", i, "dataset"), f"unknown dataset {dataset!r} (known: {', '.join(DATASETS)})")
            dataset = None
        if isinstance(layout, str) and layout not in layouts:
            near = [k for k in layouts if dataset is None or layouts[k].dataset == dataset]
            close = difflib.get_close_matches(layout, near, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.add(doc, ("sources", i, "layout"), f"unknown layout {layout!r} ({hint}known: {', '.join(near)})")
            layout = None
        elif isinstance(layout, str) and isinstance(dataset, str) and layouts[layout].dataset != dataset:
            problems.add(doc, ("sources", i, "layout"), f"layout {layout!r} reads {layouts[layout].dataset}, not {dataset}")
        columns = entry.get("columns")
        if not isinstance(columns, dict) or not columns:
            continue
        target = dataset if isinstance(dataset, str) else (layouts[layout].dataset if isinstance(layout, str) else None)
        if target is None:
            problems.add(doc, ("sources", i, "columns"), "needs `dataset:` (or `layout:`) so sambrief knows what the columns mean")
            continue
        for header, canonical in columns.items():
            if canonical not in DATASETS[target].field_names:
                problems.add(doc, ("sources", i, "columns", str(header)),
                             f"unknown column {canonical!r} for {target} {suggest(str(canonical), DATASETS[target].field_names)}")
    template = raw.get("template")
    if isinstance(template, str) and template:
        path = root / template
        if not path.is_file():
            problems.add(doc, ("template",), f"file not found: {path}")
        elif path.suffix.lower() not in (".pptx", ".potx"):
            problems.add(doc, ("template",), f"expected a .pptx or .potx file, got {path.name}")
    layout_names = _of_type(raw.get("layouts"), dict)
    for role, name in layout_names.items():
        if role not in ROLES:
            problems.add(doc, ("layouts", str(role)), f"unknown slide role {suggest(str(role), ROLES)}")
        elif isinstance(name, str) and not name.strip():
            problems.add(doc, ("layouts", str(role)), "expected the name of a layout in the template")
    lifecycle = _of_type(raw.get("lifecycle"), dict)
    steps = _of_type(lifecycle.get("steps"), dict)
    for step in steps:
        if step not in LIFECYCLE_STEPS:
            problems.add(doc, ("lifecycle", "steps", str(step)), f"unknown step {suggest(str(step), LIFECYCLE_STEPS)}")


def _parse_audiences(doc: YamlDocument, model: Any, problems: Problems, default_language: str) -> dict[str, Audience]:
    from sambrief.render import RENDERERS
    from sambrief.themes import THEMES

    formats_known = tuple(RENDERERS)  # the renderer registry says what can be written
    raw = doc.data.get("audiences") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        return {}
    for key, spec in raw.items():
        if not isinstance(spec, dict):
            continue
        base = ("audiences", str(key))
        themes = spec.get("themes")
        if not themes:
            problems.add(doc, (*base, "themes"), f"expected a list of themes (known: {', '.join(THEMES)})")
        for i, theme in enumerate(themes if isinstance(themes, list) else []):
            if theme not in THEMES:
                close = difflib.get_close_matches(str(theme), list(THEMES), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}? " if close else ""
                problems.add(doc, (*base, "themes", i), f"unknown theme {theme!r} ({hint}known: {', '.join(THEMES)})")
        formats = spec.get("formats")
        for i, fmt in enumerate(formats if isinstance(formats, list) else []):
            if fmt not in formats_known:
                problems.add(doc, (*base, "formats", i), f"unknown format {fmt!r} (known: {', '.join(formats_known)})")
        top_n = spec.get("top_n")
        if isinstance(top_n, int) and top_n > 5:
            problems.add(doc, (*base, "top_n"), f"at most 5 items fit a slide, got {top_n} (the full list goes to the notes)")
        for role_key in ("owner", "approver"):
            if "@" in str(spec.get(role_key, "")):
                problems.add(doc, (*base, role_key), "a role, not a person or mailbox (e.g. 'Lizenzmanagement', 'CIO')")
    if model is None:
        return {}
    out: dict[str, Audience] = {}
    for key, spec in model.audiences.items():
        title = dict(spec.title) if spec.title else {lang: key for lang in LANGUAGES}
        out[key] = Audience(
            key, title, spec.language or default_language, tuple(spec.themes), spec.max_slides, spec.top_n,
            dict(spec.intro), tuple(spec.formats or ["pptx", "onepager"]), spec.filter.department, spec.cadence,
            tuple(spec.channels), spec.owner, spec.approver,
        )
    return out
