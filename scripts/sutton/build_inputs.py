#!/usr/bin/env python3
"""Build the Sutton scenario input CSVs from the copied public sources.

Run from anywhere:

    python3 scripts/sutton/build_inputs.py

Reads only  Scenarios/sutton/sources/*.csv  (public DfE/ESFA data, Open Government
Licence v3; see Scenarios/sutton/sources/SOURCES.md) and the named ASSUMPTIONS below.
Writes      Scenarios/sutton/data/*.csv
            Scenarios/sutton/retrospective/data/*.csv
            Scenarios/sutton/retrospective/outturn.csv

Standard library only. Deterministic: rows are sorted, floats are written with at most
6 decimals, and every split that must add up exactly (placement totals, grand total) is
done in integer micro-plans (1e-6 of a plan) with a largest-remainder correction.

Every constant in the ASSUMPTIONS block is an assumption (not data) unless its comment
says it is copied from a named source row. The README (Scenarios/sutton/README.md)
lists them all with units and rationale.
"""

import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SUTTON = os.path.join(ROOT, "Scenarios", "sutton")
SOURCES = os.path.join(SUTTON, "sources")

# --------------------------------------------------------------------------------------
# Taxonomy (ids of the built-in default, Sources/HighNeeds/Resources/taxonomy/*.csv)
# --------------------------------------------------------------------------------------
PLACEMENTS = [
    "early_years", "mainstream", "resourced_provision", "special_maintained_in",
    "special_maintained_out", "special_independent", "special_non_maintained", "ap_pru",
    "fe_general", "specialist_post16", "educated_elsewhere", "neet",
]
NEEDS = ["ASD", "HI", "MLD", "MSI", "PD", "PMLD", "SEMH", "SLCN", "SLD", "SPLD", "VI", "OTH", "UKN"]
AGES = list(range(0, 26))

# --------------------------------------------------------------------------------------
# DATA MAPPINGS (not assumptions: how DfE SEN2 placement columns map to the 12 placements)
# Source: ehcp_caseload_by_placement_2019_2025.csv (DfE EHC plans reporting year 2025,
# caseload.csv), column `dfe_column`. Hospital schools are inside special_la_maintained
# in that release and cannot be separated; they stay with maintained special.
# --------------------------------------------------------------------------------------
DFE_TO_PLACEMENT = {
    "nm_early_years": "early_years",
    "mainstream_la_maintained": "mainstream",
    "mainstream_academy": "mainstream",
    "mainstream_free_school": "mainstream",
    "mainstream_independent": "mainstream",
    "mainstream_la_maintained_resourced_provision": "resourced_provision",
    "mainstream_la_maintained_senunit": "resourced_provision",
    "mainstream_academy_resourced_provision": "resourced_provision",
    "mainstream_academy_senunit": "resourced_provision",
    "mainstream_free_school_resourced_provision": "resourced_provision",
    "mainstream_free_school_senunit": "resourced_provision",
    "special_la_maintained": "special_maintained",   # split in/out below (assumption)
    "special_academy_free": "special_maintained",     # split in/out below (assumption)
    "special_independent": "special_independent",
    "special_non_maintained": "special_non_maintained",
    "ap_pru_academy": "ap_pru",
    "ap_pru_free_school": "ap_pru",
    "ap_pru_la_maintained": "ap_pru",
    "general_fe_tertiary_colleges": "fe_general",
    "ukrlp_provider": "fe_general",
    "specialist_post_16_institutions": "specialist_post16",
    "elective_home_education": "educated_elsewhere",
    "other_arrangements_la": "educated_elsewhere",
    "other_arrangements_parents": "educated_elsewhere",
    "online_provider": "educated_elsewhere",
    "w_settings": "educated_elsewhere",
    "other_schools": "educated_elsewhere",
    "other_placement_settings": "educated_elsewhere",
    "placement_unknown": "educated_elsewhere",
    # pre-2023 "awaiting provision": not in a setting; the nearest default placement is
    # "educated elsewhere (other arrangements)" (2019: 21 plans). Mapping choice.
    "await_prov_2022": "educated_elsewhere",
    "perm_ex_2022": "educated_elsewhere",
    "neet": "neet",
    "neet_ntci": "neet",
    "neet_other": "neet",
    "neet_other_csa": "neet",
}

# ======================================================================================
# ASSUMPTIONS (every one is an assumption unless the comment names a source row)
# ======================================================================================

# Share of Sutton-resident plans in maintained special schools/special academies that
# are in schools inside the borough. SEN2 does not split by location. Assumption,
# informed by the WSOA (seed 002, action 3.6): 85.1% of all Sutton EHCP pupils were
# "educated locally" in 2018; we use the same order of magnitude for maintained special.
IN_BOROUGH_SHARE_MAINTAINED_SPECIAL = 0.85

# Occupancy of in-borough special places commissioned for Sutton residents at the base
# census (places = in-borough plans / occupancy, rounded up). Assumption: a full special
# sector with ~3% headroom, consistent with the capacity pressure the High Needs Review
# (seed 001) describes.
SPECIAL_IN_OCCUPANCY = 0.97

# Resourced provision (Opportunity Base) and AP place numbers at the base year, derived
# from Sutton's s251 budget 2021-22 place funding (gross: it includes academy places):
# RP  = (primary + secondary place funding £1,410,300 + £964,300) / £6,000 = 396 places
#       (cross-check: ESFA 2023-24 deductions fund 251 + 11 + 25 = 287 academy RP/unit
#       places, hnb_formula_and_place_deductions..., Sutton 2023-24)
# AP  = PRU/AP academy place funding £2,150,000 / £10,000 = 215 places
# Held flat over the horizon (assumption: no published place plan).
RP_PLACE_RATE_GBP = 6000
AP_PLACE_RATE_GBP = 10000

# Within-band single-year-of-age weights for the baseline age split. SEN2 bands only
# are in the data. Assumption: under-5 plans concentrate at ages 3-4 (nursery entry),
# primary plans rise with age, secondary flat, post-16 falls as young people leave.
AGE_WEIGHTS_WITHIN_BAND = {
    "Under 5": {0: 0.02, 1: 0.05, 2: 0.13, 3: 0.30, 4: 0.50},
    "Age 5 to 10": {5: 0.13, 6: 0.15, 7: 0.17, 8: 0.18, 9: 0.18, 10: 0.19},
    "Age 11 to 15": {11: 0.20, 12: 0.20, 13: 0.20, 14: 0.20, 15: 0.20},
    "Age 16 to 19": {16: 0.32, 17: 0.28, 18: 0.23, 19: 0.17},
    "Age 20 to 25": {20: 0.28, 21: 0.22, 22: 0.18, 23: 0.14, 24: 0.10, 25: 0.08},
}

# Ages at which a placement can hold plans (structural zeros for the IPF and for the
# flow tables). Ages are at 31 August before the census (so 4 = reception, 11 = Year 7,
# 16 = Year 12). Assumption following the brief: no FE under 16, no early years over 4,
# no school placement over 19 and only special schools up to 19, AP compulsory school age.
ALLOWED_AGES = {
    "early_years": (0, 4),
    "mainstream": (2, 18),
    "resourced_provision": (3, 18),
    "special_maintained_in": (2, 19),
    "special_maintained_out": (2, 19),
    "special_independent": (2, 19),
    "special_non_maintained": (2, 19),
    "ap_pru": (5, 15),
    "fe_general": (16, 25),
    "specialist_post16": (16, 25),
    "educated_elsewhere": (0, 25),
    "neet": (16, 25),
}
IPF_ITERATIONS = 5000

# Population. Sutton single-year population is not in the data. The s251 extract gives
# ONS population aged 2-18 (mid-2021 projection) = 46,540.04. Assumption: the same
# number at every single age 2-18 (46,540.04 / 17), with the relative factors below for
# ages 0-1 (smaller recent birth cohorts in London) and 19-25 (young adults leave for
# study/work), and no growth (London's child population is broadly flat to falling).
POP_FACTOR_0_1 = 0.95
POP_FACTOR_19_25 = 0.90
POP_GROWTH_FRACTION_PER_YEAR = 0.0

# Relative age profile of new EHC plans (per resident). Assumption: most new plans are
# made in the early years and primary phase, with smaller peaks at the Year 6->7 and
# Year 11->12 transfers, and few after 19 (plans end at 26).
NEW_PLAN_AGE_WEIGHTS = {
    0: 0.2, 1: 0.6, 2: 2.5, 3: 6.0, 4: 8.0, 5: 7.0, 6: 6.5, 7: 6.5, 8: 6.5, 9: 6.5,
    10: 8.0, 11: 7.0, 12: 4.5, 13: 5.0, 14: 5.0, 15: 4.5, 16: 3.0, 17: 2.0, 18: 1.0,
    19: 0.6, 20: 0.4, 21: 0.3, 22: 0.2, 23: 0.1, 24: 0.1, 25: 0.0,
}

# Where new plans are placed, by age group (shares of new plans at that age). Assumption,
# shaped by the January 2025 Sutton placement mix (about half in mainstream) and the
# growth of independent special places 2024->2025 (139 -> 195).
NEW_PLAN_PLACEMENT_MIX = [
    ((0, 1), {"early_years": 0.60, "educated_elsewhere": 0.40}),
    ((2, 2), {"early_years": 0.55, "mainstream": 0.10, "special_maintained_in": 0.10,
              "educated_elsewhere": 0.25}),
    ((3, 4), {"early_years": 0.25, "mainstream": 0.45, "resourced_provision": 0.05,
              "special_maintained_in": 0.15, "special_maintained_out": 0.03,
              "special_independent": 0.02, "educated_elsewhere": 0.05}),
    ((5, 10), {"mainstream": 0.60, "resourced_provision": 0.14, "special_maintained_in": 0.12,
               "special_maintained_out": 0.03, "special_independent": 0.06,
               "special_non_maintained": 0.005, "ap_pru": 0.005, "educated_elsewhere": 0.04}),
    ((11, 15), {"mainstream": 0.45, "resourced_provision": 0.10, "special_maintained_in": 0.12,
                "special_maintained_out": 0.04, "special_independent": 0.15,
                "special_non_maintained": 0.01, "ap_pru": 0.03, "educated_elsewhere": 0.10}),
    ((16, 18), {"mainstream": 0.15, "special_maintained_in": 0.05, "special_independent": 0.05,
                "fe_general": 0.55, "specialist_post16": 0.08, "educated_elsewhere": 0.04,
                "neet": 0.08}),
    ((19, 25), {"fe_general": 0.70, "specialist_post16": 0.10, "educated_elsewhere": 0.10,
                "neet": 0.10}),
]

# Cessation: relative age profile (fraction of plans at that age ceasing before the next
# census), scaled by one factor so that the baseline year's cessations (incl. every plan
# aged 25, which the engine always ceases) equal the cessations implied by the data:
# implied ceased(Y) = new plans in calendar Y-1 - (total at census Y - total at census Y-1),
# averaged over the CESSATION_CALIBRATION_YEARS. Profile is an assumption with peaks at
# 16 (end of Year 11), 19 (post-19) and 20-24 (adulthood); the calibration is data.
CESSATION_AGE_PROFILE = {a: 0.015 for a in range(0, 15)}
CESSATION_AGE_PROFILE.update({15: 0.03, 16: 0.08, 17: 0.05, 18: 0.07, 19: 0.18,
                              20: 0.12, 21: 0.12, 22: 0.12, 23: 0.12, 24: 0.12})

# Transitions of continuing plans between census Y (age a) and Y+1 (age a+1).
# Assumption: moves concentrated at phase transfers (4->5 reception/Year 1, 10->11 Year 7,
# 15->16 Year 12, 17->18 and 18->19 end of school sixth form, 19->20 end of special
# sixth form), small background drift from mainstream to special, NEET re-engagement.
# Rows whose moves must empty a placement (its last allowed age) sum to exactly 1.
def _transition_rows():
    rows = []  # (age, from, to, probability)
    specials = ["special_maintained_in", "special_maintained_out", "special_independent",
                "special_non_maintained"]
    # 4 -> 5: early years ends
    for to, p in [("mainstream", 0.60), ("resourced_provision", 0.10),
                  ("special_maintained_in", 0.20), ("special_maintained_out", 0.04),
                  ("special_independent", 0.04), ("educated_elsewhere", 0.02)]:
        rows.append((4, "early_years", to, p))
    rows.append((4, "mainstream", "resourced_provision", 0.04))
    rows.append((4, "mainstream", "special_maintained_in", 0.04))
    # background drift within the primary and secondary phases
    for a in list(range(5, 10)) + list(range(11, 15)):
        rows.append((a, "mainstream", "special_maintained_in", 0.01))
        rows.append((a, "mainstream", "special_independent", 0.01))
        rows.append((a, "resourced_provision", "special_maintained_in", 0.02))
    # 10 -> 11: Year 6 -> Year 7
    for to, p in [("resourced_provision", 0.03), ("special_maintained_in", 0.05),
                  ("special_maintained_out", 0.01), ("special_independent", 0.05)]:
        rows.append((10, "mainstream", to, p))
    for to, p in [("mainstream", 0.10), ("special_maintained_in", 0.10),
                  ("special_independent", 0.04)]:
        rows.append((10, "resourced_provision", to, p))
    rows.append((10, "special_maintained_in", "special_independent", 0.05))
    # 15 -> 16: Year 11 -> Year 12
    for to, p in [("fe_general", 0.45), ("specialist_post16", 0.02), ("neet", 0.03)]:
        rows.append((15, "mainstream", to, p))
    for to, p in [("fe_general", 0.55), ("specialist_post16", 0.05), ("mainstream", 0.10),
                  ("neet", 0.03)]:
        rows.append((15, "resourced_provision", to, p))
    for to, p in [("fe_general", 0.10), ("specialist_post16", 0.05)]:
        rows.append((15, "special_maintained_in", to, p))
    for to, p in [("fe_general", 0.10), ("specialist_post16", 0.08)]:
        rows.append((15, "special_maintained_out", to, p))
    for src in ("special_independent", "special_non_maintained"):
        rows.append((15, src, "specialist_post16", 0.15))
        rows.append((15, src, "fe_general", 0.05))
    for to, p in [("fe_general", 0.60), ("neet", 0.20), ("educated_elsewhere", 0.20)]:
        rows.append((15, "ap_pru", to, p))            # AP ends at Year 11: sums to 1
    rows.append((15, "educated_elsewhere", "fe_general", 0.30))
    # 16 -> 17 and 17 -> 18: leaving school sixth forms
    rows.append((16, "mainstream", "fe_general", 0.10))
    for src in ("mainstream", "resourced_provision"):
        rows.append((17, src, "fe_general", 0.50))
        rows.append((17, src, "neet", 0.05))
    # 18 -> 19: post-19 (mainstream and RP end: sums to 1)
    for src in ("mainstream", "resourced_provision"):
        for to, p in [("fe_general", 0.85), ("neet", 0.10), ("educated_elsewhere", 0.05)]:
            rows.append((18, src, to, p))
    for src in specials:
        rows.append((18, src, "fe_general", 0.25))
        rows.append((18, src, "specialist_post16", 0.20))
    # 19 -> 20: special sixth forms end (sums to 1)
    for src in specials:
        for to, p in [("fe_general", 0.45), ("specialist_post16", 0.35), ("neet", 0.10),
                      ("educated_elsewhere", 0.10)]:
            rows.append((19, src, to, p))
    # 16-24: NEET re-engagement and FE drop-out
    for a in range(16, 25):
        rows.append((a, "neet", "fe_general", 0.15))
        rows.append((a, "fe_general", "neet", 0.03))
    return rows

# Money (top-ups and fees, GBP per occupied plan per year).
# Price basis: cash at the scenario's price base academic year. Figures from the national
# DfE series are used where one exists; Sutton's own s251 budget 2021-22 per-plan figures
# where no national figure exists, uplifted by UNIT_COST_UPLIFT_FRACTION_PER_YEAR.
# Cash uplift per year for per-plan costs that have no national series (mainstream, RP,
# early years, FE, specialist post-16), 2021-22 -> price base. Assumption: the average
# yearly growth of the two DfE national series over 2021-22 -> latest (maintained special
# top-up £13k -> £16k by 2023-24; independent/NMSS £57k -> £64k by 2024-25), computed
# in past_uplift_fraction_per_year(). For 2018-19 (retrospective) the same rate is used
# backwards.
UNIT_COST_UPLIFT_FRACTION_PER_YEAR = None   # derived below from the DfE series
AP_EHCP_TOPUP_2023_24 = 20000               # assumption: Thurrock FOI £30,785 a place
                                            # (2023-24, placement_unit_costs.csv) less the
                                            # £10,000 place funding, rounded
EDUCATED_ELSEWHERE_TOPUP_2024_25 = 15000    # assumption: EOTAS packages; no source found
NEET_TOPUP = 0                              # assumption: no provision is paid for
SPECIAL_OUT_TOPUP_PREMIUM = 1.0             # assumption: same top-up as in-borough special

# FY2019-20 cost calibration of the 2019 retrospective set only (the 2025 set is not
# affected). Sutton's DSG reserve was a small surplus at 31 March 2020 and 2021 (+0.44%,
# +0.59% of DSG), so the 2019 set's costs are calibrated so that the HNB's FY2019-20
# in-year balance is close to zero (assumption: the other DSG blocks broadly balanced).
# Two cost assumptions changed (see Scenarios/sutton/README.md, retrospective section):
# 1. the "other unitemised" central line is set to 0 in retrospective/baseline_2019.yaml
#    (printed below with the s251 2020-21 outturn that supports it);
# 2. the educated-elsewhere top-up is paid only on the share of those plans that are not
#    "awaiting provision" or elective home education at the base census (SEN2 January
#    2019: 5 of 26), flag below. Assumption: awaiting-provision and EHE plans cost the HNB
#    nothing, and the base-census mix holds for the projected plans.
RETRO_EDUCATED_ELSEWHERE_UNPAID_COLUMNS = ["await_prov_2022", "elective_home_education"]

# Scenario sets
SETS = {
    "baseline": {
        "base_year": 2025,
        "horizon": 10,
        "out_dir": os.path.join(SUTTON, "data"),
        # cessation calibration years (census years Y, implied ceased in the year to Y)
        "cessation_calibration_years": [2024, 2025],
        # incidence calibration: calendar years of new plans averaged (the year to census)
        "new_plan_calendar_years": [2024],
        "price_base_academic_year": "2024/25",
        "price_base_fy_start": 2024,
    },
    "retrospective": {
        "base_year": 2019,
        "horizon": 6,
        "out_dir": os.path.join(SUTTON, "retrospective", "data"),
        "cessation_calibration_years": [2018, 2019],
        "new_plan_calendar_years": [2018, 2019],
        "price_base_academic_year": "2018/19",
        "price_base_fy_start": 2018,
        # FY2019-20 calibration (see RETRO_EDUCATED_ELSEWHERE_UNPAID_COLUMNS)
        "educated_elsewhere_paid_share_from_census": True,
    },
}

# ======================================================================================
# helpers
# ======================================================================================
MICRO = 1000000  # micro-plans per plan


def read_csv(name):
    with open(os.path.join(SOURCES, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fmt(x):
    """Fixed float formatting: up to 6 decimals, no trailing zeros, no '-0'."""
    s = "%.6f" % x
    s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def fmt_micro(m):
    """Format an integer number of micro-units exactly."""
    neg = m < 0
    m = abs(m)
    whole, frac = divmod(m, MICRO)
    s = str(whole)
    if frac:
        s += "." + ("%06d" % frac).rstrip("0")
    return ("-" if neg and (whole or frac) else "") + s


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def allowed(p, a):
    lo, hi = ALLOWED_AGES[p]
    return lo <= a <= hi


def split_micro(total_micro, weights):
    """Split an integer total into integer parts proportional to weights (largest
    remainder, ties broken by order) so that the parts sum exactly to the total."""
    s = sum(weights)
    if s <= 0:
        raise ValueError("no weight to split into")
    raw = [total_micro * w / s for w in weights]
    parts = [int(math.floor(r)) for r in raw]
    rest = total_micro - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


# ======================================================================================
# data extraction
# ======================================================================================
def sutton_placement_totals(census_year):
    """Integer plan counts per default placement for Sutton at a census (special
    maintained split in/out by the assumption)."""
    rows = [r for r in read_csv("ehcp_caseload_by_placement_2019_2025.csv")
            if r["geography"] == "Sutton" and int(r["census_year"]) == census_year]
    total = None
    acc = {p: 0 for p in PLACEMENTS}
    special = 0
    for r in rows:
        col = r["dfe_column"]
        v = r["ehc_plans_count"].strip()
        if col == "ehcplans":
            total = int(v)
            continue
        if col not in DFE_TO_PLACEMENT or v == "":
            continue  # totals/sub-totals, or suppressed (x) cells
        p = DFE_TO_PLACEMENT[col]
        if p == "special_maintained":
            special += int(v)
        else:
            acc[p] += int(v)
    inside = int(round(special * IN_BOROUGH_SHARE_MAINTAINED_SPECIAL))
    acc["special_maintained_in"] = inside
    acc["special_maintained_out"] = special - inside
    if sum(acc.values()) != total:
        raise SystemExit("placement totals %d != all plans %d in %d"
                         % (sum(acc.values()), total, census_year))
    return acc, total, special


def sutton_age_bands(census_year):
    bands = {}
    for r in read_csv("ehcp_caseload_by_age_england_sutton_medway.csv"):
        if r["geography"] != "Sutton" or int(r["census_year"]) != census_year:
            continue
        if r["age_band"] == "Total":
            continue
        bands[r["age_band"]] = int(r["total_statements_plus_ehcps_count"])
    return bands


def sutton_totals():
    out = {}
    for r in read_csv("ehcp_totals_england_sutton_medway_2010_2025.csv"):
        if r["geography"] == "Sutton":
            out[int(r["census_year"])] = int(r["total_statements_plus_ehcps_count"])
    return out


def sutton_new_plans():
    out = {}
    for r in read_csv("ehcp_new_plans_by_calendar_year.csv"):
        if r["geography"] == "Sutton":
            out[int(r["calendar_year"])] = int(r["new_total_count"])  # same in both releases
    return out


def need_shares(measure):
    rows = [r for r in read_csv("ehcp_primary_need_england_2025.csv") if r["measure"] == measure]
    counts = {r["need"]: int(r["count"]) for r in rows}
    total = int(rows[0]["total"])
    if sum(counts.values()) != total or set(counts) != set(NEEDS):
        raise SystemExit("need counts do not add up for " + measure)
    return [counts[n] for n in NEEDS], total


def s251_sutton():
    rows = [r for r in read_csv("s251_high_needs_budget2122_outturn2021_sutton_medway.csv")
            if r["la_name"] == "Sutton"]
    return rows[0]


def national_unit_cost(placement_type, year):
    for r in read_csv("placement_unit_costs.csv"):
        if (r["placement_type"] == placement_type and r["financial_or_reference_year"] == year
                and r["geography"] == "England"):
            return float(r["cost_gbp_per_pupil_per_year"])
    raise SystemExit("no unit cost %s %s" % (placement_type, year))


def funding_parameter(parameter):
    for r in read_csv("high_needs_funding_parameters.csv"):
        if r["parameter"] == parameter:
            return float(r["value_gbp"])
    raise SystemExit("no parameter " + parameter)


# ======================================================================================
# builders
# ======================================================================================
def single_age_targets(bands):
    """Micro-plan targets per single age from the band totals and within-band weights."""
    targets = {}
    for band, weights in AGE_WEIGHTS_WITHIN_BAND.items():
        total = bands.get(band, 0)
        ages = sorted(weights)
        parts = split_micro(total * MICRO, [weights[a] for a in ages])
        for a, m in zip(ages, parts):
            targets[a] = m
    return targets


def ipf(row_targets, col_targets):
    """Iterative proportional fitting of an age x placement table with structural zeros.
    Returns float table; the last step fits the columns (placements) exactly."""
    t = {(a, p): (1.0 if allowed(p, a) else 0.0) for a in AGES for p in PLACEMENTS}
    for _ in range(IPF_ITERATIONS):
        for a in AGES:
            s = sum(t[(a, p)] for p in PLACEMENTS)
            if s > 0:
                f = row_targets[a] / s
                for p in PLACEMENTS:
                    t[(a, p)] *= f
        for p in PLACEMENTS:
            s = sum(t[(a, p)] for a in AGES)
            if s > 0:
                f = col_targets[p] / s
                for a in AGES:
                    t[(a, p)] *= f
    return t


def build_baseline(cfg):
    by, _ = cfg["base_year"], None
    totals, all_plans, special = sutton_placement_totals(by)
    bands = sutton_age_bands(by)
    if sum(bands.values()) != all_plans:
        raise SystemExit("age bands %d != total %d" % (sum(bands.values()), all_plans))
    row_t = single_age_targets(bands)
    col_t = {p: totals[p] * MICRO for p in PLACEMENTS}
    t = ipf(row_t, col_t)
    # integerise each placement column exactly (micro-plans)
    cells = {}
    for p in PLACEMENTS:
        ages = [a for a in AGES if allowed(p, a)]
        if col_t[p] == 0:
            continue
        parts = split_micro(col_t[p], [t[(a, p)] for a in ages])
        for a, m in zip(ages, parts):
            cells[(a, p)] = m
    # need split: England January 2025 shares of all EHC plans, same in every cell
    shares, _ = need_shares("active_ehc_plans")
    rows = []
    grand = 0
    for (a, p) in sorted(cells, key=lambda k: (k[0], PLACEMENTS.index(k[1]))):
        m = cells[(a, p)]
        if m == 0:
            continue
        parts = split_micro(m, shares)
        for n, q in zip(NEEDS, parts):
            if q:
                rows.append((a, p, n, q))
                grand += q
    assert grand == all_plans * MICRO
    out = [(a, p, n, fmt_micro(q)) for (a, p, n, q) in rows]
    # row-fit report (ages are fitted to within the IPF tolerance, placements exactly)
    worst = max(abs(sum(cells.get((a, p), 0) for p in PLACEMENTS) - row_t[a]) / MICRO
                for a in AGES)
    return out, totals, all_plans, special, cells, worst


def population_rows(cfg):
    s = s251_sutton()
    per_age = float(s["population_aged_2_18_ons_mid2021_projection"]) / 17.0
    rows = []
    pops = {}
    for y in range(cfg["base_year"] + 1, cfg["base_year"] + cfg["horizon"] + 1):
        g = (1.0 + POP_GROWTH_FRACTION_PER_YEAR) ** (y - 2021)
        for a in AGES:
            f = POP_FACTOR_0_1 if a <= 1 else (POP_FACTOR_19_25 if a >= 19 else 1.0)
            v = round(per_age * f * g, 2)
            pops[(y, a)] = v
            rows.append((y, a, fmt(v)))
    return rows, pops


def incidence_rows(cfg, pops):
    np_ = sutton_new_plans()
    years = cfg["new_plan_calendar_years"]
    target = sum(np_[y] for y in years) / float(len(years))
    y1 = cfg["base_year"] + 1
    denom = sum(NEW_PLAN_AGE_WEIGHTS[a] * pops[(y1, a)] for a in AGES)
    k = target / denom
    rows = [(a, fmt(NEW_PLAN_AGE_WEIGHTS[a] * k)) for a in AGES]
    # check: the written (rounded) rates give the target within rounding
    got = sum(float(r) * pops[(y1, a)] for a, r in rows)
    return rows, target, got


def new_plan_mix_rows():
    nshares, ntotal = need_shares("new_ehc_plans")
    rows = []
    for a in AGES:
        mix = None
        for (lo, hi), m in NEW_PLAN_PLACEMENT_MIX:
            if lo <= a <= hi:
                mix = m
        if mix is None:
            raise SystemExit("no new-plan mix for age %d" % a)
        if abs(sum(mix.values()) - 1.0) > 1e-12:
            raise SystemExit("new-plan mix at age %d sums to %r" % (a, sum(mix.values())))
        for p in PLACEMENTS:
            if p not in mix:
                continue
            if not allowed(p, a):
                raise SystemExit("new plans at age %d placed in %s outside its ages" % (a, p))
            # shares in micro-units, exact per age: placement share x need share
            for n, c in zip(NEEDS, nshares):
                rows.append((a, p, n, mix[p] * c / ntotal))
    # renormalise exactly per age after rounding to 6 decimals (largest remainder)
    out = []
    for a in AGES:
        arow = [r for r in rows if r[0] == a]
        parts = split_micro(MICRO, [r[3] for r in arow])
        for r, m in zip(arow, parts):
            if m:
                out.append((r[0], r[1], r[2], fmt_micro(m)))
    return out


def cessation_rows(cfg, cells):
    totals = sutton_totals()
    np_ = sutton_new_plans()
    implied = []
    for y in cfg["cessation_calibration_years"]:
        implied.append(np_[y - 1] - (totals[y] - totals[y - 1]))
    target = sum(implied) / float(len(implied))
    by_age = {a: sum(cells.get((a, p), 0) for p in PLACEMENTS) / MICRO for a in AGES}
    age25 = by_age[25]
    base = sum(by_age[a] * CESSATION_AGE_PROFILE[a] for a in range(0, 25))
    k = (target - age25) / base
    rates = {a: round(CESSATION_AGE_PROFILE[a] * k, 6) for a in range(0, 25)}
    if any(r < 0 or r > 1 for r in rates.values()):
        raise SystemExit("cessation calibration out of range: k=%r" % k)
    rows = [(a, "all", fmt(rates[a])) for a in range(0, 25)]
    got = sum(by_age[a] * rates[a] for a in range(0, 25)) + age25
    return rows, implied, target, k, got


def transition_rows():
    rows = _transition_rows()
    seen = set()
    sums = {}
    for a, f, t, p in rows:
        if (a, f, t) in seen:
            raise SystemExit("duplicate transition %r" % ((a, f, t),))
        seen.add((a, f, t))
        if not allowed(f, a) or not allowed(t, a + 1):
            raise SystemExit("transition outside allowed ages: %r" % ((a, f, t),))
        sums[(a, f)] = sums.get((a, f), 0.0) + p
    for (a, f), s in sums.items():
        if s > 1.0 + 1e-9:
            raise SystemExit("moves from %s at %d sum to %r" % (f, a, s))
        if not allowed(f, a + 1) and abs(s - 1.0) > 1e-9:
            raise SystemExit("%s at %d must be emptied (sum %r)" % (f, a, s))
    key = lambda r: (r[0], PLACEMENTS.index(r[1]), PLACEMENTS.index(r[2]))
    return [(a, f, t, fmt(p)) for a, f, t, p in sorted(rows, key=key)]


def academic_years(cfg):
    first = cfg["base_year"] - 1
    last = cfg["base_year"] + cfg["horizon"] - 1
    return ["%d/%02d" % (y, (y + 1) % 100) for y in range(first, last + 1)]


def places_rows(cfg, totals, special):
    s = s251_sutton()
    inside_plans = totals["special_maintained_in"]
    special_places = int(math.ceil(inside_plans / SPECIAL_IN_OCCUPANCY))
    rp_places = int(round((float(s["s251_budget_2021_22_gbp__place_primary"])
                           + float(s["s251_budget_2021_22_gbp__place_secondary"]))
                          / RP_PLACE_RATE_GBP))
    ap_places = int(round(float(s["s251_budget_2021_22_gbp__place_prus_and_ap_academies"])
                          / AP_PLACE_RATE_GBP))
    rows = []
    for ay in academic_years(cfg):
        rows.append(("special_maintained_in", ay, special_places))
        rows.append(("resourced_provision", ay, rp_places))
        rows.append(("ap_pru", ay, ap_places))
    key = lambda r: (PLACEMENTS.index(r[0]), r[1])
    return sorted(rows, key=key), {"special_maintained_in": special_places,
                                   "resourced_provision": rp_places, "ap_pru": ap_places}


def past_uplift_fraction_per_year():
    place = funding_parameter("place funding per SEN place")
    sp = ((national_unit_cost("maintained special schools and special academies", "2023-24") - place)
          / (national_unit_cost("maintained special schools and special academies", "2021-22") - place))
    nm = (national_unit_cost("non-maintained and independent special schools", "2024-25")
          / national_unit_cost("non-maintained and independent special schools", "2021-22"))
    # yearly rates: special over 2 years, independent over 3 years; simple mean
    return round(((sp ** (1.0 / 2.0) - 1.0) + (nm ** (1.0 / 3.0) - 1.0)) / 2.0, 4)


def educated_elsewhere_paid_share(census_year):
    """Share of the census's educated-elsewhere plans that are not awaiting provision or
    electively home educated (suppressed cells count as 0). Data: SEN2 placement columns."""
    totals, _, _ = sutton_placement_totals(census_year)
    unpaid = 0
    for r in read_csv("ehcp_caseload_by_placement_2019_2025.csv"):
        if (r["geography"] == "Sutton" and int(r["census_year"]) == census_year
                and r["dfe_column"] in RETRO_EDUCATED_ELSEWHERE_UNPAID_COLUMNS
                and r["ehc_plans_count"].strip()):
            unpaid += int(r["ehc_plans_count"])
    total = totals["educated_elsewhere"]
    return (total - unpaid) / float(total), total - unpaid, total


def top_up_rows(cfg):
    """Top-ups/fees per occupied plan, cash at the set's price base academic year.

    Sutton's own s251 budget 2021-22 (s251 Sutton row) divided by Sutton's January 2021
    EHCP placements (SEN2 2021, same extract) gives a per-plan figure for 2021-22. It is
    moved to the price base with the national DfE unit-cost series where one exists
    (special top-up = maintained special per pupil less £10,000 place funding; independent
    and non-maintained special per pupil), else with UNIT_COST_UPLIFT_FRACTION_PER_YEAR.
    """
    s = s251_sutton()
    uplift = past_uplift_fraction_per_year()
    place = funding_parameter("place funding per SEN place")  # £10,000
    pb = cfg["price_base_fy_start"]        # 2024 -> 2024-25 ; 2018 -> 2018-19
    fy = "%d-%02d" % (pb, (pb + 1) % 100)
    special_year = fy if pb <= 2023 else "2023-24"   # latest national special figure
    # national DfE series (PQ 50389 / 100030), index 2021-22 -> price base
    sp_index = ((national_unit_cost("maintained special schools and special academies", special_year) - place)
                / (national_unit_cost("maintained special schools and special academies", "2021-22") - place))
    in_index = (national_unit_cost("non-maintained and independent special schools", fy)
                / national_unit_cost("non-maintained and independent special schools", "2021-22"))
    up = (1.0 + uplift) ** (pb - 2021)
    p21, _, _ = sutton_placement_totals(2021)
    b = lambda k: float(s["s251_budget_2021_22_gbp__" + k])
    mainstream_like = (float(s["ehcp_placed_mainstream_schools_or_academies"])
                       + float(s["ehcp_placed_resourced_provision_or_sen_units"]))
    special_2021 = float(s["ehcp_placed_maintained_special_or_special_academies"])
    inmss_2021 = float(s["ehcp_placed_nmss_or_independent_schools"])
    values = {
        "early_years": b("topup_mafc_early_years") / p21["early_years"] * up,
        "mainstream": (b("topup_mafc_primary") + b("topup_mafc_secondary")) / mainstream_like * up,
        "special_maintained_in": b("topup_mafc_special_schools_and_academies") / special_2021 * sp_index,
        "special_independent": b("topup_nmi_special_schools_and_academies") / inmss_2021 * in_index,
        "fe_general": b("topup_mafc_post_school") / p21["fe_general"] * up,
        "specialist_post16": b("topup_nmi_post_school") / p21["specialist_post16"] * up,
        "ap_pru": AP_EHCP_TOPUP_2023_24 * (1.0 + uplift) ** (pb - 2023),
        "educated_elsewhere": EDUCATED_ELSEWHERE_TOPUP_2024_25 * (1.0 + uplift) ** (pb - 2024),
        "neet": float(NEET_TOPUP),
    }
    if cfg.get("educated_elsewhere_paid_share_from_census"):
        values["educated_elsewhere"] *= educated_elsewhere_paid_share(cfg["base_year"])[0]
    values["resourced_provision"] = values["mainstream"]      # one s251 line for both
    values["special_maintained_out"] = values["special_maintained_in"] * SPECIAL_OUT_TOPUP_PREMIUM
    values["special_non_maintained"] = values["special_independent"]
    national = {
        "special_topup": national_unit_cost("maintained special schools and special academies",
                                            special_year) - place,
        "independent": national_unit_cost("non-maintained and independent special schools", fy),
    }
    rows = [(p, "all", fmt(round(values[p]))) for p in PLACEMENTS]
    return rows, values, national


# Future cash uplift of central lines after their price base (assumption, used in YAML)
CENTRAL_LINE_FUTURE_UPLIFT = 0.03


def dsg_row(fy, vintage_contains=None):
    rows = [r for r in read_csv("dsg_allocations_by_block_england_sutton_medway.csv")
            if r["geography"] == "Sutton" and r["financial_year"] == fy]
    if vintage_contains:
        rows = [r for r in rows if vintage_contains in r["vintage"]]
    return rows[-1]


def hnb_item(fy, item_prefix):
    for r in read_csv("hnb_formula_and_place_deductions_england_sutton_medway.csv"):
        if r["geography"] == "Sutton" and r["financial_year"] == fy and r["item"].startswith(item_prefix):
            return float(r["value"])
    raise SystemExit("no item %s %s" % (fy, item_prefix))


def national_hnb(fy):
    for r in read_csv("national_high_needs_funding_and_spend.csv"):
        if r["financial_year"] == fy and r["value_gbp"] and (
                "before deductions" in r["measure"] or "national total (quoted)" in r["measure"]):
            return float(r["value_gbp"])
    raise SystemExit("no national HNB " + fy)


def finance_report(cfg):
    """The derived money figures the YAML files quote (printed, so they are reproducible)."""
    s = s251_sutton()
    b = lambda k: float(s["s251_budget_2021_22_gbp__" + k])
    up = past_uplift_fraction_per_year()
    out = []
    first_fy = cfg["base_year"]           # 2025 -> FY 2025-26 ; 2019 -> FY 2019-20
    f = (1.0 + up) ** (first_fy - 2021)   # 2021-22 -> first forecast FY
    ap_topup_2021 = AP_EHCP_TOPUP_2023_24 / (1.0 + up) ** 2
    extract_total = (b("place_funding_total") + b("topup_maintained_academies_free_colleges_total")
                     + b("topup_nonmaintained_independent_total") + b("sen_support_and_inclusion_services")
                     + b("alternative_provision_services") + b("hospital_education_services")
                     + b("therapies_and_other_health_related_services"))
    hnb2122 = float(dsg_row("2021-22")["high_needs_block_before_deductions_gbp"])
    central = {
        "sen_support": b("sen_support_and_inclusion_services"),
        "therapies": b("therapies_and_other_health_related_services"),
        "hospital_education": b("hospital_education_services"),
        "ap_services": b("alternative_provision_services"),
        "ap_topups_non_ehcp": b("topup_mafc_prus_and_ap_academies")
        - float(s["ehcp_placed_hospital_schools_or_ap"]) * ap_topup_2021,
        "early_years_inclusion_places": b("place_early_years"),
        "other_unitemised": hnb2122 - extract_total,
    }
    out.append("central lines 2021-22 (s251 budget): %s" % {k: round(v) for k, v in central.items()})
    out.append("  ap top-up per EHCP plan 2021-22 used to net the AP line: %d" % round(ap_topup_2021))
    out.append("  HNB 2021-22 %d - s251 extract total %d = %d" % (hnb2122, extract_total, hnb2122 - extract_total))
    out.append("central lines at first forecast FY (x %.6f): %s" % (f, {k: round(v * f) for k, v in central.items()}))
    # in-borough commissioned special places (gross) and those used by other LAs
    special_places_2122 = b("place_special_schools_and_academies") / 10000.0
    acad_2122 = (hnb_item("2021-22", "Special academies | Pre-16 SEN Places | September 2021")
                 + hnb_item("2021-22", "Special academies | Post-16 SEN Places | August 2021"))
    la_maintained = special_places_2122 - acad_2122
    if cfg["base_year"] >= 2024:
        acad_now = (hnb_item("2023-24", "Special academies | Pre-16 SEN Places | September 2023")
                    + hnb_item("2023-24", "Special academies | Post-16 SEN Places | August 2023"))
    else:
        acad_now = (hnb_item("2020-21", "Special academies | Pre-16 SEN Places | April 2020")
                    + hnb_item("2020-21", "Special academies | Post-16 SEN Places | April 2020"))
    totals, _, _ = sutton_placement_totals(cfg["base_year"])
    sutton_places = int(math.ceil(totals["special_maintained_in"] / SPECIAL_IN_OCCUPANCY))
    commissioned = la_maintained + acad_now
    out.append("in-borough special places: LA maintained %.0f (2021-22) + academy %.0f = %.0f; "
               "Sutton residents' places %d; other LAs' places %.0f -> place funding %d"
               % (la_maintained, acad_now, commissioned, sutton_places, commissioned - sutton_places,
                  round((commissioned - sutton_places) * 10000)))
    # income
    if cfg["base_year"] == 2025:
        h = float(dsg_row("2023-24", "March 2024")["high_needs_block_before_deductions_gbp"])
        g = national_hnb("2025-26") / national_hnb("2023-24")
        out.append("HNB 2023-24 %d x national growth 2023-24->2025-26 %.6f = %d" % (h, g, round(h * g)))
        d = dsg_row("2023-24", "March 2024")
        d19 = dsg_row("2019-20")
        for col, label in (("schools_block_before_deductions_gbp", "schools block"),
                           ("total_dsg_after_recoupment_and_deductions_gbp", "total DSG after deductions")):
            gr = (float(d[col]) / float(d19[col])) ** 0.25 - 1.0
            v = float(d[col]) * (1.0 + gr) ** 2
            out.append("%s 2023-24 %d, Sutton trend 2019-20->2023-24 %.6f/yr -> 2025-26 %d; then +%.2f/yr: %s"
                       % (label, float(d[col]), gr, round(v), CENTRAL_LINE_FUTURE_UPLIFT,
                          [round(v * (1.0 + CENTRAL_LINE_FUTURE_UPLIFT) ** k) for k in range(cfg["horizon"])]))
        out.append("deductions 2023-24 (not used, gross convention): %d" % round(float(d["high_needs_block_before_deductions_gbp"]) - float(d["high_needs_block_after_recoupment_and_deductions_gbp"])))
        out.append("import/export 2023-24: %d" % hnb_item("2023-24", "Import/export"))
    else:
        seq = [("2019-20", None), ("2020-21", None), ("2021-22", None), ("2022-23", "March 2023"),
               ("2023-24", "March 2024")]
        vals = [float(dsg_row(fy, v)["high_needs_block_before_deductions_gbp"]) for fy, v in seq]
        growth = {"2019-20": 0.0}
        for i in range(1, len(seq)):
            growth[seq[i][0]] = round(vals[i] / vals[i - 1] - 1.0, 6)
        growth["2024-25"] = round(national_hnb("2024-25") / national_hnb("2023-24") - 1.0, 6)
        out.append("HNB 2019-20 %.2f; growth (actual Sutton, 2024-25 national) %s" % (vals[0], growth))
        d19 = dsg_row("2019-20")
        out.append("2019-20 schools block %.2f, total DSG after deductions %.2f, deductions %.2f"
                   % (float(d19["schools_block_before_deductions_gbp"]),
                      float(d19["total_dsg_after_recoupment_and_deductions_gbp"]),
                      float(d19["high_needs_block_before_deductions_gbp"])
                      - float(d19["high_needs_block_after_recoupment_and_deductions_gbp"])))
        tot = {}
        for fy, v in seq:
            tot[fy] = round(float(dsg_row(fy, v)["total_dsg_after_recoupment_and_deductions_gbp"]))
        out.append("total DSG after deductions by FY: %s" % tot)
        out.append("import/export 2020-21: %d" % hnb_item("2020-21", "Import/export"))
        # FY2019-20 cost calibration: the evidence quoted in baseline_2019.yaml
        o = lambda k: float(s["s251_outturn_2020_21_gbp__" + k])
        outturn_net = (o("place_funding_total") + o("topup_maintained_academies_free_colleges_total")
                       + o("topup_nonmaintained_independent_total") + o("sen_support_and_inclusion_services")
                       + o("alternative_provision_services") + o("hospital_education_services")
                       + o("therapies_and_other_health_related_services"))
        d20 = dsg_row("2020-21")
        hnb20 = float(d20["high_needs_block_before_deductions_gbp"])
        ded20 = hnb20 - float(d20["high_needs_block_after_recoupment_and_deductions_gbp"])
        out.append("s251 outturn 2020-21, extract lines (net of ESFA-funded places) %d + deductions %d = %d gross"
                   " vs HNB 2020-21 before deductions %d: itemised lines exceed the allocation by %d"
                   " -> other_unitemised set to 0 in the 2019 set"
                   % (outturn_net, ded20, outturn_net + ded20, hnb20, outturn_net + ded20 - hnb20))
        share, paid, total = educated_elsewhere_paid_share(cfg["base_year"])
        out.append("educated elsewhere %d: %d of %d plans not awaiting provision / EHE -> top-up x %.6f"
                   % (cfg["base_year"], paid, total, share))
    return out


def outturn_rows():
    """Actual Sutton census measures 2020-2025 (retrospective outturn)."""
    rows = []
    for y in range(2020, 2026):
        totals, all_plans, special = sutton_placement_totals(y)
        pl = {r["dfe_column"]: r for r in read_csv("ehcp_caseload_by_placement_2019_2025.csv")
              if r["geography"] == "Sutton" and int(r["census_year"]) == y}
        mainstream_total = int(pl["mainstream_total"]["ehc_plans_count"])
        indep = int(pl["special_independent"]["ehc_plans_count"])
        nm = int(pl["special_non_maintained"]["ehc_plans_count"])
        src = "ehcp_caseload_by_placement_2019_2025.csv (DfE SEN2, January %d)" % y
        rows.append((y, "total_plans", str(all_plans), src))
        # share_mainstream: DfE "Mainstream - total" (incl. resourced provision and SEN
        # units) / all plans, the same definition the model's mainstream + resourced
        # provision share uses
        rows.append((y, "share_mainstream", fmt(mainstream_total / all_plans),
                     src + ": Mainstream - total / All EHC plans"))
        # share_independent_special: independent + non-maintained special / all plans
        rows.append((y, "share_independent_special", fmt((indep + nm) / all_plans),
                     src + ": (Special - independent + Special - non-maintained) / All EHC plans"))
        # share_in_borough is not derivable from SEN2 (no location field): not written
    # DSG reserve at 31 March of `year`: the surpluses are derived (published % of total DSG
    # x total DSG after deductions of the financial year ending then); the deficits are quoted.
    pct = {2020: ("2019-20", 0.0044), 2021: ("2020-21", 0.0059), 2022: ("2021-22", 0.0057)}
    dsg = read_csv("dsg_allocations_by_block_england_sutton_medway.csv")
    for y, (fy, share) in pct.items():
        totals_fy = [r for r in dsg if r["geography"] == "Sutton" and r["financial_year"] == fy]
        total = max(float(r["total_dsg_after_recoupment_and_deductions_gbp"]) for r in totals_fy)
        rows.append((y, "dsg_closing_balance_gbp", "%.2f" % (share * total),
                     "derived: la_dsg_deficit_and_safety_valve_sutton_medway.csv +%.2f%% of DSG at 31 Mar %d"
                     " x total DSG %s after deductions (dsg_allocations_by_block_england_sutton_medway.csv)"
                     % (share * 100, y, fy)))
    rows.append((2024, "dsg_closing_balance_gbp", "-1400000.00",
                 "la_dsg_deficit_and_safety_valve_sutton_medway.csv: deficit carried forward from FY2023/24 (quoted)"))
    rows.append((2025, "dsg_closing_balance_gbp", "-10600000.00",
                 "la_dsg_deficit_and_safety_valve_sutton_medway.csv: deficit carried forward to FY2025/26 (quoted)"))
    order = {"total_plans": 0, "share_mainstream": 1, "share_independent_special": 2, "dsg_closing_balance_gbp": 3}
    return sorted(rows, key=lambda r: (r[0], order[r[1]]))


def main():
    report = []
    for name, cfg in SETS.items():
        out = cfg["out_dir"]
        by = cfg["base_year"]
        base, totals, all_plans, special, cells, worst = build_baseline(cfg)
        write_csv(os.path.join(out, "baseline_caseload_%d.csv" % by),
                  ["age", "placement", "need", "plans"], base)
        pop, pops = population_rows(cfg)
        write_csv(os.path.join(out, "population.csv"), ["census_year", "age", "population"], pop)
        inc, target, got = incidence_rows(cfg, pops)
        write_csv(os.path.join(out, "incidence.csv"), ["age", "rate"], inc)
        write_csv(os.path.join(out, "new_plan_mix.csv"), ["age", "placement", "need", "share"],
                  new_plan_mix_rows())
        ces, implied, ctarget, k, cgot = cessation_rows(cfg, cells)
        write_csv(os.path.join(out, "cessation.csv"), ["age", "placement", "rate"], ces)
        write_csv(os.path.join(out, "transitions.csv"), ["age", "from", "to", "probability"],
                  transition_rows())
        pl, places = places_rows(cfg, totals, special)
        write_csv(os.path.join(out, "places.csv"), ["placement", "academic_year", "places"], pl)
        tu, tvals, national = top_up_rows(cfg)
        write_csv(os.path.join(out, "top_ups.csv"), ["placement", "need", "gbp_per_plan"], tu)
        report.append("[%s] census %d: %d plans; placements %s" % (
            name, by, all_plans, ", ".join("%s=%d" % (p, totals[p]) for p in PLACEMENTS)))
        report.append("[%s] maintained special (in+out) %d; worst single-age misfit %.4f plans"
                      % (name, special, worst))
        report.append("[%s] new plans target %.1f/yr (calendar %s), rates give %.3f"
                      % (name, target, cfg["new_plan_calendar_years"], got))
        report.append("[%s] implied cessations %s -> target %.1f, scale %.4f, rates give %.3f"
                      % (name, implied, ctarget, k, cgot))
        report.append("[%s] places %s" % (name, places))
        report.append("[%s] top-ups (%s prices) %s" % (
            name, cfg["price_base_academic_year"],
            ", ".join("%s=%d" % (p, round(tvals[p])) for p in PLACEMENTS)))
        report.append("[%s] past uplift %.4f/yr" % (name, past_uplift_fraction_per_year()))
        report.append("[%s] national cross-check: special top-up %d, independent/NMSS %d"
                      % (name, national["special_topup"], national["independent"]))
        report.extend("[%s] %s" % (name, line) for line in finance_report(cfg))
    write_csv(os.path.join(SUTTON, "retrospective", "outturn.csv"),
              ["year", "measure", "value", "source"], outturn_rows())
    if "-q" not in sys.argv:
        print("\n".join(report))


if __name__ == "__main__":
    main()
