"""Workspace configuration: sambrief.yaml and the files it names -> typed, frozen Settings.

The structure of every file is checked by its pydantic model (schema.py) and read by
loading.py; what needs the registries or the file system (datasets, export layouts, topics,
formats, slide roles, files) is checked here, so config sits above the registries and
imports them; the types it produces live in settings.py, below everything that uses them.
Finding sambrief.yaml is discovery.py. Every problem of every file is collected with file,
line and key path and reported together. Relative paths resolve against the file that names them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from sambrief.config.delivery import parse_delivery
from sambrief.config.discovery import find_config
from sambrief.config.loading import CONFIG_NAME, Checker, Problems, file_label, kind_of, load_file, validate_into
from sambrief.config.schema import (
    CADENCES,
    CHANNELS,
    LANGUAGES,
    LIFECYCLE_STEPS,
    AudiencesFile,
    ConceptFile,
    IntranetFile,
    NewsFile,
    SambriefConfig,
)
from sambrief.config.settings import Audience, Brand, Contact, Settings
from sambrief.config.wording import suggest
from sambrief.errors import ConfigError
from sambrief.i18n.notices import Notice, unknown
from sambrief.i18n.theme_files import theme_names
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.layouts import SourcePin, registry
from sambrief.ingest.limits import Limits
from sambrief.ingest.sources import Source
from sambrief.names import SLIDE_ROLES as ROLES
from sambrief.packaged import module_names
from sambrief.yamlfile import YamlDocument, read_yaml

# Re-exported: callers and tests import these from sambrief.config.workspace.
__all__ = [
    "AUDIENCES_NAME",
    "CADENCES",
    "CHANNELS",
    "CONFIG_NAME",
    "LANGUAGES",
    "LIFECYCLE_STEPS",
    "Audience",
    "Contact",
    "Settings",
    "Source",
    "find_config",
    "load_file",
    "load_settings",
    "open_workspace",
]

AUDIENCES_NAME = "audiences.yaml"


def _optional_file(
    root: Path, setting: Any, default_name: str, key: str, doc: YamlDocument, problems: Problems
) -> Path | None:
    if isinstance(setting, str) and setting:
        path = root / setting
        if not path.is_file():
            problems.add(doc, (key,), Notice("cfg_file_not_found", path=str(path)))
            return None
        return path
    return root / default_name if (root / default_name).is_file() else None


def open_workspace(explicit: Path | None) -> Settings:
    """The command's workspace: sambrief.yaml from --config, or found upwards from the current
    folder, read and validated once; the one way a command loads its configuration."""
    return load_settings(find_config(explicit))


def load_settings(config_path: Path) -> Settings:
    """Read and validate sambrief.yaml and every file it names (audiences, news, intranet,
    concept); raise one ConfigError listing every problem with file, line and key path."""

    doc = read_yaml(config_path, file_label(config_path))
    raw = doc.data if doc.data is not None else {}
    if not isinstance(raw, dict):
        raise ConfigError([Notice("cfg_top_level", got=kind_of(raw))], file_label(config_path))
    problems = Problems()
    model = validate_into(problems, doc, SambriefConfig)
    _check_references(raw, doc, problems)
    root = config_path.parent
    language = str(raw["language"]) if raw.get("language") in LANGUAGES else "de"

    audiences_path = _optional_file(root, raw.get("audiences"), AUDIENCES_NAME, "audiences", doc, problems)
    if audiences_path is not None:
        aud_doc = read_yaml(audiences_path, file_label(audiences_path))
    else:
        packaged = resources.files("sambrief") / "defaults" / AUDIENCES_NAME
        with resources.as_file(packaged) as packaged_path:
            aud_doc = read_yaml(packaged_path, "audiences.yaml (packaged)")
    aud_model = validate_into(problems, aud_doc, AudiencesFile)
    audiences = _parse_audiences(aud_doc, aud_model, problems, language)

    news_path = _optional_file(root, raw.get("news"), "news.yaml", "news", doc, problems)
    intranet_path = _optional_file(root, raw.get("intranet"), "intranet.yaml", "intranet", doc, problems)
    concept_path = _optional_file(root, raw.get("concept"), "concept.yaml", "concept", doc, problems)
    if news_path is not None:
        news_doc = read_yaml(news_path, file_label(news_path))
        validate_into(problems, news_doc, NewsFile)
    for path, file_model in ((intranet_path, IntranetFile), (concept_path, ConceptFile)):
        if path is not None:
            validate_into(problems, read_yaml(path, file_label(path)), file_model)

    delivery = None
    deliver_raw = raw.get("deliver")
    if deliver_raw is not None and not any(
        e[3].startswith("deliver") for e in problems.entries if e[1] == file_label(config_path)
    ):
        check = Checker()
        delivery = parse_delivery(deliver_raw, check, root)
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
        brand=_brand(model.brand, root),
    )


def _brand(model: Any, root: Path) -> Brand | None:
    if model is None:
        return None
    accent = model.accent.lstrip("#").upper() if model.accent else None
    return Brand(
        model.primary.lstrip("#").upper(), accent, root / model.logo if model.logo else None, model.font or None
    )


T = TypeVar("T", list, dict)


def _of_type(value: Any, kind: type[T]) -> T:
    """The value when it has the expected kind, else an empty one (the schema reports the wrong kind)."""
    return value if isinstance(value, kind) else kind()


def _logo_problem(path: Path, written: str) -> Notice | None:
    """What is wrong with a logo file, None when it is a PNG or an SVG (read by its content)."""
    if path.suffix.lower() not in (".png", ".svg"):
        return Notice("cfg_logo_kind", file=written)
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return Notice("cfg_logo_missing", file=written)
    if path.suffix.lower() == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Notice("cfg_logo_not_image", file=written, kind="PNG")
    if path.suffix.lower() == ".svg" and b"<svg" not in head:
        return Notice("cfg_logo_not_image", file=written, kind="SVG")
    return None


def _check_references(raw: dict, doc: YamlDocument, problems: Problems) -> None:
    """What the schema cannot know: datasets, layouts, columns, roles, steps, files."""
    root = doc.path.parent
    if raw.get("contact") is None:
        problems.add(doc, ("contact", "team"), Notice("cfg_required_team"))
    brand = raw.get("brand")
    logo = brand.get("logo") if isinstance(brand, dict) else None
    if isinstance(logo, str) and logo.strip():
        problem = _logo_problem(root / logo, logo)
        if problem:
            problems.add(doc, ("brand", "logo"), problem)
    layouts = registry()
    sources = _of_type(raw.get("sources"), list)
    for i, entry in enumerate(sources):
        if not isinstance(entry, dict):
            continue
        dataset, layout = entry.get("dataset"), entry.get("layout")
        if isinstance(dataset, str) and dataset not in DATASETS:
            problems.add(
                doc,
                ("sources", i, "dataset"),
                Notice("cfg_unknown_dataset", value=repr(dataset), known=", ".join(DATASETS)),
            )
            dataset = None
        if isinstance(layout, str) and layout not in layouts:
            near = [k for k in layouts if dataset is None or layouts[k].dataset == dataset]
            problems.add(
                doc,
                ("sources", i, "layout"),
                unknown("cfg_unknown_layout", layout, near, value=repr(layout), known=", ".join(near)),
            )
            layout = None
        elif isinstance(layout, str) and isinstance(dataset, str) and layouts[layout].dataset != dataset:
            problems.add(
                doc,
                ("sources", i, "layout"),
                Notice("cfg_layout_dataset", layout=repr(layout), reads=layouts[layout].dataset, dataset=dataset),
            )
        columns = entry.get("columns")
        if not isinstance(columns, dict) or not columns:
            continue
        target = dataset if isinstance(dataset, str) else (layouts[layout].dataset if isinstance(layout, str) else None)
        if target is None:
            problems.add(doc, ("sources", i, "columns"), Notice("cfg_columns_need_dataset"))
            continue
        for header, canonical in columns.items():
            if canonical not in DATASETS[target].field_names:
                problems.add(
                    doc,
                    ("sources", i, "columns", str(header)),
                    Notice(
                        "cfg_unknown_column",
                        value=repr(canonical),
                        dataset=target,
                        hint=suggest(str(canonical), DATASETS[target].field_names),
                    ),
                )
    template = raw.get("template")
    if isinstance(template, str) and template:
        path = root / template
        if not path.is_file():
            problems.add(doc, ("template",), Notice("cfg_file_not_found", path=str(path)))
        elif path.suffix.lower() not in (".pptx", ".potx"):
            problems.add(doc, ("template",), Notice("cfg_template_kind", name=path.name))
    layout_names = _of_type(raw.get("layouts"), dict)
    for role, name in layout_names.items():
        if role not in ROLES:
            problems.add(doc, ("layouts", str(role)), Notice("cfg_unknown_role", hint=suggest(str(role), ROLES)))
        elif isinstance(name, str) and not name.strip():
            problems.add(doc, ("layouts", str(role)), Notice("cfg_layout_name"))
    lifecycle = _of_type(raw.get("lifecycle"), dict)
    steps = _of_type(lifecycle.get("steps"), dict)
    for step in steps:
        if step not in LIFECYCLE_STEPS:
            problems.add(
                doc,
                ("lifecycle", "steps", str(step)),
                Notice("cfg_unknown_step", hint=suggest(str(step), LIFECYCLE_STEPS)),
            )


def output_formats() -> tuple[str, ...]:
    """The output formats an audience may name: one module each in render/outputs/ (it registers
    itself there), known by the module files' names so that configuration imports no renderer."""
    return module_names("render", "outputs")


def _parse_audiences(doc: YamlDocument, model: Any, problems: Problems, default_language: str) -> dict[str, Audience]:
    formats_known = output_formats()
    themes_known = theme_names()  # the themes' own files: their names without importing a theme (and pandas)
    raw = doc.data.get("audiences") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        return {}
    for key, spec in raw.items():
        if not isinstance(spec, dict):
            continue
        base = ("audiences", str(key))
        themes = spec.get("themes")
        if not themes:
            problems.add(doc, (*base, "themes"), Notice("cfg_themes_list", known=", ".join(themes_known)))
        for i, theme in enumerate(themes if isinstance(themes, list) else []):
            if theme not in themes_known:
                problems.add(
                    doc,
                    (*base, "themes", i),
                    unknown("cfg_unknown_theme", theme, themes_known, value=repr(theme), known=", ".join(themes_known)),
                )
        formats = spec.get("formats")
        for i, fmt in enumerate(formats if isinstance(formats, list) else []):
            if fmt not in formats_known:
                problems.add(
                    doc,
                    (*base, "formats", i),
                    Notice("cfg_unknown_format", value=repr(fmt), known=", ".join(formats_known)),
                )
        channels = spec.get("channels")
        for i, channel in enumerate(channels if isinstance(channels, list) else []):
            if channel not in CHANNELS:
                problems.add(
                    doc,
                    (*base, "channels", i),
                    Notice("cfg_unknown_channel", value=repr(channel), hint=suggest(str(channel), CHANNELS)),
                )
        top_n = spec.get("top_n")
        if isinstance(top_n, int) and top_n > 5:
            problems.add(doc, (*base, "top_n"), Notice("cfg_top_n", value=top_n))
        for role_key in ("owner", "approver"):
            if "@" in str(spec.get(role_key, "")):
                problems.add(doc, (*base, role_key), Notice("cfg_role_not_person"))
    if model is None:
        return {}
    out: dict[str, Audience] = {}
    for key, spec in model.audiences.items():
        title = dict(spec.title) if spec.title else {lang: key for lang in LANGUAGES}
        out[key] = Audience(
            key=key,
            title=title,
            language=spec.language or default_language,
            themes=tuple(spec.themes),
            max_slides=spec.max_slides,
            top_n=spec.top_n,
            intro=dict(spec.intro),
            formats=tuple(spec.formats or ["pptx", "onepager"]),
            department=spec.filter.department,
            cadence=spec.cadence,
            channels=tuple(spec.channels),
            owner=spec.owner,
            approver=spec.approver,
        )
    return out
