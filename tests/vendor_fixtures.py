"""Vendor export fixtures built from the documented headers (shared/reference/export-layouts.md)
with their documented quirks: BOM, cp1252, '+'-joined lists, concealed names, title blocks."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook

# One licence position, written in every licence layout:
# Visio short 23 x 412.50 = 9,487.50; Acrobat surplus 10; Oracle DB short 4 x 47,500 = 190,000.
POSITION = [
    ("Microsoft", "Visio Professional", 120, 143, 412.50),
    ("Adobe", "Acrobat Pro", 210, 200, 449.00),
    ("Oracle", "Database Enterprise Edition", 16, 20, 47500.00),
]
EXPECTED_SHORTFALLS = {"Visio Professional": 23.0, "Database Enterprise Edition": 4.0}
EXPECTED_EXPOSURE = 199487.5


def xlsx(rows: list[list], sheet: str = "Sheet1", extra_sheets: dict[str, list[list]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for name, extra in (extra_sheets or {}).items():
        other = wb.create_sheet(name, 0)
        for row in extra:
            other.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def flexera_compliance_csv(unlicensed: bool = False) -> bytes:
    lines = ["License Name,Publisher,Product,License Type,Consumed,Shortfall/Availability,Price per right,License Cost (EUR),Compliance Cost (EUR)"]
    for pub, prod, owned, used, price in POSITION:
        gap = owned - used
        lines.append(f"{pub} {prod} 2021,{pub},{prod},User,{used},{gap},{price:.2f},{used * price:.2f},{gap * price:.2f}")
    if unlicensed:
        lines.append("No License For Product Installations,Adobe,Photoshop,Unlicensed,37,-37,0,0,0")
    return ("\n".join(lines) + "\n").encode("utf-8")


def flexera_license_list_xlsx_de() -> bytes:
    rows = [["Name", "Herausgeber", "Produkt (primär)", "Lizenztyp", "Berechtigungen insgesamt", "Verbraucht", "Verfügbare Berechtigungen", "Compliance-Status"]]
    for pub, prod, owned, used, _ in POSITION:
        rows.append([f"{pub} {prod}", pub, prod, "Benutzer", owned, used, owned - used, "Gefährdet" if used > owned else "Konform"])
    return xlsx(rows, "Lizenzen")


def snow_compliance_xlsx_de() -> bytes:
    rows = [["Anwendung", "Hersteller", "Lizenzen gesamt", "Lizenzbedarf", "Verfügbare Lizenzen", "Abdeckung", "Compliance", "Kosten"]]
    for pub, prod, owned, used, price in POSITION:
        covered = min(owned, used)
        rows.append([prod, pub, owned, used, max(owned - used, 0), covered, covered - used, owned * price])
    return xlsx(rows, "Compliance summary")


def snow_compliance_csv_en() -> bytes:
    lines = ["Application,Manufacturer,Total licenses,License requirement,Available licenses,Coverage,Compliance,Cost"]
    for pub, prod, owned, used, price in POSITION:
        covered = min(owned, used)
        lines.append(f'{prod},{pub} Corporation,{owned},{used},{max(owned - used, 0)},{covered},{covered - used},"{owned * price:,.2f}"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def servicenow_position_csv() -> bytes:
    head = ("software_publisher,software_product,edition,version,software_model_status,license_metric,total_spend,rights_owned,"
            "rights_used,rights_needed,rights_available,unlicensed_installs,true_up_cost,potential_savings,over_licensed_amount,software_model")
    lines = [",".join(f'"{h}"' for h in head.split(","))]
    for pub, prod, owned, used, price in POSITION:
        need = max(used - owned, 0)
        cells = [pub, prod, "Pro", "2021", "Not Compliant" if need else "Compliant", "Per User", f"{owned * price:.0f}", owned, used, need,
                 max(owned - used, 0), need, f"{need * price:.2f}", 0, 0, f"{pub} {prod} – Standard"]
        lines.append(",".join(f'"{c}"' for c in cells))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")  # ServiceNow's default CSV charset


def servicenow_position_xlsx() -> bytes:
    rows = [["Software publisher", "Software product", "Edition", "Version", "Software model status", "License metric", "Total spend",
             "Rights owned", "Rights used", "Rights needed", "Rights available", "Unlicensed installs", "True-up cost",
             "Potential savings", "Over-licensed amount", "Software model"]]
    for pub, prod, owned, used, price in POSITION:
        need = max(used - owned, 0)
        rows.append([pub, prod, "Pro", "2021", "Not Compliant" if need else "Compliant", "Per User", owned * price, owned, used, need,
                     max(owned - used, 0), need, need * price, 0, 0, f"{pub} {prod}"])
    return xlsx(rows, "License Position")


def matrix42_report_xlsx() -> bytes:
    rows = [
        ["Report – Software Compliance"],
        ["Muster GmbH", None, "Stichtag: 31.10.2026"],
        ["Top 10 Software Products with Failed Compliance"],
        [],
        ["Hersteller", "Softwareprodukt", "Lizenzmodell", "Verfügbar", "Benötigt", "Preis pro Lizenz (EUR)", "Organisationseinheit"],
    ]
    for pub, prod, owned, used, price in POSITION:
        rows.append([pub, prod, "Benutzer", owned, used, price, "Zentrale"])
    rows.append(["Gesamt", None, None, sum(p[2] for p in POSITION), sum(p[3] for p in POSITION), None, None])
    return xlsx(rows, "Compliance", {"Deckblatt": [["Matrix42 Report"], ["Erstellt am 31.10.2026"]]})


# --- cloud seats -----------------------------------------------------------------
M365_HEADER = ("Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Has Exchange License,Has OneDrive License,"
               "Has SharePoint License,Has Skype For Business License,Has Yammer License,Has Teams License,Exchange Last Activity Date,"
               "OneDrive Last Activity Date,SharePoint Last Activity Date,Skype For Business Last Activity Date,Yammer Last Activity Date,"
               "Teams Last Activity Date,Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date,"
               "Skype For Business License Assign Date,Yammer License Assign Date,Teams License Assign Date,Assigned Products")
M365_USERS = [
    # upn, display, deleted, exchange, teams, products
    ("anna.mueller@contoso.example", "Anna Müller", False, "2026-10-20", "2026-10-28", "MICROSOFT 365 E3+MICROSOFT 365 COPILOT"),
    ("5C807787F0A30D1C3CDBB76DC1ED3CAB", "5C807787F0A30D1C3CDBB76DC1ED3CAB", False, "", "", "MICROSOFT 365 E3"),
    ("A1B2C3D4E5F60718293A4B5C6D7E8F90", "A1B2C3D4E5F60718293A4B5C6D7E8F90", False, "2026-05-02", "", "MICROSOFT 365 E3+Enterprise Mobility + Security E3"),
    ("ben.schulz@contoso.example", "Ben Schulz", False, "", "2026-09-15", "MICROSOFT 365 E5"),
    ("gone@contoso.example", "Gone User", True, "2026-01-01", "", "MICROSOFT 365 E3"),
]
# Report date 2026-10-31, 90 days -> active from 2026-08-02 on.
# Seats: anna E3 (active), anna Copilot (active), 5C8 E3 (never), A1B E3 (idle: May), A1B EMS (idle), ben E5 (active).
M365_EXPECTED = {"seats_assigned": 6, "seats_idle": 3, "seats_never_used": 1, "users": 4}


def m365_active_users_csv() -> bytes:
    lines = [M365_HEADER]
    for upn, display, deleted, exchange, teams, products in M365_USERS:
        cells = ["2026-10-31", upn, display, str(deleted), "2026-02-01" if deleted else "", "True", "True", "True", "False", "False", "True",
                 exchange, "", "", "", "", teams, "2024-01-15", "2024-01-15", "2024-01-15", "", "", "2024-01-15", products]
        lines.append(",".join(cells))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def m365_export_users_csv() -> bytes:
    lines = ["Display name,DirSyncEnabled,User principal name,Object Id,First name,Last name,When created,Soft deletion time stamp,Title,"
             "Department,Preferred data location,City,CountryOrRegion,Office,StateOrProvince,Usage location,Last dirsync time,"
             "Block credential,Licenses,Password never expires,Last password change time stamp,Mobile Phone,Phone number,"
             "Postal code,Preferred language,Street address,Fax,Proxy addresses"]
    for i, (name, lic, blocked) in enumerate([("Anna Müller", "Microsoft 365 E3+Power BI Pro", "False"), ("Ben Schulz", "Unlicensed", "False"),
                                              ("Clara Weber", "Microsoft 365 E3", "True")]):
        upn = name.lower().replace(" ", ".").replace("ü", "ue") + "@contoso.example"
        lines.append(f"{name},True,{upn},7cc0c81b-0000-4000-8000-00000000000{i},{name.split()[0]},{name.split()[1]},2022-03-18 19:49:35Z,,,"
                     f"Vertrieb,,Berlin,DE,,,DE,2021-09-05 23:19:44Z,{blocked},{lic},False,2022-03-18 19:49:35Z,,,,,,,SMTP:{upn}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def google_users_csv() -> bytes:
    head = ("First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],"
            "Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Status [READ ONLY],Last Sign In [READ ONLY],Recovery Email,"
            "Home Secondary Email,Work Secondary Email,Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,Mobile Phone,"
            "Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center,2sv Enrolled [READ ONLY],"
            "2sv Enforced [READ ONLY],Building ID,Floor Name,Floor Section,Email Usage [READ ONLY],Drive Usage [READ ONLY],"
            "Total Storage [READ ONLY],Change Password at Next Sign-In,New Status [UPLOAD ONLY]")
    n = len(head.split(","))
    rows = [head]
    for first, last, status, sign_in in [("Abdul", "Rachman", "Active", "2026/10/04 00:24:13"), ("Eva", "Lang", "Active", "Never logged in"),
                                         ("Tom", "Berg", "Suspended", "2026/10/30 08:00:00"), ("Ute", "Alt", "Active", "2026/03/01 10:00:00")]:
        cells = [first, last, f"{first.lower()}@example.org", "****", "", "/", "", status, sign_in] + [""] * (n - 9)
        cells[22] = "Vertrieb"
        rows.append(",".join(cells))
    return ("\n".join(rows) + "\n").encode("utf-8")


def atlassian_users_csv() -> bytes:
    lines = ["User id,User name,email,User status,Added to org,Org role,Last seen in Jira Software - musterco,Last seen in Confluence - musterco"]
    lines.append("712020:978521a6-1,Anna Müller,anna@muster.example,Active,3 Jan 2024,Basic,28 Oct 2026,Never accessed")
    lines.append("712020:978521a6-2,Ben Schulz,ben@muster.example,Active,3 Jan 2024,Basic,3 Jan 2025,")
    lines.append("712020:978521a6-3,Clara Weber,clara@muster.example,Active,3 Jan 2024,Admin,,15 Oct 2026")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- requests ----------------------------------------------------------------------
def servicenow_ritm_csv() -> bytes:
    lines = ['"number","request","cat_item","requested_for","opened_at","approval","stage","state","closed_at"']
    lines.append('"RITM0010231","REQ0010198","Adobe Acrobat Pro","Anna Müller","2024-03-04 09:12:44","Approved","Completed","Closed Complete","2024-03-07 16:03:10"')
    lines.append('"RITM0010232","REQ0010199","Microsoft Visio","Jörg Schäfer","2024-03-05 10:00:00","Requested","Waiting for Approval","Open",""')
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def servicenow_ritm_xlsx() -> bytes:
    rows = [["Number", "Request", "Item", "Requested for", "Opened", "Approval", "Stage", "State", "Closed"],
            ["RITM0010231", "REQ0010198", "Adobe Acrobat Pro", "Anna Müller", datetime(2024, 3, 4, 9, 12, 44), "Approved", "Completed",
             "Closed Complete", datetime(2024, 3, 7, 16, 3, 10)]]
    return xlsx(rows, "Page 1")


LAYOUT_FIXTURES = {
    "flexera_compliance": ("flexera.csv", flexera_compliance_csv),
    "flexera_license_list": ("flexera-lizenzen.xlsx", flexera_license_list_xlsx_de),
    "snow_compliance_summary": ("snow.xlsx", snow_compliance_xlsx_de),
    "servicenow_license_position_fields": ("sn-position.csv", servicenow_position_csv),
    "servicenow_license_position": ("sn-position.xlsx", servicenow_position_xlsx),
    "matrix42_compliance_report": ("m42.xlsx", matrix42_report_xlsx),
    "m365_active_users": ("m365-active.csv", m365_active_users_csv),
    "m365_export_users": ("m365-users.csv", m365_export_users_csv),
    "google_workspace_users": ("google.csv", google_users_csv),
    "atlassian_export_users": ("atlassian.csv", atlassian_users_csv),
    "servicenow_requested_items_fields": ("ritm.csv", servicenow_ritm_csv),
    "servicenow_requested_items": ("ritm.xlsx", servicenow_ritm_xlsx),
}
