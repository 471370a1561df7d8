#!/usr/bin/env python3
"""Choose how `hnb init` carries the pooled growth beyond horizon 3 (docs/CALIBRATION.md,
"Beyond three years"), and report the choice on later origins.

Usage:
    hnb backtest --all --fit-through 2011-2015 --horizon 3 --out out/ext-select
    python3 scripts/init/select_growth_extension.py out/ext-select Data/national/panel.csv
    hnb backtest --all --fit-through 2016-2021 --horizon 3 --out out/ext-report
    python3 scripts/init/select_growth_extension.py out/ext-report Data/national/panel.csv --report PHI

The pooled method (`pooled_shrink`) is calibrated for horizons 1-3: the forecast at horizon h is
`P(O) * exp(g * h)`. Beyond h3 the growth `g` (log points a year, read from the backtest's h3
forecast: `g = log(f3 / P(O)) / 3`) is carried as `g * phi^(h-3)` in year h, so the forecast is
`P(O) * exp(g * (3 + phi + phi^2 + ... + phi^(h-3)))`:

- zero growth after h3 (phi = 0), hold the pooled growth (phi = 1), or damp it with phi
  estimated on the panel (the grid 0.1 ... 0.9).

The rule (fixed before any origin after 2015 was scored): for each candidate, origin O in
2011-2015 and horizon h in 4-10 (so O + h <= 2025), the median over LAs of the absolute
percentage error; the score is the mean of those cells. The damped phi is the grid value with
the lowest score; the lowest of the three candidates wins, and a candidate whose score is within
2% (relative) of a simpler one's (zero, then hold) loses to it. Selection refuses origins after
2015. `--report PHI` scores the three candidates (zero, hold, damped at PHI) on any origins, for
the origins after 2015 (where outcomes to 2025 exist: h4-h9 from 2016, h4 from 2021).
"""

import csv
import math
import statistics
import sys

GRID = [round(0.1 * k, 1) for k in range(11)]
HORIZONS = range(4, 11)
LAST_SELECTION_ORIGIN = 2015


def load_panel(path):
    plans = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["plans"]:
                plans[(row["la_code"], int(row["year"]))] = float(row["plans"])
    return plans


def load_growths(folder):
    """(la, origin) -> (plans at origin, pooled growth g) from the pooled_shrink h3 rows."""
    out = {}
    with open(folder + "/panel_errors.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["method"] != "pooled_shrink" or row["horizon"] != "3":
                continue
            p0 = float(row["plans_at_origin"])
            f3 = float(row["forecast_plans"])
            if p0 > 0 and f3 > 0:
                out[(row["la_code"], int(row["fit_through"]))] = (p0, math.log(f3 / p0) / 3)
    return out


def cells(growths, plans, phi):
    """(origin, h) -> median APE (%) over LAs of the extension with phi."""
    errors = {}
    for (la, origin), (p0, g) in growths.items():
        for h in HORIZONS:
            actual = plans.get((la, origin + h))
            if not actual:
                continue
            steps = 3 + sum(phi**j for j in range(1, h - 2))
            forecast = p0 * math.exp(g * steps)
            errors.setdefault((origin, h), []).append(abs(forecast - actual) / actual * 100)
    return {k: statistics.median(v) for k, v in errors.items()}, {k: len(v) for k, v in errors.items()}


def score(growths, plans, phi):
    medians, _ = cells(growths, plans, phi)
    return sum(medians.values()) / len(medians) if medians else float("nan")


def table(growths, plans, candidates):
    first = cells(growths, plans, candidates[0][1])
    keys = sorted(first[0])
    print("| origin | h | LAs | " + " | ".join(f"{name} (phi={phi})" for name, phi in candidates) + " |")
    print("|---|---|---|" + "---|" * len(candidates))
    per = [cells(growths, plans, phi)[0] for _, phi in candidates]
    for key in keys:
        values = " | ".join(f"{m[key]:.2f}" for m in per)
        print(f"| {key[0]} | {key[1]} | {first[1][key]} | {values} |")
    means = " | ".join(f"**{sum(m.values()) / len(m):.2f}**" for m in per)
    print(f"| mean | | | {means} |")


def main(argv):
    if len(argv) not in (3, 5):
        sys.exit(__doc__)
    growths = load_growths(argv[1])
    plans = load_panel(argv[2])
    origins = sorted({o for _, o in growths})
    if len(argv) == 5:
        phi = float(argv[4])
        print(f"Origins {origins[0]}-{origins[-1]}: median APE (%) over LAs of the extension beyond h3")
        table(growths, plans, [("zero", 0.0), ("hold", 1.0), ("damped", phi)])
        return
    if origins[-1] > LAST_SELECTION_ORIGIN:
        sys.exit(f"refused: the backtest has origins after {LAST_SELECTION_ORIGIN} (the rule sees 2011-2015 only)")
    scores = {phi: score(growths, plans, phi) for phi in GRID}
    print(f"Selection origins {origins[0]}-{origins[-1]}, horizons 4-10: mean over cells of the median APE (%)")
    for phi in GRID:
        print(f"  phi = {phi:.1f}: {scores[phi]:.3f}")
    damped = min(GRID[1:-1], key=lambda p: (scores[p], p))
    candidates = [("zero", 0.0), ("hold", 1.0), ("damped", damped)]
    chosen = candidates[0]
    for name, phi in candidates[1:]:
        if scores[phi] < scores[chosen[1]] * 0.98:
            chosen = (name, phi)
    table(growths, plans, candidates)
    print(f"chosen: {chosen[0]} (phi = {chosen[1]}, score {scores[chosen[1]]:.3f})")


if __name__ == "__main__":
    main(sys.argv)
