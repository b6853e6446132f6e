#!/usr/bin/python3
"""Writes the fixture workbooks that come from a program other than excelize.

Run from sync/testdata with Debian's python3-openpyxl:

    /usr/bin/python3 make_openpyxl.py

openpyxl_membres.xlsx   a French membership sheet under a title block with
                        merged cells, next to a French issues register; the
                        sheets are found by their headers.
openpyxl_1904.xlsx      an issues register in the 1904 date system, with
                        target dates as dates and as text.
"""
import datetime

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

MEMBERS_HEADER = ["Nom", "Courriel", "Organisation", "Ordre de gouvernement",
                  "Province ou territoire", "Rôle", "Statut", "Date d'adhésion"]

# The membership of the issue-2 scenario: provinces written "Québec", "qc",
# "C.-B." and "Terre-Neuve-et-Labrador", an inactive member (the only one
# from Ontario), an e-mail repeated in another case (row 10 repeats row 5)
# and a typo in a province (row 13).
MEMBERS = [
    ["Marie Tremblay", "marie.tremblay@mcn.gouv.qc.ca", "Ministère de la Cybersécurité et du Numérique", "Provincial", "Québec", "Coprésidente", "Actif", datetime.date(2021, 3, 15)],
    ["Jean Gagnon", "jean.gagnon@servicesquebec.gouv.qc.ca", "Services Québec", "Provincial/territorial", "qc", "Membre", "Actif", datetime.date(2021, 9, 1)],
    ["Priya Singh", "priya.singh@gov.bc.ca", "Service BC", "Provincial", "C.-B.", "Membre", "Actif", "2022-01-10"],
    ["Kevin Walsh", "kevin.walsh@gov.nl.ca", "Service NL", "Provincial", "Terre-Neuve-et-Labrador", "Membre", "Actif", datetime.date(2022, 5, 2)],
    ["Sarah Miller", "sarah.miller@ontario.ca", "ServiceOntario", "Provincial", "Ontario", "Membre", "Inactif", datetime.date(2020, 2, 20)],
    ["Marie Tremblay", "Marie.Tremblay@MCN.gouv.qc.ca", "Ministère de la Cybersécurité et du Numérique", "Provincial", "Québec", "Coprésidente", "Actif", datetime.date(2023, 1, 9)],
    ["Luc Bergeron", "luc.bergeron@servicecanada.gc.ca", "Service Canada", "Fédéral", None, "Coprésident", "Actif", datetime.date(2021, 3, 15)],
    ["Amélie Roy", "amelie.roy@montreal.ca", "Ville de Montréal", "Municipal", "Québec", "Membre", "Actif", "15 mars 2022"],
    ["Tom Fraser", "tom.fraser@gov.ab.ca", "Service Alberta", "Provincial", "Albreta", "Membre", "Actif", datetime.date(2022, 11, 30)],
]

ISSUES_HEADER = ["Enjeu", "Criticité", "Incidence", "Plan d'action", "Responsable", "Statut", "Échéance"]


def title_block(ws, width, lines):
    for i, text in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=text).font = Font(bold=True, size=14 if i == 1 else 11)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)


def membres():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Membres"
    title_block(ws, len(MEMBERS_HEADER), [
        "Communauté de pratique du centre de services",
        "Liste des membres (mise à jour : mars 2024)",
    ])
    ws.append([])
    ws.append(MEMBERS_HEADER)
    for row in MEMBERS:
        ws.append(row)
    for r in range(5, 5 + len(MEMBERS)):
        if isinstance(ws.cell(row=r, column=8).value, datetime.date):
            ws.cell(row=r, column=8).number_format = "yyyy-mm-dd"
    # A blank row, then a row formatted but empty: neither is flagged.
    fill = PatternFill("solid", fgColor="FFFF00")
    for c in range(1, len(MEMBERS_HEADER) + 1):
        ws.cell(row=15, column=c).fill = fill
    ws.row_dimensions[16].height = 30

    issues = wb.create_sheet("Enjeux")
    title_block(issues, len(ISSUES_HEADER), ["Enjeux et défis"])
    issues.append([])
    issues.append(ISSUES_HEADER)
    issues.append(["Le groupe n'a aucun représentant de T.-N.-L., de l'Î.-P.-É., du Nunavut et du Yukon", None, None,
                   "Demander aux membres du Conseil de ces provinces et territoires de nommer un représentant",
                   "Coprésidents", "Ouvert", datetime.date(2023, 1, 31)])
    issues.append(["Trouver des conférenciers", "Moyenne", "Faible", "Solliciter les membres", "Secrétariat",
                   "Ouvert", "15 octobre 2022"])
    issues.cell(row=4, column=7).number_format = "yyyy-mm-dd"
    wb.save("openpyxl_membres.xlsx")


def dates_1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Issues"
    ws.append(["Issue", "Criticality", "Incidence", "Action plan", "Status", "Target date"])
    ws.append(["Date as a date", "High", "Low", "Plan A", "Open", datetime.date(2022, 10, 15)])
    ws.append(["Date as text", "Medium", "Medium", "Plan B", "Open", "2023-01-31"])
    ws.append(["Date as French text", "Low", "High", "Plan C", "Open", "1er février 2023"])
    ws.append(["Date on 29 February", "Low", "Low", "Plan D", "Closed", datetime.date(2024, 2, 29)])
    for r in (2, 5):
        ws.cell(row=r, column=6).number_format = "yyyy-mm-dd"
    wb.save("openpyxl_1904.xlsx")


if __name__ == "__main__":
    membres()
    dates_1904()
