"""Generate the enterprise benchmark set: the exports of a large company at a chosen scale.

Scale 1 is the set the issue measured: a 20,000-row Flexera compliance workbook, a Microsoft 365
"Active users" CSV of 100,000 users (about 210,000 seats), 50,000 ServiceNow requested items,
and registers of 100 rows. Vendor header shapes are those of tests/vendor_fixtures.py and the
packaged layouts; the quirks are the real ones: UTF-8 BOM (M365), cp1252 (ServiceNow, the
German licence balance), deleted and concealed (32-hex) M365 users, German and English headers.

Deterministic (fixed seed). Usage: python benchmarks/generate.py --scale 1 [--out benchmarks/work]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REPORT_DATE = date(2026, 10, 31)

M365_HEADER = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Has Exchange License,Has OneDrive License,"
    "Has SharePoint License,Has Skype For Business License,Has Yammer License,Has Teams License,Exchange Last Activity Date,"
    "OneDrive Last Activity Date,SharePoint Last Activity Date,Skype For Business Last Activity Date,Yammer Last Activity Date,"
    "Teams Last Activity Date,Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date,"
    "Skype For Business License Assign Date,Yammer License Assign Date,Teams License Assign Date,Assigned Products"
).split(",")
# Per user: a base suite and, for some, add-ons; about 2.1 seats per user on average.
M365_SUITES = [("MICROSOFT 365 E3", 0.8), ("MICROSOFT 365 E5", 0.15), ("OFFICE 365 E1", 0.05)]
M365_ADDONS = [
    ("Enterprise Mobility + Security E3", 0.62),
    ("POWER BI PRO", 0.25),
    ("MICROSOFT 365 COPILOT", 0.12),
    ("VISIO PLAN 2", 0.1),
    ("PROJECT PLAN 3", 0.08),
]
PRICES = {
    "Microsoft 365 E3": 33.70,
    "Microsoft 365 E5": 54.75,
    "Office 365 E1": 9.80,
    "Enterprise Mobility + Security E3": 10.60,
    "Power BI Pro": 13.70,
    "Microsoft 365 Copilot": 28.10,
    "Visio Plan 2": 14.00,
    "Project Plan 3": 28.00,
}
PUBLISHERS = [
    "Microsoft",
    "Adobe",
    "Oracle",
    "SAP",
    "IBM",
    "VMware",
    "Autodesk",
    "Citrix",
    "Atlassian",
    "Veeam",
    "Broadcom",
    "Quest",
    "Siemens",
    "PTC",
    "Dassault Systèmes",
    "Bentley",
    "Micro Focus",
    "OpenText",
    "Salesforce",
    "ServiceNow",
]
DEPARTMENTS = [
    "Vertrieb",
    "Einkauf",
    "Finanzen",
    "Logistik",
    "Produktion",
    "Personal",
    "IT",
    "Marketing",
    "Recht",
    "Qualität",
    "Forschung & Entwicklung",
    "Kundendienst",
]
CATALOGUE = [
    "Adobe Acrobat Pro",
    "Microsoft Visio",
    "Power BI Pro",
    "Snagit",
    "Microsoft Project",
    "AutoCAD LT",
    "Miro Business",
    "Jira Software",
    "Tableau Creator",
    "SPSS Statistics",
    "Notepad++",
    "Mindmanager",
]


def flexera_compliance_xlsx(path: Path, rows: int, rnd: random.Random) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Licenses Compliance")
    ws.append(["Licenses Compliance and Unlicensed Products Risks"])
    ws.append([f"Generated {REPORT_DATE:%d %b %Y}"])
    ws.append([])
    ws.append(
        [
            "License Name",
            "Publisher",
            "Product",
            "License Type",
            "Consumed",
            "Shortfall/Availability",
            "Price per right",
            "License Cost (EUR)",
            "Compliance Cost (EUR)",
            "Corporate unit",
        ]
    )
    for i in range(rows):
        publisher = PUBLISHERS[i % len(PUBLISHERS)]
        product = f"{publisher} Product {i:06d}"
        consumed = rnd.randint(0, 5000)
        gap = rnd.randint(-200, 400)
        price = round(rnd.uniform(5, 5000), 2) if rnd.random() > 0.07 else 0
        if rnd.random() < 0.02:
            ws.append(
                [
                    "No License For Product Installations",
                    publisher,
                    product,
                    "Unlicensed",
                    consumed,
                    -consumed,
                    0,
                    0,
                    0,
                    "Konzern",
                ]
            )
            continue
        compliance = round(min(gap, 0) * price, 2)
        ws.append(
            [
                f"{product} {2020 + i % 6}",
                publisher,
                product,
                rnd.choice(["User", "Device", "Core", "Processor"]),
                consumed,
                gap,
                price,
                round(consumed * price, 2),
                compliance,
                rnd.choice(["Konzern", "DE01", "AT02", "CH03"]),
            ]
        )
    wb.save(path)


def lizenzbilanz_csv(path: Path, rows: int, rnd: random.Random) -> None:
    """A German licence balance (generic layout): cp1252, ';', decimal comma, thousands dot."""
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(
        [
            "Hersteller",
            "Produkt",
            "Lizenzmodell",
            "Lizenzbestand",
            "Lizenzbedarf",
            "Über-/Unterdeckung",
            "Einzelpreis (EUR)",
            "Vertragsende",
        ]
    )
    for i in range(rows):
        owned, need = rnd.randint(0, 3000), rnd.randint(0, 3000)
        price = rnd.uniform(10, 20000)
        text = f"{price:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        end = (REPORT_DATE + timedelta(days=rnd.randint(-100, 900))).strftime("%d.%m.%Y") if rnd.random() < 0.6 else ""
        w.writerow(
            [rnd.choice(PUBLISHERS), f"Lizenz Nr. {i:05d} Größe", "Benutzer", owned, need, owned - need, text, end]
        )
    path.write_bytes(out.getvalue().encode("cp1252"))


def m365_active_users_csv(path: Path, users: int, rnd: random.Random) -> int:
    """UTF-8 with BOM as the admin center writes it; 3% deleted, 20% concealed names."""
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(M365_HEADER)
    seats = 0
    for i in range(users):
        concealed = rnd.random() < 0.2
        upn = f"{rnd.getrandbits(128):032X}" if concealed else f"user{i:07d}@contoso.example"
        display = upn if concealed else f"Nutzer {i:07d} Müller"
        deleted = rnd.random() < 0.03
        products: list[str] = []
        r = rnd.random()
        acc = 0.0
        for name, share in M365_SUITES:
            acc += share
            if r < acc:
                products.append(name)
                break
        products += [name for name, share in M365_ADDONS if rnd.random() < share]
        if not deleted:
            seats += len(products)

        def activity(p_active: float) -> str:
            roll = rnd.random()
            if roll < p_active:
                return (REPORT_DATE - timedelta(days=rnd.randint(0, 60))).isoformat()
            if roll < p_active + 0.15:
                return (REPORT_DATE - timedelta(days=rnd.randint(91, 700))).isoformat()
            return ""

        assign = (REPORT_DATE - timedelta(days=rnd.randint(30, 1500))).isoformat()
        w.writerow(
            [
                "2026-10-31",
                upn,
                display,
                str(deleted),
                "2026-09-01" if deleted else "",
                "True",
                "True",
                "True",
                "False",
                "False",
                "True",
                activity(0.75),
                activity(0.5),
                activity(0.4),
                "",
                "",
                activity(0.7),
                assign,
                assign,
                assign,
                "",
                "",
                assign,
                "+".join(products),
            ]
        )
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return seats


def servicenow_ritm_csv(path: Path, rows: int, rnd: random.Random) -> None:
    """sc_req_item with field names, cp1252 (ServiceNow's default CSV charset), CRLF, all quoted."""
    out = io.StringIO(newline="")
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(
        [
            "number",
            "request",
            "cat_item",
            "requested_for",
            "requested_for.department",
            "opened_at",
            "approval",
            "approval_set",
            "stage",
            "state",
            "closed_at",
        ]
    )
    start = datetime(2025, 11, 1)
    for i in range(rows):
        opened = start + timedelta(minutes=rnd.randint(0, 365 * 24 * 60))
        approved = opened + timedelta(hours=rnd.randint(1, 120))
        closed = approved + timedelta(hours=rnd.randint(1, 400))
        done = closed.date() <= REPORT_DATE and rnd.random() < 0.85
        w.writerow(
            [
                f"RITM{1000000 + i}",
                f"REQ{900000 + i // 2}",
                rnd.choice(CATALOGUE),
                f"Jörg Schäfer {i}",
                rnd.choice(DEPARTMENTS),
                f"{opened:%Y-%m-%d %H:%M:%S}",
                "Approved" if done else "Requested",
                f"{approved:%Y-%m-%d %H:%M:%S}" if done else "",
                "Completed" if done else "Waiting for Approval",
                "Closed Complete" if done else "Open",
                f"{closed:%Y-%m-%d %H:%M:%S}" if done else "",
            ]
        )
    path.write_bytes(out.getvalue().encode("cp1252"))


def registers(folder: Path, rows: int, rnd: random.Random) -> None:
    def save(name: str, header: list, body: list[list]) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = name.split(".")[0].capitalize()
        ws.append(header)
        for row in body:
            ws.append(row)
        wb.save(folder / name)

    categories = ["Einsparung", "Rückgewinnung", "Audit", "Prozess", "Sonstiges"]
    save(
        "successes.xlsx",
        ["Datum", "Erfolg", "Kategorie", "Betrag (EUR)", "Zielgruppen", "Notiz"],
        [
            [
                datetime(2026, 1, 1) + timedelta(days=rnd.randint(0, 300)),
                f"Ergebnis {i}: Lizenzen zurückgewonnen",
                rnd.choice(categories),
                round(rnd.uniform(500, 90000), 2),
                "",
                "Hintergrund",
            ]
            for i in range(rows)
        ],
    )
    statuses = ["offen", "in Arbeit", "blockiert", "erledigt"]
    save(
        "actions.xlsx",
        ["Nr.", "Maßnahme", "Thema", "Status", "Verantwortliche Rolle", "Fällig am", "Produkt", "Zielgruppen"],
        [
            [
                f"M-{i:03d}",
                f"Maßnahme {i}",
                rnd.choice(["risk", "cloud_sprawl", "procurement"]),
                rnd.choice(statuses),
                "Lizenzmanagement",
                datetime(2026, 6, 1) + timedelta(days=rnd.randint(0, 300)),
                "",
                "",
            ]
            for i in range(rows)
        ],
    )
    save(
        "budget.xlsx",
        ["Kostenstelle", "Kategorie", "Budget (EUR)", "Ist (EUR)", "Obligo (EUR)"],
        [
            [
                f"KST {4000 + i}",
                rnd.choice(["Lizenzen", "Abonnements", "Wartung"]),
                b := round(rnd.uniform(1e4, 1e6), 2),
                round(b * rnd.uniform(0.2, 1.1), 2),
                round(b * rnd.uniform(0, 0.2), 2),
            ]
            for i in range(rows)
        ],
    )


CONFIG = """# Enterprise benchmark workspace (generated by benchmarks/generate.py, scale {scale})
organisation: Beispiel Konzern AG
currency: EUR
language: de
contact:
  team: Software Asset Management
  email: sam@konzern.example
sources:
  - data/*.csv
  - data/*.xlsx
thresholds:
  inactive_days: 90
  products:
    Microsoft 365 Copilot: {{inactive_days: 30}}
prices:
{prices}
output: out
"""


def generate(scale: float, out: Path, seed: int = 11) -> dict[str, int]:
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    data = out / "data"
    data.mkdir(parents=True)
    counts = {
        "flexera_rows": int(20_000 * scale),
        "m365_users": int(100_000 * scale),
        "ritm_rows": int(50_000 * scale),
        "balance_rows": int(500 * scale),
        "register_rows": 100,
    }
    flexera_compliance_xlsx(data / "flexera_compliance.xlsx", counts["flexera_rows"], rnd)
    lizenzbilanz_csv(data / "lizenzbilanz_de.csv", counts["balance_rows"], rnd)
    counts["m365_seats"] = m365_active_users_csv(data / "m365_active_users.csv", counts["m365_users"], rnd)
    servicenow_ritm_csv(data / "sc_req_item.csv", counts["ritm_rows"], rnd)
    registers(data, counts["register_rows"], rnd)
    prices = "\n".join(f"  {k}: {v:.2f}" for k, v in PRICES.items())
    (out / "sambrief.yaml").write_text(CONFIG.format(scale=scale, prices=prices), encoding="utf-8")
    shutil.copy(REPO / "audiences.yaml", out / "audiences.yaml")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--out", type=Path, default=None, help="workspace folder (default benchmarks/work/scale-<scale>)"
    )
    args = parser.parse_args()
    out = args.out or HERE / "work" / f"scale-{args.scale:g}"
    counts = generate(args.scale, out)
    print(f"{out}: " + ", ".join(f"{k}={v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
