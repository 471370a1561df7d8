#!/usr/bin/env python3
"""Build the Sutton scenario input CSVs from the copied public sources.

Run from anywhere:

    python3 scripts/sutton/build_inputs.py            # writes the CSVs, prints the derived figures
    python3 scripts/sutton/build_inputs.py --check    # builds into a temporary folder and compares
    python3 scripts/sutton/build_inputs.py --out DIR  # writes the tree under DIR instead

Reads only  Scenarios/sutton/sources/*.csv  (public DfE/ESFA data, Open Government
            Licence v3; see Scenarios/sutton/sources/SOURCES.md)
            scripts/sutton/assumptions.csv  (every assumption, date and judgement mapping,
            each with its unit, status, source and note; see scripts/sutton/README.md)
Writes      Scenarios/sutton/data/*.csv
            Scenarios/sutton/retrospective/data/*.csv
            Scenarios/sutton/retrospective/outturn.csv

Standard library only. Deterministic: rows are sorted, floats are written with at most
6 decimals, and every split that must add up exactly (placement totals, grand total) is
done in integer micro-plans (1e-6 of a plan) with a largest-remainder correction.

This file holds the method only: no figure, date or mapping that is a choice is written
here. A key of assumptions.csv that the method does not read is an error, as is a key it
needs and does not find.
"""

import argparse
import csv
import filecmp
import math
import os
import re
import sys
import tempfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SUTTON = os.path.join(ROOT, "Scenarios", "sutton")
SOURCES = os.path.join(SUTTON, "sources")
ASSUMPTIONS_FILE = os.path.join(HERE, "assumptions.csv")

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
# SEN2 has one maintained special column pair; assumptions.csv maps both to this pseudo
# placement, which in_borough_share.special_maintained splits into _in and _out.
SPECIAL_MAINTAINED = "special_maintained"


# ======================================================================================
# assumptions.csv
# ======================================================================================
ASSUMPTION_COLUMNS = ["key", "value", "unit", "status", "source", "note"]
ASSUMPTION_STATUSES = ("data", "assumption", "method", "layout")


class Assumptions:
    """The rows of assumptions.csv by key, with every read recorded so that a key the
    method never reads can be reported (nothing in the file is silently ignored)."""

    def __init__(self, path):
        self.path = path
        rel = os.path.relpath(os.path.abspath(path), ROOT)
        self.name = path if rel.startswith("..") else rel
        self.rows = {}   # key -> (value, line)
        self.used = set()
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != ASSUMPTION_COLUMNS:
                self.fail(1, "header", "the columns " + ",".join(ASSUMPTION_COLUMNS), header)
            for fields in reader:
                line = reader.line_num
                if len(fields) != len(ASSUMPTION_COLUMNS):
                    self.fail(line, "row", "%d fields" % len(ASSUMPTION_COLUMNS), "%d" % len(fields))
                key, value, unit, status, source, note = fields
                if key in self.rows:
                    self.fail(line, key, "a key used once", "a second row (first on line %d)"
                              % self.rows[key][1])
                if value == "":
                    self.fail(line, key, "a value", "an empty field")
                if unit == "":
                    self.fail(line, key, "a unit", "an empty field")
                if status not in ASSUMPTION_STATUSES:
                    self.fail(line, key, "status one of " + ", ".join(ASSUMPTION_STATUSES), repr(status))
                if source == "" and note == "":
                    self.fail(line, key, "a source or a note saying why", "both empty")
                self.rows[key] = (value, line)

    def fail(self, line, key, expected, found):
        raise SystemExit("%s:%d: %s: expected %s; found %s" % (self.name, line, key, expected, found))

    def _get(self, key):
        if key not in self.rows:
            raise SystemExit("%s: %s: expected a row with this key; found none" % (self.name, key))
        self.used.add(key)
        return self.rows[key]

    def text(self, key):
        return self._get(key)[0]

    def number(self, key):
        value, line = self._get(key)
        return self.parse_number(value, line, key)

    def parse_number(self, text, line, key):
        try:
            x = float(text)
        except ValueError:
            x = None
        if x is None or not math.isfinite(x):
            self.fail(line, key, "a finite number", repr(text))
        return x

    def integer(self, key):
        value, line = self._get(key)
        try:
            return int(value)
        except ValueError:
            self.fail(line, key, "a whole number", repr(value))

    def flag(self, key):
        value, line = self._get(key)
        if value not in ("true", "false"):
            self.fail(line, key, "true or false", repr(value))
        return value == "true"

    def words(self, key):
        """A space-separated list."""
        return self.text(key).split()

    def integers(self, key):
        value, line = self._get(key)
        try:
            return [int(w) for w in value.split()]
        except ValueError:
            self.fail(line, key, "whole numbers separated by spaces", repr(value))

    def fy_pair(self, key):
        """Two financial years 'yyyy-yy yyyy-yy', the first earlier."""
        value, line = self._get(key)
        fys = value.split()
        if (len(fys) != 2 or not all(re.fullmatch(r"\d{4}-\d{2}", fy) for fy in fys)
                or int(fys[0][:4]) >= int(fys[1][:4])):
            self.fail(line, key, "two financial years 'yyyy-yy yyyy-yy', the first earlier", repr(value))
        return fys

    def year_range(self, key):
        """'yyyy-yyyy' (inclusive) as a list of years."""
        value, line = self._get(key)
        m = re.fullmatch(r"(\d{4})-(\d{4})", value)
        if not m or int(m.group(1)) > int(m.group(2)):
            self.fail(line, key, "an inclusive range of years yyyy-yyyy", repr(value))
        return list(range(int(m.group(1)), int(m.group(2)) + 1))

    def parse_range(self, text, line, key):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
        if not m:
            self.fail(line, key, "an age or an inclusive range a-b", repr(text))
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if lo > hi or lo < AGES[0] or hi > AGES[-1]:
            self.fail(line, key, "ages within %d-%d, low to high" % (AGES[0], AGES[-1]), repr(text))
        return lo, hi

    def table(self, prefix):
        """{rest of key: (value, line)} for every key 'prefix.rest', in file order."""
        out = {}
        for key, (value, line) in self.rows.items():
            if key.startswith(prefix + "."):
                self.used.add(key)
                out[key[len(prefix) + 1:]] = (value, line)
        if not out:
            raise SystemExit("%s: %s.*: expected at least one row; found none" % (self.name, prefix))
        return out

    def number_table(self, prefix):
        return {rest: (self.parse_number(value, line, prefix + "." + rest), line)
                for rest, (value, line) in self.table(prefix).items()}

    def by_age(self, prefix, ages):
        """A number per age from keys 'prefix.a' or 'prefix.a-b', each age in `ages` once."""
        out = {}
        for rest, (v, line) in self.number_table(prefix).items():
            lo, hi = self.parse_range(rest, line, prefix + "." + rest)
            for a in range(lo, hi + 1):
                if a in out:
                    self.fail(line, prefix + "." + rest, "each age once", "age %d again" % a)
                out[a] = v
        missing = [a for a in ages if a not in out]
        extra = sorted(set(out) - set(ages))
        if missing or extra:
            raise SystemExit("%s: %s.*: expected the ages %d-%d; found %s"
                             % (self.name, prefix, ages[0], ages[-1],
                                "no row for %s" % missing if missing else "rows for %s" % extra))
        return out

    def placement(self, key):
        value, line = self._get(key)
        return self.check_placement(value, line, key)

    def check_placement(self, value, line, key):
        if value not in PLACEMENTS:
            self.fail(line, key, "a placement id", repr(value))
        return value

    def check_all_used(self):
        unused = sorted((line, key) for key, (_, line) in self.rows.items() if key not in self.used)
        if unused:
            line, key = unused[0]
            self.fail(line, key, "a key the method reads", "a row nothing reads (%d unread rows in all)" % len(unused))


A = None  # the loaded Assumptions (main() loads them)


def load_assumptions(path):
    """Read every assumption into the module-level names the method uses."""
    global A, DFE_TO_PLACEMENT, IN_BOROUGH_SHARE_MAINTAINED_SPECIAL, SPECIAL_IN_OCCUPANCY
    global AGE_WEIGHTS_WITHIN_BAND, ALLOWED_AGES, IPF_ITERATIONS, POP_FACTOR, POP_GROWTH_FRACTION_PER_YEAR
    global POP_REFERENCE_YEAR, NEW_PLAN_AGE_WEIGHTS, NEW_PLAN_PLACEMENT_MIX, CESSATION_AGE_PROFILE
    global TRANSITIONS, TOP_UP_FIXED, TOP_UP_AS, RETRO_EDUCATED_ELSEWHERE_UNPAID_COLUMNS
    global CENTRAL_LINE_FUTURE_UPLIFT, SETS, S251_FY_START, S251_OUTTURN_FY, S251_PER_PLAN_CENSUS
    global S251_ACADEMY_PLACES, PLACE_RATE_PARAMETER, NATIONAL_SPECIAL_LATEST_FY, PAST_UPLIFT
    global OUTTURN_YEARS
    a = Assumptions(path)
    A = a

    DFE_TO_PLACEMENT = {}
    for col, (p, line) in a.table("dfe_column").items():
        if p != SPECIAL_MAINTAINED:
            a.check_placement(p, line, "dfe_column." + col)
        DFE_TO_PLACEMENT[col] = p

    IN_BOROUGH_SHARE_MAINTAINED_SPECIAL = a.number("in_borough_share.special_maintained")
    SPECIAL_IN_OCCUPANCY = a.number("occupancy.special_maintained_in")
    PLACE_RATE_PARAMETER = {k: a.text("place_rate_parameter." + k)
                            for k in ("special", "resourced_provision", "ap_pru")}

    AGE_WEIGHTS_WITHIN_BAND = {}
    for rest, (v, line) in a.number_table("age_weight").items():
        band, _, age = rest.rpartition(".")
        lo, hi = a.parse_range(age, line, "age_weight." + rest)
        if lo != hi or not band:
            a.fail(line, "age_weight." + rest, "age_weight.BAND.AGE", repr(rest))
        AGE_WEIGHTS_WITHIN_BAND.setdefault(band, {})[lo] = v
    covered = sorted(x for w in AGE_WEIGHTS_WITHIN_BAND.values() for x in w)
    if covered != AGES:
        raise SystemExit("%s: age_weight.*: expected each age %d-%d in one band; found %s"
                         % (a.name, AGES[0], AGES[-1], covered))

    ALLOWED_AGES = {}
    for p, (v, line) in a.table("allowed_ages").items():
        a.check_placement(p, line, "allowed_ages." + p)
        ALLOWED_AGES[p] = a.parse_range(v, line, "allowed_ages." + p)
    missing = [p for p in PLACEMENTS if p not in ALLOWED_AGES]
    if missing:
        raise SystemExit("%s: allowed_ages.*: expected a row for every placement; found none for %s"
                         % (a.name, ", ".join(missing)))

    IPF_ITERATIONS = a.integer("ipf_iterations")

    POP_FACTOR = a.by_age("population.factor", AGES)
    POP_GROWTH_FRACTION_PER_YEAR = a.number("population.growth")
    POP_REFERENCE_YEAR = a.integer("population.reference_year")

    NEW_PLAN_AGE_WEIGHTS = a.by_age("new_plan_age_weight", AGES)

    groups = {}
    for rest, (v, line) in a.number_table("new_plan_mix").items():
        ages, _, p = rest.partition(".")
        a.check_placement(p, line, "new_plan_mix." + rest)
        groups.setdefault(a.parse_range(ages, line, "new_plan_mix." + rest), {})[p] = v
    NEW_PLAN_PLACEMENT_MIX = list(groups.items())

    CESSATION_AGE_PROFILE = a.by_age("cessation_profile", AGES[:-1])   # age 25 always ceases

    TRANSITIONS = []
    for rest, (v, line) in a.number_table("transition").items():
        parts = rest.split(".")
        if len(parts) != 3:
            a.fail(line, "transition." + rest, "transition.AGES.FROM.TO", repr(rest))
        lo, hi = a.parse_range(parts[0], line, "transition." + rest)
        f = a.check_placement(parts[1], line, "transition." + rest)
        t = a.check_placement(parts[2], line, "transition." + rest)
        for age in range(lo, hi + 1):
            TRANSITIONS.append((age, f, t, v))

    TOP_UP_FIXED = {}
    for p in PLACEMENTS:
        if "top_up_fixed.%s.gbp" % p in a.rows:
            TOP_UP_FIXED[p] = (a.number("top_up_fixed.%s.gbp" % p),
                               a.integer("top_up_fixed.%s.price_fy_start" % p))
    TOP_UP_AS = {}
    for p in PLACEMENTS:
        if "top_up_as.%s.of" % p in a.rows:
            TOP_UP_AS[p] = (a.placement("top_up_as.%s.of" % p), a.number("top_up_as.%s.factor" % p))

    RETRO_EDUCATED_ELSEWHERE_UNPAID_COLUMNS = a.words("educated_elsewhere_unpaid_columns")
    CENTRAL_LINE_FUTURE_UPLIFT = a.number("central_line_future_uplift")

    S251_FY_START = a.integer("s251.fy_start")
    S251_OUTTURN_FY = a.text("s251.outturn_fy")
    S251_PER_PLAN_CENSUS = a.integer("s251.per_plan_census_year")
    S251_ACADEMY_PLACES = (a.text("s251.academy_places_pre16"), a.text("s251.academy_places_post16"))
    NATIONAL_SPECIAL_LATEST_FY = a.text("national_special_cost.latest_fy")
    PAST_UPLIFT = {"special": a.fy_pair("past_uplift.special_fys"),
                   "independent": a.fy_pair("past_uplift.independent_fys"),
                   "decimals": a.integer("past_uplift.decimals")}
    OUTTURN_YEARS = a.year_range("outturn.census_years")

    SETS = {}
    names = []
    for key in a.rows:
        if key.startswith("set."):
            name = key.split(".")[1]
            if name not in names:
                names.append(name)
    for name in names:
        s = "set.%s." % name
        cfg = {
            "base_year": a.integer(s + "base_year"),
            "horizon": a.integer(s + "horizon"),
            "out_dir": a.text(s + "out_dir"),
            "cessation_calibration_years": a.integers(s + "cessation_calibration_years"),
            "new_plan_calendar_years": a.integers(s + "new_plan_calendar_years"),
            "price_base_academic_year": a.text(s + "price_base_academic_year"),
            "price_base_fy_start": a.integer(s + "price_base_fy_start"),
            "educated_elsewhere_paid_share_from_census":
                a.flag(s + "educated_elsewhere_paid_share_from_census"),
            "academy_places": (a.text(s + "academy_places_fy"), a.text(s + "academy_places_pre16"),
                               a.text(s + "academy_places_post16")),
            "income": a.text(s + "income"),
            "import_export_fy": a.text(s + "import_export_fy"),
        }
        if cfg["income"] == "projected":
            cfg["income_latest_fy"] = a.text(s + "income_latest_fy")
            cfg["income_latest_vintage"] = a.text(s + "income_latest_vintage")
            cfg["income_first_fy"] = a.text(s + "income_first_fy")
            cfg["income_trend_from_fy"] = a.text(s + "income_trend_from_fy")
        elif cfg["income"] == "actual":
            cfg["income_fys"] = a.words(s + "income_fys")
            cfg["income_vintage"] = {fy: v for fy, (v, _) in a.table(s + "income_vintage").items()}
            cfg["income_national_growth_fy"] = a.text(s + "income_national_growth_fy")
        else:
            a.fail(a.rows[s + "income"][1], s + "income", "projected or actual", repr(cfg["income"]))
        SETS[name] = cfg
    a.check_all_used()


def fy_label(start):
    """2024 -> '2024-25'."""
    return "%d-%02d" % (start, (start + 1) % 100)


def fy_start(label):
    """'2024-25' -> 2024."""
    return int(label.split("-")[0])


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
        if p == SPECIAL_MAINTAINED:
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


def s251_budget(s, item):
    """A Sutton s251 budget line of the FY s251.fy_start (the file's only budget year)."""
    return float(s["s251_budget_%s_gbp__%s" % (fy_label(S251_FY_START).replace("-", "_"), item)])


def s251_outturn(s, item):
    """A Sutton s251 outturn line of the FY s251.outturn_fy (the file's only outturn year)."""
    return float(s["s251_outturn_%s_gbp__%s" % (S251_OUTTURN_FY.replace("-", "_"), item)])


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
    # the ONS projection of the population aged 2-18 (17 single ages), per single age
    per_age = float(s["population_aged_2_18_ons_mid%d_projection" % POP_REFERENCE_YEAR]) / 17.0
    rows = []
    pops = {}
    for y in range(cfg["base_year"] + 1, cfg["base_year"] + cfg["horizon"] + 1):
        g = (1.0 + POP_GROWTH_FRACTION_PER_YEAR) ** (y - POP_REFERENCE_YEAR)
        for a in AGES:
            f = POP_FACTOR[a]
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
    rows = TRANSITIONS
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
    rp_places = int(round((s251_budget(s, "place_primary") + s251_budget(s, "place_secondary"))
                          / funding_parameter(PLACE_RATE_PARAMETER["resourced_provision"])))
    ap_places = int(round(s251_budget(s, "place_prus_and_ap_academies")
                          / funding_parameter(PLACE_RATE_PARAMETER["ap_pru"])))
    rows = []
    for ay in academic_years(cfg):
        rows.append(("special_maintained_in", ay, special_places))
        rows.append(("resourced_provision", ay, rp_places))
        rows.append(("ap_pru", ay, ap_places))
    key = lambda r: (PLACEMENTS.index(r[0]), r[1])
    return sorted(rows, key=key), {"special_maintained_in": special_places,
                                   "resourced_provision": rp_places, "ap_pru": ap_places}


def past_uplift_fraction_per_year():
    """Mean yearly growth of the DfE special top-up (national cost less place funding) and
    INMSS series over the years past_uplift.*_fys, rounded to past_uplift.decimals."""
    place = funding_parameter(PLACE_RATE_PARAMETER["special"])
    (s0, s1), (i0, i1) = PAST_UPLIFT["special"], PAST_UPLIFT["independent"]
    sp = ((national_unit_cost("maintained special schools and special academies", s1) - place)
          / (national_unit_cost("maintained special schools and special academies", s0) - place))
    nm = (national_unit_cost("non-maintained and independent special schools", i1)
          / national_unit_cost("non-maintained and independent special schools", i0))
    # yearly rates over each series' years; simple mean
    return round(((sp ** (1.0 / (fy_start(s1) - fy_start(s0))) - 1.0)
                  + (nm ** (1.0 / (fy_start(i1) - fy_start(i0))) - 1.0)) / 2.0,
                 PAST_UPLIFT["decimals"])


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

    Sutton's own s251 budget of s251.fy_start (2021-22; s251 Sutton row) divided by
    Sutton's EHCP placements (the extract's counts, or SEN2 January s251.per_plan_census_year)
    gives a per-plan figure for that year. It is moved to the price base with the national
    DfE unit-cost series where one exists (special top-up = maintained special per pupil
    less the special place funding; independent and non-maintained special per pupil), else
    with the past uplift. Placements with a top_up_fixed.* amount take it, moved from its
    price year with the past uplift; placements with top_up_as.* take another's top-up times
    a factor. Every placement gets its top-up from exactly one of these rules.
    """
    s = s251_sutton()
    uplift = past_uplift_fraction_per_year()
    place = funding_parameter(PLACE_RATE_PARAMETER["special"])
    pb = cfg["price_base_fy_start"]        # 2024 -> 2024-25 ; 2018 -> 2018-19
    fy = fy_label(pb)
    s251_fy = fy_label(S251_FY_START)
    # latest national special figure for later price bases
    special_year = fy if pb <= fy_start(NATIONAL_SPECIAL_LATEST_FY) else NATIONAL_SPECIAL_LATEST_FY
    # national DfE series (PQ 50389 / 100030), index s251 year -> price base
    sp_index = ((national_unit_cost("maintained special schools and special academies", special_year) - place)
                / (national_unit_cost("maintained special schools and special academies", s251_fy) - place))
    in_index = (national_unit_cost("non-maintained and independent special schools", fy)
                / national_unit_cost("non-maintained and independent special schools", s251_fy))
    up = (1.0 + uplift) ** (pb - S251_FY_START)
    census, _, _ = sutton_placement_totals(S251_PER_PLAN_CENSUS)
    b = lambda k: s251_budget(s, k)
    mainstream_like = (float(s["ehcp_placed_mainstream_schools_or_academies"])
                       + float(s["ehcp_placed_resourced_provision_or_sen_units"]))
    special_s251 = float(s["ehcp_placed_maintained_special_or_special_academies"])
    inmss_s251 = float(s["ehcp_placed_nmss_or_independent_schools"])
    values = {
        "early_years": b("topup_mafc_early_years") / census["early_years"] * up,
        "mainstream": (b("topup_mafc_primary") + b("topup_mafc_secondary")) / mainstream_like * up,
        "special_maintained_in": b("topup_mafc_special_schools_and_academies") / special_s251 * sp_index,
        "special_independent": b("topup_nmi_special_schools_and_academies") / inmss_s251 * in_index,
        "fe_general": b("topup_mafc_post_school") / census["fe_general"] * up,
        "specialist_post16": b("topup_nmi_post_school") / census["specialist_post16"] * up,
    }
    for p, (gbp, price_fy) in TOP_UP_FIXED.items():
        if p in values:
            raise SystemExit("%s: top_up_fixed.%s: expected a placement without an s251 top-up; "
                             "found %s" % (A.name, p, p))
        values[p] = gbp * (1.0 + uplift) ** (pb - price_fy)
    if cfg["educated_elsewhere_paid_share_from_census"]:
        values["educated_elsewhere"] *= educated_elsewhere_paid_share(cfg["base_year"])[0]
    for p, (of, factor) in TOP_UP_AS.items():
        if p in values or of not in values:
            raise SystemExit("%s: top_up_as.%s: expected a placement without another top-up, "
                             "copying one that has its own; found %s" % (A.name, p, p if p in values else of))
        values[p] = values[of] * factor
    missing = [p for p in PLACEMENTS if p not in values]
    if missing:
        raise SystemExit("%s: top_up_fixed.* or top_up_as.*: expected a top-up for every placement; "
                         "found none for %s" % (A.name, ", ".join(missing)))
    national = {
        "special_topup": national_unit_cost("maintained special schools and special academies",
                                            special_year) - place,
        "independent": national_unit_cost("non-maintained and independent special schools", fy),
    }
    rows = [(p, "all", fmt(round(values[p]))) for p in PLACEMENTS]
    return rows, values, national


def dsg_row(fy, vintage_contains=None):
    """Sutton's DSG allocation row of a financial year: the one whose vintage contains
    `vintage_contains`, else the only row of that year."""
    rows = [r for r in read_csv("dsg_allocations_by_block_england_sutton_medway.csv")
            if r["geography"] == "Sutton" and r["financial_year"] == fy]
    if vintage_contains:
        rows = [r for r in rows if vintage_contains in r["vintage"]]
    if not rows or (len(rows) > 1 and not vintage_contains):
        raise SystemExit("DSG allocations %s (vintage %r): expected one row; found %d"
                         % (fy, vintage_contains, len(rows)))
    return rows[-1]


def hnb_item(fy, item_prefix):
    for r in read_csv("hnb_formula_and_place_deductions_england_sutton_medway.csv"):
        if r["geography"] == "Sutton" and r["financial_year"] == fy and r["item"].startswith(item_prefix):
            return float(r["value"])
    raise SystemExit("no item %s %s" % (fy, item_prefix))


def academy_special_places(fy, pre16_period, post16_period):
    """ESFA-funded special academy places (pre-16 + post-16) in the named periods of a FY."""
    return (hnb_item(fy, "Special academies | Pre-16 SEN Places | " + pre16_period)
            + hnb_item(fy, "Special academies | Post-16 SEN Places | " + post16_period))


def national_hnb(fy):
    for r in read_csv("national_high_needs_funding_and_spend.csv"):
        if r["financial_year"] == fy and r["value_gbp"] and (
                "before deductions" in r["measure"] or "national total (quoted)" in r["measure"]):
            return float(r["value_gbp"])
    raise SystemExit("no national HNB " + fy)


def finance_report(cfg):
    """The derived money figures the YAML files quote (printed, so they are reproducible)."""
    s = s251_sutton()
    b = lambda k: s251_budget(s, k)
    s251_fy = fy_label(S251_FY_START)
    up = past_uplift_fraction_per_year()
    out = []
    first_fy = cfg["base_year"]           # 2025 -> FY 2025-26 ; 2019 -> FY 2019-20
    f = (1.0 + up) ** (first_fy - S251_FY_START)   # s251 year -> first forecast FY
    ap_gbp, ap_price_fy = TOP_UP_FIXED["ap_pru"]
    ap_topup_s251 = ap_gbp / (1.0 + up) ** (ap_price_fy - S251_FY_START)
    extract_total = (b("place_funding_total") + b("topup_maintained_academies_free_colleges_total")
                     + b("topup_nonmaintained_independent_total") + b("sen_support_and_inclusion_services")
                     + b("alternative_provision_services") + b("hospital_education_services")
                     + b("therapies_and_other_health_related_services"))
    hnb_s251 = float(dsg_row(s251_fy)["high_needs_block_before_deductions_gbp"])
    central = {
        "sen_support": b("sen_support_and_inclusion_services"),
        "therapies": b("therapies_and_other_health_related_services"),
        "hospital_education": b("hospital_education_services"),
        "ap_services": b("alternative_provision_services"),
        "ap_topups_non_ehcp": b("topup_mafc_prus_and_ap_academies")
        - float(s["ehcp_placed_hospital_schools_or_ap"]) * ap_topup_s251,
        "early_years_inclusion_places": b("place_early_years"),
        "other_unitemised": hnb_s251 - extract_total,
    }
    out.append("central lines %s (s251 budget): %s" % (s251_fy, {k: round(v) for k, v in central.items()}))
    out.append("  ap top-up per EHCP plan %s used to net the AP line: %d" % (s251_fy, round(ap_topup_s251)))
    out.append("  HNB %s %d - s251 extract total %d = %d"
               % (s251_fy, hnb_s251, extract_total, hnb_s251 - extract_total))
    out.append("central lines at first forecast FY (x %.6f): %s" % (f, {k: round(v * f) for k, v in central.items()}))
    # in-borough commissioned special places (gross) and those used by other LAs
    place = funding_parameter(PLACE_RATE_PARAMETER["special"])
    special_places_s251 = b("place_special_schools_and_academies") / place
    acad_s251 = academy_special_places(s251_fy, *S251_ACADEMY_PLACES)
    la_maintained = special_places_s251 - acad_s251
    acad_now = academy_special_places(*cfg["academy_places"])
    totals, _, _ = sutton_placement_totals(cfg["base_year"])
    sutton_places = int(math.ceil(totals["special_maintained_in"] / SPECIAL_IN_OCCUPANCY))
    commissioned = la_maintained + acad_now
    out.append("in-borough special places: LA maintained %.0f (%s) + academy %.0f = %.0f; "
               "Sutton residents' places %d; other LAs' places %.0f -> place funding %d"
               % (la_maintained, s251_fy, acad_now, commissioned, sutton_places, commissioned - sutton_places,
                  round((commissioned - sutton_places) * place)))
    # income
    if cfg["income"] == "projected":
        latest, first, trend_from = cfg["income_latest_fy"], cfg["income_first_fy"], cfg["income_trend_from_fy"]
        d = dsg_row(latest, cfg["income_latest_vintage"])
        h = float(d["high_needs_block_before_deductions_gbp"])
        g = national_hnb(first) / national_hnb(latest)
        out.append("HNB %s %d x national growth %s->%s %.6f = %d" % (latest, h, latest, first, g, round(h * g)))
        d0 = dsg_row(trend_from)
        years = fy_start(latest) - fy_start(trend_from)
        ahead = fy_start(first) - fy_start(latest)
        for col, label in (("schools_block_before_deductions_gbp", "schools block"),
                           ("total_dsg_after_recoupment_and_deductions_gbp", "total DSG after deductions")):
            gr = (float(d[col]) / float(d0[col])) ** (1.0 / years) - 1.0
            v = float(d[col]) * (1.0 + gr) ** ahead
            out.append("%s %s %d, Sutton trend %s->%s %.6f/yr -> %s %d; then +%.2f/yr: %s"
                       % (label, latest, float(d[col]), trend_from, latest, gr, first, round(v),
                          CENTRAL_LINE_FUTURE_UPLIFT,
                          [round(v * (1.0 + CENTRAL_LINE_FUTURE_UPLIFT) ** k) for k in range(cfg["horizon"])]))
        out.append("deductions %s (not used, gross convention): %d" % (latest, round(float(d["high_needs_block_before_deductions_gbp"]) - float(d["high_needs_block_after_recoupment_and_deductions_gbp"]))))
        out.append("import/export %s: %d" % (cfg["import_export_fy"], hnb_item(cfg["import_export_fy"], "Import/export")))
    else:
        seq = [(fy, cfg["income_vintage"].get(fy)) for fy in cfg["income_fys"]]
        unused = sorted(set(cfg["income_vintage"]) - set(cfg["income_fys"]))
        if unused:
            raise SystemExit("%s: income_vintage.%s: expected a year of income_fys; found none"
                             % (A.name, unused[0]))
        vals = [float(dsg_row(fy, v)["high_needs_block_before_deductions_gbp"]) for fy, v in seq]
        growth = {seq[0][0]: 0.0}
        for i in range(1, len(seq)):
            growth[seq[i][0]] = round(vals[i] / vals[i - 1] - 1.0, 6)
        nat = cfg["income_national_growth_fy"]
        growth[nat] = round(national_hnb(nat) / national_hnb(seq[-1][0]) - 1.0, 6)
        out.append("HNB %s %.2f; growth (actual Sutton, %s national) %s" % (seq[0][0], vals[0], nat, growth))
        d0 = dsg_row(seq[0][0], seq[0][1])
        out.append("%s schools block %.2f, total DSG after deductions %.2f, deductions %.2f"
                   % (seq[0][0], float(d0["schools_block_before_deductions_gbp"]),
                      float(d0["total_dsg_after_recoupment_and_deductions_gbp"]),
                      float(d0["high_needs_block_before_deductions_gbp"])
                      - float(d0["high_needs_block_after_recoupment_and_deductions_gbp"])))
        tot = {}
        for fy, v in seq:
            tot[fy] = round(float(dsg_row(fy, v)["total_dsg_after_recoupment_and_deductions_gbp"]))
        out.append("total DSG after deductions by FY: %s" % tot)
        out.append("import/export %s: %d" % (cfg["import_export_fy"], hnb_item(cfg["import_export_fy"], "Import/export")))
        # FY2019-20 cost calibration: the evidence quoted in baseline_2019.yaml
        o = lambda k: s251_outturn(s, k)
        outturn_net = (o("place_funding_total") + o("topup_maintained_academies_free_colleges_total")
                       + o("topup_nonmaintained_independent_total") + o("sen_support_and_inclusion_services")
                       + o("alternative_provision_services") + o("hospital_education_services")
                       + o("therapies_and_other_health_related_services"))
        d20 = dsg_row(S251_OUTTURN_FY)
        hnb20 = float(d20["high_needs_block_before_deductions_gbp"])
        ded20 = hnb20 - float(d20["high_needs_block_after_recoupment_and_deductions_gbp"])
        out.append("s251 outturn %s, extract lines (net of ESFA-funded places) %d + deductions %d = %d gross"
                   " vs HNB %s before deductions %d: itemised lines exceed the allocation by %d"
                   " -> other_unitemised set to 0 in the 2019 set"
                   % (S251_OUTTURN_FY, outturn_net, ded20, outturn_net + ded20, S251_OUTTURN_FY, hnb20,
                      outturn_net + ded20 - hnb20))
        share, paid, total = educated_elsewhere_paid_share(cfg["base_year"])
        out.append("educated elsewhere %d: %d of %d plans not awaiting provision / EHE -> top-up x %.6f"
                   % (cfg["base_year"], paid, total, share))
    return out


def outturn_rows():
    """Actual Sutton census measures and DSG reserves of outturn.census_years (retrospective
    outturn)."""
    rows = []
    for y in OUTTURN_YEARS:
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
    # x total DSG before deductions of the financial year ending then: the DfE's percentages are
    # of the gross DSG, docs/INIT.md "The DSG base of the percentages"); the deficits are quoted.
    dsg = read_csv("dsg_allocations_by_block_england_sutton_medway.csv")
    for r in read_csv("la_dsg_deficit_and_safety_valve_sutton_medway.csv"):
        if r["geography"] != "Sutton":
            continue
        at = re.match(r"31 Mar (\d{4})\b", r["as_at_or_financial_year"])
        if not at or int(at.group(1)) not in OUTTURN_YEARS:
            continue
        y = int(at.group(1))
        if r["measure"] == "DSG cumulative balance as % of total DSG income":
            pct = re.match(r"([+-]?\d+(?:\.\d+)?)% ", r["value_as_quoted"])
            if not pct:
                raise SystemExit("la_dsg_deficit_and_safety_valve_sutton_medway.csv: %s: expected a "
                                 "percentage; found %r" % (r["as_at_or_financial_year"], r["value_as_quoted"]))
            share = float(Decimal(pct.group(1)) / 100)
            fy = fy_label(y - 1)
            totals_fy = [t for t in dsg if t["geography"] == "Sutton" and t["financial_year"] == fy]
            total = max(float(t["total_dsg_before_deductions_gbp"]) for t in totals_fy)
            rows.append((y, "dsg_closing_balance_gbp", "%.2f" % (share * total),
                         "derived: la_dsg_deficit_and_safety_valve_sutton_medway.csv +%.2f%% of DSG at 31 Mar %d"
                         " x total DSG %s before deductions (dsg_allocations_by_block_england_sutton_medway.csv)"
                         % (share * 100, y, fy)))
        elif r["measure"] == "DSG cumulative deficit carried forward":
            quoted = re.search(r"carried forward (?:from|to) FY\d{4}/\d{2}", r["value_as_quoted"])
            if not quoted:
                raise SystemExit("la_dsg_deficit_and_safety_valve_sutton_medway.csv: %s: expected "
                                 "'carried forward from/to FYyyyy/yy'; found %r"
                                 % (r["as_at_or_financial_year"], r["value_as_quoted"]))
            rows.append((y, "dsg_closing_balance_gbp", "%.2f" % -float(r["value_gbp"]),
                         "la_dsg_deficit_and_safety_valve_sutton_medway.csv: deficit %s (quoted)"
                         % quoted.group(0)))
    order = {"total_plans": 0, "share_mainstream": 1, "share_independent_special": 2, "dsg_closing_balance_gbp": 3}
    return sorted(rows, key=lambda r: (r[0], order[r[1]]))


OUTTURN_FILE = os.path.join("retrospective", "outturn.csv")   # under the output root


def build(root):
    """Write every derived CSV under `root` (Scenarios/sutton, or another folder laid out
    the same way); return the report lines and the relative paths written."""
    report = []
    written = []

    def write(rel, header, rows):
        write_csv(os.path.join(root, rel), header, rows)
        written.append(rel)

    for name, cfg in SETS.items():
        out = cfg["out_dir"]
        by = cfg["base_year"]
        base, totals, all_plans, special, cells, worst = build_baseline(cfg)
        write(os.path.join(out, "baseline_caseload_%d.csv" % by),
              ["age", "placement", "need", "plans"], base)
        pop, pops = population_rows(cfg)
        write(os.path.join(out, "population.csv"), ["census_year", "age", "population"], pop)
        inc, target, got = incidence_rows(cfg, pops)
        write(os.path.join(out, "incidence.csv"), ["age", "rate"], inc)
        write(os.path.join(out, "new_plan_mix.csv"), ["age", "placement", "need", "share"],
              new_plan_mix_rows())
        ces, implied, ctarget, k, cgot = cessation_rows(cfg, cells)
        write(os.path.join(out, "cessation.csv"), ["age", "placement", "rate"], ces)
        write(os.path.join(out, "transitions.csv"), ["age", "from", "to", "probability"],
              transition_rows())
        pl, places = places_rows(cfg, totals, special)
        write(os.path.join(out, "places.csv"), ["placement", "academic_year", "places"], pl)
        tu, tvals, national = top_up_rows(cfg)
        write(os.path.join(out, "top_ups.csv"), ["placement", "need", "gbp_per_plan"], tu)
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
    write(OUTTURN_FILE, ["year", "measure", "value", "source"], outturn_rows())
    return report, written


def check():
    """Build into a temporary folder and compare byte for byte with Scenarios/sutton.
    Returns the number of differences (0: every derived file is reproduced)."""
    with tempfile.TemporaryDirectory(prefix="sutton-inputs-") as tmp:
        _, written = build(tmp)
        problems = []
        for rel in written:
            committed = os.path.join(SUTTON, rel)
            if not os.path.exists(committed):
                problems.append("%s: built but not in Scenarios/sutton" % rel)
            elif not filecmp.cmp(committed, os.path.join(tmp, rel), shallow=False):
                problems.append("%s: differs from the build" % rel)
        for folder in sorted({os.path.dirname(rel) for rel in written}):
            for fname in sorted(os.listdir(os.path.join(SUTTON, folder))):
                rel = os.path.join(folder, fname)
                if fname.endswith(".csv") and rel not in written:
                    problems.append("%s: in Scenarios/sutton but not built" % rel)
    for line in problems:
        print("Scenarios/sutton/" + line, file=sys.stderr)
    if not problems:
        print("%d derived files in Scenarios/sutton are identical to a fresh build" % len(written))
    return len(problems)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Build the Sutton scenario input CSVs from Scenarios/sutton/sources and "
                    "scripts/sutton/assumptions.csv.")
    parser.add_argument("-q", action="store_true", help="do not print the derived figures")
    parser.add_argument("--out", metavar="DIR",
                        help="write the tree (data/, retrospective/...) under DIR instead of Scenarios/sutton")
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary folder and compare with Scenarios/sutton; "
                             "exit 1 if any file differs")
    parser.add_argument("--assumptions", metavar="FILE", default=ASSUMPTIONS_FILE,
                        help="the assumptions file (default: scripts/sutton/assumptions.csv)")
    args = parser.parse_args(argv)
    if args.check and args.out:
        parser.error("--check builds into a temporary folder: it takes no --out")
    load_assumptions(args.assumptions)
    if args.check:
        return 1 if check() else 0
    report, _ = build(args.out if args.out else SUTTON)
    if not args.q:
        print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
