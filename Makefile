# The README's commands and the gates CI runs. Each command sets up what is missing first
# (scripts/bootstrap is quick when everything is present), then builds with the CMake presets.
.PHONY: setup build demo test lint lint-python asan tsan fuzz tidy bench format clean

# make bench SMALL=1 runs the peer comparisons at small sizes only.
# make test PRESET=release builds and tests another configure preset.
# make test YOSMODEL_FUZZ_SECONDS=60 (or in the environment) runs each fuzz target longer.

PRESET ?= default
VENV := .venv/bin
CMAKE := $(VENV)/cmake
CTEST := $(VENV)/ctest
CLANG_FORMAT ?= clang-format

# ccache is optional: used when installed, with paths taken relative to the checkout (a release
# build then hits the cache from any clone; a debug build, whose debug information names the
# directory, from the same checkout).
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR ?= $(CURDIR)

# `ruff format --check` joins the gates once the Python sources are formatted with ruff: set this
# to 1 here in the same commit that formats them.
RUFF_FORMAT ?= 0

# Every C++ file the project owns (the build trees and the venv are not ours).
CXX_FILES = $(shell find include src bindings tests benchmarks \
                 \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) 2>/dev/null | sort)

setup:
	@scripts/bootstrap

build: setup
	@$(CMAKE) --preset $(PRESET) $(LAUNCHER) >/dev/null
	@$(CMAKE) --build --preset $(PRESET)

demo: build
	@PYTHONPATH=python:build/$(PRESET)/python $(VENV)/python -m yosmodel demo

# make test is every gate a change has to pass: ctest (the C++ and Python tests, the sentinel
# test among them, and the C++ gates: clang-format, umbrella, ODR, symbols), the Python gates,
# the fuzz targets for YOSMODEL_FUZZ_SECONDS each, and the C++ tests under ThreadSanitizer. Every
# part runs even when one before it fails, says how long it took, and any failing fails the
# command.
YOSMODEL_FUZZ_SECONDS ?= 20

test: build
	@status=0; \
	 for part in ctest lint-python fuzz tsan; do \
	   start=$$(date +%s); \
	   if [ $$part = ctest ]; then \
	     (cd build/$(PRESET) && ../../$(CTEST) --output-on-failure -j 2); \
	   else \
	     $(MAKE) --no-print-directory $$part; \
	   fi && result=passed || { result=FAILED; status=1; }; \
	   echo "test: $$part $$result in $$(( $$(date +%s) - start )) s"; \
	 done; \
	 exit $$status

# The gates alone, no build needed: clang-format on every C++ file (the check ctest's
# gates.clang_format makes), then the Python gates.
lint: setup
	@status=0; \
	 echo "lint: clang-format --dry-run --Werror ($(words $(CXX_FILES)) files)"; \
	 $(CLANG_FORMAT) --dry-run --Werror $(CXX_FILES) || status=1; \
	 $(MAKE) --no-print-directory lint-python || status=1; \
	 exit $$status

# ruff on the Python package and its tests, mypy on the package (settings in pyproject.toml).
# Each gate runs and reports; any finding fails.
lint-python: setup
	@status=0; \
	 echo "lint: ruff check python tests"; \
	 $(VENV)/ruff check python tests || status=1; \
	 if [ "$(RUFF_FORMAT)" = 1 ]; then \
	   echo "lint: ruff format --check python tests"; \
	   $(VENV)/ruff format --check python tests || status=1; \
	 fi; \
	 echo "lint: mypy python/yosmodel"; \
	 $(VENV)/mypy python/yosmodel || status=1; \
	 if [ $$status -ne 0 ]; then echo "lint: FAILED (see above)"; else echo "lint: Python gates clean"; fi; \
	 exit $$status

# Rewrites the C++ files in place with the repository's .clang-format.
format: setup
	@$(CLANG_FORMAT) -i $(CXX_FILES)

asan: setup
	@$(CMAKE) --preset asan $(LAUNCHER) >/dev/null
	@$(CMAKE) --build --preset asan
	@$(CTEST) --preset asan -j 2 -E "^consumer\." # the consumers link the sanitized library without the sanitizer runtime

# The threaded kernels under ThreadSanitizer (the C++ tests).
tsan: setup
	@$(CMAKE) --preset tsan $(LAUNCHER) >/dev/null
	@$(CMAKE) --build --preset tsan
	@$(CTEST) --preset tsan -j 2 -E "^consumer\." # as for asan

# libFuzzer targets (clang, ASan + UBSan), each for YOSMODEL_FUZZ_SECONDS, side by side; crash
# inputs land in build/fuzz/tests/fuzz/corpus_<target>/crash-* and are kept, once the reader is
# fixed, in tests/fuzz/corpus/<target>/ as regression inputs.
fuzz: setup
	@$(CMAKE) --preset fuzz $(LAUNCHER) -DYOSMODEL_FUZZ_SECONDS=$(YOSMODEL_FUZZ_SECONDS) >/dev/null
	@$(CMAKE) --build --preset fuzz
	@$(CTEST) --preset fuzz -j 2

# clang-tidy on the core, through the `tidy` preset (CMAKE_CXX_CLANG_TIDY): findings fail the build.
tidy: setup
	@$(CMAKE) --list-presets | grep -q '"tidy"' || { echo "tidy: no tidy preset in CMakePresets.json"; exit 1; }
	@$(CMAKE) --preset tidy >/dev/null
	@$(CMAKE) --build --preset tidy

bench: setup
	@$(CMAKE) --preset bench $(LAUNCHER) >/dev/null
	@$(CMAKE) --build --preset bench
	@for b in bench_aggregate bench_cohort bench_evaluation; do \
	  build/bench/benchmarks/$$b --benchmark_repetitions=3 --benchmark_report_aggregates_only=true; done
	@PYTHONPATH=python:build/bench/python $(VENV)/python benchmarks/peers.py $(if $(SMALL),--small)
	@PYTHONPATH=python:build/bench/python $(VENV)/python benchmarks/evaluation_bench.py

clean:
	rm -rf build
