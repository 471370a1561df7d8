#!/usr/bin/env python3
"""The closing-note tables of docs/INIT.md: hnb init's headline for five LAs beside their
published position, and what the pack lacks for how many LAs.

Runs `hnb init` for every current LA of `Data/national/la.csv` (into a temporary folder), then
`hnb run` on the five LAs' baselines, and prints two Markdown tables:

1. For each of five LAs of different size: plans at January 2035, the cumulative DSG balance at
   31 March 2035 and the first year the deficit is above 1% of DSG (the generated baseline,
   unmitigated, opening balance 0 as generated), beside the published position: plans at
   January 2025 and 2024 (DfE SEN2) and the DSG balance at 31 March 2022 (% of DSG, DfE),
   the latest in the pack.
2. Over every LA: each table the pack lacks for it (`hnb init`'s "Not in the pack" list) and each
   value set to a national default (its `alert:` keys), with the number of LAs.

Usage: python3 scripts/init/closing_note.py [--hnb .build/release/hnb] [--las 857,319,887,886,330]
Deterministic for the same pack and hnb build. Takes about a minute with a release build.
"""

import argparse
import collections
import csv
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def hnb(binary, *args):
    result = subprocess.run([binary] + list(args), cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("hnb %s failed (exit %d):\n%s" % (" ".join(args), result.returncode, result.stderr[-2000:]))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hnb", default=os.path.join(ROOT, ".build", "release", "hnb"))
    parser.add_argument("--las", default="857,319,887,886,330")
    args = parser.parse_args()
    pack = os.path.join(ROOT, "Data", "national")
    current = [r for r in rows(os.path.join(pack, "la.csv")) if r["status"] == "current"]
    names = {r["la"]: r["la_name"] for r in current}
    totals = {(r["la"], r["census_year"]): r["plans"] for r in rows(os.path.join(pack, "caseload_published_totals.csv"))
              if r["dfe_placement_group"] == "ehcplans"}
    balance = {r["la"]: r["balance_pct_of_dsg"] for r in rows(os.path.join(pack, "dsg_balance.csv"))
               if r["financial_year"] == max(x["financial_year"] for x in rows(os.path.join(pack, "dsg_balance.csv")))}
    missing = collections.Counter()
    defaults = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="hnb-closing-") as tmp:
        for la in sorted(names):
            out = os.path.join(tmp, la)
            hnb(args.hnb, "init", "--la", la, "--out", out)
            readme = open(os.path.join(out, "README.md"), encoding="utf-8").read()
            section = re.search(r"## Not in the pack for this LA\n\n((?:- .*\n)+)", readme)
            for item in (section.group(1).splitlines() if section else []):
                missing[item[2:]] += 1
            for r in rows(os.path.join(out, "assumptions.csv")):
                if r["status"] == "not stated":
                    defaults["%s (not stated)" % r["key"]] += 1
                if r["status"] == "national default":
                    defaults[re.sub(r"\[\d{4}-\d\d to \d{4}-\d\d\]", "[later years]", r["key"])] += 1
        chosen = args.las.split(",")
        run = os.path.join(tmp, "run")
        hnb(args.hnb, "run", *[os.path.join(tmp, la, "baseline.yaml") for la in chosen], "--out", run,
            "--as-of", "2026-01-15")
        kpis = rows(os.path.join(run, "kpis.csv"))
        census = max(int(y) for (_, y) in totals)
        def money(gbp):
            return ("-£%.1fm" if gbp < 0 else "£%.1fm") % (abs(gbp) / 1e6)

        print("| LA | plans January %d (published) | plans January %d (published) | DSG balance 31 March 2022 (published, %% of DSG) "
              "| in-year balance %s (generated) | plans January %d (generated) | cumulative balance 31 March %d (generated) "
              "| first year deficit above 1%% of DSG (generated) |"
              % (census - 1, census, "%d-%02d" % (census, (census + 1) % 100), census + 10, census + 10))
        print("|---|---|---|---|---|---|---|---|")
        for la in chosen:
            scenario = [r for r in kpis if r["scenario"] == re.sub(r"[^a-z0-9]+", "-", names[la].lower()).strip("-") + "-baseline"]
            last = scenario[-1]
            first = next((r["financial_year"] for r in scenario if r["deficit_above_1_percent_of_dsg"] == "yes"), "none")
            print("| %s (%s) | %s | %s | %s | %s | %s | %s | %s |" % (
                names[la], la, "{:,}".format(int(totals[(la, str(census - 1))])),
                "{:,}".format(int(totals[(la, str(census))])),
                balance.get(la, "") or "not published", money(float(scenario[0]["in_year_balance_gbp"])),
                "{:,.0f}".format(float(last["total_plans"])), money(float(last["cumulative_balance_gbp"])), first))
    print()
    print("| not in the pack (hnb init's list) | LAs |")
    print("|---|---|")
    for item, n in sorted(missing.items(), key=lambda kv: (-kv[1], kv[0])):
        print("| %s | %d |" % (item, n))
    print()
    print("| value set to a national default (or not stated) | LAs (of %d) |" % len(names))
    print("|---|---|")
    for key, n in sorted(defaults.items(), key=lambda kv: (-kv[1], kv[0])):
        print("| `%s` | %d |" % (key, n))


if __name__ == "__main__":
    main()
