#!/usr/bin/env python3
"""End to end, for every current LA of the national pack: `hnb init`, then `hnb run`, checked.

For each current authority of `Data/national/la.csv` this runs the built `hnb` as a finance
officer would: `hnb init --la CODE --out DIR/CODE` (every exit must be 0), then one
`hnb run` of all the generated baselines (exit 0: the run's integrity checks pass for every
LA), and reads what the run wrote:

- the base census (`ehcp.csv`, the January of the pack's latest census year) equals the LA's
  published total (`caseload_published_totals.csv`, `ehcplans`) and each published DfE
  placement group (the plans of unknown placement are in the model's `educated_elsewhere`,
  so inside `ed_elsewhere`), to 1e-4 of a plan;
- every baseline runs its ten years;
- the first year's HNB allocation in `finance.csv` is the value `baseline.yaml` states, and
  that value is derived from the LA's latest published allocation before deductions
  (`hnb_allocations.csv`), which its source names (or, where the pack has none for the LA,
  the source says so).

Prints one line per failure and a summary; exits 1 on any failure. Uses every core (one `hnb
init` per core at a time). About two minutes with a release build on 2 cores.

Usage: python3 scripts/init/check_all.py [--hnb .build/release/hnb] [--keep DIR] [--las 887,319]
"""

import argparse
import collections
import concurrent.futures
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACK = os.path.join(ROOT, "Data", "national")

# The DfE placement groups a generated baseline reproduces, as the model's placements
# (ScenarioInit.dfeGroups).
GROUPS = {
    "nm_early_years": ["early_years"],
    "mainstream_total": ["mainstream", "resourced_provision"],
    "special_total": [
        "special_maintained_in", "special_maintained_out", "special_independent", "special_non_maintained",
    ],
    "ap_pru_total": ["ap_pru"],
    "fe_total": ["fe_general", "specialist_post16"],
    "ed_elsewhere": ["educated_elsewhere", "neet"],
}
HORIZON_YEARS = 10
TOLERANCE_PLANS = 1e-4


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text, where):
    try:
        return float(text)
    except (TypeError, ValueError):
        raise SystemExit(f"check_all: {where}: expected a number, found {text!r}")


def init(binary, code, folder):
    result = subprocess.run(
        [binary, "init", "--la", code, "--out", folder], cwd=ROOT, capture_output=True, text=True)
    return code, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hnb", default=os.path.join(ROOT, ".build", "release", "hnb"))
    parser.add_argument("--keep", help="write the folders and the run here (replaced) instead of a temporary folder")
    parser.add_argument("--las", help="only these LA codes, comma-separated (default: every current LA)")
    args = parser.parse_args()
    binary = os.path.abspath(args.hnb)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"check_all: no hnb executable at {binary} (build it: swift build -c release --product hnb)")

    authorities = [r for r in rows(os.path.join(PACK, "la.csv")) if r["status"] == "current"]
    if args.las:
        wanted = args.las.split(",")
        unknown = sorted(set(wanted) - {la["la"] for la in authorities})
        if unknown:
            raise SystemExit(f"check_all: --las: not a current LA code of la.csv: {', '.join(unknown)}")
        authorities = [la for la in authorities if la["la"] in wanted]
    published = collections.defaultdict(dict)
    for r in rows(os.path.join(PACK, "caseload_published_totals.csv")):
        if r["la"] and r["plans"]:
            published[(r["la"], int(r["census_year"]))][r["dfe_placement_group"]] = number(
                r["plans"], f"caseload_published_totals.csv, {r['la']} {r['census_year']} {r['dfe_placement_group']}")
    census = max(year for (_, year) in published)
    allocations = collections.defaultdict(dict)
    for r in rows(os.path.join(PACK, "hnb_allocations.csv")):
        if r["la"] and r["hnb_before_deductions_gbp"]:
            allocations[r["la"]][r["financial_year"]] = r["hnb_before_deductions_gbp"]

    root = args.keep or tempfile.mkdtemp(prefix="hnb-init-all-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
    failures = []
    try:
        folders = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            jobs = [pool.submit(init, binary, la["la"], os.path.join(root, la["la"])) for la in authorities]
            for job in jobs:
                code, result = job.result()
                if result.returncode != 0:
                    failures.append(f"{code}: hnb init exited {result.returncode}: {result.stderr.strip()[-400:]}")
                else:
                    folders[code] = os.path.join(root, code)
        codes = sorted(folders)
        names = {}
        stated = {}
        for code in codes:
            text = open(os.path.join(folders[code], "baseline.yaml")).read()
            names[code] = re.search(r"^name: (\S+)", text, re.M).group(1)
            match = re.search(r"^  hnb_allocation_gbp: \{value: (\d+), .*source: \"([^\"]*)\"", text, re.M)
            if not match:
                failures.append(f"{code}: baseline.yaml has no income.hnb_allocation_gbp value line")
                continue
            stated[code] = float(match.group(1))
            own = allocations.get(code)
            if own:
                latest = max(own)
                if f"before deductions {latest} £{own[latest]} " not in match.group(2):
                    failures.append(
                        f"{code}: income.hnb_allocation_gbp's source does not name the published {latest} "
                        f"allocation £{own[latest]}: {match.group(2)[:200]}")
            elif "has no HNB allocation" not in match.group(2):
                failures.append(f"{code}: no allocation in the pack, and the source does not say so")
        out = os.path.join(root, "out")
        run = subprocess.run(
            [binary, "run"] + [os.path.join(folders[c], "baseline.yaml") for c in codes]
            + ["--out", out, "--as-of", "2026-01-15"],
            cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"hnb run of {len(codes)} baselines exited {run.returncode}: {run.stderr.strip()[-1500:]}")
        else:
            plans = collections.defaultdict(float)
            years = collections.defaultdict(set)
            for r in rows(os.path.join(out, "ehcp.csv")):
                years[r["scenario"]].add(int(r["census_year"]))
                if int(r["census_year"]) == census:
                    plans[(r["scenario"], r["placement"])] += number(r["plans"], f"ehcp.csv {r['scenario']}")
            hnb_first = {}
            for r in rows(os.path.join(out, "finance.csv")):
                if r["section"] == "income" and r["line"] == "hnb_allocation" and r["scenario"] not in hnb_first:
                    hnb_first[r["scenario"]] = number(r["gbp"], f"finance.csv {r['scenario']}")
            for code in codes:
                name = names[code]
                figures = published[(code, census)]
                model_total = sum(v for (s, _), v in plans.items() if s == name)
                if abs(model_total - figures["ehcplans"]) > TOLERANCE_PLANS:
                    failures.append(f"{code} {name}: January {census} total {model_total} against published {figures['ehcplans']}")
                for group, placements in GROUPS.items():
                    if group not in figures:
                        continue
                    model = sum(plans.get((name, p), 0.0) for p in placements)
                    target = figures[group] + (figures.get("placement_unknown", 0.0) if group == "ed_elsewhere" else 0.0)
                    if abs(model - target) > TOLERANCE_PLANS:
                        failures.append(f"{code} {name}: January {census} {group} {model} against published {target}")
                if len(years[name]) != HORIZON_YEARS + 1:
                    failures.append(f"{code} {name}: {len(years[name])} censuses in ehcp.csv, expected {HORIZON_YEARS + 1}")
                if code in stated and abs(hnb_first.get(name, float("nan")) - stated[code]) > 0.01:
                    failures.append(
                        f"{code} {name}: first-year HNB allocation {hnb_first.get(name)} against baseline.yaml's {stated[code]}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    for line in failures:
        print(f"check_all: {line}", file=sys.stderr)
    print(f"hnb init + hnb run: {len(authorities)} authorities{'' if args.las else ' (every current LA)'}, "
          f"{len(authorities) - sum(1 for f in failures if 'hnb init exited' in f)} initialised, "
          f"{len(failures)} failure(s); January {census} totals and placement groups checked against the published figures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
