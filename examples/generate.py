"""Generate the example workspace's exports: a fictitious German mid-size company.

Deterministic (fixed seed). Run from the repository root: python examples/generate.py
The generated files are committed; tests compute the expected figures from them by hand.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPORT_DATE = date(2026, 10, 31)

# (publisher, product, metric, owned, required, unit price or None)
LICENCES = [
    ("Microsoft", "Windows Server 2022 Datacenter", "Core", 256, 288, 6155.00),
    ("Microsoft", "SQL Server 2022 Enterprise", "Core", 48, 56, 13748.00),
    ("Microsoft", "SQL Server 2022 Standard", "Core", 96, 88, 3586.00),
    ("Microsoft", "Visio Professional 2021", "Gerät", 120, 143, 412.50),
    ("Microsoft", "Project Professional 2021", "Benutzer", 40, 52, 1126.00),
    ("Microsoft", "Office LTSC Professional Plus 2021", "Gerät", 300, 284, 498.00),
    ("Adobe", "Acrobat Pro 2020", "Benutzer", 210, 247, 449.00),
    ("Adobe", "Photoshop Elements 2024", "Benutzer", 25, 21, 99.00),
    ("Adobe", "FrameMaker 2022", "Benutzer", 6, 6, 1179.00),
    ("Oracle", "Database Enterprise Edition", "Prozessor", 16, 20, 47500.00),
    ("Oracle", "Java SE Universal Subscription", "Mitarbeiter", 1800, 1800, 180.00),
    ("Oracle", "WebLogic Server Standard Edition", "Prozessor", 4, 4, 10000.00),
    ("VMware", "vSphere Foundation", "Core", 512, 576, 135.00),
    ("VMware", "vSAN", "TiB", 80, 80, 350.00),
    ("SAP", "SAP S/4HANA Professional User", "Benutzer", 420, 436, 3200.00),
    ("SAP", "SAP S/4HANA Limited Professional User", "Benutzer", 380, 362, 1450.00),
    ("SAP", "SAP Analytics Cloud", "Benutzer", 60, 60, 432.00),
    ("IBM", "SPSS Statistics Base", "Benutzer", 12, 15, 2670.00),
    ("IBM", "Cognos Analytics", "Benutzer", 45, 45, None),
    ("IBM", "Db2 Standard Edition", "PVU", 700, 700, 58.00),
    ("Autodesk", "AutoCAD LT 2025", "Benutzer", 35, 41, 510.00),
    ("Autodesk", "Inventor Professional 2025", "Benutzer", 18, 18, 2870.00),
    ("Autodesk", "Revit 2025", "Benutzer", 8, 9, None),
    ("Citrix", "Citrix DaaS Premium", "Benutzer", 600, 585, 190.00),
    ("Citrix", "NetScaler VPX 1000", "Appliance", 4, 4, 5200.00),
    ("Atlassian", "Jira Data Center", "Benutzer", 1000, 1000, 42.00),
    ("Atlassian", "Confluence Data Center", "Benutzer", 1000, 1000, 36.00),
    ("Atlassian", "Bitbucket Data Center", "Benutzer", 100, 112, 28.00),
    ("Veeam", "Veeam Data Platform Foundation", "Instanz", 150, 164, 165.00),
    ("Veeam", "Veeam ONE", "Instanz", 150, 150, 42.00),
    ("Microsoft", "Windows 11 Enterprise E3", "Gerät", 1900, 1900, 96.00),
    ("Microsoft", "Remote Desktop Services CAL", "Benutzer", 500, 520, 128.00),
    ("Adobe", "Illustrator 2024", "Benutzer", 14, 12, 310.00),
    ("SAP", "SAP BusinessObjects BI", "Benutzer", 90, 90, 780.00),
    ("Oracle", "Database Standard Edition 2", "Prozessor", 8, 8, 17500.00),
    ("VMware", "VMware Horizon Standard", "Benutzer", 250, 250, 95.00),
    ("Autodesk", "Vault Professional", "Benutzer", 18, 18, 990.00),
    ("IBM", "MQ Advanced", "VPC", 8, 10, 4020.00),
    ("Citrix", "Citrix Workspace Premium", "Benutzer", 50, 50, 230.00),
    ("Veeam", "Veeam Backup for Microsoft 365", "Benutzer", 1900, 1950, 2.40),
]

# Contract ends as the licence export states them. Perpetual licences have none; one contract
# ends after the calendar's twelve months, one has already ended (still listed in the export).
RENEWALS = {
    "Citrix DaaS Premium": "31.12.2026",
    "SQL Server 2022 Standard": "15.01.2027",
    "Photoshop Elements 2024": "30.11.2026",
    "Veeam ONE": "30.06.2027",
    "Jira Data Center": "28.02.2027",
    "Confluence Data Center": "28.02.2027",
    "Acrobat Pro 2020": "31.03.2027",
    "SAP Analytics Cloud": "30.04.2027",
    "vSphere Foundation": "31.05.2027",
    "Windows 11 Enterprise E3": "30.06.2027",
    "Citrix Workspace Premium": "31.08.2027",
    "Veeam Backup for Microsoft 365": "30.09.2027",
    "Java SE Universal Subscription": "31.10.2027",
    "MQ Advanced": "30.11.2027",
    "Inventor Professional 2025": "31.07.2026",
}

# (product, seats, share idle, share never used, monthly price)
CLOUD = [
    ("Microsoft 365 E3", 1150, 0.12, 0.03, 33.70),
    ("Microsoft 365 E5", 240, 0.18, 0.05, 54.75),
    ("Power BI Pro", 260, 0.31, 0.12, 13.70),
    ("Visio Plan 2", 110, 0.36, 0.15, 14.00),
    ("Adobe Acrobat Pro (Cloud)", 170, 0.22, 0.06, 21.10),
    ("Miro Business", 90, 0.40, 0.20, 15.00),
]
DEPARTMENTS = [
    "Vertrieb",
    "Einkauf",
    "Produktion",
    "Entwicklung",
    "Finanzen",
    "Personal",
    "IT",
    "Marketing",
    "Logistik",
    "Qualität",
]
FIRST = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elif",
    "Felix",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Quirin",
    "Rosa",
    "Stefan",
    "Tanja",
    "Uwe",
    "Vera",
    "Wolfgang",
    "Xenia",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hofmann",
    "Hartmann",
]

SUCCESSES = [
    (
        date(2026, 1, 20),
        "Oracle-Audit ohne Nachzahlung abgeschlossen",
        "Audit",
        0,
        "",
        "Audit durch Oracle LMS, Feststellung ohne Befund",
    ),
    (
        date(2026, 2, 12),
        "Visio-Lizenzen aus Austritten wiederverwendet",
        "Rückgewinnung",
        9900,
        "",
        "24 Lizenzen neu zugewiesen statt gekauft",
    ),
    (
        date(2026, 3, 5),
        "Adobe-Vertrag auf Named User umgestellt",
        "Einsparung",
        38400,
        "",
        "Neuverhandlung zum Vertragsjahr",
    ),
    (
        date(2026, 3, 28),
        "Genehmigungsprozess für Software-Anträge verkürzt",
        "Prozess",
        0,
        "",
        "Zweistufige Freigabe statt dreistufig",
    ),
    (
        date(2026, 4, 16),
        "Ungenutzte Power-BI-Pro-Lizenzen zurückgegeben",
        "Rückgewinnung",
        6576,
        "",
        "40 Lizenzen zum Verlängerungstermin gekündigt",
    ),
    (
        date(2026, 5, 22),
        "SAP-Nutzertypen neu klassifiziert",
        "Einsparung",
        52000,
        "management",
        "Professional-Nutzer mit geringer Nutzung auf Limited umgestellt",
    ),
    (
        date(2026, 6, 30),
        "Microsoft-EA-Verlängerung: Rabatt gesichert",
        "Einsparung",
        71500,
        "",
        "Preisschutz für drei Jahre",
    ),
    (
        date(2026, 7, 14),
        "Java-Installationen auf OpenJDK umgestellt",
        "Einsparung",
        24300,
        "",
        "135 Arbeitsplätze ohne Oracle-Java",
    ),
    (
        date(2026, 8, 19),
        "Miro-Lizenzen bereinigt",
        "Rückgewinnung",
        5400,
        "",
        "30 Lizenzen nach 120 Tagen Inaktivität entzogen",
    ),
    (
        date(2026, 9, 10),
        "Citrix-Überdeckung beim Renewal abgebaut",
        "Einsparung",
        11400,
        "",
        "60 Lizenzen weniger verlängert",
    ),
    (
        date(2026, 10, 7),
        "Microsoft 365 E5 auf E3 zurückgestuft",
        "Einsparung",
        14800,
        "",
        "58 Benutzer ohne E5-Funktionsnutzung",
    ),
    (
        date(2026, 10, 23),
        "Software-Katalog um Selbstbedienung erweitert",
        "Prozess",
        0,
        "business",
        "Freeware ohne Antrag installierbar",
    ),
]

ACTIONS = [
    (
        "M-01",
        "Nachlizenzierung Windows Server Datacenter klären",
        "risk",
        "in Arbeit",
        "",
        "Lizenzmanagement",
        date(2026, 11, 30),
        "Windows Server 2022 Datacenter",
        "",
    ),
    (
        "M-02",
        "SQL Server Enterprise: Downgrade auf Standard prüfen",
        "risk",
        "offen",
        "",
        "IT-Betrieb",
        date(2026, 10, 15),
        "SQL Server 2022 Enterprise",
        "",
    ),
    (
        "M-03",
        "Oracle Database EE: Prozessorzählung mit Oracle abstimmen",
        "risk",
        "in Arbeit",
        "",
        "Lizenzmanagement",
        date(2026, 9, 30),
        "Database Enterprise Edition",
        "",
    ),
    (
        "M-04",
        "Acrobat-Bedarf mit Fachbereichen abgleichen",
        "risk",
        "blockiert",
        "Budgetfreigabe 2027 (Finanzen)",
        "IT-Einkauf",
        date(2026, 12, 15),
        "Acrobat Pro 2020",
        "",
    ),
    (
        "M-05",
        "Ungenutzte Power-BI-Lizenzen entziehen",
        "cloud_sprawl",
        "in Arbeit",
        "",
        "Cloud-Administration",
        date(2026, 11, 15),
        "Power BI Pro",
        "",
    ),
    (
        "M-06",
        "Miro-Nutzung zum Renewal bewerten",
        "cloud_sprawl",
        "offen",
        "",
        "IT-Einkauf",
        date(2027, 1, 31),
        "Miro Business",
        "",
    ),
    (
        "M-07",
        "Preise für IBM Cognos und Autodesk Revit erfassen",
        "open_issues",
        "offen",
        "",
        "Lizenzmanagement",
        date(2026, 10, 31),
        "",
        "",
    ),
    (
        "M-08",
        "Austrittsprozess: automatische Lizenzrücknahme",
        "cloud_sprawl",
        "blockiert",
        "Betriebsvereinbarung zur Lizenzrücknahme (Betriebsrat)",
        "IT-Service-Management",
        date(2026, 8, 31),
        "",
        "",
    ),
    (
        "M-09",
        "vSphere-Cores nach Migration neu zählen",
        "risk",
        "offen",
        "",
        "IT-Betrieb",
        None,
        "vSphere Foundation",
        "",
    ),
    (
        "M-10",
        "Oracle-Audit-Dokumentation archivieren",
        "open_issues",
        "erledigt",
        "",
        "Lizenzmanagement",
        date(2026, 3, 31),
        "",
        "",
    ),
    (
        "M-11",
        "Software-Antragsformular vereinfachen",
        "open_issues",
        "erledigt",
        "",
        "IT-Service-Management",
        date(2026, 6, 30),
        "",
        "",
    ),
    (
        "M-12",
        "Visio-Lizenzen: Zuweisung nach Nutzung",
        "cloud_sprawl",
        "offen",
        "",
        "Cloud-Administration",
        date(2026, 11, 20),
        "Visio Plan 2",
        "",
    ),
]


def german_number(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# Gaps closed during the autumn: (product, extra demand in August, in September).
EARLIER_GAPS = {
    "Windows Server 2022 Datacenter": (48, 32),
    "Database Enterprise Edition": (2, 0),
    "Visio Professional 2021": (12, 4),
    "Remote Desktop Services CAL": (40, 20),
}
MONTHS = (date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31))
IDLE_FACTOR = {8: 1.3, 9: 1.15, 10: 1.0}  # seats reclaimed month by month


def licence_csv(report: date = REPORT_DATE) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
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
    for publisher, product, metric, owned, required, price in LICENCES:
        if report.month in (8, 9):
            required += EARLIER_GAPS.get(product, (0, 0))[report.month - 8]
        writer.writerow(
            [
                publisher,
                product,
                metric,
                german_number(owned, 0),
                german_number(required, 0),
                german_number(owned - required, 0),
                german_number(price) if price is not None else "",
                RENEWALS.get(product, ""),
            ]
        )
    return out.getvalue().encode("cp1252")  # as German Excel saves "CSV (Trennzeichen-getrennt)"


def cloud_csv(rng: random.Random, report: date = REPORT_DATE) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Benutzer", "Produkt", "Zugewiesen am", "Letzte Aktivität", "Abteilung", "Stichtag"])
    users = []
    for i in range(1300):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        users.append(
            (
                f"{first.lower()}.{last.lower()}{i:04d}@muster-gmbh.example".replace("ü", "ue").replace("ö", "oe"),
                rng.choice(DEPARTMENTS),
            )
        )
    factor = IDLE_FACTOR[report.month]
    for product, seats, idle_share, never_share, _ in CLOUD:
        holders = rng.sample(users, seats) if seats <= len(users) else users
        n_never = round(seats * never_share * factor)
        n_idle = round(seats * idle_share * factor) - n_never
        for k, (upn, dept) in enumerate(holders):
            assigned = report - timedelta(days=rng.randint(120, 900))
            if k < n_never:
                last = ""
            elif k < n_never + n_idle:
                last = (report - timedelta(days=rng.randint(91, 400))).strftime("%d.%m.%Y")
            else:
                last = (report - timedelta(days=rng.randint(0, 90))).strftime("%d.%m.%Y")
            writer.writerow([upn, product, assigned.strftime("%d.%m.%Y"), last, dept, report.strftime("%d.%m.%Y")])
    return out.getvalue().encode("utf-8-sig")


CATALOG = [
    "Adobe Acrobat Pro",
    "Microsoft Visio Plan 2",
    "Microsoft Project Plan 3",
    "Power BI Pro",
    "AutoCAD LT",
    "SPSS Statistics",
    "Miro Business",
    "Snagit",
    "Notepad++",
    "Jira Software",
]
BUDGET = [
    ("IT-Infrastruktur", "Lizenzen", 420000, 318500, 42000),
    ("IT-Infrastruktur", "Wartung", 180000, 151200, 0),
    ("Arbeitsplatz", "Abonnements", 760000, 655300, 38400),
    ("Vertrieb", "Abonnements", 96000, 71800, 14200),
    ("Entwicklung", "Lizenzen", 140000, 129900, 22600),
    ("Produktion", "Lizenzen", 210000, 149000, 0),
    ("Finanzen", "Wartung", 65000, 52000, 0),
    ("Marketing", "Abonnements", 48000, 47600, 6200),
]
NEWS = """\
# News flash of the example workspace (see README: news.yaml).
items:
  - date: 2026-10-01
    title: Software-Anträge jetzt im Servicekatalog
    text: Alle Software-Anträge laufen ab sofort über den Servicekatalog – mit Statusanzeige.
    audiences: [business, itsm]
  - date: 2026-10-15
    title: Freeware ohne Antrag
    text: Über 40 geprüfte Freeware-Programme lassen sich im Software-Center selbst installieren.
    audiences: [business]
    valid_until: 2026-12-31
  - date: 2026-10-20
    title: Microsoft-365-Lizenzen werden nach 90 Tagen Inaktivität entzogen
    text: Wer eine Lizenz 90 Tage nicht nutzt, erhält eine Erinnerung; nach weiteren 14 Tagen geht sie zurück in den Pool.
  - date: 2026-07-01
    title: Oracle-Audit bestanden
    text: Das Audit endete ohne Nachforderung.
    valid_until: 2026-09-30
"""


def requests_csv(rng: random.Random, report: date = REPORT_DATE) -> bytes:
    """ServiceNow sc_req_item list export: field names as headers, display values, cp1252."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(
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
    start = date(2026, 6, 20)
    for i in range(600):
        opened = start + timedelta(days=rng.randint(0, 133), hours=0)
        approval_wait = rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 14])
        fulfil = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12])
        if opened.month >= 9:  # the new catalogue makes each month faster
            approval_wait = max(0, approval_wait - (opened.month - 8))
        if opened > report:
            continue  # not yet requested when this export was taken
        approved = opened + timedelta(days=approval_wait)
        closed = approved + timedelta(days=fulfil)
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        dept = rng.choice(DEPARTMENTS[:-1] + ["Vertrieb", "Vertrieb", "Entwicklung"])
        if dept == "Qualität":
            dept = "Vertrieb"
        row = [
            f"RITM{10200 + i:07d}",
            f"REQ{10100 + i:07d}",
            rng.choice(CATALOG),
            person,
            dept,
            f"{opened} 09:{i % 60:02d}:00",
        ]
        if approved > report:
            row += ["Requested", "", "Waiting for Approval", "Open", ""]
        elif closed > report:
            row += ["Approved", f"{approved} 14:00:00", "Fulfillment", "Work in Progress", ""]
        else:
            row += ["Approved", f"{approved} 14:00:00", "Completed", "Closed Complete", f"{closed} 16:30:00"]
        writer.writerow(row)
    for i, (age, dept) in enumerate([(45, "Produktion"), (38, "Vertrieb"), (33, "Einkauf"), (21, "Entwicklung")]):
        opened = report - timedelta(days=age)
        writer.writerow(
            [
                f"RITM{10900 + i:07d}",
                f"REQ{10900 + i:07d}",
                "SPSS Statistics",
                "Jörg Schäfer",
                dept,
                f"{opened} 10:00:00",
                "Requested",
                "",
                "Waiting for Approval",
                "Open",
                "",
            ]
        )
    return out.getvalue().encode("cp1252")


def main() -> None:
    sys.path.insert(0, str(HERE.parent / "src"))
    from sambrief.commands.init import register_workbook

    DATA.mkdir(parents=True, exist_ok=True)
    for old in ("lizenzbilanz.csv", "cloud_lizenzen.csv", "servicenow_sc_req_item.csv"):
        (DATA / old).unlink(missing_ok=True)
    # One folder of exports per month, as the team saves them: data/{period}/...
    for report in MONTHS:
        folder = DATA / f"{report:%Y-%m}"
        folder.mkdir(exist_ok=True)
        (folder / "lizenzbilanz.csv").write_bytes(licence_csv(report))
        (folder / "cloud_lizenzen.csv").write_bytes(cloud_csv(random.Random(20261031), report))
        (folder / "servicenow_sc_req_item.csv").write_bytes(requests_csv(random.Random(20261101), report))
    (DATA / "successes.xlsx").write_bytes(register_workbook("successes", "de", [list(r) for r in SUCCESSES]))
    (DATA / "actions.xlsx").write_bytes(register_workbook("actions", "de", [list(r) for r in ACTIONS]))
    (DATA / "budget.xlsx").write_bytes(register_workbook("budget", "de", [list(r) for r in BUDGET]))
    (HERE / "news.yaml").write_text(NEWS, encoding="utf-8")
    print(f"wrote example exports to {DATA}")


if __name__ == "__main__":
    main()
