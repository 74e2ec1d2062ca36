"""Configuration errors in the tool's own words: a pydantic error becomes one line with its key
path ('sources[0].layout'), what was expected, and the closest known key or value."""

from __future__ import annotations

import re
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sambrief.config.schema import SambriefConfig
from sambrief.i18n.notices import Notice, unknown
from sambrief.text import closest

# What a key needs, in words (notice keys cfg_required_<key> and cfg_expected_<key>), where
# "is required", "a list" or "text" alone would not help.
REQUIRED_HINTS = {
    ("sources",): "sources",
    ("organisation",): "organisation",
    ("audiences",): "audiences",
    ("blocks",): "blocks",
}
EXPECTED = {
    (key,): key for key in ("sources", "audiences", "news", "intranet", "concept", "template", "prices", "thresholds")
}


def _kind(value: Any) -> Any:
    """What a value is, in words ('a mapping', 'text'); a notice, so it follows the language."""
    name = {
        dict: "mapping",
        list: "list",
        str: "text",
        bool: "bool",
        type(None): "nothing",
        int: "number",
        float: "number",
    }.get(type(value))
    return Notice(f"kind_{name}") if name else type(value).__name__


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin is Union or type(tp).__name__ == "UnionType":
            args = [a for a in get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) in (list, dict):
            tp = get_args(tp)[-1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def suggest(word: str, known: list[str] | tuple[str, ...]) -> Any:
    """'(did you mean 'email'?)' for a near miss, else the list of known words (a notice)."""
    close = closest(word, known)
    if close:
        return Notice("cfg_did_you_mean", near=repr(close[0]))
    return Notice("cfg_known", known=", ".join(str(k) for k in known))


def _literal_choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def translate(error: dict[str, Any], model: type[BaseModel]) -> tuple[tuple[Any, ...], Any]:
    """One pydantic error -> (key path, message in the tool's wording, as a notice)."""
    loc = tuple(error["loc"])
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        known = [name for name in (parent.model_fields if parent else {})]
        what = "cfg_unknown_setting" if len(loc) == 1 and model is SambriefConfig else "cfg_unknown_key"
        return loc, Notice(what, hint=suggest(str(loc[-1]), known))
    if kind == "invalid_key":
        parent = _model_at(model, loc[:-1])
        return loc[:-1] + (str(loc[-1]),), Notice(
            "cfg_unknown_key", hint=suggest(str(loc[-1]), list(parent.model_fields) if parent else [])
        )
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        if kind == "literal_error":
            return loc, Notice("cfg_unknown_key", hint=suggest(str(loc[-1]), _literal_choices(ctx.get("expected", ""))))
        return loc, Notice("cfg_expected_text_key")
    if kind.startswith("sambrief_"):  # our own validators: the notice is named in the error's type
        return loc, Notice(kind.removeprefix("sambrief_"), **ctx)
    if kind == "missing":
        return loc, Notice(f"cfg_required_{REQUIRED_HINTS[loc]}") if loc in REQUIRED_HINTS else Notice("cfg_required")
    if kind == "literal_error":
        choices = _literal_choices(ctx.get("expected", ""))
        return loc, unknown("cfg_unknown_value", value, choices, value=repr(value), known=", ".join(choices))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return loc, Notice("cfg_expected_whole_number", value=repr(value))
    if kind in ("float_parsing", "float_type"):
        return loc, Notice("cfg_expected_number", value=repr(value))
    if kind == "greater_than_equal":
        return loc, Notice("cfg_at_least", minimum=ctx["ge"], value=value)
    if kind == "less_than_equal":
        return loc, Notice("cfg_at_most", maximum=ctx["le"], value=value)
    if kind in ("dict_type", "model_type", "model_attributes_type", "list_type", "string_type") and loc in EXPECTED:
        return loc, Notice("cfg_expected_got", expected=Notice(f"cfg_expected_{EXPECTED[loc]}"), got=_kind(value))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, Notice("cfg_expected_got", expected=Notice("cfg_expected_mapping"), got=_kind(value))
    if kind == "list_type":
        return loc, Notice("cfg_expected_got", expected=Notice("kind_list"), got=_kind(value))
    if kind == "string_type":
        return loc, Notice("cfg_expected_got", expected=Notice("kind_text"), got=_kind(value))
    if kind in ("bool_type", "bool_parsing"):
        return loc, Notice("cfg_expected_bool", value=repr(value))
    if kind == "too_short":
        return loc, Notice("cfg_at_least_one")
    if kind == "string_pattern_mismatch" and loc == ("currency",):
        return loc, Notice("cfg_currency_code", value=repr(value))
    if kind == "string_pattern_mismatch" and loc in (("brand", "primary"), ("brand", "accent")):
        return loc, Notice("cfg_hex_colour", value=repr(value))
    if kind in ("string_pattern_mismatch", "string_too_long") and loc == ("brand", "font"):
        return loc, Notice("cfg_font_name", value=repr(value))
    return loc, error["msg"]


def validate(model: type[BaseModel], data: Any) -> tuple[BaseModel | None, list[tuple[tuple[Any, ...], Any]]]:
    """The model, or None and every problem as (key path, message)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [((), Notice("cfg_top_level", got=_kind(data)))]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [translate(dict(e), model) for e in exc.errors(include_url=False)]


def path_text(loc: tuple[Any, ...]) -> str:
    """('sources', 0, 'layout') -> 'sources[0].layout'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
