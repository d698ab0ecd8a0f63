// The kernel over grouped keys and segmented, nullable counts, against `aggregate` on the same
// cohort given as plain codes, and against a std::map of hand-summed groups.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "../core/arrow_builder.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/grouper.hpp"
#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/detail/count_column.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;
using namespace test_arrow;

namespace {

struct Cohort {
    std::vector<std::int64_t> yjs;  // service numbers 1..155
    std::vector<std::string> sex;
    std::vector<std::uint8_t> quarter;  // 0..7
    std::vector<std::uint8_t> reoffences;
    std::vector<std::uint8_t> previous;

    explicit Cohort(std::size_t n, unsigned seed) {
        std::mt19937_64 rng(seed);
        for (std::size_t i = 0; i < n; ++i) {
            yjs.push_back(1 + static_cast<std::int64_t>(rng() % 155));
            sex.push_back(rng() % 7 == 0 ? "Female" : "Male");
            quarter.push_back(static_cast<std::uint8_t>(rng() % 8));
            reoffences.push_back(static_cast<std::uint8_t>(rng() % 3 == 0 ? rng() % 6 : 0));
            previous.push_back(static_cast<std::uint8_t>(rng() % 9));
        }
    }

    // Counts by (yjs, sex, quarter), summed by hand.
    [[nodiscard]] std::map<std::tuple<std::int64_t, std::string, int>, GroupCounts> reference()
        const {
        std::map<std::tuple<std::int64_t, std::string, int>, GroupCounts> out;
        for (std::size_t i = 0; i < yjs.size(); ++i) {
            auto& g = out[{yjs[i], sex[i], quarter[i]}];
            g.offenders += 1;
            g.reoffenders += reoffences[i] != 0;
            g.reoffences += reoffences[i];
            g.previous_offences += previous[i];
        }
        return out;
    }
};

// A count column cut into chunks at `cuts` (Arrow arrays of format `format` holding T).
template <class T>
struct ChunkedCounts {
    std::vector<arrow::Column> parts;
    arrow::Column column;
};

template <class T>
ChunkedCounts<T> chunked(const std::string& format, const std::vector<std::uint8_t>& values,
                         const std::vector<std::size_t>& cuts, const std::string& name) {
    ChunkedCounts<T> out;
    std::vector<arrow::Chunk> chunks;
    std::size_t begin = 0;
    for (std::size_t cut : cuts) {
        std::vector<T> piece(values.begin() + static_cast<std::ptrdiff_t>(begin),
                             values.begin() + static_cast<std::ptrdiff_t>(cut));
        out.parts.push_back(primitive_column(format, piece));
        chunks.push_back(out.parts.back().chunks()[0]);
        begin = cut;
    }
    out.column = arrow::Column(name, out.parts[0].field(), std::move(chunks));
    return out;
}

void expect_matches(const PartialTable& table, const GroupedKey& yjs, const GroupedKey& sex,
                    const GroupedKey& quarter, const Cohort& cohort) {
    const auto reference = cohort.reference();
    ASSERT_EQ(table.size(), reference.size());
    const KeySpace& space = table.key_space();
    for (std::size_t g = 0; g < table.size(); ++g) {
        const std::uint64_t id = table.groups()[g];
        const auto y = yjs.categories.integers[space.code(id, 0)];
        const auto s = std::string(sex.categories.string(space.code(id, 1)));
        const auto q = static_cast<int>(quarter.categories.unsigned_integers[space.code(id, 2)]);
        const auto at = reference.find({y, s, q});
        ASSERT_NE(at, reference.end());
        EXPECT_EQ(table.counts()[g], at->second);
    }
}

}  // namespace

TEST(GroupedColumns, ChunkedArrowColumnsMatchHandSums) {
    const Cohort cohort(30'000, 1);
    const auto yjs_column = primitive_column("l", cohort.yjs);
    const auto sex_column = utf8_column(cohort.sex);
    const auto quarter_column = primitive_column("C", cohort.quarter);
    // Counts chunked at rows that are not multiples of the kernel's block.
    const auto reoffences =
        chunked<std::int64_t>("l", cohort.reoffences, {7'001, 19'999, 30'000}, "reoffences");
    const auto previous =
        chunked<std::uint16_t>("S", cohort.previous, {123, 30'000}, "previous_offences");
    for (unsigned threads : {1U, 2U, 3U}) {
        GrouperOptions o;
        o.threads = threads;
        const std::vector<GroupedKey> keys{group_key(yjs_column, o), group_key(sex_column, o),
                                           group_key(quarter_column, o)};
        EXPECT_TRUE(keys[0].borrowed);  // int64 services read in place
        const CountColumn r = count_column(reoffences.column);
        const CountColumn p = count_column(previous.column);
        AggregateOptions a;
        a.threads = threads;
        const PartialTable table = aggregate_grouped(keys, r, &p, a);
        expect_matches(table, keys[0], keys[1], keys[2], cohort);
        // A key space too wide for the direct table goes through the hash grouper: same counts.
        a.direct_table_limit = 16;
        expect_matches(aggregate_grouped(keys, r, &p, a), keys[0], keys[1], keys[2], cohort);
    }
}

TEST(GroupedColumns, FusedOneBytePathEqualsDecodedPath) {
    const Cohort cohort(50'000, 2);
    GrouperOptions o;
    o.borrow_range_limit = 0;  // one-byte codes written by the grouper
    o.mapped_range_limit = 0;
    const auto yjs_column = primitive_column("l", cohort.yjs);
    const auto sex_column = utf8_column(cohort.sex);
    const auto quarter_column = primitive_column("C", cohort.quarter);
    const std::vector<GroupedKey> keys{group_key(yjs_column, o), group_key(sex_column, o),
                                       group_key(quarter_column, o)};
    const CountColumn r8 =
        count_column(ColumnView("reoffences", std::span<const std::uint8_t>(cohort.reoffences)));
    const CountColumn p8 = count_column(
        ColumnView("previous_offences", std::span<const std::uint8_t>(cohort.previous)));
    const std::vector<std::int32_t> wide_r(cohort.reoffences.begin(), cohort.reoffences.end());
    const std::vector<double> wide_p(cohort.previous.begin(), cohort.previous.end());
    const CountColumn r32 =
        count_column(ColumnView("reoffences", std::span<const std::int32_t>(wide_r)));
    const CountColumn p64 =
        count_column(ColumnView("previous_offences", std::span<const double>(wide_p)));
    for (std::size_t k = 1; k <= 3; ++k) {
        const std::span<const GroupedKey> some(keys.data(), k);
        for (unsigned threads : {1U, 2U}) {
            AggregateOptions a;
            a.threads = threads;
            const PartialTable fused = aggregate_grouped(some, r8, &p8, a);
            const PartialTable decoded = aggregate_grouped(some, r32, &p64, a);
            EXPECT_EQ(fused.groups(), decoded.groups());
            EXPECT_EQ(fused.counts(), decoded.counts());
            // And against the existing kernel on plain codes.
            std::vector<std::vector<std::uint8_t>> codes(k);
            std::vector<KeyColumn> plain;
            for (std::size_t j = 0; j < k; ++j) {
                for (std::size_t i = 0; i < cohort.yjs.size(); ++i)
                    codes[j].push_back(static_cast<std::uint8_t>(keys[j].code(i)));
                plain.push_back({ColumnView(keys[j].name, std::span<const std::uint8_t>(codes[j])),
                                 keys[j].cardinality});
            }
            const PartialTable old =
                aggregate(plain, ColumnView("r", std::span<const std::uint8_t>(cohort.reoffences)),
                          ColumnView("p", std::span<const std::uint8_t>(cohort.previous)), a);
            EXPECT_EQ(fused.groups(), old.groups());
            EXPECT_EQ(fused.counts(), old.counts());
        }
    }
}

TEST(GroupedColumns, MissingAndBadCountsAreReported) {
    const std::vector<std::int64_t> r{0, 424242, 2, -1};
    const std::vector<bool> valid{true, false, true, true};
    const auto column = primitive_column("l", r, valid);
    const CountColumn counts = count_column(column);
    try {
        aggregate_grouped({}, counts);
        FAIL() << "bad counts accepted";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("1 row missing"), std::string::npos) << m;
        EXPECT_EQ(m.find("424242"), std::string::npos) << m;
    }
    const std::vector<std::int64_t> ok{0, 424242, 2, 1};
    const auto valid_column = primitive_column("l", ok, valid);
    EXPECT_THROW(aggregate_grouped({}, count_column(valid_column)), InputError);
    const std::vector<double> fractions{0, 1.5, 2};
    EXPECT_THROW(aggregate_grouped({}, count_column(primitive_column("g", fractions))), InputError);
    // An infinity (an Arrow float64 column) is not a whole number either: +inf was set aside
    // by max_reoffences as though it were a real count.
    const std::vector<double> infinite{0, HUGE_VAL, 2, -HUGE_VAL};
    try {
        aggregate_grouped({}, count_column(primitive_column("g", infinite)));
        FAIL() << "infinite counts accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "column 'x': 2 rows not whole numbers; counts must be integers");
    }
    const std::vector<double> whole{0, 1, 2};
    const PartialTable t = aggregate_grouped({}, count_column(primitive_column("g", whole)));
    EXPECT_EQ(t.counts()[0], (GroupCounts{3, 2, 3, 0}));
    EXPECT_THROW(count_column(utf8_column({"a"})), DtypeError);
}

TEST(GroupedColumns, AMissingCountIsCountedOnceWhateverValueLiesUnderIt) {
    // Under a null, Arrow's value is undefined: NaN (pandas Float64), a negative, a fraction or
    // a huge number there must not be counted as a second broken rule or hide a real one.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> r{0, nan, -3, 2.5, 1e12, 1, nan};
    const std::vector<bool> valid{true, false, false, false, false, true, true};
    const auto message = [](const arrow::Column& column) {
        try {
            aggregate_grouped({}, count_column(column));
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message(primitive_column("g", r, valid)).find("5 rows missing"), std::string::npos)
        << message(primitive_column("g", r, valid));
    // Nulls alone, over values that break every rule: only the missing rows are reported.
    const std::vector<bool> only_nulls{true, false, false, false, false, true, false};
    EXPECT_NE(message(primitive_column("g", r, only_nulls)).find("5 rows missing"),
              std::string::npos);
    const std::vector<std::int64_t> ints{-1, 5, -7, 1};
    const std::vector<bool> valid_ints{false, true, true, true};
    // A null over -1 and a real -7: one missing, and the negative row still found.
    const auto column = primitive_column("l", ints, valid_ints);
    EXPECT_NE(message(column).find("1 row missing"), std::string::npos) << message(column);
    const std::vector<bool> all_but_first{false, true, false, true};
    const auto nulls_over_negatives = primitive_column("l", ints, all_but_first);
    EXPECT_NE(message(nulls_over_negatives).find("2 rows missing"), std::string::npos)
        << message(nulls_over_negatives);
}

TEST(GroupedColumns, NullKeyGroupAndCodesOutsideTheirKey) {
    const std::vector<std::int32_t> yjs{5, 0, 5, 7};
    const std::vector<bool> valid{true, false, true, true};
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const std::vector<GroupedKey> keys{group_key(primitive_column("i", yjs, valid), o)};
    const std::vector<std::uint8_t> r{1, 0, 0, 3};
    const CountColumn counts = count_column(ColumnView("r", std::span<const std::uint8_t>(r)));
    const PartialTable t = aggregate_grouped(keys, counts);
    ASSERT_EQ(t.size(), 3U);                              // 5, 7, missing
    EXPECT_EQ(t.counts()[0], (GroupCounts{2, 1, 1, 0}));  // 5
    EXPECT_EQ(t.counts()[2], (GroupCounts{1, 0, 0, 0}));  // missing
    const std::vector<std::int8_t> codes{0, 1, -1, 1};
    const std::vector<GroupedKey> bad{
        key_from_codes(ColumnView("sex", std::span<const std::int8_t>(codes)), 2)};
    EXPECT_THROW(aggregate_grouped(bad, counts), InputError);
}

TEST(GroupedColumns, SignedCategoricalCodesInTheFusedPass) {
    // pandas Categorical codes: int16 for 155 services, int8 for sex; -1 marks a missing value.
    const Cohort cohort(20'000, 3);
    std::vector<std::int16_t> yjs;
    std::vector<std::int8_t> sex;
    for (std::size_t i = 0; i < cohort.yjs.size(); ++i) {
        yjs.push_back(static_cast<std::int16_t>(cohort.yjs[i] - 1));
        sex.push_back(static_cast<std::int8_t>(cohort.sex[i] == "Male"));
    }
    const CountColumn r =
        count_column(ColumnView("reoffences", std::span<const std::uint8_t>(cohort.reoffences)));
    const std::vector<std::int32_t> wide(cohort.reoffences.begin(), cohort.reoffences.end());
    const CountColumn r32 =
        count_column(ColumnView("reoffences", std::span<const std::int32_t>(wide)));
    const std::vector<GroupedKey> keys{
        key_from_codes(ColumnView("yjs", std::span<const std::int16_t>(yjs)), 155),
        key_from_codes(ColumnView("sex", std::span<const std::int8_t>(sex)), 2)};
    const PartialTable fused = aggregate_grouped(keys, r);
    const PartialTable decoded = aggregate_grouped(keys, r32);
    EXPECT_EQ(fused.groups(), decoded.groups());
    EXPECT_EQ(fused.counts(), decoded.counts());
    std::map<std::pair<int, int>, GroupCounts> reference;
    for (std::size_t i = 0; i < yjs.size(); ++i) {
        auto& g = reference[{yjs[i], sex[i]}];
        g.offenders += 1;
        g.reoffenders += cohort.reoffences[i] != 0;
        g.reoffences += cohort.reoffences[i];
    }
    ASSERT_EQ(fused.size(), reference.size());
    std::size_t g = 0;
    for (const auto& [key, counts] : reference)
        EXPECT_EQ(fused.counts()[g++], counts);
    sex[17] = -1;
    yjs[5] = -1;
    try {
        aggregate_grouped(keys, r);
        FAIL() << "missing codes accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'yjs': 1 row"), std::string::npos) << e.what();
    }
    // The decoding pass (four-byte counts) counts the same codes outside their key.
    const auto expect_refused = [&](const char* message) {
        try {
            aggregate_grouped(keys, r32);
            FAIL() << "missing codes accepted by the decoding pass";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    };
    expect_refused("'yjs': 1 row");
    yjs[5] = 0;
    expect_refused("'sex': 1 row");
}

TEST(GroupedColumns, NarrowCodesAtTheEdgesOfTheirCardinality) {
    // Two-byte codes up to 65,535 with 65,536 categories are inside; a one-byte code of 127 with
    // 100 categories is outside; a code equal to the cardinality is outside. Counts of four
    // bytes take the decoding pass, one-byte counts the fused one.
    const std::vector<std::uint16_t> wide{0, 65'535, 65'535, 7};
    const std::vector<std::int8_t> narrow{0, 99, 127, 100};
    const std::vector<std::int32_t> reoffences{1, 0, 2, 0};
    const CountColumn r =
        count_column(ColumnView("reoffences", std::span<const std::int32_t>(reoffences)));
    const GroupedKey w =
        key_from_codes(ColumnView("wide", std::span<const std::uint16_t>(wide)), 65'536);
    const PartialTable t = aggregate_grouped(std::vector<GroupedKey>{w}, r);
    ASSERT_EQ(t.size(), 3U);
    EXPECT_EQ(t.groups().back(), 65'535U);
    EXPECT_EQ(t.counts().back(), (GroupCounts{2, 1, 2, 0}));
    const GroupedKey k = key_from_codes(ColumnView("k", std::span<const std::int8_t>(narrow)), 100);
    try {
        aggregate_grouped(std::vector<GroupedKey>{k}, r);
        FAIL() << "codes outside the key accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'k': 2 rows"), std::string::npos) << e.what();
    }
}

namespace {

// read_counts against a row-by-row reference: valid values copied, negative ones 0, values
// above 2^32 - 1 clamped to it (so the max_reoffences rule still sees them), each counted.
template <class T>
void expect_counts_read_like_reference(unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<T> values(3000);
    for (auto& v : values)
        v = static_cast<T>(rng() % 100);
    // Bad values at a chunk's first and last rows and inside it, where the type can hold them.
    const std::vector<std::size_t> at{5, 6, 1000, 2052, 2999};
    for (std::size_t k = 0; k < at.size(); ++k) {
        if constexpr (std::is_signed_v<T>)
            if (k % 2 == 0) values[at[k]] = static_cast<T>(-1 - static_cast<T>(k));
        if constexpr (sizeof(T) == 8)
            if (k % 2 == 1) values[at[k]] = static_cast<T>(max_count + 1 + k);
    }
    if constexpr (sizeof(T) >= 4 && !std::is_signed_v<T>)
        values[7] = static_cast<T>(max_count);  // the largest valid count
    const std::size_t begin = 5;
    const std::size_t n = values.size() - begin;
    CountViolations expected;
    std::vector<std::uint32_t> want(n);
    std::uint32_t want_largest = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const T v = values[begin + i];
        if (std::is_signed_v<T> && v < T{0}) {
            ++expected.negative;
            want[i] = 0;
        } else if (static_cast<std::uint64_t>(v) > max_count) {
            ++expected.too_large;
            want[i] = static_cast<std::uint32_t>(max_count);
        } else {
            want[i] = static_cast<std::uint32_t>(v);
        }
        want_largest = std::max(want_largest, want[i]);
    }
    const ColumnView view("reoffences", std::span<const T>(values));
    std::vector<std::uint32_t> out(n, 7);
    CountViolations got;
    const std::uint32_t largest = read_counts(view, begin, n, out.data(), got);
    EXPECT_EQ(out, want);
    EXPECT_EQ(largest, want_largest);
    EXPECT_EQ(got.negative, expected.negative);
    EXPECT_EQ(got.too_large, expected.too_large);
    EXPECT_EQ(got.missing + got.not_integer, 0U);
    // And a clean stretch of the same column reads as it is.
    CountViolations none;
    std::vector<std::uint32_t> clean(990);
    read_counts(view, 8, clean.size(), clean.data(), none);
    EXPECT_EQ(none.negative + none.too_large, 0U);
    for (std::size_t i = 0; i < clean.size(); ++i)
        ASSERT_EQ(clean[i], static_cast<std::uint32_t>(values[8 + i])) << i;
}

}  // namespace

TEST(GroupedColumns, CountsOfEveryIntegerWidthAreCheckedLikeARowByRowReference) {
    expect_counts_read_like_reference<std::int8_t>(1);
    expect_counts_read_like_reference<std::int16_t>(2);
    expect_counts_read_like_reference<std::int32_t>(3);
    expect_counts_read_like_reference<std::int64_t>(4);
    expect_counts_read_like_reference<std::uint8_t>(5);
    expect_counts_read_like_reference<std::uint16_t>(6);
    expect_counts_read_like_reference<std::uint32_t>(7);
    expect_counts_read_like_reference<std::uint64_t>(8);
}

TEST(GroupedColumns, OneByteCountsReadInPlaceFollowEveryRule) {
    // Signed and unsigned one-byte counts, with no keys, borrowed int64 keys and a low
    // max_reoffences (rows set aside), give what four-byte copies give through the decoding pass.
    const Cohort cohort(30'000, 9);
    const std::vector<std::int8_t> r8s(cohort.reoffences.begin(), cohort.reoffences.end());
    const std::vector<std::int8_t> p8s(cohort.previous.begin(), cohort.previous.end());
    const std::vector<std::int32_t> r32(cohort.reoffences.begin(), cohort.reoffences.end());
    const std::vector<std::int32_t> p32(cohort.previous.begin(), cohort.previous.end());
    const CountColumn ru =
        count_column(ColumnView("reoffences", std::span<const std::uint8_t>(cohort.reoffences)));
    const CountColumn pu =
        count_column(ColumnView("previous", std::span<const std::uint8_t>(cohort.previous)));
    const CountColumn rs =
        count_column(ColumnView("reoffences", std::span<const std::int8_t>(r8s)));
    const CountColumn ps = count_column(ColumnView("previous", std::span<const std::int8_t>(p8s)));
    const CountColumn rw =
        count_column(ColumnView("reoffences", std::span<const std::int32_t>(r32)));
    const CountColumn pw = count_column(ColumnView("previous", std::span<const std::int32_t>(p32)));
    const auto yjs_column = primitive_column("l", cohort.yjs);
    const std::vector<GroupedKey> one{group_key(yjs_column)};
    for (const std::span<const GroupedKey> keys :
         {std::span<const GroupedKey>{}, std::span<const GroupedKey>(one)}) {
        for (const std::uint32_t max_reoffences : {1'000U, 3U}) {
            AggregateOptions a;
            a.max_reoffences = max_reoffences;
            SetAsideRows want_aside;
            const PartialTable want = aggregate_grouped(keys, rw, &pw, a, &want_aside);
            for (const auto& [r, p] : {std::pair{&ru, &pu}, std::pair{&rs, &ps}}) {
                SetAsideRows aside;
                const PartialTable got = aggregate_grouped(keys, *r, p, a, &aside);
                EXPECT_EQ(got.groups(), want.groups());
                EXPECT_EQ(got.counts(), want.counts());
                EXPECT_EQ(aside, want_aside);
                if (max_reoffences == 3) {
                    EXPECT_GT(aside.reoffences_above_maximum, 0U);
                }
            }
        }
    }
    // A negative one-byte count is an error naming the column and the rule.
    std::vector<std::int8_t> negative = r8s;
    negative[2047] = -1;
    const CountColumn bad =
        count_column(ColumnView("reoffences", std::span<const std::int8_t>(negative)));
    try {
        aggregate_grouped(one, bad);
        FAIL() << "a negative count accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'reoffences': 1 row negative"), std::string::npos)
            << e.what();
    }
}
