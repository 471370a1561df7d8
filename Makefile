# The two commands a user needs: `make demo` runs the Sutton scenarios, `make test` runs the tests.
# Both install the C libraries they need (OpenBLAS, LAPACKE) with apt-get when they are missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopenblas-dev liblapacke-dev pkg-config
OUT ?= out

.PHONY: deps build demo test lint format clean

deps:
	@if ! pkg-config --exists openblas lapacke 2>/dev/null; then \
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
	@echo "tables written to $(OUT)/sutton, $(OUT)/sutton-compare and $(OUT)/sutton-retrospective (see README, 'What the demo writes')"

# Floating-point results are compared with OpenBLAS pinned to one thread; the end-to-end tests
# also check that outputs are byte-identical with one and two threads.
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build $(OUT)
