# The README's commands. Each one sets up what is missing first (scripts/bootstrap is quick when
# everything is present), then builds with the CMake presets.
.PHONY: demo test bench build asan tsan fuzz clean

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

# The threaded kernels under ThreadSanitizer (C++ tests).
tsan:
	@scripts/bootstrap
	@$(CMAKE) --preset tsan >/dev/null
	@$(CMAKE) --build --preset tsan
	@.venv/bin/ctest --preset tsan -j 2

# libFuzzer targets (clang, ASan + UBSan) for a bounded time each; crash inputs land in
# build/fuzz/tests/fuzz/corpus_<target>/crash-* and belong in tests/fuzz/corpus/<target>/.
fuzz:
	@scripts/bootstrap
	@$(CMAKE) --preset fuzz >/dev/null
	@$(CMAKE) --build --preset fuzz
	@.venv/bin/ctest --preset fuzz

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
