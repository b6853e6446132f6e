#!/usr/bin/python3
"""Re-open copsync workbooks with openpyxl, a reader independent of the one
that wrote them, and check what a person would look for.

    check_report.py REPORT.xlsx [EXPECT.json]
    check_report.py --starter DIR

REPORT.xlsx is a report written by `copsync report`. EXPECT.json may set:
  "counts": {"active": 80, "federal": 5, "pt": 21, "municipal": 21}
  "missing": ["NL", "PE", "NU", "YT"]   provinces/territories not represented
  "issue_missing": "text of an issue whose criticality and incidence are empty"
  "text_cells": ["=HYPERLINK(...)"]    values that must be found as plain text
  "members": true|false                  whether the membership list is in
Without EXPECT.json the values of the bundled examples are expected.

With --starter, DIR holds the starter workbooks of `copsync init`.

It prints one line per check and ends with "checks: N passed, M failed";
its exit status is 1 when a check failed, 2 on bad usage.
"""

import json
import os
import re
import sys

import openpyxl
from openpyxl.utils import range_boundaries, get_column_letter

SHEETS = {
    "en": ["Summary", "Coverage", "Issues", "Activities", "Findings", "Members"],
    "fr": ["Sommaire", "Couverture", "Enjeux", "Activités", "Constats", "Membres"],
}
SHEETS["both"] = ["%s - %s" % p for p in zip(SHEETS["en"], SHEETS["fr"])]


def without_activities(names):
    return [n for i, n in enumerate(names) if i != 3]

NAMES = {
    "NL": ("Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    "PE": ("Prince Edward Island", "Île-du-Prince-Édouard"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"),
    "NB": ("New Brunswick", "Nouveau-Brunswick"),
    "QC": ("Quebec", "Québec"),
    "ON": ("Ontario", "Ontario"),
    "MB": ("Manitoba", "Manitoba"),
    "SK": ("Saskatchewan", "Saskatchewan"),
    "AB": ("Alberta", "Alberta"),
    "BC": ("British Columbia", "Colombie-Britannique"),
    "YT": ("Yukon", "Yukon"),
    "NT": ("Northwest Territories", "Territoires du Nord-Ouest"),
    "NU": ("Nunavut", "Nunavut"),
}

COUNT_LABELS = {
    "active": ("Active members", "Membres actifs"),
    "federal": ("Federal departments and agencies", "Ministères et organismes fédéraux"),
    "pt": ("Provincial or territorial ministries", "Ministères provinciaux ou territoriaux"),
    "municipal": ("Municipalities", "Municipalités"),
}

EXAMPLES = {
    "counts": {"active": 80, "federal": 5, "pt": 21, "municipal": 21},
    "missing": ["NL", "PE", "NU", "YT"],
    "text_cells": [],
}

RED = "FFC7CE"
CELL = re.compile(r"^[A-Z]{1,3}[0-9]+$")


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            print("ok   " + what)
        else:
            self.failed += 1
            print("FAIL " + what)
        return ok

    def done(self):
        print("checks: %d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def fill(cell):
    f = cell.fill
    if f is None or f.fill_type != "solid" or f.fgColor is None or f.fgColor.rgb is None:
        return ""
    rgb = f.fgColor.rgb
    return rgb[-6:].upper() if isinstance(rgb, str) else ""


def text(v):
    return "" if v is None else str(v)


def cells(ws):
    for row in ws.iter_rows():
        for c in row:
            yield c


def check_report(path, expect, ck):
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    lang = next((l for l, s in SHEETS.items() if s == names or without_activities(s) == names), None)
    ck.check(lang is not None, "sheets in order: %s" % names)
    if lang is None:
        return
    langs = ["en", "fr"] if lang == "both" else [lang]
    summary, coverage, issues = (wb[n] for n in names[:3])
    findings, members = wb[names[-2]], wb[names[-1]]

    # No formula anywhere: spreadsheet data never becomes one.
    formulas = [(ws.title, c.coordinate) for ws in wb.worksheets for c in cells(ws) if c.data_type == "f"]
    ck.check(not formulas, "no formula in the workbook %s" % formulas[:5])
    for want in expect.get("text_cells", []):
        found = [c for ws in wb.worksheets for c in cells(ws) if c.value == want]
        ck.check(found and all(c.data_type == "s" for c in found),
                 "%r is stored as text (%d cells)" % (want, len(found)))

    # The Summary's membership counts.
    for key, want in expect.get("counts", {}).items():
        labels = [COUNT_LABELS[key][0 if l == "en" else 1] for l in langs]
        got = None
        for row in summary.iter_rows(min_col=1, max_col=2):
            a, b = row
            if isinstance(a.value, str) and all(l in a.value for l in labels):
                got = b.value
                break
        ck.check(got == want, "Summary shows %s = %r (want %r)" % (key, got, want))

    # The Summary names the provinces and territories not represented.
    missing = expect.get("missing", [])
    sentences = {"en": "are not represented", "fr": "ne sont pas représentés"}
    if len(missing) == 1:
        sentences = {"en": "is not represented", "fr": "n'est pas représenté"}
    if missing:
        for l in langs:
            i = 0 if l == "en" else 1
            lines = [line for c in summary["A"] if isinstance(c.value, str)
                     for line in c.value.split("\n") if sentences[l] in line]
            ok = len(lines) == 1
            if ok:
                ok = all(NAMES[code][i] in lines[0] for code in missing)
                ok = ok and not any(n[i] in lines[0] for code, n in NAMES.items() if code not in missing)
            ck.check(ok, "Summary (%s) names %s as not represented: %r" % (l, ",".join(missing), lines))

    # Coverage: the 13 provinces and territories, those not represented red.
    rows = {c.value: c.row for c in coverage["A"] if c.value in NAMES}
    ck.check(len(rows) == 13, "Coverage lists the 13 provinces and territories")
    for code, r in sorted(rows.items()):
        red = all(fill(coverage.cell(row=r, column=c)) == RED for c in range(1, 6))
        want = code in missing
        ck.check(red == want, "Coverage row %s %s" % (code, "is red" if want else "is not red"))
    ck.check(len(getattr(coverage, "_charts", [])) >= 1, "Coverage has a chart")

    # Issues: the register as read, missing cells marked.
    markers = ["(empty)", "(vide)"]
    head = None
    for row in issues.iter_rows():
        if any(isinstance(c.value, str) and ("Missing" in c.value or "Manquant" in c.value) for c in row):
            head = row[0].row
            break
    ck.check(head is not None, "Issues has its header row")
    if head is not None:
        titles = {c.column: text(c.value).lower() for c in issues[head]}
        crit = [k for k, v in titles.items() if "critic" in v or "priorit" in v]
        inc = [k for k, v in titles.items() if "incidence" in v or "impact" in v]
        ck.check(bool(crit and inc), "Issues has criticality and incidence columns")
        marked = []
        for r in range(head + 1, issues.max_row + 1):
            cs = [issues.cell(row=r, column=k[0]) for k in (crit, inc) if k]
            if len(cs) == 2 and all(any(m in text(c.value) for m in markers) and fill(c) for c in cs):
                marked.append(r)
        want = expect.get("issue_missing")
        if want:
            issue_rows = [c.row for c in cells(issues) if text(c.value) == want]
            ck.check(bool(issue_rows) and issue_rows[0] in marked,
                     "Issues marks the empty criticality and incidence of %r" % want)
        else:
            ck.check(bool(marked), "Issues marks an issue's empty criticality and incidence (rows %s)" % marked)
        ck.check(len(issues.tables) == 1, "Issues is an Excel table")
        ck.check(issues.freeze_panes == "A%d" % (head + 1), "Issues header is frozen (%s)" % issues.freeze_panes)

    # Findings: every finding's cell links to that cell in its source.
    head = {text(c.value): c.column for c in findings[1]}
    cell_col = next((v for k, v in head.items() if k.startswith("Cell") or k.startswith("Cellule")), None)
    sheet_col = next((v for k, v in head.items() if k.startswith("Sheet") or k.startswith("Feuille")), None)
    ck.check(cell_col and sheet_col, "Findings has Sheet and Cell columns")
    links = bad = 0
    for r in range(2, findings.max_row + 1):
        c = findings.cell(row=r, column=cell_col)
        ref = text(c.value)
        if not CELL.match(ref):
            continue
        sheet = text(findings.cell(row=r, column=sheet_col).value)
        source = text(findings.cell(row=r, column=head.get("Source", 0) or 1).value)
        if not expect.get("members", True) and source.startswith("Membership"):
            continue  # the membership is left out: there is no copy to link to
        # A link to the copy of the cell inside the workbook: no relationship,
        # a location; the copy keeps the source's address.
        loc = c.hyperlink.location if c.hyperlink is not None else None
        ok = loc is not None and loc.endswith("!" + ref) and loc.split("!")[0].strip("'").replace("''", "'") in names
        links += 1
        if not ok:
            bad += 1
            print("     %s: %s links to %r" % (c.coordinate, ref, loc))
    ck.check(links > 0 and bad == 0, "Findings: %d cells link to their copy in the workbook, %d do not" % (links - bad, bad))
    targets = [c.hyperlink.target for ws in wb.worksheets for c in cells(ws) if c.hyperlink is not None and c.hyperlink.target]
    ck.check(not any(t.startswith("file:") for t in targets), "no file: link (%d external links)" % len(targets))
    ck.check(len(findings.tables) == 1 and findings.freeze_panes == "A2", "Findings is an Excel table with a frozen header")

    # Members: the membership as read, unless left out.
    if expect.get("members", True):
        ck.check(len(members.tables) == 1, "Members is an Excel table")
    else:
        ck.check(members.max_row <= 1 and not members.tables, "Members is left out")

    ck.check(wb.properties.title and wb.properties.created is not None, "document properties: title and creation date")
    for ws in wb.worksheets:
        ps = ws.page_setup
        scale = int(ps.scale or 100)
        ck.check(ps.paperSize in (1, "1") and ps.orientation in ("portrait", "landscape") and scale * 11 / 100 >= 9,
                 "%s prints on Letter, %s, at %d %% (body text %.1f pt)" % (ws.title, ps.orientation, scale, scale * 11 / 100))
        fonts = {c.font.name for c in cells(ws) if c.has_style}
        ck.check(fonts <= {"Calibri"}, "%s: every styled cell is in Calibri %s" % (ws.title, sorted(f or "(none)" for f in fonts)))
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        ck.check(bool(widths), "%s: column widths are set (%d columns)" % (ws.title, len(widths)))


STARTERS = {
    "members.xlsx": {"Province": ["Ontario", "Nunavut", "Québec"], "Order": ["Federal", "Municipal"], "Status": ["Active", "Inactif"]},
    "issues.xlsx": {"Criticality": ["High", "Faible"], "Incidence": ["Low", "Élevée"], "Status": ["Closed", "Ouvert"]},
    "activities.xlsx": {"Type": ["Completed", "Prévue"]},
}


def covers(sqref, coord):
    for rng in str(sqref).split():
        min_col, min_row, max_col, max_row = range_boundaries(rng if ":" in rng else rng + ":" + rng)
        col, row = openpyxl.utils.cell.coordinate_from_string(coord)
        col = openpyxl.utils.column_index_from_string(col)
        if min_col <= col <= max_col and min_row <= row <= max_row:
            return True
    return False


def check_starters(folder, ck):
    for name, lists in STARTERS.items():
        path = os.path.join(folder, name)
        if not ck.check(os.path.exists(path), "%s exists" % name):
            continue
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        ck.check(ws.freeze_panes == "A2", "%s: header frozen" % name)
        heads = [c for c in ws[1] if c.value]
        ck.check(len(heads) >= 4 and all("/" in c.value or c.value in ("Incidence", "Date", "Description", "Type") for c in heads),
                 "%s: bilingual headers %s" % (name, [c.value for c in heads]))
        dvs = ws.data_validations.dataValidation
        for c in heads:
            ck.check(any(dv.showInputMessage and dv.prompt and covers(dv.sqref, c.coordinate) for dv in dvs),
                     "%s: %s has an input message" % (name, c.coordinate))
        for title, values in lists.items():
            col = next((c for c in heads if c.value.startswith(title)), None)
            if not ck.check(col is not None, "%s: column %s" % (name, title)):
                continue
            below = "%s2" % col.column_letter
            dv = next((dv for dv in dvs if dv.type == "list" and covers(dv.sqref, below)), None)
            if not ck.check(dv is not None, "%s: %s has a drop-down list" % (name, title)):
                continue
            m = re.match(r"^'?(.*?)'?!\$?([A-Z]+)\$?([0-9]+):\$?([A-Z]+)\$?([0-9]+)$", dv.formula1)
            if not ck.check(m is not None and m.group(1).replace("''", "'") in wb.sheetnames,
                            "%s: %s list refers to a sheet range (%s)" % (name, title, dv.formula1)):
                continue
            src = wb[m.group(1).replace("''", "'")]
            got = [c.value for row in src["%s%s:%s%s" % m.groups()[1:]] for c in row]
            ck.check(all(v in got for v in values) and all(got),
                     "%s: %s list offers %s" % (name, title, values))


def main(argv):
    ck = Checks()
    if len(argv) == 3 and argv[1] == "--starter":
        check_starters(argv[2], ck)
    elif len(argv) in (2, 3) and not argv[1].startswith("-"):
        expect = dict(EXAMPLES)
        if len(argv) == 3:
            with open(argv[2], encoding="utf-8") as f:
                expect.update(json.load(f))
        check_report(argv[1], expect, ck)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
