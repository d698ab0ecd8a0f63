// The cohort builder alone (no Python): offences per second by size and threads, on random
// records shaped like peers_cohort.py (ten offences and one or two disposals per person, dates
// over four years, offences in random person order as in a date-ordered extract).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/reoffending/cohort.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

namespace {

struct Records {
    std::vector<std::int32_t> disposal_person, disposal_date;
    std::vector<std::int8_t> disposal_kind;
    std::vector<std::int32_t> offence_person, offence_date, proven_date;
    std::vector<std::uint8_t> counts;
    // The same records as pandas hands them over: int64 ids, datetime64[ns] ticks.
    std::vector<std::int64_t> disposal_id, disposal_ns, offence_id, offence_ns, proven_ns;
};

const Records& records(std::size_t persons) {
    static Records r;
    static std::size_t made = 0;
    if (made != persons) {
        made = persons;
        r = Records{};
        std::mt19937_64 rng(42);
        const auto start = static_cast<std::int32_t>(dates::days_from_civil(2013, 1, 1));
        const std::size_t disposals = persons + persons / 2, offences = persons * 10;
        for (std::size_t i = 0; i < disposals; ++i) {
            const auto x = rng();
            r.disposal_person.push_back(static_cast<std::int32_t>(i < persons ? i : x % persons));
            r.disposal_date.push_back(start + static_cast<std::int32_t>((x >> 32) % 1461));
            r.disposal_kind.push_back(static_cast<std::int8_t>((x >> 16) % 5));
        }
        for (std::size_t i = 0; i < offences; ++i) {
            const auto x = rng();
            const auto committed = start + static_cast<std::int32_t>((x >> 32) % 1461);
            r.offence_person.push_back(static_cast<std::int32_t>(x % persons));
            r.offence_date.push_back(committed);
            r.proven_date.push_back(committed + static_cast<std::int32_t>((x >> 20) % 300));
            r.counts.push_back((x >> 12) % 10 != 0);
        }
        constexpr std::int64_t ns_per_day = 86'400'000'000'000;
        const auto ids = [](const std::vector<std::int32_t>& v) {
            return std::vector<std::int64_t>(v.begin(), v.end());
        };
        const auto ns = [](const std::vector<std::int32_t>& v) {
            std::vector<std::int64_t> out(v.size());
            for (std::size_t i = 0; i < v.size(); ++i)
                out[i] = v[i] * ns_per_day;
            return out;
        };
        r.disposal_id = ids(r.disposal_person);
        r.offence_id = ids(r.offence_person);
        r.disposal_ns = ns(r.disposal_date);
        r.offence_ns = ns(r.offence_date);
        r.proven_ns = ns(r.proven_date);
    }
    return r;
}

template <class T>
ColumnView column(const char* name, const std::vector<T>& v) {
    return ColumnView(name, std::span<const T>(v));
}

// Builds the 2014 cohort of the records on each iteration.
void run(benchmark::State& state, const DisposalColumns& d, const OffenceColumns& o,
         std::size_t persons, unsigned threads) {
    CohortRules rules;
    rules.period_start = dates::days_from_civil(2014, 1, 1);
    rules.period_end = dates::days_from_civil(2014, 12, 31);
    rules.qualifying = {true, true, true, false, false};
    for (auto _ : state) {
        auto cohort = build_cohort(d, o, PersonSpace{0, persons}, rules, {.threads = threads});
        benchmark::DoNotOptimize(cohort);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * o.person.size()));
}

void BM_build_cohort(benchmark::State& state) {
    const auto persons = static_cast<std::size_t>(state.range(0));
    const auto threads = static_cast<unsigned>(state.range(1));
    const Records& r = records(persons);
    const DisposalColumns d{column("person_id", r.disposal_person),
                            {column("date", r.disposal_date)},
                            column("kind", r.disposal_kind),
                            std::nullopt};
    const OffenceColumns o{column("person_id", r.offence_person),
                           {column("offence_date", r.offence_date)},
                           {column("proven_date", r.proven_date)},
                           column("counts", r.counts),
                           std::nullopt};
    run(state, d, o, persons, threads);
}

// int64 ids and nanosecond ticks, the shape of a pandas frame read from CSV or Parquet (the
// builder's fast path for datetime64 columns).
void BM_build_cohort_pandas_shape(benchmark::State& state) {
    const auto persons = static_cast<std::size_t>(state.range(0));
    const auto threads = static_cast<unsigned>(state.range(1));
    const Records& r = records(persons);
    const DisposalColumns d{column("person_id", r.disposal_id),
                            {column("date", r.disposal_ns), DateUnit::nanoseconds},
                            column("kind", r.disposal_kind),
                            std::nullopt};
    const OffenceColumns o{column("person_id", r.offence_id),
                           {column("offence_date", r.offence_ns), DateUnit::nanoseconds},
                           {column("proven_date", r.proven_ns), DateUnit::nanoseconds},
                           column("counts", r.counts),
                           std::nullopt};
    run(state, d, o, persons, threads);
}

}  // namespace

BENCHMARK(BM_build_cohort)
    ->ArgsProduct({{100'000, 1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_build_cohort_pandas_shape)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
