"""Reads report.xlsx back with openpyxl and checks it against the CSVs of `hnb run`.

Usage: check_xlsx.py REPORT_DIR RUN_DIR

Every number cell must equal the CSV value it came from (the same text parsed as a float),
text must stay text, empty cells empty, and each column must carry the format its unit calls
for (Excel's General format where the row states the unit: assumptions' values, outturn). Header rows are
frozen; the DfE management plan sheet holds 7 placement groups x 5 age bands per block.
"""

import csv
import re
import sys
from pathlib import Path

import openpyxl

SHEETS = {
    "summary": "summary.csv", "kpis": "kpis.csv", "dsg": "dsg.csv", "finance": "finance.csv",
    "mitigations": "mitigations.csv", "management_plan": "management_plan.csv", "flows": "flows.csv",
    "outturn": "outturn.csv", "assumptions": "assumptions.csv", "lsrp": "lsrp.csv",
}


# Columns whose unit a row states (another column): a decimal number there is a number cell in
# Excel's General format; anything else (a file name, a year label) stays text.
GENERAL = {("assumptions", "value"), ("outturn", "forecast"), ("outturn", "actual"),
           ("outturn", "forecast_minus_actual")}
# A decimal number as hnb reads one (digit separators "_" allowed, as in 2_984_096).
DECIMAL = re.compile(r"[+-]?(\d[\d_]*\.?[\d_]*|\.[\d_]+)([eE][+-]?\d+)?")


def expected_format(sheet, header, text):
    if (sheet, header) in GENERAL:
        return "General" if DECIMAL.fullmatch(text) else None
    if header == "gbp" or header.endswith("_gbp"):
        return "£#,##0;-£#,##0"
    if header.endswith("_fraction"):
        return "0.0%"
    if header == "cumulative_deficit_percent_of_dsg":
        return "0.00"
    if header == "plans" or header.endswith("_plans") or header == "commissioned_places":
        return "#,##0"
    if header in ("census_year", "year", "age_years", "ramp_years"):
        return "0"
    return None


def main(report_dir, run_dir):
    wb = openpyxl.load_workbook(Path(report_dir) / "report.xlsx")
    failures = []
    numbers = 0
    for sheet, name in SHEETS.items():
        with open(Path(run_dir) / name, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        ws = wb[sheet]
        header = rows[0]
        if ws.freeze_panes != "A2":
            failures.append(f"{sheet}: header row not frozen ({ws.freeze_panes})")
        got_header = [c.value for c in ws[1]][: len(header)]
        for h, g in zip(header, got_header):
            if not str(g).startswith(h):
                failures.append(f"{sheet}: header {g!r} is not the CSV's {h!r}")
        if ws.max_row != len(rows):
            failures.append(f"{sheet}: {ws.max_row} rows, the CSV has {len(rows)}")
        for r, row in enumerate(rows[1:], start=2):
            for c, text in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                fmt = expected_format(sheet, header[c - 1], text)
                if fmt is not None and text != "":
                    numbers += 1
                    if isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
                        failures.append(f"{sheet}!{cell.coordinate}: {cell.value!r} is not a number ({text})")
                    elif float(cell.value) != float(text):
                        failures.append(f"{sheet}!{cell.coordinate}: {cell.value!r} != CSV {text}")
                    if cell.number_format != fmt:
                        failures.append(f"{sheet}!{cell.coordinate}: format {cell.number_format!r}, want {fmt!r}")
                elif (cell.value or "") != text:
                    failures.append(f"{sheet}!{cell.coordinate}: {cell.value!r} != CSV {text!r}")
        for c in range(1, len(header) + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
            if not width or width < 8:
                failures.append(f"{sheet}: column {c} has no width set")

    # The DfE-shaped sheet: every block is 7 groups x 5 bands, its numbers those of management_plan.csv.
    with open(Path(run_dir) / "management_plan.csv", newline="", encoding="utf-8") as f:
        plan = list(csv.DictReader(f))
    lookup = {(p["scenario"], p["census_year"], p["placement_group_label"], p["age_band"]): p for p in plan}
    ws = wb["DfE management plan"]
    blocks = 0
    rows = list(ws.iter_rows(values_only=True))
    for i, row in enumerate(rows):
        if row[0] and isinstance(row[0], str) and row[0].endswith(("unmitigated (plans)", ": mitigated (plans)")):
            blocks += 1
            scenario, kind = row[0].rsplit(": ", 1)
            measure = "unmitigated_plans" if kind.startswith("unmitigated") else "mitigated_plans"
            years = [str(v).replace("January ", "") for v in rows[i + 1][2:] if v]
            body = rows[i + 2 : i + 2 + 35]
            if len({r[0] for r in body}) != 7 or len({r[1] for r in body}) != 5:
                failures.append(f"DfE management plan: block {row[0]!r} is not 7 groups x 5 bands")
            for r in body:
                for y, value in zip(years, r[2:]):
                    want = float(lookup[(scenario, y, r[0], r[1])][measure])
                    if value != want:
                        failures.append(f"DfE management plan: {row[0]} {r[0]} {r[1]} {y}: {value} != {want}")
    if blocks == 0:
        failures.append("DfE management plan: no blocks")
    # openpyxl does not load charts back; the chart parts must be in the package.
    import zipfile
    with zipfile.ZipFile(Path(report_dir) / "report.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    if len(charts) < 2:
        failures.append(f"expected 2 native charts, found {len(charts)}")

    for f in failures[:40]:
        print("FAIL", f)
    print(f"xlsx: {numbers} number cells checked against the CSVs, {blocks} management-plan blocks, "
          f"{len(charts)} charts, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
