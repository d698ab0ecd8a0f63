// The grouping kernel alone (no Python): rows per second by number of keys and threads, on a
// synthetic cohort shaped like the benchmark in peers.py (uint8 counts, small integer codes).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "yosmodel/reoffending/aggregate.hpp"

using namespace yosmodel;

namespace {

struct Cohort {
    std::vector<std::uint8_t> yjs, sex, quarter, reoffences, previous;
};

const Cohort& cohort(std::size_t n) {
    static Cohort c;
    if (c.yjs.size() != n) {
        std::mt19937_64 rng(42);
        c = Cohort{};
        for (auto* v : {&c.yjs, &c.sex, &c.quarter, &c.reoffences, &c.previous})
            v->resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto r = rng();
            c.yjs[i] = static_cast<std::uint8_t>(r % 155);
            c.sex[i] = (r >> 8) % 100 < 85 ? 0 : 1;
            c.quarter[i] = static_cast<std::uint8_t>((r >> 16) % 8);
            c.reoffences[i] = static_cast<std::uint8_t>((r >> 24) % 10 < 6 ? 0 : (r >> 32) % 6);
            c.previous[i] = static_cast<std::uint8_t>((r >> 40) % 7);
        }
    }
    return c;
}

void BM_aggregate(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto n_keys = static_cast<std::size_t>(state.range(1));
    const auto threads = static_cast<unsigned>(state.range(2));
    const Cohort& c = cohort(n);
    std::vector<KeyColumn> keys;
    const std::vector<std::pair<const std::vector<std::uint8_t>*, std::uint64_t>> all{
        {&c.yjs, 155}, {&c.sex, 2}, {&c.quarter, 8}};
    for (std::size_t k = 0; k < n_keys; ++k)
        keys.push_back(
            {ColumnView("key", std::span<const std::uint8_t>(*all[k].first)), all[k].second});
    const ColumnView reoffences("reoffences", std::span<const std::uint8_t>(c.reoffences));
    const ColumnView previous("previous", std::span<const std::uint8_t>(c.previous));
    for (auto _ : state) {
        auto table = reoffending::aggregate(keys, reoffences, previous, {.threads = threads});
        benchmark::DoNotOptimize(table);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * (2 + n_keys)));
}

}  // namespace

BENCHMARK(BM_aggregate)
    ->ArgNames({"rows", "keys", "threads"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2, 3}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
