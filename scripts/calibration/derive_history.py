"""Derive the shipped calibration history (Calibration/data/) from the public tables.

Reads ../shared/data (or the directory given as the first argument) and writes, for England
and Sutton, the January census totals (`year,plans`) and new plans by calendar year
(`year,plans_new`), copied cell for cell (no arithmetic).
"""
import csv
import sys
from pathlib import Path

source = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
target = Path(__file__).resolve().parents[2] / "Calibration" / "data"

with open(source / "ehcp_totals_england_sutton_medway_2010_2025.csv", newline="") as f:
    totals = list(csv.DictReader(f))
with open(source / "ehcp_new_plans_by_calendar_year.csv", newline="") as f:
    new = list(csv.DictReader(f))

for area, name in [("England", "england"), ("Sutton", "sutton")]:
    rows = sorted((int(r["census_year"]), r["total_statements_plus_ehcps_count"]) for r in totals if r["geography"] == area)
    with open(target / f"{name}_history.csv", "w", newline="") as f:
        f.write("year,plans\n")
        for year, plans in rows:
            f.write(f"{year},{plans}\n")
    seen = {}
    for r in new:
        if r["geography"] == area:
            year = int(r["calendar_year"])
            if year in seen and seen[year] != r["new_total_count"]:
                raise SystemExit(f"{area} {year}: two different new-plan counts")
            seen[year] = r["new_total_count"]
    with open(target / f"{name}_new_plans.csv", "w", newline="") as f:
        f.write("year,plans_new\n")
        for year in sorted(seen):
            f.write(f"{year},{seen[year]}\n")
