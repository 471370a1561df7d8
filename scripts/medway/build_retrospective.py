#!/usr/bin/env python3
"""Build Medway's retrospective: an unmitigated forecast from the January 2019 census.

What an officer could have run in spring 2019 to 2020, built the way `hnb init` builds a
baseline, then compared by `hnb run` with what happened (`outturn.csv`: the January 2020-2025
censuses and the DSG balances at 31 March 2020-2022).

Inputs (all in the repository, so the project stands alone):
- `Scenarios/medway/generated/`: `hnb init --la medway` (January 2025 census). Its age x
  placement x need structure, incidence age profile, cessation rates, new-plan mix, moves and
  s251 unit costs are carried back (assumptions, stated in the YAML and README).
- `Data/national/`: Medway's January 2019 placement totals (DfE SEN2), its 2020-2025 published
  totals and placements (outturn), ESFA HNB and DSG allocations 2019-20 to 2023-24.
- `Scenarios/medway/sources/` (copied from the shared public data with their sources): age bands
  at January 2019, new plans in calendar 2018, ONS residents mid-2019, DSG blocks before
  deductions, the DSG balance as a percent of DSG, and section 10 of the Medway Cabinet report
  of 7 April 2020 (HNB 2019/20 GBP 38.226m and 2020/21 GBP 41.740m; 2018/19 overspend GBP 3.688m;
  Q3 forecast overspend GBP 5.916m taking the deficit to GBP 9.604m at 31 March 2020).

Output: `Scenarios/medway/retrospective/` (baseline_2019.yaml, data/*.csv, outturn.csv).
Deterministic: the same inputs give the same bytes.
Usage: python3 scripts/medway/build_retrospective.py [--check]
(`--check` builds into a temporary folder and compares it with the retrospective in place, file
by file, writing nothing there; exit 1 naming the files that differ.)
"""

import csv
import filecmp
import math
import os
import shutil
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(ROOT, "Scenarios", "medway", "generated")
SRC = os.path.join(ROOT, "Scenarios", "medway", "sources")
PACK = os.path.join(ROOT, "Data", "national")
OUT = os.path.join(ROOT, "Scenarios", "medway", "retrospective")
LA = "887"
BASE = 2019
HORIZON = 7  # censuses 2019-2025, financial years 2019-20 to 2025-26
IN_LA_SHARE = 0.85  # hnb init's default split of maintained special plans
PLACEMENTS = ["early_years", "mainstream", "resourced_provision", "special_maintained_in", "special_maintained_out",
              "special_independent", "special_non_maintained", "ap_pru", "fe_general", "specialist_post16",
              "educated_elsewhere", "neet"]
BANDS = {"Under 5": range(0, 5), "Age 5 to 10": range(5, 11), "Age 11 to 15": range(11, 16),
         "Age 16 to 19": range(16, 20), "Age 20 to 25": range(20, 26)}
CABINET = ("Medway Cabinet report, 7 April 2020, section 10 "
           "(Scenarios/medway/sources/medway_cabinet_2020-04-07_section10.txt)")


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path, header, body):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(body)


def fy(start):
    return "%d-%02d" % (start, (start + 1) % 100)


def micro_round(values, total):
    """Values in micro-units (1e-6) summing exactly to `total` (largest remainder)."""
    scaled = [v * 1e6 for v in values]
    floors = [math.floor(v) for v in scaled]
    rest = int(round(total * 1e6)) - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return floors


def main():
    os.makedirs(os.path.join(OUT, "data"), exist_ok=True)
    generated = yaml.safe_load(open(os.path.join(GEN, "baseline.yaml"), encoding="utf-8"))
    log = {r["key"]: r for r in rows(os.path.join(GEN, "assumptions.csv"))}
    g_state = float(log["costs (past uplift, state-funded lines)"]["value"])
    g_indep = float(log["costs (past uplift, independent lines)"]["value"])

    # --- caseload at January 2019: the 2025 structure raked to the 2019 margins
    cells = {}
    for r in rows(os.path.join(GEN, "data", "baseline_caseload_2025.csv")):
        cells[(int(r["age"]), r["placement"], r["need"])] = float(r["plans"])
    placement_2019 = {}
    for r in rows(os.path.join(PACK, "caseload_placement.csv")):
        if r["la"] == LA and r["census_year"] == str(BASE):
            placement_2019[r["placement"]] = float(r["plans"])
    # DfE's January 2019 placement subtotals fall short of its total by a few plans (kept by the pack
    # as `unallocated`): spread over the placements pro rata (an assumption).
    unallocated = placement_2019.pop("unallocated", 0.0)
    assert "all" not in placement_2019, placement_2019
    allocated = sum(placement_2019.values())
    placement_2019 = {p: v * (allocated + unallocated) / allocated for p, v in placement_2019.items()}
    special = placement_2019.pop("special_maintained", 0.0)
    placement_2019["special_maintained_in"] = special * IN_LA_SHARE
    placement_2019["special_maintained_out"] = special * (1 - IN_LA_SHARE)
    published_2019 = {r["dfe_placement_group"]: float(r["plans"]) for r in rows(os.path.join(PACK, "caseload_published_totals.csv"))
                      if r["la"] == LA and r["census_year"] == str(BASE) and r["plans"]}
    total_2019 = published_2019["ehcplans"]
    assert abs(sum(placement_2019.values()) - total_2019) < 1e-9
    bands_2019 = {r["age_band"]: float(r["ehc_plans_count"]) for r in rows(os.path.join(SRC, "ehcp_caseload_by_age_medway.csv"))
                  if r["census_year"] == str(BASE) and r["age_band"] in BANDS}
    assert abs(sum(bands_2019.values()) - total_2019) < 1e-9, bands_2019
    # Seed: the 2025 cells; a placement with plans in 2019 but none in 2025 gets a flat seed.
    seed = dict(cells)
    for p in PLACEMENTS:
        if placement_2019.get(p, 0) > 0 and not any(k[1] == p for k in seed):
            for age in range(26):
                seed[(age, p, "UKN")] = 1e-3
    for _ in range(500):
        for p in PLACEMENTS:
            have = sum(v for k, v in seed.items() if k[1] == p)
            want = placement_2019.get(p, 0.0)
            for k in [k for k in seed if k[1] == p]:
                seed[k] = seed[k] * want / have if have > 0 else 0.0
        for band, ages in BANDS.items():
            have = sum(v for k, v in seed.items() if k[0] in ages)
            for k in [k for k in seed if k[0] in ages]:
                seed[k] = seed[k] * bands_2019[band] / have
    gap = max(abs(sum(v for k, v in seed.items() if k[1] == p) - placement_2019.get(p, 0.0)) for p in PLACEMENTS)
    assert gap < 1e-6, gap
    keys = sorted(seed, key=lambda k: (k[0], PLACEMENTS.index(k[1]), k[2]))
    micro = micro_round([seed[k] for k in keys], total_2019)
    write(os.path.join(OUT, "data", "baseline_caseload_2019.csv"), ["age", "placement", "need", "plans"],
          [(k[0], k[1], k[2], "%.6f" % (m / 1e6)) for k, m in zip(keys, micro) if m > 0])

    # --- residents mid-2019, incidence scaled to the new plans of calendar 2018
    population = {int(r["age"]): float(r["population"]) for r in rows(os.path.join(SRC, "population_by_single_year_of_age_medway_mid2019.csv"))}
    write(os.path.join(OUT, "data", "population.csv"), ["age", "population"], [(a, "%d" % population[a]) for a in range(26)])
    rates = {int(r["age"]): float(r["rate"]) for r in rows(os.path.join(GEN, "data", "incidence.csv"))}
    new_2018 = [float(r["new_ehc_plans_count"]) for r in rows(os.path.join(SRC, "ehcp_new_plans_by_calendar_year_medway.csv"))
                if r["calendar_year"] == str(BASE - 1)][0]
    factor = new_2018 / sum(rates[a] * population[a] for a in range(26))
    write(os.path.join(OUT, "data", "incidence.csv"), ["age", "rate"],
          [(a, "%.8f" % (rates[a] * factor)) for a in range(26)])
    for name in ("cessation.csv", "new_plan_mix.csv", "transitions.csv"):
        with open(os.path.join(GEN, "data", name), encoding="utf-8") as a, \
                open(os.path.join(OUT, "data", name), "w", encoding="utf-8") as b:
            b.write(a.read())

    # --- places: the January 2019 plans there rounded up, held flat
    places = {p: math.ceil(placement_2019.get(p, 0.0)) for p in ("resourced_provision", "special_maintained_in", "ap_pru")}
    write(os.path.join(OUT, "data", "places.csv"), ["placement", "academic_year", "places"],
          [(p, "%d/%02d" % (y, (y + 1) % 100), places[p]) for p in places for y in range(BASE - 1, BASE + HORIZON)])

    # --- top-ups: the generated ones (2024/25 prices) back to 2018/19 prices
    years_back = 2024 - 2018
    top = []
    for r in rows(os.path.join(GEN, "data", "top_ups.csv")):
        g = g_indep if r["placement"] in ("special_independent", "special_non_maintained") else g_state
        top.append((r["placement"], r["need"], "%d" % round(float(r["gbp_per_plan"]) / (1 + g) ** years_back)))
    write(os.path.join(OUT, "data", "top_ups.csv"), ["placement", "need", "gbp_per_plan"], top)

    # --- allocations (ESFA, before deductions) and DSG (after deductions, and before for the %)
    alloc = {r["financial_year"]: r for r in rows(os.path.join(PACK, "hnb_allocations.csv")) if r["la"] == LA}
    gross = {}
    for r in rows(os.path.join(SRC, "dsg_allocations_by_block_medway.csv")):
        if "ESFA" in r["vintage"] and r["financial_year"] not in gross:
            gross[r["financial_year"]] = float(r["total_dsg_before_deductions_gbp"])
    england = {r["financial_year"]: r for r in rows(os.path.join(PACK, "hnb_allocations.csv")) if r["la"] == ""}
    figures = {r["key"]: r for r in rows(os.path.join(PACK, "national_figures.csv"))}
    england_first = float(figures["england_hnb_gbp_2025-26"]["value"])
    england_2324 = float(england["2023-24"]["hnb_before_deductions_gbp"])
    england_growth = (england_first / england_2324) ** 0.5 - 1

    # --- the scenario: the generated baseline's keys, values carried back
    s = generated
    s["name"] = "medway-retro-2019-baseline"
    s["title"] = "Medway retrospective baseline from the January 2019 census (unmitigated)"
    s["description"] = (
        "What hnb init's method would have forecast from Medway's January 2019 census (%d plans), "
        "printed beside what happened (outturn.csv). Built by scripts/medway/build_retrospective.py: "
        "the 2025 structure and rates carried back (assumptions), the Cabinet report's 2019/20 and 2020/21 "
        "HNB and its 31 March 2019 balance, the actual ESFA allocations after, so the comparison isolates "
        "the caseload and cost side." % total_2019)
    s["time"] = {"base_census_year": BASE, "horizon_years": HORIZON}
    c = s["caseload"]
    c["baseline"] = {"file": "data/baseline_caseload_2019.csv", "source": (
        "assumption: DfE SEN2 January 2019 placement totals (Data/national/caseload_placement.csv; the %d plans DfE's "
        "subtotals leave unallocated spread pro rata; maintained special split 85/15 as hnb init) and age bands (sources/ehcp_caseload_by_age_medway.csv) raked onto the January 2025 "
        "age x placement x need structure of generated/data/baseline_caseload_2025.csv (scripts/medway/build_retrospective.py)" % unallocated)}
    c["population"] = {"file": "data/population.csv", "source": "data: ONS mid-2019 residents by single year of age, Medway (sources/population_by_single_year_of_age_medway_mid2019.csv)"}
    c["population_growth_fraction_per_year"] = {"value": float(log["caseload.population_growth_fraction_per_year"]["value"]),
                                                "source": "assumption: as the generated 2025 baseline (Medway's residents 0-25, mid-2021 to mid-2024)", "assumption": True}
    c["incidence"] = {"file": "data/incidence.csv", "source": (
        "assumption: the generated 2025 age profile of new plans per resident, scaled so that Medway's mid-2019 residents give its "
        "%d new plans of calendar 2018 (sources/ehcp_new_plans_by_calendar_year_medway.csv): x %.4f" % (new_2018, factor))}
    c["incidence_trend_fraction_per_year"] = {"value": 0, "source": "assumption: new plans held at the 2018 rate per resident (unmitigated, as hnb init)", "assumption": True}
    c["new_plan_mix"] = {"file": "data/new_plan_mix.csv", "source": "assumption: the generated 2025 mix (generated/data/new_plan_mix.csv), carried back"}
    c["cessation"] = {"file": "data/cessation.csv", "source": "assumption: the generated 2025 rates (ceased plans by age are in the pack from 2022 only), carried back"}
    c["transitions"] = {"file": "data/transitions.csv", "source": "national default: the toolkit's default moves at phase transfers (as generated)"}
    s["capacity"]["places"] = {"file": "data/places.csv", "source": "assumption: the January 2019 plans in resourced provision, maintained special in the LA and AP, rounded up, held flat (as hnb init)"}
    k = s["costs"]
    k["price_basis"] = "cash; top-ups and fees at 2018/19 prices, place funding at the national rates, central lines at 2019-20 prices, each uplifted by its line's rate per year"
    k["price_base_academic_year"] = "2018/19"
    k["price_base_financial_year"] = "2019-20"
    k["top_ups"] = {"file": "data/top_ups.csv", "source": (
        "assumption: the generated top-ups (Medway's s251 budget 2021-22 per plan at 2024/25 prices) back to 2018/19 prices at "
        "England's unit-cost growth (%.4f a year; independent and non-maintained special %.4f)" % (g_state, g_indep))}
    for line in k["central_lines"]:
        value = line["gbp"]["value"]
        if line["id"] != "place_funding_other":
            line["gbp"] = {"value": round(value / (1 + g_state) ** 6), "source": (
                "assumption: the generated %s (GBP %d at 2025-26 prices) / %.4f^6 to 2019-20" % (line["id"], value, 1 + g_state))}
    i = s["income"]
    i["hnb_allocation_gbp"] = {"value": 38226000, "unit": "gbp", "source": "data: %s, 10.2: 'the total allocation for Medway for 2019/20 is GBP 38.226m' (ESFA's 2019-20 summary: GBP 38,220,068)" % CABINET}
    growth = {fy(2020): (41740000 / 38226000 - 1, "data: %s, 10.3: GBP 41.740m in 2020/21 / GBP 38.226m" % CABINET)}
    for y in (2021, 2022, 2023):
        a, b = float(alloc[fy(y - 1)]["hnb_before_deductions_gbp"]), float(alloc[fy(y)]["hnb_before_deductions_gbp"])
        if y == 2021:
            a = 41740000
        growth[fy(y)] = (b / a - 1, "data: ESFA HNB before deductions %s GBP %d / %s GBP %d (Data/national/hnb_allocations.csv%s)"
                         % (fy(y), b, fy(y - 1), a, "; 2020-21 as the Cabinet report" if y == 2021 else ""))
    for y in (2024, 2025):
        growth[fy(y)] = (england_growth, "derived: England's HNB 2023-24 to 2025-26, annualised (Data/national: GBP %d to GBP %d); Medway's own not in the pack" % (england_2324, england_first))
    i["hnb_growth_fraction_per_year"] = {key: {"value": round(v, 6), "source": src} for key, (v, src) in growth.items()}
    i["schools_block_gbp"] = {"value": round(float(alloc[fy(2019)]["schools_block_gbp"])), "unit": "gbp", "source": "data: ESFA Schools Block before deductions 2019-20, held flat (it only sizes a block transfer, 0 here)"}
    dsg = {}
    for y in range(2019, 2024):
        # Before deductions: the base of the DfE's balance percentages (docs/INIT.md).
        dsg[fy(y)] = {"value": round(float(alloc[fy(y)]["total_dsg_before_deductions_gbp"])), "unit": "gbp", "source": "data: ESFA total DSG before deductions %s (Data/national/hnb_allocations.csv)" % fy(y)}
    last = float(alloc["2023-24"]["total_dsg_before_deductions_gbp"])
    first = float(alloc["2019-20"]["total_dsg_before_deductions_gbp"])
    trend = (last / first) ** 0.25 - 1
    for n, y in enumerate((2024, 2025), start=1):
        dsg[fy(y)] = {"value": round(last * (1 + trend) ** n), "unit": "gbp", "source": "derived: 2023-24 x Medway's own 2019-20 to 2023-24 trend (%.6f a year)" % trend}
    i["total_dsg_gbp"] = dsg
    s["reserve"] = {"opening_balance_gbp": {"value": -3688000, "unit": "gbp", "source": (
        "data: %s, 10.4: the 2018/19 overspend of GBP 3.688m 'pushed the reserve into an overall deficit for the first time'; "
        "the Q3 forecast adds GBP 5.916m to reach GBP 9.604m (9.604 - 5.916 = 3.688), so the balance at 31 March 2019 was -GBP 3.688m" % CABINET)}}
    s["outturn"] = "outturn.csv"
    header = ("# Medway retrospective: an unmitigated forecast from the January 2019 census, the way hnb init builds one,\n"
              "# printed beside what happened (outturn.csv). Written by scripts/medway/build_retrospective.py; do not edit\n"
              "# by hand. FY2019-20's balance is a test too: nothing here is calibrated on it (see ../README.md).\n")
    with open(os.path.join(OUT, "baseline_2019.yaml"), "w", encoding="utf-8") as handle:
        handle.write(header + yaml.safe_dump(s, sort_keys=False, allow_unicode=True, width=100000))

    # --- outturn: censuses 2020-2025 and the DSG balance at 31 March 2020-2022 in pounds
    out = []
    totals = {(r["census_year"], r["dfe_placement_group"]): r["plans"] for r in rows(os.path.join(PACK, "caseload_published_totals.csv")) if r["la"] == LA}
    groups = {}
    for r in rows(os.path.join(PACK, "caseload_placement.csv")):
        if r["la"] == LA and r["plans"]:
            groups[(r["census_year"], r["placement"])] = float(r["plans"])
    for y in range(BASE + 1, BASE + HORIZON):
        t = float(totals[(str(y), "ehcplans")])
        out.append((y, "total_plans", "%d" % t, "DfE SEN2 January %d, Medway (Data/national/caseload_published_totals.csv)" % y))
        main = groups.get((str(y), "mainstream"), 0) + groups.get((str(y), "resourced_provision"), 0)
        out.append((y, "share_mainstream", "%.6f" % (main / t), "DfE SEN2 January %d: (mainstream + resourced provision) / all plans (Data/national/caseload_placement.csv)" % y))
        ind = groups.get((str(y), "special_independent"), 0) + groups.get((str(y), "special_non_maintained"), 0)
        out.append((y, "share_independent_special", "%.6f" % (ind / t), "DfE SEN2 January %d: (independent + non-maintained special) / all plans (Data/national/caseload_placement.csv)" % y))
    for r in rows(os.path.join(SRC, "dsg_deficit_and_safety_valve_medway.csv")):
        if r["measure"].startswith("DSG cumulative balance as %"):
            year = int(r["as_at_or_financial_year"][-4:])
            pct = float(r["value_as_quoted"].split("%")[0])
            base = gross[fy(year - 1)]
            out.append((year, "dsg_closing_balance_gbp", "%.2f" % (pct / 100 * base), (
                "derived: %s of DSG at 31 March %d (sources/dsg_deficit_and_safety_valve_medway.csv, DfE) x Medway's total DSG "
                "before deductions %s GBP %d (sources/dsg_allocations_by_block_medway.csv): the DfE percent is of the gross DSG "
                "(x the after-deductions total gives GBP %.2fm at March 2020, against the Cabinet's forecast GBP 9.604m)"
                % (r["value_as_quoted"].split(" ")[0], year, fy(year - 1), base,
                   -pct / 100 * float(alloc["2019-20"]["total_dsg_after_deductions_gbp"]) / 1e6))))
    out.sort(key=lambda r: (r[0], r[1]))
    write(os.path.join(OUT, "outturn.csv"), ["year", "measure", "value", "source"], out)
    print("retrospective written to %s: %d plans at January %d, incidence x %.4f, HNB growth %s"
          % (OUT, total_2019, BASE, factor, {k: round(v[0], 4) for k, v in growth.items()}))


def check():
    """Build into a temporary folder and compare every file written with the one in place."""
    global OUT
    real, OUT = OUT, tempfile.mkdtemp(prefix="medway-retrospective-")
    try:
        main()
        built = sorted(os.path.relpath(os.path.join(d, f), OUT) for d, _, fs in os.walk(OUT) for f in fs)
        stale = [f for f in built if not os.path.exists(os.path.join(real, f))
                 or not filecmp.cmp(os.path.join(OUT, f), os.path.join(real, f), shallow=False)]
        if stale:
            sys.exit("stale in %s: %s (run scripts/medway/build_retrospective.py)" % (real, ", ".join(stale)))
        print("%d files in %s are identical to a fresh build" % (len(built), real))
    finally:
        shutil.rmtree(OUT)


if __name__ == "__main__":
    check() if "--check" in sys.argv else main()
