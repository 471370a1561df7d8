#!/usr/bin/env python3
"""Sutton's assessment pipeline rates (Scenarios/sutton/data/pipeline/), from the public SEN2
requests and assessments table (Scenarios/sutton/sources/ehcp_requests_assessments_sutton.csv).

Method (docs/MODEL.md, "The assessment pipeline"; Scenarios/sutton/README.md, reform_2026):
- refusal share by age band = requests decided not to assess / requests decided, pooled over the
  calendar years with single-age rows (2023 and 2024: small counts by single age are noisy);
- conversion share by age band = assessments issued / (issued + not issued), pooled the same way;
- a band with a withheld (empty) cell or fewer than 10 cases takes England's share, pooled the
  same way from the project's national pack (Data/national/requests_assessments.csv): the rule
  `hnb init` applies (Sources/HighNeeds/Init/InitPipeline.swift, `minimumPipelineCases`);
- request rate at each age = the baseline's incidence / ((1 - refusal) * conversion), so that the
  pipeline starts exactly the baseline's new plans before any lever acts: a scenario using it
  differs from the baseline only by its levers. The script prints the requests this implies for
  the first projected year beside the requests SEN2 published for 2024, as a check of the method.
The SEN2 ages are mapped to the model's ages at the census one for one ("2 and under" to 0-2,
"20 and over" to 20-25); that is an approximation of up to a year (age at request vs at census).

Usage: python3 scripts/sutton/pipeline_rates.py [--check]
"""
import csv
import io
import os
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SUTTON = os.path.join(ROOT, "Scenarios", "sutton")
OUT = os.path.join(SUTTON, "data", "pipeline")
PACK = os.path.join(ROOT, "Data", "national", "requests_assessments.csv")
BANDS = [(0, 4), (5, 10), (11, 15), (16, 19), (20, 25)]
MINIMUM_CASES = 10  # as hnb init's Builder.minimumPipelineCases


def ages_of(label):
    if label == "2 and under":
        return [0, 1, 2]
    if label == "20 and over":
        return list(range(20, 26))
    return [int(label)]


def band(age):
    return next(i for i, (lo, hi) in enumerate(BANDS) if lo <= age <= hi)


def number(text):
    return float(text) if text not in ("", None) else None


def pooled(rows, numerator, other):
    """Shares numerator / (numerator + other) by band over single-age rows of (age, {column: value
    or None}); None for a band with a withheld cell or fewer than MINIMUM_CASES cases."""
    sums = [[0.0, 0.0] for _ in BANDS]
    withheld = [False for _ in BANDS]
    for age, cells in rows:
        b = band(ages_of(age)[0])
        for column in (numerator, other):
            if column not in cells:
                continue
            if cells[column] is None:
                withheld[b] = True
                continue
            if column == numerator:
                sums[b][0] += cells[column]
            sums[b][1] += cells[column]
    return [None if w or s[1] < MINIMUM_CASES else s[0] / s[1] for s, w in zip(sums, withheld)], sums


def england_rows():
    """England's single-age cells from the national pack, keyed as Sutton's source columns (rows
    of unknown age are left out, as hnb init does)."""
    columns = {"decided_to_assess": "requests_decided_to_assess", "decided_not_to_assess": "requests_decided_not_to_assess",
               "assessments_issued": "assess_issued", "assessments_not_issued": "assess_not_issued"}
    cells = {}
    for r in csv.DictReader(open(PACK)):
        if r["la"] == "" and r["age"] not in ("Total", "unknown") and r["measure"] in columns:
            label = {"0-2": "2 and under", "20-25": "20 and over"}.get(r["age"], r["age"])
            cells.setdefault((r["calendar_year"], label), {})[columns[r["measure"]]] = number(r["count"])
    return [(age, c) for (_, age), c in sorted(cells.items())]


def main():
    rows = list(csv.DictReader(open(os.path.join(SUTTON, "sources", "ehcp_requests_assessments_sutton.csv"))))
    by_age = [r for r in rows if r["age"] != "Total" and r["requests_decided_not_to_assess"] != ""]
    years = sorted({r["calendar_year"] for r in by_age})
    own = [(r["age"], {k: number(r[k]) for k in ("requests_decided_to_assess", "requests_decided_not_to_assess",
                                                  "assess_issued", "assess_not_issued")}) for r in by_age]
    england = england_rows()
    borrowed = []

    def shares(numerator, other, what):
        mine, sums = pooled(own, numerator, other)
        national, _ = pooled(england, numerator, other)
        for b, (lo, hi) in enumerate(BANDS):
            if mine[b] is None:
                borrowed.append(f"{what} {lo}-{hi}")
        return [m if m is not None else n for m, n in zip(mine, national)], sums

    refusal, refusal_sums = shares("requests_decided_not_to_assess", "requests_decided_to_assess", "refusal")
    conversion, conversion_sums = shares("assess_issued", "assess_not_issued", "conversion")
    incidence = {int(r["age"]): float(r["rate"]) for r in csv.DictReader(open(os.path.join(SUTTON, "data", "incidence.csv")))}
    files = {}

    def table(column, values):
        text = io.StringIO()
        w = csv.writer(text, lineterminator="\n")
        w.writerow(["age", column])
        for age in range(26):
            w.writerow([age, f"{values(age):.9f}"])
        return text.getvalue()

    files["refusals.csv"] = table("share", lambda a: refusal[band(a)])
    files["conversions.csv"] = table("share", lambda a: conversion[band(a)])
    files["requests.csv"] = table(
        "rate", lambda a: incidence[a] / ((1 - refusal[band(a)]) * conversion[band(a)]))
    if "--check" in sys.argv:
        stale = [n for n, t in files.items() if open(os.path.join(OUT, n)).read() != t]
        if stale:
            sys.exit(f"stale: {', '.join(stale)} (run scripts/sutton/pipeline_rates.py)")
        print("data/pipeline is up to date")
        return
    os.makedirs(OUT, exist_ok=True)
    for name, text in files.items():
        open(os.path.join(OUT, name), "w").write(text)
    print(f"pooled calendar years {', '.join(years)}")
    for (lo, hi), f, c, rs, cs in zip(BANDS, refusal, conversion, refusal_sums, conversion_sums):
        def whose(what, sums):
            mark = "England's, " if f"{what} {lo}-{hi}" in borrowed else ""
            return f"({mark}Sutton {sums[0]:.0f}/{sums[1]:.0f})"
        print(f"ages {lo}-{hi}: refusal {f:.3f} {whose('refusal', rs)}, conversion {c:.3f} {whose('conversion', cs)}")
    print("England's share where Sutton's band has a withheld cell or fewer than 10 cases")
    # Implied requests in the first projected year, beside SEN2's 2024 total.
    population = {}
    for r in csv.DictReader(open(os.path.join(SUTTON, "data", "population.csv"))):
        if r["census_year"] == "2026":
            population[int(r["age"])] = float(r["population"])
    rates = {int(r["age"]): float(r["rate"]) for r in csv.DictReader(io.StringIO(files["requests.csv"]))}
    implied = sum(population[a] * rates[a] for a in range(26))
    published = {r["calendar_year"]: r["requests_received_in_year"] for r in rows if r["age"] == "Total"}
    print(f"implied requests in the year to January 2026: {implied:.0f}; SEN2 published {published.get('2024')} in 2024")


if __name__ == "__main__":
    main()
