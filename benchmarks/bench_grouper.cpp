// The grouper and the kernel over grouped columns, on 10^7 rows: integer keys of a narrow span
// (read in place), of a middle span (direct table) and person ids (hash tables), strings of a
// service name and of a person id, and the fused one-byte pass. Args: threads.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "yosmodel/core/grouper.hpp"
#include "yosmodel/core/key_lookup.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"

using namespace yosmodel;

namespace {

constexpr std::size_t rows = 10'000'000;

const std::vector<std::int64_t>& integers(std::uint64_t span) {
    static std::vector<std::vector<std::int64_t>> cache(3);
    const std::size_t slot = span <= 155 ? 0 : span <= 100'000 ? 1 : 2;
    auto& v = cache[slot];
    if (v.empty()) {
        std::mt19937_64 rng(span);
        v.resize(rows);
        for (auto& x : v)
            x = 1 + static_cast<std::int64_t>(rng() % span);
    }
    return v;
}

// utf8 buffers of `rows` strings drawn from `distinct` names.
struct Strings {
    std::vector<std::int32_t> offsets;
    std::string data;
    Strings() { offsets.push_back(0); }  // filled by the caller
    explicit Strings(std::size_t distinct) {
        std::mt19937_64 rng(distinct);
        offsets.reserve(rows + 1);
        offsets.push_back(0);
        for (std::size_t i = 0; i < rows; ++i) {
            data += (distinct < 1000 ? "Youth Justice Service " : "P") +
                    std::to_string(rng() % distinct);
            offsets.push_back(static_cast<std::int32_t>(data.size()));
        }
    }
};

const Strings& strings(std::size_t distinct) {
    static Strings few(155), many(1'000'000);
    return distinct < 1000 ? few : many;
}

arrow::Column string_column(const Strings& s, std::size_t length = rows) {
    arrow::Chunk c;
    c.length = static_cast<std::int64_t>(length);
    c.offsets = s.offsets.data();
    c.data = s.data.data();
    c.first_offset = 0;
    c.last_offset = s.offsets.back();
    std::vector<arrow::Chunk> chunks{c};
    return arrow::Column("name", arrow::Field{arrow::Type::utf8}, std::move(chunks));
}

void group_integers(benchmark::State& state, std::uint64_t span, CategoryOrder order) {
    const auto& v = integers(span);
    const auto column =
        arrow::Column::borrow("id", arrow::Field{arrow::Type::int64}, v.data(), rows);
    GrouperOptions o;
    o.threads = static_cast<unsigned>(state.range(0));
    o.order = order;
    for (auto _ : state)
        benchmark::DoNotOptimize(group_key(column, o).cardinality);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void BM_GroupInt64Services(benchmark::State& s) {
    group_integers(s, 155, CategoryOrder::sorted);
}
void BM_GroupInt64Span1e5(benchmark::State& s) {
    group_integers(s, 100'000, CategoryOrder::sorted);
}
void BM_GroupInt64PersonIds(benchmark::State& s) {
    group_integers(s, 1ULL << 40, CategoryOrder::any);
}

void group_strings(benchmark::State& state, std::size_t distinct,
                   CategoryOrder order = CategoryOrder::any) {
    const auto column = string_column(strings(distinct));
    GrouperOptions o;
    o.threads = static_cast<unsigned>(state.range(0));
    o.order = distinct < 1000 ? CategoryOrder::sorted : order;
    for (auto _ : state)
        benchmark::DoNotOptimize(group_key(column, o).cardinality);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void BM_GroupStringServices(benchmark::State& s) {
    group_strings(s, 155);
}
void BM_GroupStringPersonIds(benchmark::State& s) {
    group_strings(s, 1'000'000);
}
// As the cohort asks for them: sorted, so that its people come out in id order.
void BM_GroupStringPersonIdsSorted(benchmark::State& s) {
    group_strings(s, 1'000'000, CategoryOrder::sorted);
}

// The cohort's offences looked up among the disposals' person ids: `distinct` ids, each once
// and sorted (the key), then 10^7 rows of ids drawn at random from them (Arg 1: 10^6 or 10^7).
void BM_LookUpStringPersonIds(benchmark::State& state) {
    const auto distinct = static_cast<std::size_t>(state.range(1));
    static std::vector<std::unique_ptr<Strings>> ids(2);
    static std::vector<std::unique_ptr<Strings>> rows_of(2);
    const std::size_t slot = distinct > 1'000'000 ? 1 : 0;
    if (!ids[slot]) {
        ids[slot] = std::make_unique<Strings>();
        rows_of[slot] = std::make_unique<Strings>();
        std::mt19937_64 rng(distinct);
        const auto id = [](std::size_t n) {  // P00001234
            std::array<char, 24> text{};
            std::snprintf(text.data(), text.size(), "P%08zu", n);
            return std::string(text.data());
        };
        for (std::size_t n = 0; n < distinct; ++n) {
            ids[slot]->data += id(n);
            ids[slot]->offsets.push_back(static_cast<std::int32_t>(ids[slot]->data.size()));
        }
        for (std::size_t i = 0; i < rows; ++i) {
            rows_of[slot]->data += id(rng() % distinct);
            rows_of[slot]->offsets.push_back(static_cast<std::int32_t>(rows_of[slot]->data.size()));
        }
    }
    GrouperOptions o;
    o.threads = static_cast<unsigned>(state.range(0));
    o.order = CategoryOrder::sorted;
    const GroupedKey key = group_key(string_column(*ids[slot], distinct), o);
    const auto column = string_column(*rows_of[slot], rows);
    for (auto _ : state)
        benchmark::DoNotOptimize(look_up(key, column, o.threads).unknown);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

// A cohort's offences looked up among its members: 2.1*10^6 members' ids (the key), then 10^7 rows
// of ids of 10^7 people drawn at random, a fifth of them members (Arg: threads).
void BM_LookUpOffencesAmongMembers(benchmark::State& state) {
    constexpr std::size_t people = 10'000'000;
    constexpr std::size_t members = 2'100'000;  // the benchmarks' cohort has 2,113,787
    static Strings member_ids;
    static Strings offence_ids;
    if (member_ids.offsets.size() <= 1) {
        std::mt19937_64 rng(5);
        const auto id = [](std::size_t n) {  // P00001234
            std::array<char, 24> text{};
            std::snprintf(text.data(), text.size(), "P%08zu", n);
            return std::string(text.data());
        };
        for (std::size_t n = 0; n < members; ++n) {
            member_ids.data += id(n * (people / members));
            member_ids.offsets.push_back(static_cast<std::int32_t>(member_ids.data.size()));
        }
        for (std::size_t i = 0; i < rows; ++i) {
            offence_ids.data += id(rng() % people);
            offence_ids.offsets.push_back(static_cast<std::int32_t>(offence_ids.data.size()));
        }
    }
    GrouperOptions o;
    o.threads = static_cast<unsigned>(state.range(0));
    o.order = CategoryOrder::sorted;
    const GroupedKey key = group_key(string_column(member_ids, members), o);
    const auto column = string_column(offence_ids, rows);
    for (auto _ : state)
        benchmark::DoNotOptimize(look_up(key, column, o.threads).unknown);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void BM_AggregateFusedOneByte(benchmark::State& state) {
    static std::vector<std::uint8_t> yjs, sex, quarter, reoffences, previous;
    if (yjs.empty()) {
        std::mt19937_64 rng(7);
        for (std::size_t i = 0; i < rows; ++i) {
            yjs.push_back(static_cast<std::uint8_t>(rng() % 155));
            sex.push_back(static_cast<std::uint8_t>(rng() % 2));
            quarter.push_back(static_cast<std::uint8_t>(rng() % 8));
            reoffences.push_back(static_cast<std::uint8_t>(rng() % 3 == 0 ? rng() % 5 : 0));
            previous.push_back(static_cast<std::uint8_t>(rng() % 7));
        }
    }
    const auto key = [](const char* name, const std::vector<std::uint8_t>& codes,
                        std::uint64_t cardinality) {
        return reoffending::key_from_codes(ColumnView(name, std::span<const std::uint8_t>(codes)),
                                           cardinality);
    };
    const std::vector<GroupedKey> keys{key("yjs", yjs, 155), key("sex", sex, 2),
                                       key("quarter", quarter, 8)};
    const auto r = reoffending::count_column(
        ColumnView("reoffences", std::span<const std::uint8_t>(reoffences)));
    const auto p = reoffending::count_column(
        ColumnView("previous_offences", std::span<const std::uint8_t>(previous)));
    const auto n_keys = static_cast<std::size_t>(state.range(1));
    for (auto _ : state) {
        const auto table =
            reoffending::aggregate_grouped(std::span<const GroupedKey>(keys.data(), n_keys), r, &p,
                                           {.threads = static_cast<unsigned>(state.range(0))});
        benchmark::DoNotOptimize(table.size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

}  // namespace

BENCHMARK(BM_GroupInt64Services)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GroupInt64Span1e5)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GroupInt64PersonIds)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GroupStringServices)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GroupStringPersonIds)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GroupStringPersonIdsSorted)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LookUpStringPersonIds)
    ->ArgsProduct({{1, 2}, {1'000'000, 10'000'000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LookUpOffencesAmongMembers)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_AggregateFusedOneByte)
    ->ArgsProduct({{1, 2}, {1, 2, 3}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
