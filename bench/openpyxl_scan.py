"""The openpyxl peer of bench/run.sh: a read-only row scan of a workbook's
first sheet, values only (as copsync reads them).

    /usr/bin/python3 bench/openpyxl_scan.py bench/data/members-sst-200000.xlsx
"""
import sys
import time

import openpyxl


def main(path):
    start = time.monotonic()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = cells = 0
    for row in ws.iter_rows(values_only=True):
        rows += 1
        cells += sum(1 for v in row if v is not None)
    wb.close()
    print(f"openpyxl rows={rows} cells={cells} time={time.monotonic() - start:.3f}s")


if __name__ == "__main__":
    main(sys.argv[1])
