#!/usr/bin/python3
"""Re-open a copsync report whose sources were read from several sheets with
openpyxl, a reader independent of the one that wrote it, and check its
registers: one sheet per sheet read, each finding linked to its own sheet's
register, and no cell marked by another sheet's findings.

    check_registers.py REPORT.xlsx EXPECT.json

EXPECT.json sets:
  "registers": {"Fédéral": "Members – Fédéral", ...}  the register sheet of
                each source sheet
  "order": ["Issues – Enjeux 2026", ...]  the registers, in workbook order
  "marked": {"Fédéral": ["B4"], ...}  the cells the findings of each source
                sheet name: exactly those are filled in its register

It prints one line per check and ends with "checks: N passed, M failed";
its exit status is 1 when a check failed, 2 on bad usage.
"""

import json
import os
import re
import sys

import openpyxl
from openpyxl.utils import range_boundaries

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_report import CELL, Checks, fill, text  # noqa: E402

ROW = re.compile(r"(\d+)")


def quote(sheet):
    return "'" + sheet.replace("'", "''") + "'"


def check_registers(path, expect, ck):
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    registers = expect["registers"]
    order = expect["order"]
    present = [n for n in names if n in order]
    ck.check(present == order, "registers in the order read: %s" % present)
    for n in names:
        ck.check(len(n) <= 31 and not any(ch in n for ch in "[]:*?/\\"), "%r is a valid sheet name" % n)

    # Findings: a finding's cell links to its own sheet's register.
    findings = next(wb[n] for n in names if n.startswith("Findings") or n.startswith("Constats"))
    head = {text(c.value): c.column for c in findings[1]}
    cell_col = next((v for k, v in head.items() if k.startswith("Cell") or k.startswith("Cellule")), None)
    sheet_col = next((v for k, v in head.items() if k.startswith("Sheet") or k.startswith("Feuille")), None)
    ck.check(cell_col and sheet_col, "Findings has Sheet and Cell columns")
    linked = {s: 0 for s in registers}
    for r in range(2, findings.max_row + 1):
        sheet = text(findings.cell(row=r, column=sheet_col).value)
        c = findings.cell(row=r, column=cell_col)
        where = text(c.value)
        if sheet not in registers or not where:
            continue
        if CELL.match(where):
            ref = where
        else:
            m = ROW.search(where)
            ref = "A" + m.group(1) if m else None
        loc = c.hyperlink.location if c.hyperlink is not None else None
        want = "%s!%s" % (quote(registers[sheet]), ref)
        if ck.check(loc == want, "Findings %s (%s %s) links to %s: %r" % (c.coordinate, sheet, where, want, loc)):
            linked[sheet] += 1
    for sheet, n in sorted(linked.items()):
        ck.check(n > 0, "%s: %d findings link to its register" % (sheet, n))

    # Each register: its source columns filled exactly at the cells its
    # sheet's findings name.
    for sheet, name in sorted(registers.items()):
        ws = wb[name]
        ck.check(len(ws.tables) == 1, "%s is an Excel table" % name)
        if len(ws.tables) != 1:
            continue
        table = list(ws.tables.values())[0]
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        ncols = max_col - min_col + 1 - 3  # the row number, the missing values, the findings
        want = set(expect["marked"].get(sheet, []))
        got = set()
        for row in ws.iter_rows(min_row=min_row + 1, max_row=max_row, min_col=1, max_col=ncols):
            for c in row:
                if fill(c):
                    got.add(c.coordinate)
        ck.check(got == want, "%s: filled %s, the findings of %s name %s" % (name, sorted(got), sheet, sorted(want)))
        ck.check(ws.freeze_panes == "A%d" % (min_row + 1), "%s: its header (row %d) is frozen" % (name, min_row))


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        expect = json.load(f)
    ck = Checks()
    check_registers(argv[1], expect, ck)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
