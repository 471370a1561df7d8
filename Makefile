# The two commands a user needs: `make demo` runs the Sutton scenarios, `make test` runs the tests.
# Both install what they need with apt-get when it is missing: the C libraries (OpenBLAS, LAPACKE,
# libxlsxwriter), and for the report checks Chromium and Python's venv.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopenblas-dev liblapacke-dev libxlsxwriter-dev pkg-config chromium python3-venv
OUT ?= out

PAPERS := .build/papers

.PHONY: deps build demo test test-papers sweep-check data-check init-all update-expectations lint format clean \
  fuzz-build fuzz-short fuzz-long sanitize bench-numpy

deps:
	@if ! pkg-config --exists openblas lapacke xlsxwriter 2>/dev/null || ! command -v chromium >/dev/null \
	  || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then \
	  echo "installing $(APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release --product hnb

demo: build
	.build/release/hnb validate Scenarios/sutton/*.yaml Scenarios/sutton/retrospective/*.yaml
	.build/release/hnb run Scenarios/sutton/*.yaml --out $(OUT)/sutton
	.build/release/hnb compare Scenarios/sutton/baseline.yaml Scenarios/sutton/combined.yaml --out $(OUT)/sutton-compare
	.build/release/hnb run Scenarios/sutton/retrospective/*.yaml --out $(OUT)/sutton-retrospective
	.build/release/hnb report Scenarios/sutton/*.yaml --out $(OUT)/sutton-report
	.build/release/hnb validate Scenarios/medway/*.yaml Scenarios/medway/retrospective/*.yaml
	.build/release/hnb run Scenarios/medway/generated/baseline.yaml Scenarios/medway/baseline.yaml Scenarios/medway/retrospective/*.yaml --out $(OUT)/medway
	@echo "tables written to $(OUT)/sutton, $(OUT)/sutton-compare, $(OUT)/sutton-retrospective and $(OUT)/medway, papers to $(OUT)/sutton-report (see README, 'What the demo writes' and 'Medway beside Sutton')"

# Floating-point results are compared with OpenBLAS pinned to one thread; the end-to-end tests
# also check that outputs are byte-identical with one and two threads.
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests
	$(MAKE) sweep-check
	$(MAKE) data-check
	$(MAKE) init-all
	$(MAKE) test-papers
	$(MAKE) fuzz-short

# Every derived data file in the project is what its script writes (each script's --check rebuilds
# and compares, writing nothing): the national pack and panel from ../shared/data/national (a
# clone without ../shared beside it says so and skips those two), Sutton's inputs and pipeline
# rates, the hand-built input Sutton's layer on the generated base copies (Scenarios/sutton/same_door;
# that its national/ is what hnb init writes is an end-to-end test), Medway's retrospective (which reads YAML: PyYAML, pinned in scripts/requirements.txt, in
# a virtual environment).
SHARED_NATIONAL := ../shared/data/national
DATA_CHECK_VENV := .build/data-check/venv
data-check:
	python3 -m venv $(DATA_CHECK_VENV)
	$(DATA_CHECK_VENV)/bin/pip install -q --disable-pip-version-check -r scripts/requirements.txt
	@if [ -d $(SHARED_NATIONAL) ]; then \
	  python3 scripts/data/build_pack.py --check && python3 scripts/data/build_panel.py --check; \
	else echo "data-check: $(SHARED_NATIONAL) is not beside the project: the pack and panel checks are skipped"; fi
	python3 scripts/sutton/build_inputs.py --check
	python3 scripts/sutton/pipeline_rates.py --check
	python3 scripts/sutton/same_door.py --check
	$(DATA_CHECK_VENV)/bin/python scripts/medway/build_retrospective.py --check

# Every current LA of the national pack end to end (issue 15): the release hnb's `hnb init --la CODE`
# for all 153, then one `hnb run` of every generated baseline, its base census checked against the
# published January total and DfE placement groups and its first HNB allocation against the value
# stated (scripts/init/check_all.py; about 2-5 minutes on 2 cores after the release build).
init-all: build
	python3 scripts/init/check_all.py --hnb .build/release/hnb

# hnb report on the Sutton scenarios, checked from Python in a fresh virtual environment (pinned
# packages from PyPI): report.xlsx read back with openpyxl against the CSVs of hnb run, and
# report.html rendered in headless Chromium at desktop and phone widths (screenshots kept in
# $(PAPERS)/png); then every notebook in Notebooks/ is executed headless (nbclient).
test-papers: deps
	$(SWIFT) build --product hnb
	rm -rf $(PAPERS) && mkdir -p $(PAPERS)
	python3 -m venv $(PAPERS)/venv
	$(PAPERS)/venv/bin/pip install -q --disable-pip-version-check -r Tests/python/requirements.txt
	OPENBLAS_NUM_THREADS=1 $$($(SWIFT) build --show-bin-path)/hnb run Scenarios/sutton/*.yaml --out $(PAPERS)/run
	OPENBLAS_NUM_THREADS=1 $$($(SWIFT) build --show-bin-path)/hnb report Scenarios/sutton/*.yaml --out $(PAPERS)/report
	$(PAPERS)/venv/bin/python Tests/python/check_xlsx.py $(PAPERS)/report $(PAPERS)/run
	$(PAPERS)/venv/bin/python Tests/python/check_html.py $(PAPERS)/report $(PAPERS)/png
	HNB=$$($(SWIFT) build --show-bin-path)/hnb OPENBLAS_NUM_THREADS=1 $(PAPERS)/venv/bin/python Tests/python/run_notebooks.py Notebooks

# A seeded sweep of the Sutton baseline and combined scenarios (1,000 draws each, debug build,
# about a minute): its headline percentiles (p10/p50/p90 of total plans and of the cumulative
# balance in the last year) must stay within the tolerance of Tests/expectations/sutton-sweep.csv,
# and the release build's, with vector kernels and with plain code, must be the same bytes.
# `make update-expectations` rewrites that file: a deliberate step, reviewed like any change.
SWEEP_CHECK := .build/sweep-check
SWEEP_CHECK_ARGS := Scenarios/sutton/sweep/baseline.yaml Scenarios/sutton/sweep/combined.yaml --draws 1000 --seed 1
SWEEP_EXPECTATION := Tests/expectations/sutton-sweep.csv

sweep-check: deps
	$(SWIFT) build --product hnb
	OPENBLAS_NUM_THREADS=1 $$($(SWIFT) build --show-bin-path)/hnb sweep $(SWEEP_CHECK_ARGS) --out $(SWEEP_CHECK)
	python3 Tests/expectations/check_sweep.py check $(SWEEP_EXPECTATION) $(SWEEP_CHECK)/percentiles.csv
	@# The release build gives the same tables as the debug build, and the same draws, bit for bit
	@# (--shard 1/1 writes them exactly), with the vector kernels (AVX2 where the processor has it)
	@# and with plain code (HNB_KERNELS=plain): the kernels' equality, checked as users run them.
	$(SWIFT) build -c release --product hnb
	OPENBLAS_NUM_THREADS=1 .build/release/hnb sweep $(SWEEP_CHECK_ARGS) --out $(SWEEP_CHECK)-release
	cmp $(SWEEP_CHECK)/percentiles.csv $(SWEEP_CHECK)-release/percentiles.csv
	cmp $(SWEEP_CHECK)/exceedance.csv $(SWEEP_CHECK)-release/exceedance.csv
	OPENBLAS_NUM_THREADS=1 .build/release/hnb sweep $(SWEEP_CHECK_ARGS) --shard 1/1 --out $(SWEEP_CHECK)-vector
	OPENBLAS_NUM_THREADS=1 HNB_KERNELS=plain .build/release/hnb sweep $(SWEEP_CHECK_ARGS) --shard 1/1 --out $(SWEEP_CHECK)-plain
	for f in $(SWEEP_CHECK)-vector/draws-*.txt; do cmp $$f $(SWEEP_CHECK)-plain/$$(basename $$f) || exit 1; done

update-expectations: deps
	$(SWIFT) build --product hnb
	OPENBLAS_NUM_THREADS=1 $$($(SWIFT) build --show-bin-path)/hnb sweep $(SWEEP_CHECK_ARGS) --out $(SWEEP_CHECK)
	python3 Tests/expectations/check_sweep.py update $(SWEEP_EXPECTATION) $(SWEEP_CHECK)/percentiles.csv

# hnb sweep against the vectorised numpy reference (scripts/bench/numpy_reference.py, written from
# docs/MODEL.md; numpy pinned in scripts/bench/requirements.txt, installed into a virtual
# environment): hnb bench --vs-numpy checks the reference against hnb's deterministic run, then
# times both as whole processes in alternating rounds (release build, OpenBLAS on one thread) and
# prints the figures and the ratio. About a minute.
BENCH_VENV := .build/bench-venv

bench-numpy: build
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --disable-pip-version-check -r scripts/bench/requirements.txt
	OPENBLAS_NUM_THREADS=1 HNB_BENCH_PYTHON=$(BENCH_VENV)/bin/python3 .build/release/hnb bench --draws 10000 --vs-numpy

# Fuzzing (docs/FUZZING.md): libFuzzer targets for the scenario YAML loader, the scenario CSV
# inputs and the calibration readers, in the separate package Fuzz/ (built with
# -sanitize=fuzzer,address into Fuzz/.build, about 5 minutes from clean). Each target runs from
# the seeds in Fuzz/Corpus/ for the given seconds, one after another; any crash, hang (20 s),
# memory blow-up (2 GB) or error that is not an input error fails the run and leaves the input
# in Fuzz/.build/work/<target>/artifacts/. fuzz-short is part of `make test`.
FUZZ_SHORT_SECONDS ?= 20
FUZZ_LONG_SECONDS ?= 1800

fuzz-build: deps
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address --scratch-path .build

fuzz-short: fuzz-build
	Fuzz/run.sh $(FUZZ_SHORT_SECONDS)

fuzz-long: fuzz-build
	Fuzz/run.sh $(FUZZ_LONG_SECONDS)

# The whole test suite under AddressSanitizer and under ThreadSanitizer (docs/ASSURANCE.md), each
# in its own scratch path: a separate CI step, not part of `make test` (it takes up to an hour).
# LeakSanitizer suppressions, for leaks in the toolchain's own libraries:
# XCTest's runner keeps its suite objects at exit, Foundation's Process.run leaks a weak
# reference's side table, and FileManager.contents(atPath:) leaks its buffer on an empty file.
# The end-to-end tests' hnb processes inherit LSAN_OPTIONS.
LSAN_SUPPRESSIONS := leak:libXCTest.so leak:Foundation7ProcessC3run leak:readBytesFromFile

sanitize: deps
	mkdir -p .build-asan && printf '%s\n' $(LSAN_SUPPRESSIONS) > .build-asan/lsan.supp
	LSAN_OPTIONS=suppressions=$(CURDIR)/.build-asan/lsan.supp OPENBLAS_NUM_THREADS=1 \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build $(OUT) Fuzz/.build
