"""The selection study for age bands and placement groups (docs/CALIBRATION.md, "Age bands
and placement groups").

Compares the trend fitted to each level on its own (the method when the study was made, now the
`level_trend` candidate that `hnb backtest` writes to candidates.csv) with top-down candidates
that take the trend's forecast of the total and split it by the level's share of the total
(`share_last` became the method), and with an in-window menu of `share_last` or last value, on the
*selection* origins 2012-2018 only (it refuses backtests with later origins; origin 2011 only
supplies the total's forecasts to the in-window scoring of the menu candidate). Everything a
candidate uses was known at its origin: the level's censuses up to it and the trend's forecast
of the total made there.

    hnb backtest --history Calibration/data/england_history_detail.csv --fit-through 2011-2018 \\
      --horizon 3 --out out/sel-england          # and the same for sutton
    python3 scripts/calibration/select_level_method.py out/sel-england out/sel-sutton
"""
import csv
import math
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "Calibration" / "data"
FIRST_SELECTION_ORIGIN, LAST_SELECTION_ORIGIN = 2012, 2018


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def levels_of(name):
    """{level: {year: plans}} from the detail history (a level's gap years are absent)."""
    out = {}
    for r in read(DATA / f"{name}_history_detail.csv"):
        if r["age"] == "total" and r["placement"] == "total":
            level = "total"
        elif r["placement"] == "total":
            level = f"age:{r['age']}"
        else:
            level = f"placement:{r['placement']}"
        out.setdefault(level, {})[int(r["year"])] = float(r["plans"])
    return out


def share_candidates(series, total, origin, h):
    """Shares of the total for the forecast `h` years after `origin`, by candidate."""
    known = [y for y in sorted(series) if y <= origin]
    shares = [series[y] / total[y] for y in known]
    drift = (shares[-1] - shares[-4]) / (known[-1] - known[-4]) if len(shares) >= 4 else 0.0
    step = origin + h - known[-1]
    return {
        "share_last": shares[-1],
        "share_mean3": mean(shares[-3:]),
        "share_drift3": max(0.0, shares[-1] + drift * step),
    }


def menu_share(series, total, total_forecast, origin, h):
    """The in-window choice, for one level at one origin, between share_last and last value.

    Every inner origin `o` before `origin` with a total forecast and a level census scores both
    on the level's censuses up to `origin` (mean squared log error, horizons 1-3); the lower
    wins (share_last on a tie). Returns the share the winner implies for the forecast, or None
    for last value.
    """
    known = [y for y in sorted(series) if y <= origin]
    errors = {"share": [], "last": []}
    for o in known[:-1]:
        for target in known:
            step = target - o
            if not 1 <= step <= 3 or (o, target) not in total_forecast or series[target] <= 0 or series[o] <= 0:
                continue
            share = series[o] / total[o]
            errors["share"].append(math.log(series[target] / (total_forecast[(o, target)] * share)))
            errors["last"].append(math.log(series[target] / series[o]))
    score = {k: mean([e * e for e in v]) for k, v in errors.items()}
    if errors["share"] and score["last"] < score["share"]:
        return None
    return series[known[-1]] / total[known[-1]]


def study(directory, name):
    rows = read(Path(directory) / "backtest.csv")
    if max(int(r["fit_through"]) for r in rows) > LAST_SELECTION_ORIGIN:
        sys.exit(f"{directory}: the selection study may not use origins after {LAST_SELECTION_ORIGIN}")
    baselines = read(Path(directory) / "baselines.csv")
    candidates = read(Path(directory) / "candidates.csv")
    data = levels_of(name)
    total_forecast = {
        (int(r["fit_through"]), int(r["year"])): float(r["forecast_plans"]) for r in rows if r["level"] == "total"
    }
    ape = {}  # (method, level, h) -> [abs pct errors]

    def add(method, level, h, forecast, actual):
        ape.setdefault((method, level, h), []).append(abs(forecast - actual) / actual * 100)

    # Each level's own trend was the method when this study was made; hnb now writes it as the
    # level_trend candidate, and the top-down split (share_last) as the method.
    # Origins before the first selection origin only supply the total's forecasts to the menu's
    # in-window scoring; they are not scored.
    rows = [r for r in rows if r["level"] == "total" or int(r["fit_through"]) >= FIRST_SELECTION_ORIGIN]
    candidates = [r for r in candidates if int(r["fit_through"]) >= FIRST_SELECTION_ORIGIN]
    baselines = [r for r in baselines if int(r["fit_through"]) >= FIRST_SELECTION_ORIGIN]
    for r in candidates:
        if r["candidate"] == "level_trend":
            add("trend (the method)", r["level"], int(r["horizon"]), float(r["forecast_plans"]), float(r["actual_plans"]))
    for r in rows:
        level, origin, year, h = r["level"], int(r["fit_through"]), int(r["year"]), int(r["horizon"])
        if level == "total" or origin < FIRST_SELECTION_ORIGIN:
            continue
        actual = float(r["actual_plans"])
        for label, share in share_candidates(data[level], data["total"], origin, h).items():
            add(label, level, h, total_forecast[(origin, year)] * share, actual)
        share = menu_share(data[level], data["total"], total_forecast, origin, h)
        last = data[level][max(y for y in data[level] if y <= origin)]
        add("menu_share_or_last", level, h, last if share is None else total_forecast[(origin, year)] * share, actual)
    for r in baselines:
        if r["level"] != "total":
            add(r["baseline"], r["level"], int(r["horizon"]), float(r["forecast_plans"]), float(r["actual_plans"]))
    methods = []
    for key in ape:
        if key[0] not in methods:
            methods.append(key[0])
    levels = sorted({key[1] for key in ape}, key=lambda l: (not l.startswith("age"), l))
    print(f"\n{name}: MAPE % h1/h2/h3 by level, origins {FIRST_SELECTION_ORIGIN}-{LAST_SELECTION_ORIGIN}")
    print("  " + f"{'level':36s}" + "".join(f"{m:>30s}" for m in methods))
    for level in levels:
        cells = []
        for m in methods:
            cells.append("/".join(f"{mean(ape.get((m, level, h), [])):.1f}" for h in (1, 2, 3)))
        print("  " + f"{level:36s}" + "".join(f"{c:>30s}" for c in cells))
    def score(m, level):
        return mean([mean(ape[(m, level, h)]) for h in (1, 2, 3) if (m, level, h) in ape])

    print(f"{name}: MAPE % averaged over h1-h3; levels where it is below the method's (then: each level's own")
    print("  trend), below share_last's (the method now) and below every naive baseline's; median over levels")
    naive = ["last_value", "last_growth", "linear_trend"]
    for m in methods:
        scores = [score(m, level) for level in levels]
        below = sum(score(m, level) < score("trend (the method)", level) for level in levels)
        below_share = sum(score(m, level) < score("share_last", level) for level in levels)
        beats = sum(all(score(m, level) < score(b, level) for b in naive if b != m) for level in levels)
        median = sorted(scores)[len(scores) // 2]
        print(
            f"  {m:24s} below the method at {below:2d}/{len(levels)}, below share_last at {below_share:2d}/{len(levels)}, "
            f"below every baseline at {beats:2d}/{len(levels)}, median {median:6.2f}"
        )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    study(sys.argv[1], "england")
    study(sys.argv[2], "sutton")
