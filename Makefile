# The README's commands. Each one sets up what is missing first (scripts/bootstrap is quick when
# everything is present), then builds with the CMake presets.
.PHONY: demo test bench build asan clean

# make bench SMALL=1 runs the peer comparisons at small sizes only.

PRESET ?= default
CMAKE := .venv/bin/cmake

build:
	@scripts/bootstrap
	@$(CMAKE) --preset $(PRESET) >/dev/null
	@$(CMAKE) --build --preset $(PRESET)

demo: build
	@PYTHONPATH=python:build/$(PRESET)/python .venv/bin/python -m yosmodel demo

test: build
	@cd build/$(PRESET) && ../../.venv/bin/ctest --output-on-failure -j 2

asan:
	@scripts/bootstrap
	@$(CMAKE) --preset asan >/dev/null
	@$(CMAKE) --build --preset asan
	@.venv/bin/ctest --preset asan -j 2

bench:
	@scripts/bootstrap
	@$(CMAKE) --preset bench >/dev/null
	@$(CMAKE) --build --preset bench
	@for b in bench_aggregate bench_cohort bench_evaluation; do \
	  build/bench/benchmarks/$$b --benchmark_repetitions=3 --benchmark_report_aggregates_only=true; done
	@PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/peers.py $(if $(SMALL),--small)
	@PYTHONPATH=python:build/bench/python .venv/bin/python benchmarks/evaluation_bench.py

clean:
	rm -rf build
