#!/usr/bin/env python3
"""Compares a seeded sweep's headline percentiles with the committed expectation (make test).

usage: check_sweep.py check|update EXPECTATION.csv PERCENTILES.csv

Headline: p10, p50 and p90 of total_plans and cumulative_balance in the last projected year of
each scenario. A value fails when it moves from the expectation by more than the row's
tolerance: 0.5% of |p50| of the expectation, and never less than 5 plans or £100,000. `update`
rewrites the expectation from the sweep (a deliberate, reviewed step: see the README).
Standard library only.
"""
import csv
import sys

METRICS = ["total_plans", "cumulative_balance"]
PERCENTILES = ["p10", "p50", "p90"]
RELATIVE = 0.005
FLOOR = {"total_plans": 5.0, "cumulative_balance": 100_000.0}


def headline(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    last = {}
    for r in rows:
        last[r["scenario"]] = max(last.get(r["scenario"], r["year"]), r["year"])
    out = []
    for r in rows:
        if r["metric"] in METRICS and r["year"] == last[r["scenario"]]:
            out.append(r)
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("check", "update"):
        sys.exit(__doc__)
    mode, expectation, percentiles = sys.argv[1:]
    rows = headline(percentiles)
    if mode == "update":
        with open(expectation, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["metric", "scenario", "year"] + PERCENTILES + ["tolerance"])
            for r in rows:
                tol = max(RELATIVE * abs(float(r["p50"])), FLOOR[r["metric"]])
                w.writerow([r["metric"], r["scenario"], r["year"]] + [r[p] for p in PERCENTILES] + [f"{tol:.2f}"])
        print(f"wrote {len(rows)} rows to {expectation}; review the change before committing it")
        return
    got = {(r["metric"], r["scenario"], r["year"]): r for r in rows}
    with open(expectation, newline="") as f:
        expected = list(csv.DictReader(f))
    failures = []
    for e in expected:
        key = (e["metric"], e["scenario"], e["year"])
        r = got.pop(key, None)
        if r is None:
            failures.append(f"{'/'.join(key)}: missing from the sweep")
            continue
        tol = float(e["tolerance"])
        for p in PERCENTILES:
            diff = float(r[p]) - float(e[p])
            if abs(diff) > tol:
                failures.append(f"{'/'.join(key)} {p}: {r[p]} against {e[p]} expected (moved {diff:+.2f}, tolerance {tol:.2f})")
    for key in got:
        failures.append(f"{'/'.join(key)}: in the sweep but not in {expectation}")
    if failures:
        print("sweep check FAILED: headline percentiles moved beyond tolerance:", file=sys.stderr)
        for line in failures:
            print("  " + line, file=sys.stderr)
        print("if the change is intended, run `make update-expectations` and commit the reviewed file", file=sys.stderr)
        sys.exit(1)
    print(f"sweep check passed: {len(expected) * len(PERCENTILES)} headline percentiles within tolerance")


if __name__ == "__main__":
    main()
