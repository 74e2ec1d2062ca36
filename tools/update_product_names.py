"""Refresh the packaged snapshot of Microsoft's "Product names and service plan identifiers for
licensing" CSV (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference).

    python tools/update_product_names.py "Product names and service plan identifiers for licensing.csv"

Keeps Microsoft's columns, one row per String_Id (the first, as Microsoft lists the SKU), with
the stray whitespace, NBSP and tabs newer files carry in String_Id removed; reads UTF-8 (with
or without BOM) or cp1252 (older copies have a 0x96 dash). Writes UTF-8 with CRLF like the
original. The same reader takes a raw copy dropped into a workspace's ``product_names/``.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

TARGET = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "sambrief"
    / "defaults"
    / "product_names"
    / "microsoft_licensing.csv"
)
COLUMNS = [
    "Product_Display_Name",
    "String_Id",
    "GUID",
    "Service_Plan_Name",
    "Service_Plan_Id",
    "Service_Plans_Included_Friendly_Names",
]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def snapshot(data: bytes) -> str:
    reader = csv.DictReader(io.StringIO(decode(data)))
    missing = [c for c in COLUMNS[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise SystemExit(f"not Microsoft's licensing CSV: column(s) {', '.join(missing)} missing")
    seen: dict[str, dict[str, str]] = {}
    for row in reader:
        clean = {c: " ".join((row.get(c) or "").split()) for c in COLUMNS}  # tabs, NBSP, double spaces
        if clean["String_Id"] and clean["Product_Display_Name"]:
            seen.setdefault(clean["String_Id"], clean)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(sorted(seen.values(), key=lambda r: r["String_Id"].casefold()))
    return out.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    text = snapshot(Path(argv[1]).read_bytes())
    TARGET.write_text(text, encoding="utf-8", newline="")
    print(f"{TARGET}: {text.count(chr(10)) - 1} SKUs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
