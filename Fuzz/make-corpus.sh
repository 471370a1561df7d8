#!/usr/bin/env bash
# Writes the seed corpus of the fuzz targets into Fuzz/Corpus/ from the real inputs:
# the Sutton scenarios (Scenarios/sutton/**), the tiny test scenario and the calibration
# files. The seeds are committed; rerun this after the real inputs change shape. Inputs that
# once crashed a target are kept beside them as regression-* (see docs/FUZZING.md).
#   scenario-yaml/: each scenario YAML, its paths rewritten as seen from Scenarios/sutton/
#                   (where the fuzz target writes its input)
#   scenario-csv/:  one byte (the slot of Sources/FuzzScenarioCSV/main.swift) + a CSV input,
#                   the large ones cut to their first 60 lines
#   calibration/:   one byte (the reader of Sources/FuzzCalibration/main.swift) + a file
set -euo pipefail
cd "$(dirname "$0")/.."
out=Fuzz/Corpus
# Inputs that once crashed a target (regression-*) are kept: they are added by hand.
mkdir -p "$out/scenario-yaml" "$out/scenario-csv" "$out/calibration"
find "$out" -type f ! -name 'regression-*' -delete
s=Scenarios/sutton
for f in "$s"/*.yaml; do cp "$f" "$out/scenario-yaml/$(basename "$f")"; done
sed -e 's#\.\./baseline\.yaml#baseline.yaml#; s#\.\./combined\.yaml#combined.yaml#; s#uncertainty\.yaml#sweep/uncertainty.yaml#' \
  "$s/sweep/baseline.yaml" > "$out/scenario-yaml/sweep_baseline.yaml"
sed -e 's#\.\./combined\.yaml#combined.yaml#; s#uncertainty\.yaml#sweep/uncertainty.yaml#' \
  "$s/sweep/combined.yaml" > "$out/scenario-yaml/sweep_combined.yaml"
cp "$s/sweep/uncertainty.yaml" "$out/scenario-yaml/sweep_uncertainty.yaml"
sed -e 's#\([ :]\)data/#\1retrospective/data/#; s#^outturn: outturn\.csv#outturn: retrospective/outturn.csv#' \
  "$s/retrospective/baseline_2019.yaml" > "$out/scenario-yaml/retrospective_baseline_2019.yaml"
sed -e 's#^extends: baseline_2019\.yaml#extends: retrospective/baseline_2019.yaml#; s#^outturn: outturn\.csv#outturn: retrospective/outturn.csv#' \
  "$s/retrospective/wsoa_targets.yaml" > "$out/scenario-yaml/retrospective_wsoa_targets.yaml"
sed -E 's#^(  [a-z_]+: )([a-z_]+\.csv)$#\1tiny/\2#' \
  Tests/HighNeedsTests/Fixtures/tiny/tiny.yaml > "$out/scenario-yaml/tiny.yaml"

seed() { # slot file name
  { printf "\\$(printf '%03o' "$1")"; head -n 60 "$2"; } > "$3"
}
i=0
for f in data/baseline_caseload_2025.csv data/population.csv data/incidence.csv data/new_plan_mix.csv \
  data/cessation.csv data/transitions.csv data/places.csv data/top_ups.csv retrospective/outturn.csv; do
  seed $i "$s/$f" "$out/scenario-csv/$i-$(basename "$f")"
  i=$((i + 1))
done
for f in placements needs baseline population incidence mix cessation transitions places top_ups; do
  seed $i "Tests/HighNeedsTests/Fixtures/tiny/$f.csv" "$out/scenario-csv/$i-tiny-$f.csv"
  i=$((i + 1))
done

c=Tests/HighNeedsTests/Fixtures/calibration
seed 0 Calibration/data/sutton_history.csv "$out/calibration/0-sutton_history.csv"
seed 0 Calibration/data/england_history.csv "$out/calibration/0-england_history.csv"
seed 0 "$c/aggregate_bands.csv" "$out/calibration/0-aggregate_bands.csv"
seed 1 Calibration/data/sutton_new_plans.csv "$out/calibration/1-sutton_new_plans.csv"
seed 2 "$c/transitions_small.csv" "$out/calibration/2-transitions_small.csv"
seed 3 "$c/transitions_small.csv" "$out/calibration/3-transitions_small.csv"
seed 4 "$c/mapping_small.csv" "$out/calibration/4-mapping_small.csv"
seed 5 "$c/population_small.csv" "$out/calibration/5-population_small.csv"
seed 5 "$c/aggregate_population.csv" "$out/calibration/5-aggregate_population.csv"
seed 6 "$c/sutton_history_detail.csv" "$out/calibration/6-sutton_history_detail.csv"
echo "seeds: $(ls "$out"/scenario-yaml | wc -l) YAML, $(ls "$out"/scenario-csv | wc -l) CSV, $(ls "$out"/calibration | wc -l) calibration"
