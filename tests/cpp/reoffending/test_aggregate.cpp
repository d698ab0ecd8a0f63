// The grouping kernel against hand-worked groups and against itself (threads, chunking, modes).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/rates.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

namespace {

template <class T>
ColumnView column(const char* name, const std::vector<T>& v) {
    return ColumnView(name, std::span<const T>(v));
}

struct RandomCohort {
    std::vector<std::uint8_t> sex;
    std::vector<std::int16_t> yjs;
    std::vector<std::int64_t> quarter;
    std::vector<std::uint16_t> reoffences;
    std::vector<std::int32_t> previous;

    explicit RandomCohort(std::size_t n, unsigned seed = 1) {
        std::mt19937_64 rng(seed);
        std::bernoulli_distribution male(0.85);
        std::uniform_int_distribution<int> service(0, 154), q(0, 7);
        std::geometric_distribution<int> count(0.45);
        for (std::size_t i = 0; i < n; ++i) {
            sex.push_back(male(rng) ? 0 : 1);
            yjs.push_back(static_cast<std::int16_t>(service(rng)));
            quarter.push_back(q(rng));
            reoffences.push_back(static_cast<std::uint16_t>(rng() % 3 == 0 ? count(rng) : 0));
            previous.push_back(count(rng));
        }
    }

    std::vector<KeyColumn> keys() const {
        return {
            {column("yjs", yjs), 155}, {column("sex", sex), 2}, {column("quarter", quarter), 8}};
    }
};

}  // namespace

TEST(Aggregate, HandWorkedGroups) {
    // sex 0: reoffences {0, 3, 1} -> 3 offenders, 2 reoffenders, 4 reoffences, previous 1+0+5
    // sex 1: reoffences {0, 0}    -> 2 offenders, 0 reoffenders
    const std::vector<std::uint8_t> sex{0, 1, 0, 1, 0};
    const std::vector<std::int64_t> reoffences{0, 0, 3, 0, 1};
    const std::vector<std::int64_t> previous{1, 2, 0, 2, 5};
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    const auto table =
        aggregate(keys, column("reoffences", reoffences), column("previous", previous));
    ASSERT_EQ(table.size(), 2U);
    EXPECT_EQ(table.counts()[0], (GroupCounts{3, 2, 4, 6}));
    EXPECT_EQ(table.counts()[1], (GroupCounts{2, 0, 0, 4}));
    const auto rates = finalize(table);
    EXPECT_DOUBLE_EQ(rates.binary_rate[0], 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(rates.frequency_rate[0], 4.0 / 3.0);
    EXPECT_DOUBLE_EQ(rates.reoffences_per_reoffender[0], 2.0);
    EXPECT_DOUBLE_EQ(rates.previous_offences_mean[0], 2.0);
    EXPECT_DOUBLE_EQ(rates.binary_rate[1], 0.0);
    EXPECT_TRUE(std::isnan(rates.reoffences_per_reoffender[1]));
}

TEST(Aggregate, NoKeysGivesOneGroup) {
    const std::vector<double> reoffences{0, 1, 2, 0};
    const auto table = aggregate({}, column("reoffences", reoffences));
    ASSERT_EQ(table.size(), 1U);
    EXPECT_EQ(table.counts()[0], (GroupCounts{4, 2, 3, 0}));
}

TEST(Aggregate, EmptyCohortGivesNoGroups) {
    const std::vector<std::uint8_t> sex, reoffences;
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    EXPECT_EQ(aggregate(keys, column("reoffences", reoffences)).size(), 0U);
}

TEST(Aggregate, EmptyGroupsAreLeftOut) {
    const std::vector<std::uint8_t> code{0, 4, 4};
    const std::vector<std::uint8_t> reoffences{1, 0, 0};
    const std::vector<KeyColumn> keys{{column("ethnicity", code), 6}};
    const auto rates = finalize(aggregate(keys, column("reoffences", reoffences)));
    ASSERT_EQ(rates.rows(), 2U);
    EXPECT_EQ(rates.key_codes[0], (std::vector<std::uint64_t>{0, 4}));
}

TEST(Aggregate, GroupsAreInKeyOrderAndDecodeToTheirCodes) {
    const RandomCohort cohort(5000);
    const auto rates = finalize(aggregate(cohort.keys(), column("reoffences", cohort.reoffences)));
    for (std::size_t i = 1; i < rates.rows(); ++i) {
        const auto before = std::tuple(rates.key_codes[0][i - 1], rates.key_codes[1][i - 1],
                                       rates.key_codes[2][i - 1]);
        const auto here =
            std::tuple(rates.key_codes[0][i], rates.key_codes[1][i], rates.key_codes[2][i]);
        EXPECT_LT(before, here);
    }
    // Recount one group by brute force.
    std::uint64_t offenders = 0, reoffences = 0;
    for (std::size_t r = 0; r < cohort.sex.size(); ++r)
        if (cohort.yjs[r] == static_cast<int>(rates.key_codes[0][7]) &&
            cohort.sex[r] == rates.key_codes[1][7] &&
            cohort.quarter[r] == static_cast<std::int64_t>(rates.key_codes[2][7])) {
            ++offenders;
            reoffences += cohort.reoffences[r];
        }
    EXPECT_EQ(rates.offenders[7], offenders);
    EXPECT_EQ(rates.reoffences[7], reoffences);
}

TEST(Aggregate, IdenticalForEveryThreadCount) {
    const RandomCohort cohort(100'003);
    const auto one = aggregate(cohort.keys(), column("reoffences", cohort.reoffences),
                               column("previous", cohort.previous), {.threads = 1});
    for (unsigned threads : {2U, 3U, 7U, 64U}) {
        const auto many = aggregate(cohort.keys(), column("reoffences", cohort.reoffences),
                                    column("previous", cohort.previous), {.threads = threads});
        EXPECT_EQ(one, many) << threads << " threads";
    }
}

TEST(Aggregate, HashGrouperAgreesWithDirectTable) {
    const RandomCohort cohort(50'000);
    const auto direct = aggregate(cohort.keys(), column("reoffences", cohort.reoffences),
                                  column("previous", cohort.previous), {.threads = 2});
    const auto hashed =
        aggregate(cohort.keys(), column("reoffences", cohort.reoffences),
                  column("previous", cohort.previous), {.threads = 3, .direct_table_limit = 16});
    EXPECT_EQ(direct, hashed);
}

TEST(Aggregate, VeryWideKeySpaceUsesTheHashGrouper) {
    // 2^40 possible groups: a direct table would not fit in memory.
    const std::vector<std::uint64_t> person{5, 1'000'000'000'000ULL - 1, 5};
    const std::vector<std::uint8_t> reoffences{1, 0, 2};
    const std::vector<KeyColumn> keys{{column("person", person), 1'000'000'000'000ULL}};
    const auto table = aggregate(keys, column("reoffences", reoffences));
    ASSERT_EQ(table.size(), 2U);
    EXPECT_EQ(table.groups()[0], 5U);
    EXPECT_EQ(table.counts()[0], (GroupCounts{2, 2, 3, 0}));
}

TEST(Aggregate, SkewedKeyCountsEveryRow) {
    // Every row in one group exercises the interleaved tables' fold.
    const std::vector<std::uint8_t> sex(10'001, 0);
    const std::vector<std::uint8_t> reoffences(10'001, 1);
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    const auto table =
        aggregate(keys, column("reoffences", reoffences), std::nullopt, {.threads = 2});
    ASSERT_EQ(table.size(), 1U);
    EXPECT_EQ(table.counts()[0], (GroupCounts{10'001, 10'001, 10'001, 0}));
}

TEST(AggregateErrors, LengthsMustMatch) {
    const std::vector<std::uint8_t> sex{0, 1}, reoffences{0, 1, 2};
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    try {
        (void)aggregate(keys, column("reoffences", reoffences));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'sex'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("same length"), std::string::npos);
    }
    const std::vector<std::uint8_t> previous{1};
    EXPECT_THROW(
        (void)aggregate({}, column("reoffences", reoffences), column("previous", previous)),
        InputError);
}

TEST(AggregateErrors, CodeOutsideCardinalityNamesColumnAndCount) {
    const std::vector<std::int8_t> sex{0, 2, -2, 1};
    const std::vector<std::uint8_t> reoffences{0, 1, 0, 0};
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    try {
        (void)aggregate(keys, column("reoffences", reoffences));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(),
                     "key column 'sex': 2 rows have codes outside [0, 2); codes must "
                     "index the key's categories");
    }
}

TEST(AggregateErrors, CodeMinusOneIsAMissingValue) {
    // A pandas Categorical's missing value: it was called "a code outside [0, 2)". Now refused
    // as group_key refuses every other missing key, in its words, first, in every code width.
    const std::vector<std::uint8_t> reoffences{0, 1, 0, 0, 2};
    const auto expect_missing = [&](const ColumnView& codes, const char* message) {
        const std::vector<KeyColumn> keys{{codes, 2}};
        try {
            (void)aggregate(keys, column("reoffences", reoffences));
            FAIL() << message;
        } catch (const InputError& e) {
            EXPECT_STREQ(e.what(), message);
        }
    };
    const std::vector<std::int8_t> one{0, -1, 1, 1, 0};
    expect_missing(column("sex", one),
                   "grouping column 'sex': 1 row has a missing value; fill or drop them "
                   "before grouping (missing keys are never dropped silently)");
    const std::vector<std::int16_t> two{-1, 5, 1, -1, 0};
    expect_missing(column("sex", two),
                   "grouping column 'sex': 2 rows have a missing value; fill or drop them "
                   "before grouping (missing keys are never dropped silently)");
    const std::vector<std::int64_t> wide{0, 1, -1, 1, 0};
    expect_missing(column("sex", wide),
                   "grouping column 'sex': 1 row has a missing value; fill or drop them "
                   "before grouping (missing keys are never dropped silently)");
}

TEST(AggregateErrors, NegativeCounts) {
    const std::vector<std::int32_t> reoffences{0, -4, 1};
    try {
        (void)aggregate({}, column("reoffences", reoffences));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "column 'reoffences': 1 row negative; counts must be zero or more");
    }
}

TEST(AggregateErrors, NaNAndFractionalCounts) {
    const std::vector<double> with_nan{0, std::nan(""), 1};
    EXPECT_THROW((void)aggregate({}, column("reoffences", with_nan)), InputError);
    const std::vector<float> fractional{0.5F, 1.0F};
    try {
        (void)aggregate({}, column("previous_offences", fractional));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not whole numbers"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("0.5"), std::string::npos);  // never the value
    }
}

TEST(AggregateErrors, InfiniteCountsAreNotWholeNumbers) {
    // +inf was read as too large and set aside by max_reoffences like a real count.
    for (const double infinity : {HUGE_VAL, -HUGE_VAL}) {
        const std::vector<double> with_infinity{0, infinity, 1, infinity};
        try {
            (void)aggregate({}, column("reoffences", with_infinity));
            FAIL() << "an infinite count was accepted";
        } catch (const InputError& e) {
            EXPECT_STREQ(e.what(),
                         "column 'reoffences': 2 rows not whole numbers; counts must be integers");
        }
        const std::vector<float> as_float{0.0F, static_cast<float>(infinity)};
        EXPECT_THROW((void)aggregate({}, column("previous_offences", as_float)), InputError);
    }
}

TEST(AggregateErrors, FloatingPointKeysAreRefused) {
    const std::vector<double> key{0, 1};
    const std::vector<std::uint8_t> reoffences{0, 1};
    const std::vector<KeyColumn> keys{{column("age", key), 2}};
    EXPECT_THROW((void)aggregate(keys, column("reoffences", reoffences)), DtypeError);
}

TEST(AggregateErrors, KeySpaceBeyond64Bits) {
    const std::vector<std::uint64_t> a{0}, b{0};
    const std::vector<std::uint8_t> reoffences{0};
    const std::vector<KeyColumn> keys{{column("a", a), 1ULL << 40}, {column("b", b), 1ULL << 30}};
    EXPECT_THROW((void)aggregate(keys, column("reoffences", reoffences)), InputError);
}

TEST(AggregateErrors, CountsTooLargeForAPerson) {
    // Without a SetAsideRows to tally them, rows above max_reoffences are an error.
    const std::vector<std::uint64_t> reoffences{0, 1ULL << 40, 3};
    try {
        (void)aggregate({}, column("reoffences", reoffences));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(),
                     "column 'reoffences': 1 row above max_reoffences (1000 reoffences per "
                     "person); count them with a SetAsideRows, or raise max_reoffences if such "
                     "counts are real");
    }
    // Previous offences have no plausible-maximum rule: too large to read is an error.
    try {
        (void)aggregate({}, column("reoffences", std::vector<std::uint8_t>{0, 1, 2}),
                        column("previous", reoffences));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(),
                     "column 'previous': 1 row above 4294967295; a count per person "
                     "cannot be that large");
    }
    const std::vector<std::int64_t> mixed{-1, 1LL << 40, -2};
    try {
        (void)aggregate({}, column("reoffences", mixed));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("2 rows negative"), std::string::npos);
    }
}

TEST(Aggregate, LargeCountsTakeTheWidePathExactly) {
    // Counts of 2^16 and more are not packed; mix both kinds of chunk in one cohort.
    std::vector<std::uint32_t> reoffences(10'000, 1), previous(10'000, 2);
    reoffences[5000] = 1U << 19;
    previous[9999] = 70'000;
    const std::vector<std::uint8_t> sex(10'000, 1);
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    const auto table =
        aggregate(keys, column("reoffences", reoffences), column("previous", previous),
                  {.max_reoffences = highest_max_reoffences});
    ASSERT_EQ(table.size(), 1U);
    EXPECT_EQ(table.counts()[0],
              (GroupCounts{10'000, 10'000, 9'999 + (1U << 19), 2 * 9'999 + 70'000}));
}

TEST(Aggregate, PackedCellsUnpackBeforeTheyOverflow) {
    // 200,000 rows of the largest packable count in one group: the packed halves would overflow
    // 32 bits without the periodic unpack.
    const std::vector<std::uint32_t> reoffences(200'000, 65'535);
    const auto table =
        aggregate({}, column("reoffences", reoffences), column("previous", reoffences),
                  {.threads = 1, .max_reoffences = 65'535});
    EXPECT_EQ(table.counts()[0],
              (GroupCounts{200'000, 200'000, 200'000ULL * 65'535, 200'000ULL * 65'535}));
}
