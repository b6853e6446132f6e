#!/usr/bin/python3
"""Writes the layout fixtures of layouts.json with openpyxl.

Run from sync/testdata/layouts with Debian's python3-openpyxl:

    /usr/bin/python3 make_layouts.py

Each workbook NAME of layouts.json becomes NAME_openpyxl.xlsx: its sheets
in order, every cell of its rows (text stays text, numbers numbers), and
its merged ranges. The same workbooks written by excelize come from
go test ./sync -run TestLayoutFixtures -update.
"""
import json

import openpyxl

with open("layouts.json", encoding="utf-8") as f:
    spec = json.load(f)

for name, book in spec.items():
    if name.startswith("_"):
        continue
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for r, row in enumerate(sheet["rows"], start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in sheet.get("merges", []):
            ws.merge_cells(rng)
    wb.properties.creator = "copsync tests"
    wb.save(name + "_openpyxl.xlsx")
