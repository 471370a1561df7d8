# The two commands a user needs: `make demo` runs the Sutton scenarios, `make test` runs the tests.
# Both install what they need with apt-get when it is missing: the C libraries (OpenBLAS, LAPACKE,
# libxlsxwriter), and for the report checks Chromium and Python's venv.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopenblas-dev liblapacke-dev libxlsxwriter-dev pkg-config chromium python3-venv
OUT ?= out

PAPERS := .build/papers

.PHONY: deps build demo test test-papers lint format clean

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
	@echo "tables written to $(OUT)/sutton, $(OUT)/sutton-compare and $(OUT)/sutton-retrospective, papers to $(OUT)/sutton-report (see README, 'What the demo writes')"

# Floating-point results are compared with OpenBLAS pinned to one thread; the end-to-end tests
# also check that outputs are byte-identical with one and two threads.
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests
	$(MAKE) test-papers

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

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build $(OUT)
