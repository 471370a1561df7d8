#!/usr/bin/env python3
"""Build the national panel `Data/national/panel.csv` that `hnb backtest --all` reads.

Input: the national public data pack (default `../shared/data/national/`, override with
`--from DIR`), built by its own `make_national_pack.py` from pinned DfE SEN2 releases (Open
Government Licence v3.0). Output: `Data/national/panel.csv` (override with `--out FILE`).
`--check` rebuilds into memory and compares with the file in place (exit 1 when they differ).

One row per LA and January census year, every LA the SEN2 releases give (England is not a row:
the national series is the sum of the LAs). Columns (`docs/CALIBRATION.md`, "The national
panel"):

- `la_code`: the three-digit DfE LA code **as it was that year**. Reorganised LAs keep their
  own codes: Dorset 835, Poole 836 and Bournemouth 837 run to 2019, Dorset 838 and BCP 839
  from 2020; Northamptonshire 928 to 2021, North and West Northamptonshire 940 and 941 from
  2022; Cumbria 909 to 2023, Cumberland 942 and Westmorland and Furness 943 from 2024. No
  series is spliced across a reorganisation.
- `region`: the LA's region (`la_lookup.csv`).
- `year`: the census year (January).
- `plans`: EHC plans plus statements at the census (`ehcp_totals_2010_2025.csv`, the
  preferred series: the 2022 release to 2018, the 2025 release from 2019).
- `plans_under_5`, `plans_5_10`, `plans_11_15`, `plans_16_19`, `plans_20_25`: the plans by DfE
  age band (2010-2022 from the 2022 release's age table; 2024-2025 summed from the 2025
  release's single years of age, `under 3` + 3 + 4 being under 5). 2023 has no public age
  table; its cells are empty and flagged `not_published`.
- `new_plans_prior_year`: new plans made in calendar year `year - 1`, the flow between the
  previous census and this one (calendar 2009-2018 from the 2022 release's age table, Total;
  2019-2024 from the 2025 release's `new_ehc_plans`).
- `ceased_plans_prior_year`: plans ceased in calendar year `year - 1` (2022-2024 only, the
  2025 release's `total_ceased`).
- `requests_prior_year`: requests for an EHC needs assessment received in calendar year
  `year - 1` (2014-2018 from the 2022 release's management information `InreqEHC`, 2019-2024
  from the 2025 release's `requests_received_in_year`).

Every value column has a `<column>_flag` beside it. An empty value is never zero: its flag
says why (`not_published`: no release gives it for that year; `x`: DfE unavailable;
`dfe_error_la_value_equals_regional_total`: blanked in the source pack, see its SOURCES.md;
`la_not_in_source_year`: the LA did not exist in the source's year, as a successor LA's
flows in the year before it began). A published zero is written as 0 (the source pack's long
files omit zero rows: a missing row for an LA the file covers that year is a published 0).

Usage: python3 scripts/data/build_panel.py [--from DIR] [--out FILE] [--check]
"""

import argparse
import collections
import csv
import io
import os
import sys

BANDS = [("plans_under_5", "Under 5"), ("plans_5_10", "Age 5 to 10"), ("plans_11_15", "Age 11 to 15"),
         ("plans_16_19", "Age 16 to 19"), ("plans_20_25", "Age 20 to 25")]
FLOWS = ["new_plans_prior_year", "ceased_plans_prior_year", "requests_prior_year"]
VALUES = ["plans"] + [b for b, _ in BANDS] + FLOWS
HEADER = ["la_code", "region", "year"] + [c for v in VALUES for c in (v, v + "_flag")]


class PanelError(Exception):
    pass


def read(src, name):
    path = os.path.join(src, name)
    if not os.path.isfile(path):
        raise PanelError("%s: not found (the national data pack; see --from)" % path)
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def number(text, where):
    try:
        value = float(text)
    except ValueError:
        raise PanelError("%s: expected a number, found %r" % (where, text))
    if value != int(value) or value < 0:
        raise PanelError("%s: expected a count, found %r" % (where, text))
    return int(value)


def band_of_age(age):
    """The DfE age band of a single year of age label of the 2025 release."""
    if age == "under 3":
        return "plans_under_5"
    a = int(age)
    for name, lo, hi in (("plans_under_5", 0, 4), ("plans_5_10", 5, 10), ("plans_11_15", 11, 15),
                         ("plans_16_19", 16, 19), ("plans_20_25", 20, 25)):
        if lo <= a <= hi:
            return name
    raise PanelError("ehcp_by_age_and_placement_2024_2025.csv: age %r outside 0-25" % age)


def build(src):
    lookup = {r["old_la_code"]: r for r in read(src, "la_lookup.csv")}
    cells = {}  # (la, year) -> column -> (value or None, flag)
    regions = {}
    for r in read(src, "ehcp_totals_2010_2025.csv"):
        if r["preferred_series"] != "yes" or r["old_la_code"] == "":
            continue
        la, year = r["old_la_code"], int(r["census_year"])
        if la not in lookup:
            raise PanelError("ehcp_totals_2010_2025.csv: LA %s is not in la_lookup.csv" % la)
        regions[la] = lookup[la]["region_name"]
        if r["plans"] == "":
            cells[(la, year)] = {"plans": (None, r["plans_flag"] or "empty_in_source")}
        else:
            cells[(la, year)] = {"plans": (number(r["plans"], "totals %s %d" % (la, year)), "")}
    census_years = sorted({y for _, y in cells})
    present = collections.defaultdict(set)  # year -> LAs with a census row
    for la, y in cells:
        present[y].add(la)

    def put(la, year, column, value, flag, source):
        if (la, year) not in cells:
            return  # a flow of a census the panel does not hold (calendar 2025 onwards)
        if column in cells[(la, year)]:
            raise PanelError("%s: two values for LA %s, year %d, %s" % (source, la, year, column))
        cells[(la, year)][column] = (value, flag)

    def value_of(text, flag, where):
        return (None, flag or "empty_in_source") if text == "" else (number(text, where), flag)

    # Age bands 2010-2022 (2022 release).
    banded = set()
    for r in read(src, "ehcp_age_bands_and_establishment_2010_2022.csv"):
        if r["measure"] != "caseload" or r["breakdown"] != "age" or r["old_la_code"] == "":
            continue
        for name, label in BANDS:
            if r["category"] == label:
                v, f = value_of(r["total"], r["total_flag"], "age bands %s %s" % (r["old_la_code"], r["year"]))
                put(r["old_la_code"], int(r["year"]), name, v, f, "ehcp_age_bands_and_establishment_2010_2022.csv")
                banded.add(int(r["year"]))
    # The source omits zero rows: a band missing for an LA of a year the table covers is a published 0.
    for year in sorted(banded):
        for la in present[year]:
            for name, _ in BANDS:
                if name not in cells[(la, year)]:
                    put(la, year, name, 0, "", "ehcp_age_bands_and_establishment_2010_2022.csv")
    # Age bands 2024-2025 (2025 release, single years of age summed).
    sums = collections.defaultdict(int)
    withheld = {}
    for r in read(src, "ehcp_by_age_and_placement_2024_2025.csv"):
        if r["placement"] != "ehcplans" or r["age"] == "Total" or r["old_la_code"] == "":
            continue
        key = (r["old_la_code"], int(r["census_year"]), band_of_age(r["age"]))
        if r["plans"] == "":
            withheld[key] = r["plans_flag"] or "empty_in_source"
        else:
            sums[key] += number(r["plans"], "single ages %s" % (key,))
    age_years = sorted({y for _, y, _ in list(sums) + list(withheld)})
    for year in age_years:
        for la in present[year]:
            for name, _ in BANDS:
                key = (la, year, name)
                if key in withheld:
                    put(la, year, name, None, withheld[key], "ehcp_by_age_and_placement_2024_2025.csv")
                else:  # a missing row is a published 0
                    put(la, year, name, sums.get(key, 0), "", "ehcp_by_age_and_placement_2024_2025.csv")

    def flows(column, rows, years_covered):
        """rows: (la, calendar year, text, flag); a missing row of a covered year is a published 0."""
        seen = set()
        for la, cal, text, flag in rows:
            if la == "":
                continue
            seen.add((la, cal))
            put(la, cal + 1, column, *value_of(text, flag, "%s %s %d" % (column, la, cal)), source=column)
        for cal in years_covered:
            for la in present.get(cal + 1, ()):
                if (la, cal) in seen:
                    continue
                # An LA that did not exist in calendar year `cal` (a successor's first census)
                # has no flow that year; otherwise the missing row is a published zero.
                existed = la in present.get(cal, set()) or (cal + 1 == min(census_years))
                put(la, cal + 1, column, 0 if existed else None, "" if existed else "la_not_in_source_year", column)

    old_new = [(r["old_la_code"], int(r["year"]), r["total"], r["total_flag"])
               for r in read(src, "ehcp_age_bands_and_establishment_2010_2022.csv")
               if r["measure"] == "new_plans" and r["breakdown"] == "age" and r["category"] == "Total"
               and int(r["year"]) <= 2018]
    new = [(r["old_la_code"], int(r["calendar_year"]), r["new_plans"], r["new_plans_flag"])
           for r in read(src, "ehcp_new_plans_by_age_2019_2025.csv")
           if r["age_at_start"] == "Total" and r["placement"] == "new_ehc_plans"]
    flows("new_plans_prior_year", old_new + new, sorted({c for _, c, _, _ in old_new + new}))
    ceased = [(r["old_la_code"], int(r["calendar_year"]), r["ceased_plans"], r["ceased_plans_flag"])
              for r in read(src, "ehcp_ceased_plans_by_reason_2019_2025.csv")
              if r["breakdown_topic"] == "All ceased EHC plans" and r["reason"] == "total_ceased"]
    flows("ceased_plans_prior_year", ceased, sorted({c for _, c, _, _ in ceased}))
    mi = [(r["old_la_code"], int(r["calendar_year"]), r["value"], r["value_flag"])
          for r in read(src, "ehcp_sen2_management_info_2014_2021.csv")
          if r["measure"] == "InreqEHC" and int(r["calendar_year"]) <= 2018]
    requests = [(r["old_la_code"], int(r["calendar_year"]), r["requests_received_in_year"],
                 r["requests_received_in_year_flag"])
                for r in read(src, "ehcp_requests_assessments_2019_2025.csv") if r["age"] == "Total"]
    flows("requests_prior_year", mi + requests, sorted({c for _, c, _, _ in mi + requests}))

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for la, year in sorted(cells):
        row = [la, regions[la], year]
        for column in VALUES:
            v, f = cells[(la, year)].get(column, (None, "not_published"))
            if v is None and f == "":
                raise PanelError("LA %s, year %d, %s: empty without a flag" % (la, year, column))
            row += ["" if v is None else v, f]
        w.writerow(row)
    return out.getvalue(), len(cells), len(regions)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="src", default=os.path.join(root, "..", "shared", "data", "national"))
    parser.add_argument("--out", default=os.path.join(root, "Data", "national", "panel.csv"))
    parser.add_argument("--check", action="store_true", help="rebuild and compare with --out; write nothing")
    args = parser.parse_args()
    try:
        text, rows, las = build(args.src)
    except PanelError as error:
        print("error: %s (nothing written)" % error, file=sys.stderr)
        sys.exit(65)
    if args.check:
        old = open(args.out, encoding="utf-8").read() if os.path.isfile(args.out) else None
        if old != text:
            print("%s differs from a rebuild from %s" % (args.out, args.src), file=sys.stderr)
            sys.exit(1)
        print("%s matches a rebuild from %s (%d rows, %d LAs)" % (args.out, args.src, rows, las))
        return
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print("panel written to %s: %d rows, %d LAs" % (args.out, rows, las))


if __name__ == "__main__":
    main()
