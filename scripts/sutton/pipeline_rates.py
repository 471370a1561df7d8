#!/usr/bin/env python3
"""Sutton's assessment pipeline rates (Scenarios/sutton/data/pipeline/), from the public SEN2
requests and assessments table (Scenarios/sutton/sources/ehcp_requests_assessments_sutton.csv).

Method (docs/MODEL.md, "The assessment pipeline"; Scenarios/sutton/README.md, reform_2026):
- refusal share by age band = requests decided not to assess / requests decided, pooled over the
  calendar years with single-age rows (2023 and 2024: small counts by single age are noisy);
- conversion share by age band = assessments issued / (issued + not issued), pooled the same way;
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
BANDS = [(0, 4), (5, 10), (11, 15), (16, 19), (20, 25)]


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


def main():
    rows = list(csv.DictReader(open(os.path.join(SUTTON, "sources", "ehcp_requests_assessments_sutton.csv"))))
    by_age = [r for r in rows if r["age"] != "Total" and r["requests_decided_not_to_assess"] != ""]
    years = sorted({r["calendar_year"] for r in by_age})
    sums = [[0.0, 0.0, 0.0, 0.0] for _ in BANDS]  # not assessed, decided, issued, issued + not issued
    for r in by_age:
        b = band(ages_of(r["age"])[0])
        yes, no = number(r["requests_decided_to_assess"]), number(r["requests_decided_not_to_assess"])
        issued, not_issued = number(r["assess_issued"]), number(r["assess_not_issued"])
        if yes is not None and no is not None:
            sums[b][0] += no
            sums[b][1] += yes + no
        if issued is not None and not_issued is not None:
            sums[b][2] += issued
            sums[b][3] += issued + not_issued
    refusal = [s[0] / s[1] for s in sums]
    conversion = [s[2] / s[3] for s in sums]
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
    for (lo, hi), f, c, s in zip(BANDS, refusal, conversion, sums):
        print(f"ages {lo}-{hi}: refusal {f:.3f} ({s[0]:.0f}/{s[1]:.0f}), conversion {c:.3f} ({s[2]:.0f}/{s[3]:.0f})")
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
