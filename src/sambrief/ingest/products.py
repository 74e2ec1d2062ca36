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
from pathlib import Path
from typing import Any

# Words of up to this many letters stay in capitals when a name is title-cased: they are
# usually acronyms (SAP, IBM, GUI, CAD, E3, F1, EMS).
_ACRONYM_MAX = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Short words that are words, not acronyms: 'ACROBAT PRO' is 'Acrobat Pro', 'APPS FOR
# BUSINESS' is 'Apps for business'.
_SHORT_WORDS = {
    "PRO": "Pro",
    "APP": "App",
    "ALL": "All",
    "ONE": "One",
    "NEW": "New",
    "FOR": "for",
    "AND": "and",
    "THE": "the",
    "OF": "of",
}


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
    from sambrief.i18n.notices import Notice

    mapping = dict(packaged_mapping())
    for path in extra_files:
        try:
            found = _read_mapping_csv(_decode(Path(path).read_bytes()))
        except (OSError, csv.Error) as exc:
            raise InputError(Notice("in_names_unreadable", path=str(path), problem=str(exc))) from None
        if found is None:
            raise InputError(Notice("in_names_header", path=str(path)))
        mapping.update(found)
    return mapping


def use_workspace(root: Path) -> dict[str, str]:
    """Product names for this workspace: the packaged tables, overridden by `product_names/*.csv`
    in the workspace. display_product() uses them from then on."""
    global _workspace
    folder = Path(root) / WORKSPACE_FOLDER
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    _workspace = load_mapping(files) if files else None
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
    return _add_maker(_title_case_capitals(publisher or "").strip(), shown)


# Whole columns (the notes' full lists hold every product of a licence position, 200,000 at
# enterprise size) are decided in arrow: a name of the characters below, in words split by single
# spaces, has its mapping key in utf8_lower (str.casefold equals it there) and keeps its spelling
# when it holds a lower-case letter; any other name goes through display_product, once per name.
# printable ASCII and Latin-1 letters but ß: casefold() is lower()
_SAFE = "\\x21-\\x7e\\xc0-\\xd6\\xd8-\\xde\\xe0-\\xf6\\xf8-\\xff"
_REGULAR = f"^[{_SAFE}]+(?: [{_SAFE}]+)*$"  # " ".join(name.split()) leaves it as it is
_FOLDABLE = f"^[ {_SAFE}]*$"  # casefold() is utf8_lower
_HAS_LOWER = "[a-z\\xe0-\\xf6\\xf8-\\xff]"  # str.islower() letters among them


_MAPPING_ARRAYS: list = [None, None, None]  # the mapping last asked for, its keys (arrow) and names (object array)


def _current_mapping() -> tuple[Any, Any]:
    import numpy as np
    import pyarrow as pa

    table = _workspace or packaged_mapping()
    if _MAPPING_ARRAYS[0] is not table:
        _MAPPING_ARRAYS[:] = [
            table,
            pa.array(list(table), type=pa.string()),
            np.array([*table.values(), None], dtype=object),
        ]
    return _MAPPING_ARRAYS[1], _MAPPING_ARRAYS[2]


def _texts_and_objects(column: object) -> tuple[Any, Any, Any]:
    """(texts, codes, objects) of a column of any dtype: its text per row (arrow, null where
    missing), codes None, and the column's own str objects where it is an object column of texts
    (names that stay as they are keep those objects, not copies from arrow); or, for a
    categorical or a column of non-text values, its distinct texts, each row's code (-1 where
    missing) and None."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    series = column if isinstance(column, (pd.Series, pd.Index)) else pd.Series(column, dtype=object)
    objects = series.to_numpy() if series.dtype == object else None  # an object column converts fastest from its array
    # (arrow would also take bytes as text: an object column of anything but str is named per distinct value)
    if not isinstance(series.dtype, pd.CategoricalDtype) and (
        objects is None or pd.api.types.infer_dtype(objects, skipna=True) in ("string", "empty")
    ):
        try:
            return pa.array(series if objects is None else objects, type=pa.string(), from_pandas=True), None, objects
        except (pa.ArrowException, TypeError):
            pass
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return pa.array([str(u) for u in uniques], type=pa.string()), np.asarray(codes), None


def _by_code(values: Any, codes: Any, missing: object) -> Any:
    """Row values from distinct values: codes None (values are the rows' already) or -1 = missing."""
    import numpy as np

    if codes is None:
        return values
    return np.append(values, np.array([missing], dtype=object))[codes]


def _display_texts(texts: Any, objects: Any = None) -> tuple[Any, Any]:
    """display_product of every text (an arrow string array; `objects`: the same texts as str
    objects, or None) as an object array (None where null), and where that is the text itself
    in characters whose casefold() is utf8_lower."""
    import numpy as np
    import pyarrow.compute as pc

    keys, names = _current_mapping()
    regular = pc.fill_null(pc.match_substring_regex(texts, _REGULAR), False).to_numpy(zero_copy_only=False)
    found = pc.fill_null(pc.index_in(pc.utf8_lower(texts), value_set=keys), -1).to_numpy(zero_copy_only=False)
    written = pc.fill_null(pc.match_substring_regex(texts, _HAS_LOWER), False).to_numpy(zero_copy_only=False)
    valid = texts.is_valid().to_numpy(zero_copy_only=False)
    if objects is None:
        shown = texts.to_numpy(zero_copy_only=False)
    else:
        shown = objects.copy()
        shown[~valid] = None
    listed = regular & (found >= 0)
    shown[listed] = names[found[listed]]
    same = regular & (found < 0) & written
    rest = np.flatnonzero(~regular & valid | regular & (found < 0) & ~written)
    if len(rest):  # capitals to title-case, other scripts, irregular spaces: each distinct name once
        memo: dict[str, str] = {}
        shown[rest] = [memo[n] if n in memo else memo.setdefault(n, display_product(n)) for n in shown[rest].tolist()]
    return shown, same


def display_names(products: object) -> Any:
    """display_product of every value of a column as an object array (None where missing)."""
    texts, codes, objects = _texts_and_objects(products)
    return _by_code(_display_texts(texts, objects)[0], codes, None)


def product_names(publishers: object, products: object) -> tuple[Any, Any]:
    """display_product and with_maker of every row of two columns, as object arrays (a missing
    product: None and an empty name; a missing publisher: no maker), each maker decided once."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    texts, codes, objects = _texts_and_objects(products)
    shown, same = _display_texts(texts, objects)
    folded = pc.utf8_lower(texts)  # the case-folded name where `same`
    if codes is not None:
        shown, same = _by_code(shown, codes, None), np.append(same, False)[codes]
        folded = folded.take(pa.array(np.where(codes < 0, 0, codes)))
    display = shown.copy()
    shown[pd.isna(shown)] = ""
    pub_codes, pubs = _distinct(publishers)
    makers = [_title_case_capitals(p).strip() for p in pubs] + [""]
    rows = np.where(pub_codes < 0, len(pubs), pub_codes)
    keep = np.ones(len(shown), dtype=bool)
    fast = np.flatnonzero(same)
    keep[fast] = _starts_with_maker(folded, fast, rows[fast], makers)
    changed = np.flatnonzero(~same)
    if len(changed):  # names the mapping or title-casing changed, and missing ones
        text = pa.array(shown[changed], type=pa.string())
        foldable = pc.match_substring_regex(text, _FOLDABLE).to_numpy(zero_copy_only=False)
        keep[changed[foldable]] = _starts_with_maker(
            pc.utf8_lower(text), np.flatnonzero(foldable), rows[changed[foldable]], makers
        )
        other = changed[~foldable]  # characters whose casefold() differs from utf8_lower: as with_maker does
        keep[other] = [_add_maker(makers[r], n) == n for r, n in zip(rows[other].tolist(), shown[other].tolist())]
    prefixed = np.flatnonzero(~keep)
    shown[prefixed] = np.array([m + " " for m in makers], dtype=object)[rows[prefixed]] + shown[prefixed]
    return display, shown


def _starts_with_maker(folded: Any, positions: Any, rows: Any, makers: list[str]) -> Any:
    """with_maker's test, per position: the case-folded name there (folded, arrow) starts with
    its maker (makers[rows]) or is or starts with the maker's first word; one pass per distinct maker."""
    import numpy as np
    import pyarrow.compute as pc

    keep = np.ones(len(rows), dtype=bool)
    order = np.argsort(rows, kind="stable")
    bounds = np.searchsorted(rows[order], np.arange(len(makers) + 1))
    for k, maker in enumerate(makers):
        picked = order[bounds[k] : bounds[k + 1]]
        if not maker or not len(picked):
            continue
        names, first = folded.take(positions[picked]), maker.split(" ", 1)[0].casefold()
        test = pc.or_(
            pc.or_(pc.starts_with(names, maker.casefold()), pc.equal(names, first)), pc.starts_with(names, first + " ")
        )
        keep[picked] = test.to_numpy(zero_copy_only=False)
    return keep


def casefolded(column: object) -> Any:
    """str(value).casefold() of every value of a column as an object array (utf8_lower where
    that is the same); None where missing."""
    import numpy as np
    import pyarrow.compute as pc

    texts, codes, _ = _texts_and_objects(column)
    folded = pc.utf8_lower(texts).to_numpy(zero_copy_only=False)
    other = np.flatnonzero(
        ~pc.fill_null(pc.match_substring_regex(texts, _FOLDABLE), True).to_numpy(zero_copy_only=False)
    )
    folded[other] = [name.casefold() for name in texts.take(other).to_pylist()]
    return _by_code(folded, codes, None)


def _add_maker(maker: str, shown: str) -> str:
    if not maker:
        return shown
    first = shown.split(" ", 1)[0].casefold()
    if shown.casefold().startswith(maker.casefold()) or first == maker.split(" ", 1)[0].casefold():
        return shown
    return f"{maker} {shown}"


def _distinct(column: object) -> tuple[Any, list[str]]:
    """(codes, text per distinct value) of a column of any dtype (object, arrow string,
    categorical); code -1 where the value is missing."""
    import pandas as pd

    codes, uniques = pd.factorize(
        pd.Series(column, copy=False) if not hasattr(column, "dtype") else column, use_na_sentinel=True
    )
    return codes, [str(u) for u in uniques]
