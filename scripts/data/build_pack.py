#!/usr/bin/env python3
"""Build the compact national data pack `Data/national/` that `hnb init` reads.

Input: the national public data pack (default `../shared/data/national/`, override with
`--from DIR`), built by its own `make_national_pack.py` from pinned DfE, ESFA and ONS files
(Open Government Licence v3.0). Output: `Data/national/` (override with `--out DIR`).

A refresh from a new DfE release is a re-run of this script on the new national pack: the
latest census year, calendar year, mid-year and financial year are found in the data, not
written here. The mappings below (DfE placement columns and need codes to the toolkit's
SEN2 taxonomy) are data mappings, not assumptions; `hnb init` makes every assumption.

Conventions kept from the source pack: a missing or suppressed value is left empty with a
`flag` saying why, never zero; in the long files a missing (LA, year, category) row means
the published value was 0. England rows have an empty `la` (the old LA code) column.

The script checks, and fails on, every identity it relies on: in every LA, census year and
age, the toolkit's placement groups add up to the published total of plans; in the need x
placement table the needs add up to each placement's published total. It writes into a
temporary folder and moves it into place only when every file is built and checked, so a
malformed release leaves the old pack in place.

Source files whose names carry years (`ehcp_by_age_and_placement_2024_2025.csv`) are found by
their stem, the latest years winning, so the next release's `..._2025_2026.csv` is read as it is.
Files of the old pack this script does not build (the hand-kept `national_figures.csv`,
`transitions_default.csv` and `SOURCES.md`, and e.g. `panel.csv` of `build_panel.py`) are carried
over unchanged and listed; rebuild those with their own scripts.

`--check` rebuilds into a temporary folder and compares it, file by file, with the pack in
`--out`, writing nothing: exit 0 when they are byte-identical, 1 (listing the files) when not.

Usage: python3 scripts/data/build_pack.py [--from DIR] [--out DIR] [--check]
"""

import argparse
import collections
import csv
import hashlib
import os
import re
import shutil
import sys
import tempfile

# DfE placement columns (ehcp_by_age_and_placement / ehcp_by_placement) to the toolkit's
# placement groups. `special_maintained` is later split in/out of borough by `hnb init`;
# `educated_elsewhere` is the published `ed_elsewhere` subtotal less its published `neet`
# subtotal, plus `placement_unknown` (and the pre-2023 awaiting-provision and permanently
# excluded columns), so the groups add up to the published total exactly.
GROUP_COLUMNS = {
    "early_years": ["nm_early_years"],
    "mainstream": ["mainstream_la_maintained", "mainstream_academy", "mainstream_free_school",
                   "mainstream_independent"],
    "resourced_provision": ["mainstream_la_maintained_resourced_provision",
                            "mainstream_la_maintained_senunit",
                            "mainstream_academy_resourced_provision", "mainstream_academy_senunit",
                            "mainstream_free_school_resourced_provision",
                            "mainstream_free_school_senunit"],
    "special_maintained": ["special_la_maintained", "special_academy_free"],
    "special_independent": ["special_independent"],
    "special_non_maintained": ["special_non_maintained"],
    "ap_pru": ["ap_pru_academy", "ap_pru_free_school", "ap_pru_la_maintained"],
    "fe_general": ["general_fe_tertiary_colleges", "ukrlp_provider"],
    "specialist_post16": ["specialist_post_16_institutions"],
    "neet": ["neet"],
    "educated_elsewhere": ["ed_elsewhere", "-neet", "placement_unknown", "await_prov_2022",
                           "perm_ex_2022"],
}
GROUP_ORDER = list(GROUP_COLUMNS)
# Published DfE subtotals carried for checks (the "DfE placement groups").
PUBLISHED_TOTALS = ["ehcplans", "nm_early_years", "mainstream_total", "special_total",
                    "ap_pru_total", "fe_total", "ed_elsewhere", "neet", "placement_unknown"]

# Labels of the need x placement table to the same groups; "-" subtracts.
NEED_PLACEMENT_LABELS = {
    "early_years": ["Non-maintained early years"],
    "mainstream": ["Mainstream - LA maintained", "Mainstream - academy",
                   "Mainstream - free school", "Mainstream - independent"],
    "resourced_provision": ["Mainstream - LA maintained (SEN unit)",
                            "Mainstream - LA maintained (resourced provision)",
                            "Mainstream - academy (SEN unit)",
                            "Mainstream - academy (resourced provision)",
                            "Mainstream - free school (SEN unit)",
                            "Mainstream - free school (resourced provision)"],
    "special_maintained": ["Special - LA maintained", "Special - Academy/free schools"],
    "special_independent": ["Special - independent"],
    "special_non_maintained": ["Special - non-maintained"],
    "ap_pru": ["AP/PRU - total"],
    "fe_general": ["FE - general FE and tertiary colleges", "FE - UKRLP provider"],
    "specialist_post16": ["FE - specialist post-16 institutions"],
    "neet": ["Educated elsewhere - NEET"],
    "educated_elsewhere": ["Educated elsewhere - total", "-Educated elsewhere - NEET",
                           "Placement not recorded"],
}
NEEDS = {"asd": "ASD", "hi": "HI", "mld": "MLD", "msi": "MSI", "pd": "PD", "pmld": "PMLD",
         "semh": "SEMH", "slcn": "SLCN", "sld": "SLD", "spld": "SPLD", "vi": "VI", "oth": "OTH",
         "need_unknown": "UKN"}

# SEN2 requests and assessments columns to the pack's measures.
REQUEST_MEASURES = [("requests_received_in_year", "requests"),
                    ("requests_decided_to_assess", "decided_to_assess"),
                    ("requests_decided_not_to_assess", "decided_not_to_assess"),
                    ("assess_issued", "assessments_issued"),
                    ("assess_not_issued", "assessments_not_issued")]

# Age labels to the pack's: single years stay; open bands become ranges.
AGE_LABELS = {"under 3": "0-2", "2 and under": "0-2", "20 and over": "20-25", "Total": "Total",
              "unknown": "unknown"}

S251_LINES = {  # (line_group prefix, line) -> pack line id
    ("Place funding", "Place funding (total)"): "place_total",
    ("Place funding", "Early years"): "place_early_years",
    ("Place funding", "Primary"): "place_primary",
    ("Place funding", "Secondary"): "place_secondary",
    ("Place funding", "Special schools and academies"): "place_special",
    ("Place funding", "PRUs and AP academies"): "place_ap",
    ("Place funding", "Post school"): "place_post_school",
    ("Top-up funding: maintained", "Top-up (total)"): "topup_maintained_total",
    ("Top-up funding: maintained", "Early years"): "topup_maintained_early_years",
    ("Top-up funding: maintained", "Primary"): "topup_maintained_primary",
    ("Top-up funding: maintained", "Secondary"): "topup_maintained_secondary",
    ("Top-up funding: maintained", "Special schools and academies"): "topup_maintained_special",
    ("Top-up funding: maintained", "PRUs and AP academies"): "topup_maintained_ap",
    ("Top-up funding: maintained", "Post school"): "topup_maintained_post_school",
    ("Top-up funding: maintained", "Income"): "topup_maintained_income",
    ("Top-up funding: non-maintained", "Top-up (total)"): "topup_nmi_total",
    ("Top-up funding: non-maintained", "Early years"): "topup_nmi_early_years",
    ("Top-up funding: non-maintained", "Primary"): "topup_nmi_primary",
    ("Top-up funding: non-maintained", "Secondary"): "topup_nmi_secondary",
    ("Top-up funding: non-maintained", "Special schools and academies"): "topup_nmi_special",
    ("Top-up funding: non-maintained", "PRUs and AP academies"): "topup_nmi_ap",
    ("Top-up funding: non-maintained", "Post school"): "topup_nmi_post_school",
    ("Top-up funding: non-maintained", "Income"): "topup_nmi_income",
    ("Central services", "SEN support and inclusion services"): "central_sen_support",
    ("Central services", "Alternative provision services"): "central_ap_services",
    ("Central services", "Hospital education services"): "central_hospital_education",
    ("Central services", "Therapies and other health related services"): "central_therapies",
}


class PackError(Exception):
    """A release file that does not have the shape or identities the pack relies on."""


def source(src, stem):
    """The file `STEM_YYYY.csv` or `STEM_YYYY_YYYY.csv` in `src` covering the latest years."""
    pattern = re.compile(r"^%s_(\d{4})(?:_(\d{4}))?\.csv$" % re.escape(stem))
    found = []
    for name in os.listdir(src) if os.path.isdir(src) else []:
        match = pattern.match(name)
        if match:
            found.append((int(match.group(2) or match.group(1)), int(match.group(1)), name))
    if not found:
        raise PackError("%s: no file %s_YYYY.csv or %s_YYYY_YYYY.csv (the release's %s table)"
                        % (src, stem, stem, stem.replace("_", " ")))
    return max(found)[2]


def read(src, name, required):
    """Rows of one source file as dicts, checking its header has every required column."""
    path = os.path.join(src, name)
    if not os.path.isfile(path):
        raise PackError("%s: file not found" % path)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise PackError("%s:1: expected columns %s; missing %s" % (path, required, missing))
        rows = []
        for line, row in enumerate(reader, start=2):
            row["_where"] = "%s:%d" % (path, line)
            rows.append(row)
        return rows


def count(row, column, flag_column):
    """An integer count, or None when the cell is empty with a flag; anything else fails."""
    text = row[column]
    if text == "":
        if not row.get(flag_column):
            raise PackError("%s: %s: expected a count or a flag; found an empty cell with no flag"
                            % (row["_where"], column))
        return None
    try:
        value = float(text)
    except ValueError:
        raise PackError("%s: %s: expected a number; found %r" % (row["_where"], column, text[:40]))
    if value < 0 or value != int(value):
        raise PackError("%s: %s: expected a whole count >= 0; found %s" % (row["_where"], column, text))
    return int(value)


def money(row, column, flag_column):
    text = row[column]
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise PackError("%s: %s: expected an amount; found %r" % (row["_where"], column, text[:40]))


def age_label(text, where):
    if text in AGE_LABELS:
        return AGE_LABELS[text]
    if text.isdigit() and 0 <= int(text) <= 25:
        return text
    raise PackError("%s: age: expected 0-25, a band or Total; found %r" % (where, text[:40]))


def groups_from(cells, where):
    """Placement groups from one row's DfE columns, or None if a column they need is flagged."""
    out = {}
    for group, columns in GROUP_COLUMNS.items():
        total = 0
        for column in columns:
            sign = -1 if column.startswith("-") else 1
            column = column.lstrip("-")
            value = cells.get(column, 0)
            if value is None:
                if column in ("await_prov_2022", "perm_ex_2022", "placement_unknown", "ukrlp_provider"):
                    continue  # not collected that year
                return None
            total += sign * value
        if total < 0:
            raise PackError("%s: %s: the groups give %d plans; the published subtotals do not nest"
                            % (where, group, total))
        out[group] = total
    return out


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return ("%.2f" % value).rstrip("0").rstrip(".")
    return str(value)


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([fmt(v) for v in row])


def build(src, out):
    lookup = read(src, "la_lookup.csv", ["old_la_code", "new_la_code", "la_name", "region_name",
                                         "status", "other_ons_codes_seen", "note"])
    write(os.path.join(out, "la.csv"),
          ["la", "new_la_code", "la_name", "region_name", "status", "other_ons_codes_seen", "note"],
          [(r["old_la_code"], r["new_la_code"], r["la_name"], r["region_name"], r["status"],
            r["other_ons_codes_seen"], r["note"]) for r in lookup])
    names = {r["old_la_code"]: r["la_name"] for r in lookup}

    # --- caseload by age x placement group, latest two censuses
    rows = read(src, source(src, "ehcp_by_age_and_placement"),
                ["old_la_code", "census_year", "age", "placement", "plans", "plans_flag"])
    years = sorted({int(r["census_year"]) for r in rows})
    cells = collections.defaultdict(dict)
    for r in rows:
        key = (r["old_la_code"], int(r["census_year"]), age_label(r["age"], r["_where"]))
        cells[key][r["placement"]] = count(r, "plans", "plans_flag")
    age_rows, flagged, mismatched = [], [], []
    for (la, year, age), columns in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], sort_age(kv[0][2]))):
        if age == "Total":
            continue
        where = "ehcp_by_age_and_placement: LA %s, %d, age %s" % (la or "England", year, age)
        groups = groups_from(columns, where)
        total = columns.get("ehcplans", 0)
        if groups is None or total is None:
            flagged.append((la, year))
            if total is not None:  # the age's published total, its placements withheld
                age_rows.append((la, year, age, "all", total, "placements_x"))
            continue
        if la and sum(groups.values()) != total:
            if year == years[-1]:
                raise PackError("%s: the placement groups sum to %d; the published total is %d"
                                % (where, sum(groups.values()), total))
            mismatched.append((la, year, age))
            age_rows.append((la, year, age, "unallocated", total - sum(groups.values()), "groups_differ_from_total"))
        for group in GROUP_ORDER:
            if groups[group]:
                age_rows.append((la, year, age, group, groups[group], ""))
    for la, year in sorted(set(flagged)):
        if not any(r[0] == la and r[1] == year and r[3] == "all" for r in age_rows):
            age_rows.append((la, year, "all", "all", None, "x"))
    write(os.path.join(out, "caseload_age_placement.csv"),
          ["la", "census_year", "age", "placement", "plans", "flag"], age_rows)

    # --- caseload by placement group (all ages), 2019 onwards, with the published subtotals
    rows = read(src, source(src, "ehcp_by_placement"),
                ["old_la_code", "census_year", "placement", "plans", "plans_flag"])
    cells = collections.defaultdict(dict)
    for r in rows:
        cells[(r["old_la_code"], int(r["census_year"]))][r["placement"]] = count(r, "plans", "plans_flag")
    place_rows, total_rows = [], []
    for (la, year), columns in sorted(cells.items()):
        for name in PUBLISHED_TOTALS:
            if name in columns:
                value = columns[name]
                total_rows.append((la, year, name, value, "" if value is not None else "x"))
        groups = groups_from(columns, "ehcp_by_placement: LA %s, %d" % (la or "England", year))
        total = columns.get("ehcplans")
        if groups is None or total is None:
            place_rows.append((la, year, "all", None, "x"))
            continue
        if la and sum(groups.values()) != total:
            if year == years[-1]:
                raise PackError("ehcp_by_placement: LA %s, %d: the groups sum to %d; published total %d"
                                % (la, year, sum(groups.values()), total))
            mismatched.append((la, year, "Total"))
            place_rows.append((la, year, "unallocated", total - sum(groups.values()), "groups_differ_from_total"))
        for group in GROUP_ORDER:
            if groups[group]:
                place_rows.append((la, year, group, groups[group], ""))
    write(os.path.join(out, "caseload_placement.csv"),
          ["la", "census_year", "placement", "plans", "flag"], place_rows)
    write(os.path.join(out, "caseload_published_totals.csv"),
          ["la", "census_year", "dfe_placement_group", "plans", "flag"], total_rows)

    # --- need x placement group, latest census
    rows = read(src, source(src, "ehcp_by_need_and_placement"),
                ["old_la_code", "census_year", "placement", "need", "plans", "plans_flag"])
    cells = collections.defaultdict(dict)
    for r in rows:
        cells[(r["old_la_code"], int(r["census_year"]), r["need"])][r["placement"]] = count(r, "plans", "plans_flag")
    need_years = sorted({year for (_, year, _) in cells})
    if years[-1] not in need_years:
        raise PackError("%s: expected the latest census, January %d (as the age x placement table); found %s"
                        % (rows[0]["_where"].rsplit(":", 1)[0] if rows else src, years[-1], need_years))
    by_la = collections.defaultdict(dict)
    for (la, year, need), columns in cells.items():
        by_la[(la, year)][need] = columns
    need_rows = []
    for (la, year), needs in sorted(by_la.items()):
        out_cells, ok = {}, True
        for need, code in NEEDS.items():
            columns = needs.get(need, {})
            for group, labels in NEED_PLACEMENT_LABELS.items():
                total = 0
                for label in labels:
                    sign = -1 if label.startswith("-") else 1
                    value = columns.get(label.lstrip("-"), 0)
                    if value is None:
                        ok = False
                        break
                    total += sign * value
                if not ok:
                    break
                if total < 0:
                    raise PackError("ehcp_by_need_and_placement: LA %s, %s, %s: subtotals do not nest"
                                    % (la, need, group))
                out_cells[(group, code)] = total
            if not ok:
                break
        if not ok:
            need_rows.append((la, year, "all", "all", None, "x"))
            continue
        if la:  # needs add up to each placement's published all-needs figure
            every = needs.get("all", {})
            for group, labels in NEED_PLACEMENT_LABELS.items():
                published = sum((-1 if l.startswith("-") else 1) * (every.get(l.lstrip("-"), 0) or 0) for l in labels)
                got = sum(v for (g, _), v in out_cells.items() if g == group)
                if got != published:
                    raise PackError("ehcp_by_need_and_placement: LA %s, %d, %s: needs sum to %d; published %d"
                                    % (la, year, group, got, published))
        for group in GROUP_ORDER:
            for code in NEEDS.values():
                if out_cells.get((group, code)):
                    need_rows.append((la, year, group, code, out_cells[(group, code)], ""))
    write(os.path.join(out, "caseload_need_placement.csv"),
          ["la", "census_year", "placement", "need", "plans", "flag"], need_rows)

    # --- need x single age (latest census caseload), the IPF's prior for age x need
    rows = read(src, source(src, "ehcp_by_need_and_age"),
                ["old_la_code", "measure", "year", "age", "need", "plans", "plans_flag"])
    na_rows = []
    for r in rows:
        if r["measure"] != "caseload" or r["need"] not in NEEDS or r["age"] == "Total":
            continue
        value = count(r, "plans", "plans_flag")
        na_rows.append((r["old_la_code"], int(r["year"]), age_label(r["age"], r["_where"]),
                        NEEDS[r["need"]], value, r["plans_flag"]))
    if years[-1] not in {t[1] for t in na_rows}:
        raise PackError("%s: expected caseload rows for January %d (the latest census); found %s"
                        % (rows[0]["_where"].rsplit(":", 1)[0] if rows else src, years[-1],
                           sorted({t[1] for t in na_rows})))
    na_rows.sort(key=lambda t: (t[0], t[1], sort_age(t[2]), t[3]))
    write(os.path.join(out, "caseload_need_age.csv"),
          ["la", "census_year", "age", "need", "plans", "flag"], na_rows)

    # --- new plans by age at start (all placements) and by placement group (all ages)
    rows = read(src, source(src, "ehcp_new_plans_by_age"),
                ["old_la_code", "calendar_year", "age_at_start", "placement", "new_plans", "new_plans_flag"])
    new_rows = []
    by_place = collections.defaultdict(dict)
    for r in rows:
        value = count(r, "new_plans", "new_plans_flag")
        if r["placement"] == "new_ehc_plans":
            new_rows.append((r["old_la_code"], int(r["calendar_year"]),
                             age_label(r["age_at_start"], r["_where"]), "all", value, r["new_plans_flag"]))
        elif r["age_at_start"] == "Total":
            by_place[(r["old_la_code"], int(r["calendar_year"]))][r["placement"]] = value
    for (la, year), columns in sorted(by_place.items()):
        groups = groups_from(columns, "new plans: LA %s, %d" % (la or "England", year))
        if groups is None:
            new_rows.append((la, year, "Total", "by_placement", None, "x"))
            continue
        for group in GROUP_ORDER:
            if groups[group]:
                new_rows.append((la, year, "Total", group, groups[group], ""))
    new_rows.sort(key=lambda t: (t[0], t[1], t[3] != "all", sort_age(t[2]), t[3]))
    write(os.path.join(out, "new_plans.csv"),
          ["la", "calendar_year", "age_at_start", "placement", "new_plans", "flag"], new_rows)

    # --- ceased plans by age (all reasons)
    rows = read(src, source(src, "ehcp_ceased_plans_by_reason"),
                ["old_la_code", "calendar_year", "breakdown_topic", "breakdown", "reason", "ceased_plans",
                 "ceased_plans_flag"])
    ceased_rows = []
    for r in rows:
        if r["reason"] != "total_ceased":
            continue
        if r["breakdown_topic"] == "All ceased EHC plans":
            age = "Total"
        elif r["breakdown_topic"] == "Age plan ceased":
            age = age_label(r["breakdown"], r["_where"])
        else:
            continue
        ceased_rows.append((r["old_la_code"], int(r["calendar_year"]), age,
                            count(r, "ceased_plans", "ceased_plans_flag"), r["ceased_plans_flag"]))
    ceased_rows.sort(key=lambda t: (t[0], t[1], sort_age(t[2])))
    write(os.path.join(out, "ceased_plans.csv"),
          ["la", "calendar_year", "age", "ceased_plans", "flag"], ceased_rows)

    # --- requests for assessment and assessments by age (all ages and, from 2023, single ages):
    # the assessment pipeline's refusal and conversion shares (docs/INIT.md)
    rows = read(src, source(src, "ehcp_requests_assessments"),
                ["old_la_code", "calendar_year", "age"] + [c for c, _ in REQUEST_MEASURES]
                + [c + "_flag" for c, _ in REQUEST_MEASURES])
    request_rows = []
    for r in rows:
        age = age_label(r["age"], r["_where"])
        for column, measure in REQUEST_MEASURES:
            value = count(r, column, column + "_flag")
            if value == 0:
                continue  # zero rows are omitted, as in the source's long files
            request_rows.append((r["old_la_code"], int(r["calendar_year"]), age, measure, value,
                                 r[column + "_flag"] if value is None else ""))
    request_rows.sort(key=lambda t: (t[0], t[1], sort_age(t[2]), t[3]))
    write(os.path.join(out, "requests_assessments.csv"),
          ["la", "calendar_year", "age", "measure", "count", "flag"], request_rows)

    # --- population 0-25 by single year, the latest four mid-years
    rows = read(src, "population_by_single_year_of_age.csv",
                ["old_la_code", "mid_year", "age", "population"])
    mids = sorted({int(r["mid_year"]) for r in rows})[-4:]
    pop_rows = [(r["old_la_code"], int(r["mid_year"]), int(r["age"]), count(r, "population", "none"), "")
                for r in rows if int(r["mid_year"]) in mids]
    pop_rows.sort(key=lambda t: (t[0], t[1], t[2]))
    write(os.path.join(out, "population.csv"), ["la", "mid_year", "age", "population", "flag"], pop_rows)

    # --- HNB allocations, preferred vintage
    rows = read(src, "hnb_allocations_by_la.csv",
                ["old_la_code", "financial_year", "preferred_vintage",
                 "high_needs_block_before_deductions_gbp", "high_needs_block_after_deductions_gbp",
                 "total_dsg_after_deductions_gbp", "total_dsg_before_deductions_gbp",
                 "schools_block_before_deductions_gbp", "vintage"])
    alloc_rows = []
    for r in rows:
        if r["preferred_vintage"] != "yes":
            continue
        alloc_rows.append((r["old_la_code"], r["financial_year"],
                           money(r, "high_needs_block_before_deductions_gbp", ""),
                           money(r, "high_needs_block_after_deductions_gbp", ""),
                           money(r, "total_dsg_after_deductions_gbp", ""),
                           money(r, "total_dsg_before_deductions_gbp", ""),
                           money(r, "schools_block_before_deductions_gbp", ""), r["vintage"]))
    alloc_rows.sort(key=lambda t: (t[0], t[1]))
    write(os.path.join(out, "hnb_allocations.csv"),
          ["la", "financial_year", "hnb_before_deductions_gbp", "hnb_after_deductions_gbp",
           "total_dsg_after_deductions_gbp", "total_dsg_before_deductions_gbp", "schools_block_gbp", "vintage"],
          alloc_rows)

    # --- import/export adjustment (latest year) from the formula components
    rows = read(src, "hnb_formula_components_by_la.csv",
                ["old_la_code", "financial_year", "sheet", "item", "amount_gbp"])
    ie_rows = [(r["old_la_code"], r["financial_year"], money(r, "amount_gbp", ""))
               for r in rows if r["sheet"] == "High_needs_block" and r["item"].startswith("Import/export adjustment")
               and r["amount_gbp"] != ""]
    write(os.path.join(out, "import_export.csv"), ["la", "financial_year", "import_export_gbp"], sorted(ie_rows))

    # --- s251 budget lines
    rows = read(src, "s251_high_needs_by_la.csv",
                ["old_la_code", "statement", "financial_year", "line_group", "line", "amount_gbp", "amount_flag"])
    s_rows = []
    for r in rows:
        line_id = None
        for (group, line), ident in S251_LINES.items():
            if r["line_group"].startswith(group) and r["line"] == line:
                line_id = ident
        if line_id is None:
            raise PackError("%s: line: expected a known s251 line; found %r / %r"
                            % (r["_where"], r["line_group"][:40], r["line"][:40]))
        s_rows.append((r["old_la_code"], r["statement"], r["financial_year"], line_id,
                       money(r, "amount_gbp", "amount_flag"), r["amount_flag"]))
    write(os.path.join(out, "s251_high_needs.csv"),
          ["la", "statement", "financial_year", "line", "amount_gbp", "flag"], s_rows)

    # --- DSG cumulative balance (% of DSG)
    rows = read(src, "dsg_cumulative_balance_by_la.csv",
                ["old_la_code", "financial_year", "as_at", "dsg_cumulative_balance_pct_of_total_dsg_income",
                 "value_flag"])
    write(os.path.join(out, "dsg_balance.csv"), ["la", "financial_year", "as_at", "balance_pct_of_dsg", "flag"],
          sorted((r["old_la_code"], r["financial_year"], r["as_at"],
                  money(r, "dsg_cumulative_balance_pct_of_total_dsg_income", ""), r["value_flag"]) for r in rows))

    return {"mismatched": collections.Counter(y for _, y, _ in mismatched), "census_years": years, "mid_years": mids, "flagged_age_placement": sorted(set(flagged)),
            "la_names": names}


def sort_age(age):
    if age == "Total":
        return 100
    if age == "unknown":
        return 101
    if age == "all":
        return 102
    return int(age.split("-")[0])


NATIONAL_FIGURES = "national_figures.csv"
HAND_KEPT = (NATIONAL_FIGURES, "transitions_default.csv", "SOURCES.md")


def carry_over(out, tmp):
    """Copies the old pack's files this script does not build into `tmp`; returns their names."""
    carried = []
    for keep in HAND_KEPT:
        if not os.path.isfile(os.path.join(out, keep)):
            raise PackError("%s: hand-kept file missing from the old pack" % os.path.join(out, keep))
    for name in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        path = os.path.join(out, name)
        if name != "inputs.csv" and os.path.isfile(path) and not os.path.islink(path) \
                and not os.path.exists(os.path.join(tmp, name)):
            shutil.copyfile(path, os.path.join(tmp, name))
            carried.append(name)
    return carried


def check_national_figures(tmp, census):
    """`hnb init` needs England's HNB for the first forecast year (the latest census's FY)."""
    key = "england_hnb_gbp_%d-%02d" % (census, (census + 1) % 100)
    path = os.path.join(tmp, NATIONAL_FIGURES)
    with open(path, newline="", encoding="utf-8") as handle:
        keys = [row.get("key") for row in csv.DictReader(handle)]
    if key not in keys:
        raise PackError("%s: expected a row %s (England's HNB for %d-%02d, the first forecast year of the "
                        "January %d census, with its source); found none: add it by hand"
                        % (path, key, census, (census + 1) % 100, census))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="src", default=os.path.join(root, "..", "shared", "data", "national"))
    parser.add_argument("--out", default=os.path.join(root, "Data", "national"))
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with --out; write nothing")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".pack-", dir=os.path.dirname(out))
    try:
        info = build(args.src, tmp)
        carried = carry_over(out, tmp)
        check_national_figures(tmp, info["census_years"][-1])
        digests = []
        for name in sorted(os.listdir(args.src)):
            path = os.path.join(args.src, name)
            if name.endswith(".csv") and os.path.isfile(path):
                digests.append((name, hashlib.sha256(open(path, "rb").read()).hexdigest()))
        write(os.path.join(tmp, "inputs.csv"), ["source_file", "sha256"], digests)
        if args.check:
            names = sorted(set(os.listdir(tmp)) | set(os.listdir(out) if os.path.isdir(out) else []))
            differ = []
            for name in names:
                a, b = os.path.join(tmp, name), os.path.join(out, name)
                if not (os.path.isfile(a) and os.path.isfile(b) and open(a, "rb").read() == open(b, "rb").read()):
                    differ.append(name)
            shutil.rmtree(tmp, ignore_errors=True)
            if differ:
                print("%s differs from a rebuild from %s: %s" % (out, args.src, ", ".join(differ)))
                sys.exit(1)
            print("%s is what %s builds (%d files, byte for byte)" % (out, args.src, len(names)))
            return
        if os.path.isdir(out):
            shutil.rmtree(out + ".old", ignore_errors=True)
            os.rename(out, out + ".old")
        os.rename(tmp, out)
        shutil.rmtree(out + ".old", ignore_errors=True)
        print("pack written to %s: census years %s, mid-years %s; age x placement withheld for %s; "
              "rows whose DfE groups differ from the published total (kept as `unallocated`), by year: %s; "
              "carried over unchanged: %s"
              % (out, info["census_years"], info["mid_years"], info["flagged_age_placement"],
                 dict(sorted(info["mismatched"].items())), ", ".join(carried)))
    except PackError as error:
        shutil.rmtree(tmp, ignore_errors=True)
        print("error: %s (the old pack is left in place)" % error, file=sys.stderr)
        sys.exit(65)


if __name__ == "__main__":
    main()
