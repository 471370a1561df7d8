"""Derive the shipped calibration history (Calibration/data/) from the public tables.

Reads ../shared/data (or the directory given as the first argument) and writes, for England
and Sutton, the January census totals (`year,plans`) and new plans by calendar year
(`year,plans_new`), copied cell for cell (no arithmetic), and the detail history by age band
and placement group (`year,age,placement,plans`; the groups are sums of published cells, below).
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

# The detail histories: the headline total, the DfE age bands and six placement groups, one
# tidy file per area (`year,age,placement,plans`). Age bands are copied; 2023 has none (the
# 2023 age table was not readable), so those rows are absent, not zero. Placement groups are
# sums of the published establishment types (listed in GROUPS), from the 2022 release's
# establishment table for 2010-2018 and the 2025 release's placement columns for 2019-2025;
# `other` is the table's own total less the five groups. A group with no published row in a
# year (further education before 2015) is left out that year.
BANDS = {"Under 5": "under 5", "Age 5 to 10": "5-10", "Age 11 to 15": "11-15", "Age 16 to 19": "16-19", "Age 20 to 25": "20-25"}
GROUPS = {
    "mainstream_and_rp": ({("Mainstream school", "Total")}, {"mainstream_total"}),
    "special_state": (
        {("Special school", t) for t in ["Special - LA maintained", "Hospital School", "Special - Academy", "Special - Free school", "Special - Academy/free"]},
        {"special_la_maintained", "special_academy_free"},
    ),
    "special_independent_and_nm": (
        {("Special school", "Special - Independent"), ("Special school", "Special - Non-maintained")},
        {"special_independent", "special_non_maintained"},
    ),
    "further_education": ({("Further education", "Total")}, {"fe_total"}),
    "ap_pru": ({("Alternative provision/Pupil referral unit", "Total")}, {"ap_pru_total"}),
}
S1_LAST = 2018

with open(source / "ehcp_caseload_by_age_england_sutton_medway.csv", newline="") as f:
    ages = list(csv.DictReader(f))
with open(source / "ehcp_caseload_by_establishment_2010_2022.csv", newline="") as f:
    establishments = list(csv.DictReader(f))
with open(source / "ehcp_caseload_by_placement_2019_2025.csv", newline="") as f:
    placements = list(csv.DictReader(f))


def group_values(area):
    """{year: {group: plans}} from both releases, checking they agree where they overlap."""
    s1, s2 = {}, {}
    for r in establishments:
        if r["geography"] == area:
            s1.setdefault(int(r["census_year"]), {})[(r["establishment_group"], r["establishment_type"])] = int(r["total_count"])
    for r in placements:
        if r["geography"] == area and r["ehc_plans_count"] != "":
            s2.setdefault(int(r["census_year"]), {})[r["dfe_column"]] = int(r["ehc_plans_count"])
    result = {}
    for year in sorted(set(s1) | set(s2)):
        values = {}
        for group, (types, columns) in GROUPS.items():
            one = [s1.get(year, {})[t] for t in types if t in s1.get(year, {})]
            two = [s2.get(year, {})[c] for c in columns if c in s2.get(year, {})]
            if year in s1 and year in s2 and one and two and sum(one) != sum(two):
                raise SystemExit(f"{area} {year} {group}: {sum(one)} in the 2022 release, {sum(two)} in 2025")
            chosen = one if year <= S1_LAST else two
            if chosen:
                values[group] = sum(chosen)
        total = s1[year][("Total", "Total")] if year <= S1_LAST else s2[year]["ehcplans"]
        values["other"] = total - sum(values.values())
        if values["other"] < 0:
            raise SystemExit(f"{area} {year}: the groups exceed the total")
        result[year] = values
    return result


for area, name in [("England", "england"), ("Sutton", "sutton")]:
    lines = ["year,age,placement,plans"]
    headline = {int(r["census_year"]): r["total_statements_plus_ehcps_count"] for r in totals if r["geography"] == area}
    groups = group_values(area)
    for year in sorted(headline):
        lines.append(f"{year},total,total,{headline[year]}")
        seen = set()
        for r in ages:
            if r["geography"] == area and int(r["census_year"]) == year and r["age_band"] in BANDS and r["age_band"] not in seen:
                seen.add(r["age_band"])
                lines.append(f"{year},{BANDS[r['age_band']]},total,{r['total_statements_plus_ehcps_count']}")
        for group, plans in groups.get(year, {}).items():
            lines.append(f"{year},total,{group},{plans}")
    with open(target / f"{name}_history_detail.csv", "w", newline="") as f:
        f.write("\n".join(lines) + "\n")
