"""The selection study behind the backtest method (docs/CALIBRATION.md, "Choosing the method").

Scores candidate point forecasts and interval rules for the England and Sutton totals on the
*selection* origins only (2012-2018, horizon 3); it refuses later origins, so the reported
origins (2019-2024) cannot inform the choice. Every candidate uses only what was known at its
origin: censuses up to the origin and new plans up to the calendar year before it.

    python3 scripts/calibration/select_method.py            # prints the tables in the docs
"""
import csv
import math
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "Calibration" / "data"
H = 3
Z90 = 1.2815515655446004
BREAKS = {2015, 2016, 2017, 2018, 2023}
ORIGINS = range(2012, 2019)
if max(ORIGINS) > 2018:
    sys.exit("the selection study may not use origins after 2018")


def load(name):
    history = {int(r["year"]): float(r["plans"]) for r in csv.DictReader(open(DATA / f"{name}_history.csv"))}
    new = {int(r["year"]): float(r["plans_new"]) for r in csv.DictReader(open(DATA / f"{name}_new_plans.csv"))}
    return history, new


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def ew_growth(logs, decay):
    w, s, t = 1.0, 0.0, 0.0
    for k in range(len(logs) - 1, 0, -1):
        s += w * (logs[k] - logs[k - 1])
        t += w
        w *= decay
    return s / t if t else 0.0


LOG_FLOOR = 0.5  # TrendFit.logFloor: an empty level still has a logarithm


def trend(ys, decay):
    logs = [math.log(max(y, LOG_FLOOR)) for y in ys]
    g = ew_growth(logs, decay)
    return [math.exp(logs[-1] + g * h) for h in range(1, H + 1)]


def damped(ys, phi):
    logs = [math.log(y) for y in ys]
    g = ew_growth(logs, 0)
    out, acc = [], 0.0
    for h in range(1, H + 1):
        acc += phi**h
        out.append(math.exp(logs[-1] + g * acc))
    return out


def stock_flow(years, ys, new, window, decay):
    stock = dict(zip(years, ys))
    rates = [1 - (stock[t + 1] - new[t]) / stock[t] for t in years[:-1] if t in new]
    if len(rates) < 2:
        raise ValueError
    leave = mean(rates[-window:])
    logs = [math.log(new[t]) for t in years if t in new and t <= years[-1] - 1]
    g = ew_growth(logs, decay)
    s, out = ys[-1], []
    for h in range(1, H + 1):
        s = s * (1 - leave) + math.exp(logs[-1] + g * h)
        out.append(s)
    return out


def in_window(forecaster, candidates, years, ys, skip_breaks=False):
    """The candidate with the smallest mean squared in-window log error."""
    best = None
    for c in candidates:
        errors = []
        for o in range(2, len(years) - 1):
            try:
                f = forecaster(years[: o + 1], ys[: o + 1], c)
            except ValueError:
                continue
            for h in range(1, H + 1):
                if o + h < len(years) and not (skip_breaks and years[o + h] in BREAKS):
                    errors.append(math.log(ys[o + h] / f[h - 1]))
        score = mean([e * e for e in errors]) if errors else 0.0
        if best is None or score < best[0] - 1e-15:
            best = (score, c)
    return best[1]


def candidates(new):
    decays = [0, 0.2, 0.4, 0.6, 0.8]
    flows = [(m, d) for m in (1, 2, 3) for d in (0, 0.5, 0.8)]

    def trend_sel(yr, ys):
        return trend(ys, in_window(lambda a, b, c: trend(b, c), decays, yr, ys))

    def flow_sel(yr, ys):
        c = in_window(lambda a, b, c: stock_flow(a, b, new, *c), flows, yr, ys)
        return stock_flow(yr, ys, new, *c)

    def menu(yr, ys, skip=False):
        options = [("t", d) for d in decays] + [("f", f) for f in flows]

        def run(a, b, c):
            return trend(b, c[1]) if c[0] == "t" else stock_flow(a, b, new, *c[1])

        return run(yr, ys, in_window(run, options, yr, ys, skip))

    return {
        "trend (in-window decay; the method)": trend_sel,
        "last_growth": lambda yr, ys: trend(ys, 0),
        "damped trend (in-window phi)": lambda yr, ys: damped(
            ys, in_window(lambda a, b, c: damped(b, c), [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], yr, ys)
        ),
        "stock_flow (in-window m, decay)": flow_sel,
        "stock_flow m=1, decay 0.5": lambda yr, ys: stock_flow(yr, ys, new, 1, 0.5),
        "mean of trend and stock_flow": lambda yr, ys: [(a + b) / 2 for a, b in zip(trend_sel(yr, ys), flow_sel(yr, ys))],
        "in-window menu (trend or stock_flow)": menu,
        "in-window menu, break targets skipped": lambda yr, ys: menu(yr, ys, True),
    }


def interval_sd(years, logs, rule):
    """Log-scale sd by horizon for the method's in-window errors under an interval rule."""
    decays = [0, 0.2, 0.4, 0.6, 0.8]
    best = None
    for d in decays:
        errs = []
        for o in range(1, len(years) - 1):
            g = ew_growth(logs[: o + 1], d)
            for k in range(o + 1, len(years)):
                h = years[k] - years[o]
                if h > H:
                    break
                errs.append((years[k], h, logs[k] - (logs[o] + g * h)))
        score = mean([e[2] ** 2 for e in errs]) if errs else 0.0
        if best is None or score < best[0] - 1e-15:
            best = (score, errs)
    errs = best[1]
    if rule.get("skip"):
        errs = [e for e in errs if e[0] not in BREAKS]
    if rule.get("pool"):
        norm = [e[2] / e[1] for e in errs]
        if not norm:
            return None
        if rule.get("quantile"):
            s1 = sorted(abs(x) for x in norm)[min(len(norm) - 1, math.ceil(0.8 * (len(norm) + 1)) - 1)] / Z90
        else:
            s1 = math.sqrt(mean([x * x for x in norm]))
        return [s1 * h for h in range(1, H + 1)]
    by_h = [[e[2] for e in errs if e[1] == h] for h in range(1, H + 1)]
    if not by_h[0]:
        return None
    s1 = math.sqrt(mean([x * x for x in by_h[0]]))
    return [math.sqrt(mean([x * x for x in v])) if len(v) >= 2 else s1 * h for h, v in zip(range(1, H + 1), by_h)]


RULES = {
    "RMS of in-window errors by horizon (the method)": {},
    "same, break-year targets left out": {"skip": True},
    "pooled over horizons, scaled by h": {"pool": True},
    "pooled, break years left out": {"skip": True, "pool": True},
    "conformal 80% quantile, pooled, scaled by h": {"pool": True, "quantile": True},
    "conformal, break years left out": {"skip": True, "pool": True, "quantile": True},
}

def main():
    for name in ("england", "sutton"):
        history, new = load(name)
        print(f"\n{name}: MAPE % at h1 h2 h3 (mean), origins {min(ORIGINS)}-{max(ORIGINS)}")
        for label, f in candidates(new).items():
            ape = [[] for _ in range(H)]
            for o in ORIGINS:
                yr = [y for y in sorted(history) if y <= o]
                fc = f(yr, [history[y] for y in yr])
                for k in range(H):
                    if o + k + 1 in history:
                        ape[k].append(abs(fc[k] - history[o + k + 1]) / history[o + k + 1] * 100)
            print(f"  {label:40s}" + " ".join(f"{mean(a):6.2f}" for a in ape) + f"  ({mean([mean(a) for a in ape]):.2f})")
        print(f"{name}: p10-p90 coverage of the method's forecasts: all targets | non-break targets")
        for label, rule in RULES.items():
            cover, cover_nb = [], []
            for o in ORIGINS:
                yr = [y for y in sorted(history) if y <= o]
                logs = [math.log(history[y]) for y in yr]
                sd = interval_sd(yr, logs, rule)
                d = in_window(lambda a, b, c: trend(b, c), [0, 0.2, 0.4, 0.6, 0.8], yr, [history[y] for y in yr])
                g = ew_growth(logs, d)
                for h in range(1, H + 1):
                    if o + h in history and sd:
                        inside = abs(math.log(history[o + h]) - (logs[-1] + g * h)) <= Z90 * sd[h - 1]
                        cover.append(inside)
                        if o + h not in BREAKS:
                            cover_nb.append(inside)
            print(
                f"  {label:48s} {100 * mean(cover):5.1f}% ({sum(cover)}/{len(cover)}) | "
                f"{100 * mean(cover_nb):5.1f}% ({sum(cover_nb)}/{len(cover_nb)})"
            )


if __name__ == "__main__":
    main()
