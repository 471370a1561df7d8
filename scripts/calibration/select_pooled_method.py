#!/usr/bin/env python3
"""Apply the pooled method's selection rule (docs/CALIBRATION.md, "The rule") to a panel backtest.

Usage:
    hnb backtest --all --fit-through 2011-2018 --horizon 3 --out out/sel-panel
    python3 scripts/calibration/select_pooled_method.py out/sel-panel

Reads `panel_errors.csv` and refuses a backtest with any origin after 2018: the rule may only see
the selection origins. Scores origins 2012-2018 (origin 2011 supplies earlier errors to the
interval rules below).

1. For each candidate (simplest first: pooled_shrink, pooled_region, pooled_stock_flow,
   pooled_average; then the candidates by age band added in stop 22, after the first menu's
   reported origins had been seen: pooled_age, pooled_cohort, pooled_cohort_average), origin 2012-2018 and horizon 1-3: the median over LAs of the absolute
   percentage error over last_growth's median in the same cell; the score is the mean of the 21
   ratios. Lowest wins; within 0.01 of a simpler candidate, the simpler wins.
2. The chosen method's interval rule, `intervalOrigins` 3 or every earlier origin: the rule of
   `PanelBacktest.interval` is recomputed here from the errors of earlier origins' rows
   (sigma(P)^2 = a + b/P by least squares, kept non-negative; the 10th and 90th percentiles of
   the standardised errors; at least 20 errors, else horizon 1's rule scaled by h), and the one
   whose coverage over the selection origins is closer to 80% wins (3 on a tie). The recomputed
   coverage of the 3-origin rule must equal the backtest's own (a check that this script
   reproduces the Swift rule).
"""

import csv
import math
import os
import statistics
import sys

CANDIDATES = ["pooled_shrink", "pooled_region", "pooled_stock_flow", "pooled_average",
              # added in stop 22 (by age band), after the first menu's reported origins were seen
              "pooled_age", "pooled_cohort", "pooled_cohort_average"]
ORIGINS = range(2012, 2019)
HORIZONS = (1, 2, 3)
MINIMUM_ERRORS = 20


def quantile(xs, p):
    h = (len(xs) - 1) * p
    lo = int(math.floor(h))
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def rule(errors):
    if len(errors) < MINIMUM_ERRORS:
        return None
    n = float(len(errors))
    sx = sum(1 / s for _, s in errors)
    sy = sum(e * e for e, _ in errors)
    sxx = sum(1 / (s * s) for _, s in errors)
    sxy = sum(e * e / s for e, s in errors)
    det = n * sxx - sx * sx
    a, b = ((sy * sxx - sx * sxy) / det, (n * sxy - sx * sy) / det) if det > 0 else (sy / n, 0.0)
    if a < 0:
        a, b = 0.0, sxy / sxx
    if b < 0:
        a, b = sy / n, 0.0
    if a + b <= 0:
        return None
    z = sorted(e / math.sqrt(a + b / s) for e, s in errors)
    return a, b, quantile(z, 0.1), quantile(z, 0.9)


def coverage(rows, method, window):
    """Coverage over the selection origins of `method` with intervals from `window` earlier origins."""
    by = {}
    for r in rows:
        if r["method"] == method:
            by.setdefault((int(r["fit_through"]), int(r["horizon"])), []).append(r)
    inside = total = 0
    for origin in ORIGINS:
        rules = {}
        for h in HORIZONS:
            errors = []
            for t in range(origin - h, max(origin - h - window, 2010), -1):
                for r in by.get((t, h), []):
                    errors.append((math.log(float(r["actual_plans"]) / float(r["forecast_plans"])),
                                   max(float(r["plans_at_origin"]), 1.0)))
            found = rule(errors)
            rules[h] = (found, h) if found else rules.get(1)
        for h in HORIZONS:
            if rules.get(h) is None:
                continue
            (a, b, q10, q90), from_h = rules[h]
            for r in by.get((origin, h), []):
                size = max(float(r["plans_at_origin"]), 1.0)
                sigma = math.sqrt(a + b / size) * h / from_h
                f = math.log(float(r["forecast_plans"]))
                actual = float(r["actual_plans"])
                # the file's forecasts are rounded to 3 decimals; the test is on the log scale
                total += 1
                inside += math.exp(f + q10 * sigma) <= actual <= math.exp(f + q90 * sigma)
    return inside, total


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = os.path.join(sys.argv[1], "panel_errors.csv")
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    late = sorted({int(r["fit_through"]) for r in rows if int(r["fit_through"]) > 2018})
    if late:
        sys.exit("error: %s has origins after 2018 (%s): the rule may only see the selection origins 2012-2018"
                 % (path, ", ".join(map(str, late))))
    missing = [o for o in range(2011, 2019) if not any(int(r["fit_through"]) == o for r in rows)]
    if missing:
        sys.exit("error: %s lacks origins %s: run --fit-through 2011-2018" % (path, missing))
    cells = {}
    for r in rows:
        o, h = int(r["fit_through"]), int(r["horizon"])
        if o in ORIGINS:
            cells.setdefault((r["method"], o, h), []).append(float(r["abs_pct_error"]))
    med = {k: statistics.median(v) for k, v in cells.items()}
    print("Selection origins 2012-2018: median APE (%) over LAs / last_growth's, mean of the 21 cells;"
          " and mean median APE by horizon")
    print("%-22s %8s %8s %8s %8s" % ("method", "score", "h1", "h2", "h3"))
    scores = {}
    for m in CANDIDATES + ["trend", "last_value", "last_growth", "linear_trend"]:
        ratios = [med[(m, o, h)] / med[("last_growth", o, h)] for o in ORIGINS for h in HORIZONS]
        scores[m] = sum(ratios) / len(ratios)
        by_h = [sum(med[(m, o, h)] for o in ORIGINS) / len(ORIGINS) for h in HORIZONS]
        print("%-22s %8.4f %8.2f %8.2f %8.2f" % (m, scores[m], *by_h))
    chosen = CANDIDATES[0]
    for m in CANDIDATES[1:]:
        if scores[m] < scores[chosen] - 0.01:
            chosen = m
    print("chosen: %s (score %.4f)" % (chosen, scores[chosen]))
    own = [r for r in rows if r["method"] == chosen and int(r["fit_through"]) in ORIGINS and r["inside_p10_p90"]]
    swift = sum(r["inside_p10_p90"] == "true" for r in own), len(own)
    results = {}
    for window, name in ((3, "3"), (100, "every earlier origin")):
        inside, total = coverage(rows, chosen, window)
        results[name] = inside / total
        print("interval rule, intervalOrigins = %s: coverage %.1f%% (%d/%d)" % (name, 100 * inside / total,
                                                                             inside, total))
    print("the backtest's own coverage (PanelBacktest.intervalOrigins as built): %.1f%% (%d/%d)" % (100 * swift[0] / swift[1], *swift))
    window = "3" if abs(results["3"] - 0.8) <= abs(results["every earlier origin"] - 0.8) else "every earlier origin"
    print("interval rule chosen: intervalOrigins = %s" % window)


if __name__ == "__main__":
    main()
