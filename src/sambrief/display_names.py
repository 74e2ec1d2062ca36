"""Product names as people write them, not as the export's SKU column spells them.

Exports name products by licence SKU ("ENTERPRISEPACK", "MICROSOFT 365 E3",
"Google Workspace Business Standard"). Slides show what a reader would say: a mapping
from SKU string IDs and shouting capitals to display names, kept as data in
``defaults/product_names/*.csv`` (columns ``id`` and ``display_name``, or Microsoft's
"Product names and service plan identifiers for licensing" CSV; a newer copy dropped into the
workspace's ``product_names/`` overrides them), then title-casing of names written in
capitals only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

# Words of up to this many letters stay in capitals when a name is title-cased: they are
# usually acronyms (SAP, IBM, GUI, CAD, E3, F1, EMS).
_ACRONYM_MAX = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Short words that are words, not acronyms: 'ACROBAT PRO' is 'Acrobat Pro', 'APPS FOR
# BUSINESS' is 'Apps for business'.
_SHORT_WORDS = {"PRO": "Pro", "APP": "App", "ALL": "All", "ONE": "One", "NEW": "New", "FOR": "for", "AND": "and", "THE": "the", "OF": "of"}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _decode(data: bytes) -> str:
    """Microsoft's file is UTF-8 (with BOM) in newer copies and cp1252 in older ones."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _read_mapping_csv(text: str) -> dict[str, str] | None:
    """id/display_name rows; Microsoft's licensing CSV (String_Id, Product_Display_Name) too, where
    each display name also maps itself (the usage reports write it in capitals). None when the
    file has neither pair of columns."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {f.strip().casefold(): f for f in (reader.fieldnames or [])}
    id_col = fields.get("id") or fields.get("string_id")
    name_col = fields.get("display_name") or fields.get("product_display_name")
    if not id_col or not name_col:
        return None
    mapping: dict[str, str] = {}
    for row in reader:
        # str.split() also drops the NBSP and tabs newer Microsoft files carry in String_Id
        sku, shown = " ".join((row.get(id_col) or "").split()), " ".join((row.get(name_col) or "").split())
        if sku and shown:
            mapping.setdefault(_key(sku), shown)
            mapping.setdefault(_key(shown), shown)
    return mapping


@lru_cache(maxsize=1)
def packaged_mapping() -> dict[str, str]:
    """The packaged tables; earlier files win (google_atlassian, microsoft_common, then Microsoft's
    licensing snapshot, refreshed with tools/update_product_names.py)."""
    mapping: dict[str, str] = {}
    folder = resources.files("sambrief") / "defaults" / "product_names"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".csv"):
            for k, v in (_read_mapping_csv(_decode(entry.read_bytes())) or {}).items():
                mapping.setdefault(k, v)
    return mapping


WORKSPACE_FOLDER = "product_names"  # a newer copy of Microsoft's CSV dropped here overrides the snapshot
_workspace: dict[str, str] | None = None


def load_mapping(extra_files: Iterable[Path] = ()) -> dict[str, str]:
    """The packaged mapping, overridden by newer copies dropped into the workspace."""
    from sambrief.errors import InputError

    mapping = dict(packaged_mapping())
    for path in extra_files:
        try:
            found = _read_mapping_csv(_decode(Path(path).read_bytes()))
        except (OSError, csv.Error) as exc:
            raise InputError(f"{path}: cannot read this product-name table ({exc}); replace it with Microsoft's CSV or remove it") from None
        if found is None:
            raise InputError(
                f"{path}: a product-name table needs the columns String_Id and Product_Display_Name "
                "(Microsoft's licensing CSV) or id and display_name; fix the header or remove the file"
            )
        mapping.update(found)
    return mapping


def use_workspace(root: Path) -> dict[str, str]:
    """Product names for this workspace: the packaged tables, overridden by `product_names/*.csv`
    in the workspace. display_product() uses them from then on."""
    global _workspace
    folder = Path(root) / WORKSPACE_FOLDER
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    _workspace = load_mapping(files) if files else None
    _SHOWN.clear()
    return _workspace or packaged_mapping()


def _title_case_capitals(name: str) -> str:
    if any(map(str.islower, name)) or not any(len(w) > _ACRONYM_MAX for w in _WORD.findall(name)):
        return name  # already written by a person, or only acronyms ('SAP GUI')

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in _SHORT_WORDS:  # a lower-case joining word only inside a name
            shown = _SHORT_WORDS[word]
            return shown if match.start() > 0 or shown[0].isupper() else shown.capitalize()
        if len(word) <= _ACRONYM_MAX:
            return word
        return word[0] + word[1:].lower()

    return _WORD.sub(fix, name)


def display_product(name: str, mapping: dict[str, str] | None = None) -> str:
    """'ENTERPRISEPACK' -> 'Office 365 E3'; 'MICROSOFT 365 E3' -> 'Microsoft 365 E3'."""
    if not name:
        return name
    table = (_workspace or packaged_mapping()) if mapping is None else mapping
    shown = table.get(_key(name))
    return shown if shown else _title_case_capitals(name)


def with_maker(publisher: str | None, product: str, mapping: dict[str, str] | None = None) -> str:
    """'SAP' + 'SAP GUI' -> 'SAP GUI'; 'Adobe' + 'Acrobat Pro' -> 'Adobe Acrobat Pro'."""
    shown = display_product(product, mapping)
    maker = _title_case_capitals(publisher or "").strip()
    if not maker:
        return shown
    first = shown.split(" ", 1)[0].casefold()
    if shown.casefold().startswith(maker.casefold()) or first == maker.split(" ", 1)[0].casefold():
        return shown
    return f"{maker} {shown}"


# Whole columns (the notes' full lists hold every product of a licence position): each distinct
# name is shown once per workspace table, whichever theme asks; use_workspace() forgets them.
_SHOWN: dict[str, str] = {}
_SHOWN_MAX = 1 << 20


# Python's str.split() whitespace among ASCII characters, for RE2.
_IRREGULAR_SPACE = r"[\t\n\r\x0b\x0c\x1c-\x1f]|  |^ | $"  # what " ".join(name.split()) changes in ASCII


def _shown_as_written(names: list[str]) -> list[bool]:
    """Names display_product() returns unchanged, found on the whole column (pyarrow): ASCII
    names outside the mapping with a lower-case letter (written by a person). For ASCII with
    single spaces only, the mapping key is lower() and islower() is [a-z]; any other name is
    decided by display_product."""
    if not names:
        return []
    import pyarrow as pa
    import pyarrow.compute as pc

    table = _workspace or packaged_mapping()
    text = pa.array(names, type=pa.string())
    listed = pc.is_in(pc.ascii_lower(text), value_set=pa.array(list(table), type=pa.string()))
    regular = pc.and_(pc.string_is_ascii(text), pc.invert(pc.match_substring_regex(text, _IRREGULAR_SPACE)))
    written = pc.and_(pc.and_(regular, pc.match_substring_regex(text, "[a-z]")), pc.invert(listed))
    return written.to_pylist()


def _shown_all(names: list[str]) -> list[str]:
    """display_product of distinct names, computing only the names not seen before."""
    new = [n for n in names if n not in _SHOWN]
    if len(_SHOWN) + len(new) > _SHOWN_MAX:
        _SHOWN.clear()
        new = names
    _SHOWN.update(zip(new, [n if keep else display_product(n) for n, keep in zip(new, _shown_as_written(new))]))
    return list(map(_SHOWN.__getitem__, names))


def _distinct(column: object) -> tuple[Any, list[str]]:
    """(codes, text per distinct value) of a column of any dtype (object, arrow string,
    categorical); code -1 where the value is missing."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(column, copy=False) if not hasattr(column, "dtype") else column, use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def display_products(products: object) -> list[str | None]:
    """display_product of every value of a column (None where missing), once per distinct name."""
    codes, names = _distinct(products)
    shown: list[str | None] = [*_shown_all(names), None]
    return list(map(shown.__getitem__, codes.tolist()))


def with_makers(publishers: object, products: object) -> list[str]:
    """with_maker of every row of two columns (a missing publisher: no maker), deciding the
    maker once per distinct publisher and the display name once per distinct product."""
    pub_codes, pubs = _distinct(publishers)
    prod_codes, names = _distinct(products)
    makers = [(m, m.casefold(), m.split(" ", 1)[0].casefold()) for m in (_title_case_capitals(p).strip() for p in pubs)] + [("", "", "")]
    shown_names = _shown_all(names)
    folded = list(map(str.casefold, shown_names))  # what with_maker compares: the name and its first word, case-folded
    shown = [*zip(shown_names, folded, map(itemgetter(0), map(methodcaller("partition", " "), folded))), ("", "", "")]
    return [
        name if not maker or folded.startswith(maker_folded) or first == maker_first else f"{maker} {name}"
        for (maker, maker_folded, maker_first), (name, folded, first)
        in zip(map(makers.__getitem__, pub_codes.tolist()), map(shown.__getitem__, prod_codes.tolist()))
    ]
