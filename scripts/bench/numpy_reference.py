#!/usr/bin/env python3
"""A vectorised numpy reference for `hnb sweep`: the same Monte Carlo, written from docs/MODEL.md.

It projects the caseload, prices it and runs the DSG reserve for every draw of a scenario's
uncertain inputs, as `hnb sweep` does, with the draws as the leading axis of every array
(numpy + OpenBLAS: the transitions are one batched matrix product per year over all draws and
ages), and reduces each draw to the sweep's metrics and their percentiles. `hnb bench
--vs-numpy` (or `make bench-numpy`) runs it beside `hnb sweep` and prints both times.

Input: the JSON file `hnb bench --vs-numpy` writes (`--inputs`): the scenario's resolved
inputs (the arrays of hnb's `Scenario`: baseline, population, rates, matrices, mix, places,
prices, income) and its uncertainty section, plus the figures of hnb's deterministic run of the
same scenario. Reading the YAML and CSV files is hnb's part; everything after is done here.

Random numbers are numpy's (PCG64), not hnb's Philox streams, so a draw here is not hnb's draw
of the same index: the two sweeps agree in distribution, not draw by draw. What is checked
exactly is the model: with `--check` the reference first runs one draw with every uncertain
input at its centre (factors 1, shocks 0, the matrices and mix their means) and compares it
with hnb's deterministic run (total plans at every census; expenditure, income and closing
balance in every financial year) to a relative 1e-9; a difference fails (exit 1).

Supported: scenarios without mitigations and without an assessment pipeline, with other
income lines (`income.other_income`) and the 2026 settlement (`reserve.settlement`: the
stability grant and the local share of the eligible deficit, in each draw's closing balance;
the general-fund pressure after the statutory override is in no metric of the sweep, so it is
not computed); inputs incidence_factor, cessation_factor, top_up_factor, top_up_uplift_shock
and hnb_growth_shock with normal, lognormal, triangular or uniform distributions
(rank-correlated through the Gaussian copula), Dirichlet transition rows and new-plan mix.
Anything else is refused before any work (exit 2, a line naming the feature), and so is any
key of the inputs file this reference does not know: a feature hnb passes that is not
implemented here is never silently left out. A normal or lognormal is truncated at its 1e-12
quantiles by clamping z to +-7.034, as hnb clamps u.
"""

import argparse
import json
import math
import resource
import sys
import time

import numpy as np

ENDING = 5.0 / 12.0  # share of a financial year in the academic year ending (April-August)
STARTING = 7.0 / 12.0  # and in the one starting (September-March)
Z_TAIL = 7.034484  # Phi^-1(1 - 1e-12)
CHECK_TOLERANCE = 1e-9


# The keys of the inputs file this reference implements (`hnb bench --vs-numpy` writes them).
KNOWN_KEYS = {
    "": {
        "ages", "placements", "needs", "horizon", "base_census_year", "mitigations", "pipeline",
        "baseline_plans", "population", "incidence_rate", "new_plan_mix", "cessation_rate", "transition",
        "commissioned_places", "overflow", "price_base_academic_year", "price_base_financial_year", "top_up",
        "place_funding_rate", "place_funding_uplift", "cost_lines", "central_lines", "income",
        "opening_balance", "contributions", "settlement", "placement_group", "group_count", "uncertainty",
        "check",
    },
    "income": {
        "hnb_allocation", "deductions", "import_export_adjustment", "schools_block",
        "schools_block_transfer_percent", "total_dsg", "other_income",
    },
    "settlement": {
        "deficit_year", "figures", "write_off_share", "grant_year", "local_share_year", "override_last_year",
    },
    "uncertainty": {"inputs", "rank_correlation", "transition_concentration", "new_plan_mix_concentration"},
    "input": {"id", "target", "per_year", "placements", "distribution"},
}
TARGETS = {"incidence_factor", "cessation_factor", "top_up_factor", "top_up_uplift_shock", "hnb_growth_shock"}
DISTRIBUTIONS = {"normal", "lognormal", "triangular", "uniform"}


def refuse(message):
    print(f"numpy_reference: not implemented here: {message}", file=sys.stderr)
    sys.exit(2)


def refuse_unknown(what, d):
    unknown = sorted(set(d) - KNOWN_KEYS[what])
    if unknown:
        where = f"in {what} " if what else ""
        refuse(f"the inputs file has {', '.join(unknown)} {where}(a scenario feature this reference does not model)")


def validate(d):
    """Refuses, before any work, every feature of the scenario this reference does not model."""
    refuse_unknown("", d)
    refuse_unknown("income", d["income"])
    if d["mitigations"]:
        refuse(f"mitigations ({', '.join(d['mitigations'])}); the sweep benchmark has none")
    if d["pipeline"] is not None:
        refuse("an assessment pipeline (pipeline:); new plans here are population x incidence")
    if d["settlement"] is not None:
        refuse_unknown("settlement", d["settlement"])
        if not -1 <= d["settlement"]["deficit_year"] < d["horizon"]:
            refuse(f"a settlement deficit date outside the run (financial year {d['settlement']['deficit_year']})")
    spec = d["uncertainty"]
    refuse_unknown("uncertainty", spec)
    for x in spec["inputs"]:
        refuse_unknown("input", x)
        if x["target"] not in TARGETS:
            refuse(f"input {x['id']}: target {x['target']}")
        if x["distribution"]["type"] not in DISTRIBUTIONS:
            refuse(f"input {x['id']}: distribution {x['distribution']['type']}")


class Model:
    """The scenario's resolved inputs as arrays (see hnb's Scenario)."""

    def __init__(self, d):
        self.A, self.P, self.N, self.H = d["ages"], d["placements"], d["needs"], d["horizon"]
        A, P, N, H = self.A, self.P, self.N, self.H
        validate(d)
        self.B = d["base_census_year"]
        # cell = (a*N + n)*P + p  ->  [a, n, p]
        self.baseline = np.array(d["baseline_plans"], dtype=float).reshape(A, N, P)
        self.population = np.array(d["population"], dtype=float)  # [H, A]
        self.incidence = np.array(d["incidence_rate"], dtype=float)  # [H, A]
        self.mix = np.array(d["new_plan_mix"], dtype=float).reshape(A, N, P)
        self.cessation = np.array(d["cessation_rate"], dtype=float)  # [A, P]
        self.transition = np.array(d["transition"], dtype=float).reshape(A - 1, P, P)
        self.places = np.array(d["commissioned_places"], dtype=float)  # [H+1, P]
        self.overflow = [None if o is None else np.array(o, dtype=float) for o in d["overflow"]]
        # Top-ups uplifted by their cost line, by census t (academic year starting B+t-1).
        top_up = np.array(d["top_up"], dtype=float).reshape(N, P)
        years = np.arange(H + 1) + self.B - 1 - d["price_base_academic_year"]
        self.top_up = np.zeros((H + 1, N, P))
        self.place_funding = np.zeros(H + 1)  # place funding of every cost line, by census
        rate_uplift = (1 + d["place_funding_uplift"]) ** years
        rates = np.array(d["place_funding_rate"], dtype=float)
        for line in d["cost_lines"]:
            uplift = (1 + line["uplift"]) ** years
            for p in line["placements"]:
                self.top_up[:, :, p] = top_up[None, :, p] * uplift[:, None]
                self.place_funding += self.places[:, p] * rates[p] * rate_uplift
        fy = np.arange(H) + self.B - d["price_base_financial_year"]
        self.central = sum(c["gbp"] * (1 + c["uplift"]) ** fy for c in d["central_lines"]) + np.zeros(H)
        inc = d["income"]
        self.hnb = np.array(inc["hnb_allocation"], dtype=float)
        self.other_income = (
            -np.array(inc["deductions"], dtype=float)
            + np.array(inc["import_export_adjustment"], dtype=float)
            + np.array(inc["schools_block"], dtype=float) * np.array(inc["schools_block_transfer_percent"]) / 100
        )
        for line in inc["other_income"]:  # income.other_income: each line's gbp by financial year
            self.other_income = self.other_income + np.array(line, dtype=float)
        self.total_dsg = np.array(inc["total_dsg"], dtype=float)
        self.opening = d["opening_balance"]
        self.contributions = np.array(d["contributions"], dtype=float)
        self.settlement = d["settlement"]
        self.groups = np.array(d["placement_group"], dtype=int)  # group index of each placement
        self.group_count = d["group_count"]
        self.uncertainty = d["uncertainty"]
        self.check = d["check"]


def phi(z):
    return 0.5 * np.frompyfunc(math.erfc, 1, 1)(-np.asarray(z) / math.sqrt(2)).astype(float)


def quantile_from_z(dist, z):
    """F^-1(Phi(z)) for the input's distribution."""
    kind = dist["type"]
    if kind == "normal":
        return dist["mean"] + dist["sd"] * np.clip(z, -Z_TAIL, Z_TAIL)
    if kind == "lognormal":
        return dist["median"] * np.exp(dist["sd_log"] * np.clip(z, -Z_TAIL, Z_TAIL))
    u = phi(z)
    if kind == "uniform":
        return dist["min"] + (dist["max"] - dist["min"]) * u
    if kind == "triangular":
        a, c, b = dist["min"], dist["mode"], dist["max"]
        cut = (c - a) / (b - a)
        low = a + np.sqrt(u * (b - a) * (c - a))
        high = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.clip(np.where(u < cut, low, high), a, b)
    refuse(f"distribution {kind} is not supported")


def draw_inputs(m, D, rng, centre=False):
    """Each draw's factors and shocks, [D, H] each, and its matrices and mix."""
    H, P, N, A = m.H, m.P, m.N, m.A
    spec = m.uncertainty
    inputs = spec["inputs"]
    k = len(inputs)
    z = np.zeros((D, k, H)) if centre else rng.standard_normal((D, k, H))
    for i, x in enumerate(inputs):
        if not x["per_year"]:
            z[:, i, :] = z[:, i, :1]
    rho = np.array(spec["rank_correlation"], dtype=float)
    if k and rho.shape == (k, k) and np.any(rho - np.eye(k)):
        pearson = 2 * np.sin(np.pi * rho / 6)
        np.fill_diagonal(pearson, 1)
        L = np.linalg.cholesky(pearson)
        z = np.einsum("ij,djh->dih", L, z)
    incidence = np.ones((D, H))
    cessation = np.ones((D, H))
    top_up = np.ones((D, H + 1, P))  # factor on top-ups by census t and placement
    growth = np.ones((D, H))  # factor on the HNB allocation by financial year
    for i, x in enumerate(inputs):
        target = x["target"]
        if centre:
            v = np.full((D, H), 0.0 if target in ("top_up_uplift_shock", "hnb_growth_shock") else 1.0)
        else:
            v = quantile_from_z(x["distribution"], z[:, i, :])
        if target == "incidence_factor":
            incidence *= v
        elif target == "cessation_factor":
            cessation *= v
        elif target == "top_up_factor":
            top_up[:, :, x["placements"]] *= v[:, :1, None]
        elif target == "top_up_uplift_shock":
            # topUp[t] *= prod_{s=1..t} (1 + d_{s-1}); t = 0 unchanged
            cumulative = np.concatenate([np.ones((D, 1)), np.cumprod(1 + v, axis=1)], axis=1)
            top_up[:, :, x["placements"]] *= cumulative[:, :, None]
        elif target == "hnb_growth_shock":
            # hnb(f) *= prod_{s=1..f} (1 + d_s)
            cumulative = np.concatenate([np.ones((D, 1)), np.cumprod(1 + v[:, 1:], axis=1)], axis=1)
            growth *= cumulative
        else:
            refuse(f"input target {target} is not supported")
    transition = np.broadcast_to(m.transition, (D, A - 1, P, P))
    if spec["transition_concentration"] is not None and not centre:
        transition = dirichlet(rng, spec["transition_concentration"] * m.transition.reshape(-1, P), D)
        transition = transition.reshape(D, A - 1, P, P)
    mix = np.broadcast_to(m.mix, (D, A, N, P))
    if spec["new_plan_mix_concentration"] is not None and not centre:
        mix = dirichlet(rng, spec["new_plan_mix_concentration"] * m.mix.reshape(A, N * P), D).reshape(D, A, N, P)
    return incidence, cessation, top_up, growth, transition, mix


def dirichlet(rng, alpha, D):
    """Rows of Dirichlet(alpha) for every draw: the zeros of alpha stay zero. [D, rows, cols]."""
    rows, cols = alpha.shape
    flat = alpha.reshape(-1)
    nonzero = np.flatnonzero(flat)
    gammas = rng.standard_gamma(flat[nonzero], size=(D, nonzero.size))
    row_of = nonzero // cols
    starts = np.flatnonzero(np.r_[True, row_of[1:] != row_of[:-1]])
    sums = np.add.reduceat(gammas, starts, axis=1)
    counts = np.diff(np.r_[starts, nonzero.size])
    out = np.zeros((D, rows * cols))
    out[:, nonzero] = gammas / np.repeat(sums, counts, axis=1)
    return out.reshape(D, rows, cols)


def project(m, incidence, cessation, transition, mix):
    """Occupancy [D, H+1, N, P] of every draw (docs/MODEL.md, "One year's step")."""
    A, P, N, H = m.A, m.P, m.N, m.H
    D = incidence.shape[0]
    x = np.broadcast_to(m.baseline, (D, A, N, P)).copy()
    occupancy = np.empty((D, H + 1, N, P))
    occupancy[:, 0] = x.sum(axis=1)
    rate = m.cessation[: A - 1]  # [A-1, P]; every plan ends before 26
    limited = [p for p in range(P) if m.overflow[p] is not None]
    for t in range(1, H + 1):
        y = t - 1
        survival = 1 - np.minimum(1, rate[None] * cessation[:, y, None, None])  # [D, A-1, P]
        kept = x[:, : A - 1] * survival[:, :, None, :]
        nxt = np.empty_like(x)
        nxt[:, 0] = 0
        np.matmul(kept, transition, out=nxt[:, 1:])  # [D, A-1, N, P] @ [D, A-1, P, P]
        count = m.population[y] * m.incidence[y]  # [A]
        nxt += (count[None, :, None, None] * mix) * incidence[:, y, None, None, None]
        for p in limited:
            demand = nxt[:, :, :, p].sum(axis=(1, 2))
            capacity = m.places[t, p]
            release = np.where((demand > capacity) & (demand > 0), 1 - capacity / np.where(demand > 0, demand, 1), 0)
            excess = nxt[:, :, :, p] * release[:, None, None]
            nxt[:, :, :, p] -= excess
            for q in np.flatnonzero(m.overflow[p] > 0):
                nxt[:, :, :, q] += excess * m.overflow[p][q]
        x = nxt
        occupancy[:, t] = x.sum(axis=1)
    return occupancy


def metrics(m, occupancy, top_up_factor, growth):
    """Each draw's metrics by financial year: [D, metric, H] (the sweep's metric order)."""
    H = m.H
    D = occupancy.shape[0]
    academic = np.einsum("dtnp,tnp,dtp->dt", occupancy, m.top_up, top_up_factor) + m.place_funding[None]
    expenditure = ENDING * academic[:, :H] + STARTING * academic[:, 1:] + m.central[None]
    income = m.hnb[None] * growth + m.other_income[None]
    in_year = income - expenditure
    closing = m.opening + np.cumsum(in_year + m.contributions[None], axis=1)
    if m.settlement is not None:
        closing = closing + settlement(m.settlement, m.opening, closing)
    deficit = np.maximum(0, -closing) / m.total_dsg[None] * 100
    by_placement = occupancy[:, 1:].sum(axis=2)  # [D, H, P]
    by_group = np.zeros((D, m.group_count, H))
    for p in range(m.P):
        by_group[:, m.groups[p]] += by_placement[:, :, p]
    total = by_placement.sum(axis=2)
    return np.concatenate(
        [total[:, None], by_group, np.stack([expenditure, income, in_year, closing, deficit], axis=1)], axis=1
    )


def settlement(s, opening, closing):
    """The 2026 settlement's grant and local share received to date, [D, H], from each draw's
    closing balances before them (docs/MODEL.md, "The 2026 settlement")."""
    D, H = closing.shape
    d = s["deficit_year"]
    # The balance at the deficit date (31 March of year d; the opening balance's for d = -1):
    # the grant and local share come after it, so it is the closing balance without them.
    at_date = np.full(D, float(opening)) if d == -1 else closing[:, d]
    figures = s["figures"]
    eligible = np.full(D, float(min(figures))) if figures else np.maximum(0, -at_date)
    f = np.arange(H)
    w = s["write_off_share"]
    # grant(f) = w * eligible in year g, localShare(f) = (1 - w) * eligible in year l (none when null)
    grant = w * (f == s["grant_year"]) if s["grant_year"] is not None else np.zeros(H)
    local = (1 - w) * (f == s["local_share_year"]) if s["local_share_year"] is not None else np.zeros(H)
    return np.cumsum(eligible[:, None] * (grant + local)[None], axis=1)


def run_check(m):
    """One draw at the centre of every input against hnb's deterministic run; the largest
    relative difference (raises SystemExit on failure)."""
    inc, ces, top, growth, transition, mix = draw_inputs(m, 1, None, centre=True)
    occupancy = project(m, inc, ces, transition, mix)
    rows = metrics(m, occupancy, top, growth)[0]
    H = m.H
    G = m.group_count
    ours = {
        "total_plans": occupancy[0].sum(axis=(1, 2)),
        "expenditure": rows[1 + G],
        "income": rows[2 + G],
        "closing": rows[4 + G],
    }
    worst = 0.0
    for key, theirs in m.check.items():
        theirs = np.array(theirs, dtype=float)
        if theirs.shape != ours[key].shape:
            print(f"check failed: {key} has {ours[key].shape} values here, {theirs.shape} in hnb's run")
            sys.exit(1)
        relative = np.abs(ours[key] - theirs) / np.maximum(1, np.abs(theirs))
        worst = max(worst, float(relative.max()))
        if relative.max() > CHECK_TOLERANCE:
            i = int(relative.argmax())
            print(f"check failed: {key}[{i}] is {ours[key][i]!r} here, {theirs[i]!r} in hnb's deterministic run")
            sys.exit(1)
    print(
        f"check                 passed: the centre draw equals hnb's deterministic run (total plans at {H + 1} "
        f"censuses, expenditure, income and closing balance in {H} years) to {worst:.1e} relative "
        f"(tolerance {CHECK_TOLERANCE:g})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True, help="the JSON file hnb bench --vs-numpy writes")
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=1000, help="draws advanced together (memory against speed)")
    parser.add_argument("--check", action="store_true", help="first compare the centre draw with hnb's run")
    args = parser.parse_args()
    with open(args.inputs) as f:
        m = Model(json.load(f))
    if args.check:
        run_check(m)
    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    rows = []
    for first in range(0, args.draws, args.chunk):
        D = min(args.chunk, args.draws - first)
        inc, ces, top, growth, transition, mix = draw_inputs(m, D, rng)
        rows.append(metrics(m, project(m, inc, ces, transition, mix), top, growth))
    rows = np.concatenate(rows)
    # The sweep's summary: mean, sd and percentiles (type 7) of every metric and year, and the
    # share of draws with a deficit above 1% of the DSG.
    mean = rows.mean(axis=0)
    sd = rows.std(axis=0, ddof=1)
    quantiles = np.percentile(rows, [5, 10, 25, 50, 75, 90, 95], axis=0)
    exceedance = (rows[:, -1] > 1).mean(axis=0)
    seconds = time.perf_counter() - start
    closing = quantiles[[1, 3, 5], -2, -1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"draws                 {rows.shape[0]} ({args.chunk} at a time), numpy {np.__version__}")
    print(f"Monte Carlo time      {seconds:.3f} s (after imports and reading the inputs); peak RSS {peak:.0f} MB")
    print(
        f"closing balance {m.B + m.H - 1}-{str(m.B + m.H)[-2:]}  p10 {closing[0] / 1e6:.2f}m, "
        f"p50 {closing[1] / 1e6:.2f}m, p90 {closing[2] / 1e6:.2f}m gbp "
        f"(mean {mean[-2, -1] / 1e6:.2f}m, sd {sd[-2, -1] / 1e6:.2f}m; "
        f"P(deficit > 1% of DSG) {exceedance[-1]:.3f})"
    )


if __name__ == "__main__":
    main()
