"""`sambrief inspect` as a person reads it: per file its dataset and layout, where the header
is, the columns as mapped, the rows read and dropped, and the problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sambrief.i18n.notices import Notice

if TYPE_CHECKING:
    from sambrief.commands.inspect import Inspection


def print_inspection(entry: Inspection, lang: str = "en") -> None:
    from sambrief.i18n.catalog import Formatter
    from sambrief.i18n.notices import reason
    from sambrief.ingest.layouts import titled

    def say(key: str, **values: Any) -> str:
        return Notice(key, **values).in_language(lang)

    print(entry.path)
    if entry.layout is None or entry.confidence is None:
        print(f"  {say('inspect_problem', problem=entry.problems[0])}")
        return
    confidence = Formatter(lang, "EUR").number(entry.confidence, 2)
    print(f"  {say('inspect_layout', dataset=entry.dataset, layout=entry.layout, title=entry.layout_title, confidence=confidence)}")
    parts = [say("inspect_header", row=entry.header_row)]
    if entry.sheet:
        parts.append(say("inspect_sheet", sheet=repr(entry.sheet)))
    if entry.delimiter:
        parts.append(say("inspect_encoding", encoding=entry.encoding, separator=repr(entry.delimiter)))
    print("  " + ", ".join(parts))
    for source, canonical in entry.columns.items():
        print(f"    {source} -> {canonical}")
    dropped = [Notice("inspect_dropped", reason=reason(r), rows=n) for r, n in entry.dropped.items()]
    print(f"  {say('inspect_rows', rows=entry.rows, read=entry.rows_read, dropped=dropped or Notice('inspect_nothing_dropped'))}")
    for product, found in (entry.signals or {}).items():
        print(f"  {say('inspect_activity', product=product, found=[titled(f) for f in found] or Notice('inspect_no_activity'))}")
    for problem in entry.problems:
        print(f"  {say('inspect_problem', problem=problem)}")
