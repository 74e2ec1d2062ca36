"""The history store: an embedded SQLite file in the workspace (.sambrief/history.sqlite).

Written at the end of each successful build: per period every manifest figure, the
breakdowns the charts show, the source files used and when it was built. Rebuilding a
period replaces it. Deliveries are logged here too, one row per recipient and period.
The schema carries a version and migrates forward.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sambrief.briefing.compose import Briefing
    from sambrief.ingest.canonical import LoadedSource
    from sambrief.model.core import Model

SCHEMA_VERSION = 2
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE IF NOT EXISTS periods (period TEXT PRIMARY KEY, built_at TEXT NOT NULL, as_of TEXT NOT NULL,"
        " audiences TEXT NOT NULL, fingerprint TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS figures (period TEXT NOT NULL, audience TEXT NOT NULL, key TEXT NOT NULL, value "
        "REAL,"
        " PRIMARY KEY (period, audience, key))",
        "CREATE TABLE IF NOT EXISTS breakdowns (period TEXT NOT NULL, audience TEXT NOT NULL, chart TEXT NOT NULL,"
        " category TEXT NOT NULL, value REAL, PRIMARY KEY (period, audience, chart, category))",
        "CREATE TABLE IF NOT EXISTS sources (period TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL, PRIMARY KEY (period, name, sha256))",
    ],
    2: [
        "CREATE TABLE IF NOT EXISTS deliveries (period TEXT NOT NULL, audience TEXT NOT NULL, recipient TEXT NOT NULL,"
        " sent_at TEXT NOT NULL, PRIMARY KEY (period, audience, recipient))",
    ],
}


@dataclass(frozen=True)
class PeriodRecord:
    period: str
    built_at: str
    as_of: str
    audiences: list[str]
    fingerprint: str
    figures: dict[str, float | None]  # merged over audiences


class History:
    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        try:
            self._migrate(con)
            yield con
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()

    def _migrate(self, con: sqlite3.Connection) -> None:
        con.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                con.execute(statement)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(step),))
        con.commit()

    # -- builds -------------------------------------------------------------------------
    def record(
        self,
        period: str,
        as_of: str,
        audiences: list[str],
        fingerprint: str,
        figures: dict[str, dict[str, Any]],
        breakdowns: dict[str, dict[str, dict[str, float]]],
        sources: list[tuple[str, int, str]],
    ) -> None:
        """Replace everything stored for the period in one transaction (never duplicates).

        `figures` holds every audience of the period's set; `breakdowns` only those rendered by
        this build: the breakdowns of audiences kept from the set (a `--department` or single
        audience build keeps the others) stay, those of audiences no longer in the set go."""
        built_at = datetime.now(UTC).isoformat(timespec="seconds")
        kept = sorted(set(audiences) - set(breakdowns))
        with self.connect() as con:
            for table in ("periods", "figures", "sources"):
                con.execute(f"DELETE FROM {table} WHERE period = ?", (period,))
            con.execute(
                f"DELETE FROM breakdowns WHERE period = ? AND audience NOT IN ({', '.join('?' * len(kept))})",
                (period, *kept),
            )
            con.execute(
                "INSERT INTO periods VALUES (?, ?, ?, ?, ?)",
                (period, built_at, as_of, json.dumps(sorted(audiences)), fingerprint),
            )
            con.executemany(
                "INSERT INTO figures VALUES (?, ?, ?, ?)",
                [
                    (period, audience, key, float(value) if isinstance(value, (int, float)) else None)
                    for audience, values in figures.items()
                    for key, value in values.items()
                ],
            )
            con.executemany(
                "INSERT OR REPLACE INTO breakdowns VALUES (?, ?, ?, ?, ?)",
                [
                    (period, audience, chart, category, value)
                    for audience, charts in breakdowns.items()
                    for chart, rows in charts.items()
                    for category, value in rows.items()
                ],
            )
            con.executemany(
                "INSERT OR IGNORE INTO sources VALUES (?, ?, ?, ?)", [(period, n, s, h) for n, s, h in sources]
            )

    def periods(self) -> list[PeriodRecord]:
        if not self.path.exists():
            return []
        with self.connect() as con:
            rows = con.execute(
                "SELECT period, built_at, as_of, audiences, fingerprint FROM periods ORDER BY period"
            ).fetchall()
            out = []
            for period, built_at, as_of, audiences, fingerprint in rows:
                figures: dict[str, float | None] = {}
                for key, value in con.execute(
                    "SELECT key, value FROM figures WHERE period = ? ORDER BY audience != 'management', audience",
                    (period,),
                ):
                    figures.setdefault(key, value)
                out.append(PeriodRecord(period, built_at, as_of, json.loads(audiences), fingerprint, figures))
            return out

    def audience_figures(self, audience: str) -> dict[str, dict[str, float | None]]:
        """One audience's figures per built period (periods without that audience are absent)."""
        if not self.path.exists():
            return {}
        out: dict[str, dict[str, float | None]] = {}
        with self.connect() as con:
            for period, key, value in con.execute(
                "SELECT period, key, value FROM figures WHERE audience = ?", (audience,)
            ):
                out.setdefault(period, {})[key] = value
        return out

    def period_figures(self, period: str) -> dict[str, dict[str, float | None]]:
        """Every audience's figures of one built period (empty when it was not built)."""
        if not self.path.exists():
            return {}
        out: dict[str, dict[str, float | None]] = {}
        with self.connect() as con:
            for audience, key, value in con.execute(
                "SELECT audience, key, value FROM figures WHERE period = ?", (period,)
            ):
                out.setdefault(audience, {})[key] = value
        return out

    def get(self, period: str) -> PeriodRecord | None:
        return next((p for p in self.periods() if p.period == period), None)

    def forget(self, period: str) -> bool:
        if not self.path.exists():
            return False
        with self.connect() as con:
            found = con.execute("SELECT 1 FROM periods WHERE period = ?", (period,)).fetchone() is not None
            for table in ("periods", "figures", "breakdowns", "sources", "deliveries"):
                con.execute(f"DELETE FROM {table} WHERE period = ?", (period,))
        return found

    def table_rows(self, table: str) -> list[tuple]:
        """For tests and `history --json`: the raw rows of a table, ordered."""
        with self.connect() as con:
            return con.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()

    # -- deliveries -------------------------------------------------------------------------
    def delivered(self, period: str, audience: str, recipient: str) -> bool:
        if not self.path.exists():
            return False
        with self.connect() as con:
            return (
                con.execute(
                    "SELECT 1 FROM deliveries WHERE period = ? AND audience = ? AND recipient = ?",
                    (period, audience, recipient),
                ).fetchone()
                is not None
            )

    def log_delivery(self, period: str, audience: str, recipient: str) -> None:
        """Committed at once, so a later failure never loses the record of a mail that went out."""
        with self.connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?)",
                (period, audience, recipient, datetime.now(UTC).isoformat(timespec="seconds")),
            )


def record_history(
    history: History,
    model: Model,
    briefings: list[Briefing],
    sources: list[LoadedSource],
    manifest_data: dict[str, Any],
    fingerprint: str,
) -> None:
    """A built period's record: the manifest's figures per audience, the charts' breakdowns
    (the departments the disclosure audit compares across builds), the sources read."""
    figures = {key: entry["figures"] for key, entry in manifest_data["audiences"].items()}
    breakdowns = {
        b.output_key: {f.key: dict(zip(f.chart.categories, f.chart.values)) for f in b.findings if f.chart is not None}
        for b in briefings
    }
    history.record(
        str(model.period),
        model.as_of.isoformat(),
        list(manifest_data["audiences"]),
        fingerprint,
        figures,
        breakdowns,
        [(s.path.name, s.size, s.sha256) for s in sources],
    )
