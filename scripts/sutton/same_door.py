#!/usr/bin/env python3
"""Sutton through the same door: the layer's copied inputs, and its comparison with the hand-built baseline.

    python3 scripts/sutton/same_door.py            # copy the hand-built inputs the layer shares
    python3 scripts/sutton/same_door.py --check    # compare the copies with their originals (writes nothing)
    python3 scripts/sutton/same_door.py --compare  # run hnb, print the tables of Scenarios/sutton/README.md
                                                   # ("Through the same door"); writes nothing in the project

`Scenarios/sutton/same_door/on_national.yaml` extends the folder `hnb init --la sutton` writes
(`same_door/national/`) with Sutton's local evidence. A scenario's CSV paths must lie in its own
folder (docs/SCENARIO.md), so the one hand-built CSV the layer uses, the commissioned places, is a
copy: this script writes it and `--check` (part of `make data-check`) fails when it has drifted from
`Scenarios/sutton/data/places.csv`, which `build_inputs.py` writes.

`--compare` runs the hand-built baseline (`Scenarios/sutton/baseline.yaml`), the generated base and
the layer with a release build of hnb (`--hnb`, default `.build/release/hnb`; build it with
`swift build -c release --product hnb`), then the layer with one group of inputs at a time set back
to the hand-built values (child scenarios that extend the layer, written with copies of the
hand-built CSVs in a temporary copy of `Scenarios/sutton`), and all groups at once, which must give
the hand-built baseline's figures exactly. It prints Markdown tables: plans, expenditure and the
in-year and cumulative balance by year, expenditure by line, and the attribution. Python 3 standard
library only.
"""

import argparse
import csv
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SUTTON = os.path.join(ROOT, "Scenarios", "sutton")
LAYER_DIR = os.path.join(SUTTON, "same_door")

# (copy in the layer's folder, original in Scenarios/sutton), relative to those folders.
COPIES = [("data/places.csv", "data/places.csv")]

AS_OF = "2026-01-15"
FIRST_YEAR, LAST_YEAR = 2025, 2034  # financial years 2025-26 to 2034-35

# Groups of inputs set back to the hand-built values, one at a time: (id, what, YAML body of the
# child, hand-built CSVs it needs). The child extends ../on_national.yaml; CSV paths are the child's.
GROUPS = [
    ("growth", "growth trend of new plans: 0 (new plans held at the 2024 rate) instead of the pooled forecast",
     "caseload:\n  incidence_trend_fraction_per_year: 0\n", []),
    ("incidence", "new plans by age: the assumed age profile scaled to 390 a year, on the flat population spread from s251, instead of SEN2 new plans by age over ONS residents growing 0.93% a year",
     "caseload:\n  incidence: {file: data/incidence.csv}\n  population: {file: data/population_flat.csv}\n"
     "  population_growth_fraction_per_year: 0\n",
     ["data/incidence.csv"]),
    ("new_plan_mix", "placement and need of new plans: the assumed mix instead of the 2025 caseload's reweighted by 2024's new plans",
     "caseload:\n  new_plan_mix: {file: data/new_plan_mix.csv}\n", ["data/new_plan_mix.csv"]),
    ("base_split", "January 2025 caseload by age and need: assumed single-age weights and England's need shares instead of SEN2's age and need tables (placement totals the same)",
     "caseload:\n  baseline: {file: data/baseline_caseload_2025.csv}\n", ["data/baseline_caseload_2025.csv"]),
    ("cessation", "cessation by age: the assumed profile scaled to 160.5 a year instead of SEN2 ceased plans by age",
     "caseload:\n  cessation: {file: data/cessation.csv}\n", ["data/cessation.csv"]),
    ("transitions", "moves at phase transfers (the same file: hnb init's default is Sutton's assumed moves)",
     "caseload:\n  transitions: {file: data/transitions.csv}\n", ["data/transitions.csv"]),
    ("unit_costs", "top-ups and fees (s251 2021-22 per plan at 7.44% a year past uplift, and assumed AP and educated-elsewhere rates) and the independent fee uplift 3.5% instead of 3.94% a year",
     "costs:\n  top_ups: {file: data/top_ups.csv}\n  cost_lines:\n    - id: independent_special\n"
     "      uplift_fraction_per_year: 0.035\n", ["data/top_ups.csv"]),
    ("central_lines", "central lines: the s251 2021-22 lines at x 1.33249 (7.44% a year) instead of x 1.2778, the unitemised spend £5.32m instead of £5.10m",
     "costs:\n  central_lines:\n"
     + "".join("    - {id: %s, gbp: %d}\n" % line for line in [
         ("sen_support", 3_096_174), ("therapies", 4_475_168), ("hospital_education", 354_842),
         ("ap_topups_non_ehcp", 2_984_096), ("early_years_inclusion", 141_910),
         ("other_unitemised", 5_321_826)]), []),
    ("schools_block", "schools block £223.9m (Sutton's trend) instead of £197.3m flat: it only sizes a block transfer, 0 in both",
     "income:\n  schools_block_gbp: 223_892_360\n", []),
]


def fail(message):
    print("same_door.py: " + message, file=sys.stderr)
    sys.exit(1)


def copy_inputs(check):
    """Writes (or, with check, compares) the layer's copies of hand-built CSVs; the number that differ."""
    differ = 0
    for copy, original in COPIES:
        source = os.path.join(SUTTON, original)
        target = os.path.join(LAYER_DIR, copy)
        if check:
            if not os.path.isfile(target) or not filecmp.cmp(source, target, shallow=False):
                print("Scenarios/sutton/same_door/%s differs from Scenarios/sutton/%s: "
                      "run python3 scripts/sutton/same_door.py" % (copy, original))
                differ += 1
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
    if check and differ == 0:
        print("%d copied file(s) in Scenarios/sutton/same_door are identical to the hand-built inputs" % len(COPIES))
    return differ


def run_hnb(hnb, scenarios, out):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    result = subprocess.run([hnb, "run", *scenarios, "--as-of", AS_OF, "--out", out],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        fail("hnb run %s failed (exit %d):\n%s" % (" ".join(scenarios), result.returncode, result.stderr))


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fy(start):
    return "%d-%02d" % (start, (start + 1) % 100)


YEARS = [fy(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]


class Run:
    """The figures of one scenario's hnb run: by financial year, and expenditure by line."""

    def __init__(self, out, scenario):
        kpis = [r for r in read_rows(os.path.join(out, "kpis.csv")) if r["scenario"] == scenario]
        dsg = [r for r in read_rows(os.path.join(out, "dsg.csv")) if r["scenario"] == scenario]
        finance = [r for r in read_rows(os.path.join(out, "finance.csv")) if r["scenario"] == scenario]
        if not kpis:
            fail("%s: no rows for scenario %s" % (out, scenario))
        self.plans = {r["financial_year"]: float(r["total_plans"]) for r in kpis}
        self.in_year = {r["financial_year"]: float(r["in_year_gbp"]) for r in dsg}
        self.closing = {r["financial_year"]: float(r["closing_gbp"]) for r in dsg}
        self.expenditure = {r["financial_year"]: float(r["expenditure_gbp"]) for r in dsg}
        self.lines = {}
        for r in finance:
            if r["section"] == "expenditure":
                self.lines[(r["financial_year"], r["line"])] = float(r["gbp"])


def money(x):
    return "%.1f" % (x / 1e6) if abs(x) >= 0.05e6 or x == 0 else "%.2f" % (x / 1e6)


def signed(x):
    text = money(x)
    return text if text.startswith("-") else "+" + text


def plans_text(x):
    return "{:,.0f}".format(x)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_flat_population(source, target):
    """The hand-built population (one row a census year and age, the same every year) as one row an age.

    The generated base grows its population by a rate, which a population given for every census
    year may not be combined with; the hand-built's is flat, so an age's value with growth 0 is the
    same population in every year.
    """
    by_age = {}
    for r in read_rows(source):
        by_age.setdefault(int(r["age"]), set()).add(r["population"])
    if any(len(values) != 1 for values in by_age.values()):
        fail("%s: the population is not the same in every census year; the swap needs a by-year population" % source)
    with open(target, "w", encoding="utf-8", newline="") as f:
        f.write("age,population\n")
        for age in sorted(by_age):
            f.write("%d,%s\n" % (age, next(iter(by_age[age]))))


def compare(hnb):
    if not os.access(hnb, os.X_OK):
        fail("%s is not an executable hnb: build it with swift build -c release --product hnb, or name it with --hnb" % hnb)
    work = tempfile.mkdtemp(prefix="same-door-")
    try:
        sutton = os.path.join(work, "sutton")
        shutil.copytree(SUTTON, sutton)
        swap = os.path.join(sutton, "same_door", "swap")
        os.makedirs(os.path.join(swap, "data"))
        write_flat_population(os.path.join(sutton, "data", "population.csv"),
                              os.path.join(swap, "data", "population_flat.csv"))
        children = []
        for gid, _, body, files in GROUPS:
            for name in files:
                shutil.copyfile(os.path.join(sutton, name), os.path.join(swap, name))
            path = os.path.join(swap, gid + ".yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write("name: swap-%s\nextends: ../on_national.yaml\n%s" % (gid.replace("_", "-"), body))
            children.append(path)
        # In sequence: the first k groups at once, each in one child (not a child of the group
        # files: each of those carries the layer's values for the keys the others change). The
        # groups set different keys, so their bodies join under each top-level key. The last is
        # every group at once.
        sequence = []
        for k in range(1, len(GROUPS) + 1):
            sections = {}
            for _, _, body, _ in GROUPS[:k]:
                lines = body.splitlines()
                sections.setdefault(lines[0], []).extend(lines[1:])
            path = os.path.join(swap, "upto-%d.yaml" % k)
            with open(path, "w", encoding="utf-8") as f:
                f.write("name: upto-%d\nextends: ../on_national.yaml\n" % k)
                for key, lines in sections.items():
                    f.write("\n".join([key] + lines) + "\n")
            sequence.append(path)
        out = os.path.join(work, "out")
        run_hnb(hnb, [os.path.join(sutton, "baseline.yaml")], out + "/hand")
        run_hnb(hnb, [os.path.join(sutton, "same_door", "national", "baseline.yaml")], out + "/national")
        run_hnb(hnb, [os.path.join(sutton, "same_door", "on_national.yaml")] + children + sequence, out + "/layer")
        hand = Run(out + "/hand", "sutton-baseline")
        national = Run(out + "/national", "sutton-baseline")
        layer = Run(out + "/layer", "sutton-on-national")
        swaps = {gid: Run(out + "/layer", "swap-" + gid.replace("_", "-")) for gid, _, _, _ in GROUPS}
        steps = [Run(out + "/layer", "upto-%d" % k) for k in range(1, len(GROUPS) + 1)]
        together = steps[-1]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    runs = [("hand-built", hand), ("generated", national), ("layer", layer)]
    print("Plans at the January census that closes each financial year, and expenditure (£m, cash):\n")
    print(table(["financial year"] + ["plans, %s" % n for n, _ in runs] + ["expenditure £m, %s" % n for n, _ in runs],
                [[y] + [plans_text(r.plans[y]) for _, r in runs] + [money(r.expenditure[y]) for _, r in runs]
                 for y in YEARS]))
    print("\nDSG balance (£m, cash; negative is a deficit): in year, and cumulative at 31 March:\n")
    print(table(["financial year"] + ["in year, %s" % n for n, _ in runs] + ["cumulative, %s" % n for n, _ in runs],
                [[y] + [money(r.in_year[y]) for _, r in runs] + [money(r.closing[y]) for _, r in runs]
                 for y in YEARS]))
    first, last = YEARS[0], YEARS[-1]
    lines = sorted({line for _, r in runs for (_, line) in r.lines})
    print("\nExpenditure by line (£m, cash; a blank is a line the scenario does not have; lines that are 0 in "
          "all three are left out):\n")
    rows = []
    for line in lines:
        row = [line]
        for y in (first, last):
            for _, r in runs:
                row.append(money(r.lines[(y, line)]) if (y, line) in r.lines else "")
        if any(cell not in ("", "0.0") for cell in row[1:]):
            rows.append(row)
    print(table(["line"] + ["%s %s" % (y, n) for y in (first, last) for n, _ in runs], rows))

    middle = YEARS[4]

    def measures(r):
        return [r.plans[last], r.expenditure[first], r.expenditure[last], r.closing[middle], r.closing[last]]

    base = measures(layer)
    header = ["inputs set back to the hand-built values", "plans January 2035", "expenditure %s £m" % first,
              "expenditure %s £m" % last, "cumulative 31 March 20%s £m" % middle[-2:],
              "cumulative 31 March 2035 £m"]
    print("\nThe groups of inputs (income, the opening balance, the settlement, the places and the overflow "
          "are the same in the layer and the hand-built baseline):\n")
    print(table(["group", "the hand-built value, set back in the layer"], [["`%s`" % g, w] for g, w, _, _ in GROUPS]))

    def difference(r):
        return [a - b for a, b in zip(measures(r), base)]

    def cells(values):
        return ["{:+,.0f}".format(values[0])] + [signed(v) for v in values[1:]]

    rows = [["the layer (level)", plans_text(base[0])] + [money(v) for v in base[1:]]]
    total_single = [0.0] * len(base)
    for gid, what, _, _ in GROUPS:
        d = difference(swaps[gid])
        total_single = [a + b for a, b in zip(total_single, d)]
        rows.append(["`%s`" % gid] + cells(d))
    rows.append(["sum of the groups one at a time"] + cells(total_single))
    d_all = difference(together)
    rows.append(["all groups at once (= hand-built less the layer)"] + cells(d_all))
    rows.append(["interaction (all at once less the sum)"] + cells([a - b for a, b in zip(d_all, total_single)]))
    rows.append(["hand-built (level)", plans_text(measures(hand)[0])] + [money(v) for v in measures(hand)[1:]])
    print("\nAttribution, one at a time: the layer with one group of inputs set back to the hand-built "
          "baseline's (differences from the layer; plans, £m):\n")
    print(table(header, rows))
    rows = [["the layer (level)", plans_text(base[0])] + [money(v) for v in base[1:]]]
    previous = measures(layer)
    for (gid, _, _, _), step in zip(GROUPS, steps):
        now = measures(step)
        rows.append(["+ `%s`" % gid] + cells([a - b for a, b in zip(now, previous)]))
        previous = now
    rows.append(["= hand-built (level)", plans_text(measures(hand)[0])] + [money(v) for v in measures(hand)[1:]])
    print("\nAttribution in sequence: each group set back on top of the ones above it (the steps add up to "
          "the difference; plans, £m):\n")
    print(table(header, rows))
    mismatch = [y for y in YEARS if abs(together.closing[y] - hand.closing[y]) > 0.01
                or abs(together.plans[y] - hand.plans[y]) > 1e-6]
    if mismatch:
        fail("the layer with every group set back differs from the hand-built baseline in %s: "
             "a difference is not in any group" % ", ".join(mismatch))
    print("\nThe layer with every group set back equals the hand-built baseline in every year (plans and balance).")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare the layer's copies with the hand-built inputs")
    mode.add_argument("--compare", action="store_true", help="run hnb and print the comparison tables")
    parser.add_argument("--hnb", default=os.path.join(ROOT, ".build", "release", "hnb"),
                        help="the hnb to run with --compare (default: .build/release/hnb)")
    args = parser.parse_args(argv)
    if args.compare:
        compare(os.path.abspath(args.hnb))
        return 0
    return 1 if copy_inputs(args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
