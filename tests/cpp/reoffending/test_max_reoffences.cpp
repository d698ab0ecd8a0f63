// The max_reoffences rule in the kernel: rows above the plausible maximum are left out of every
// count and tallied, on every path (fused one-byte blocks, decoded blocks, direct and hashed
// tables, any thread count, any count dtype), against groups summed by hand over the kept rows.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/aggregate.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

namespace {

template <class T>
ColumnView column(const char* name, const std::vector<T>& v) {
    return ColumnView(name, std::span<const T>(v));
}

// Groups of `sex` summed by hand over the rows with at most `limit` reoffences.
template <class T>
std::map<std::uint64_t, GroupCounts> by_hand(const std::vector<std::uint8_t>& sex,
                                             const std::vector<T>& reoffences,
                                             const std::vector<std::uint32_t>& previous,
                                             double limit, std::size_t& dropped) {
    std::map<std::uint64_t, GroupCounts> out;
    dropped = 0;
    for (std::size_t i = 0; i < sex.size(); ++i) {
        if (static_cast<double>(reoffences[i]) > limit) {
            ++dropped;
            continue;
        }
        auto& g = out[sex[i]];
        g.offenders += 1;
        g.reoffenders += reoffences[i] != 0;
        g.reoffences += static_cast<std::uint64_t>(reoffences[i]);
        g.previous_offences += previous[i];
    }
    return out;
}

std::map<std::uint64_t, GroupCounts> as_map(const PartialTable& t) {
    std::map<std::uint64_t, GroupCounts> out;
    for (std::size_t g = 0; g < t.size(); ++g)
        out[t.groups()[g]] = t.counts()[g];
    return out;
}

}  // namespace

TEST(MaxReoffences, HandWorkedRowsAreSetAsideAndCounted) {
    // Two rows above 1,000 (the default): 5,000 and 987,654; the row at exactly 1,000 is kept.
    const std::vector<std::uint8_t> sex{0, 0, 1, 1, 1, 0};
    const std::vector<std::uint32_t> reoffences{0, 3, 5'000, 1'000, 987'654, 2};
    const std::vector<std::uint32_t> previous{1, 2, 3, 4, 5, 6};
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    SetAsideRows set_aside;
    const auto table = aggregate(keys, column("reoffences", reoffences),
                                 column("previous", previous), {}, &set_aside);
    EXPECT_EQ(set_aside.reoffences_above_maximum, 2U);
    ASSERT_EQ(table.size(), 2U);
    EXPECT_EQ(table.counts()[0], (GroupCounts{3, 2, 5, 9}));      // rows 0, 1, 5
    EXPECT_EQ(table.counts()[1], (GroupCounts{1, 1, 1'000, 4}));  // row 3
    EXPECT_EQ(default_max_reoffences, 1'000U);
}

TEST(MaxReoffences, ARaisedLimitLetsTheRowsThrough) {
    const std::vector<std::uint32_t> reoffences{0, 3, 5'000, 987'654};
    SetAsideRows set_aside;
    const auto table = aggregate({}, column("reoffences", reoffences), std::nullopt,
                                 {.max_reoffences = highest_max_reoffences}, &set_aside);
    EXPECT_EQ(set_aside.reoffences_above_maximum, 0U);
    EXPECT_EQ(table.counts()[0], (GroupCounts{4, 3, 992'657, 0}));
    // A lower limit sets aside more.
    const auto low = aggregate({}, column("reoffences", reoffences), std::nullopt,
                               {.max_reoffences = 2}, &set_aside);
    EXPECT_EQ(set_aside.reoffences_above_maximum, 3U);
    EXPECT_EQ(low.counts()[0], (GroupCounts{1, 0, 0, 0}));
}

TEST(MaxReoffences, LimitsOutsideTheRangeAreRefused) {
    const std::vector<std::uint8_t> reoffences{0, 1};
    SetAsideRows set_aside;
    for (const std::uint32_t limit : {0U, highest_max_reoffences + 1}) {
        try {
            (void)aggregate({}, column("reoffences", reoffences), std::nullopt,
                            {.max_reoffences = limit}, &set_aside);
            FAIL();
        } catch (const InputError& e) {
            EXPECT_STREQ(e.what(),
                         "max_reoffences must be between 1 and 1000000 reoffences per person");
        }
    }
}

TEST(MaxReoffences, OneByteCountsUnderALowLimitLeaveTheFusedPath) {
    // One-byte counts and one-byte codes normally take the fused pass; a limit below 255 must
    // still be applied to them.
    std::mt19937_64 rng(7);
    std::vector<std::uint8_t> sex, reoffences;
    std::vector<std::uint32_t> previous;
    for (std::size_t i = 0; i < 20'000; ++i) {
        sex.push_back(static_cast<std::uint8_t>(rng() % 2));
        reoffences.push_back(static_cast<std::uint8_t>(rng() % 10));
        previous.push_back(static_cast<std::uint32_t>(rng() % 4));
    }
    const std::vector<std::uint8_t> previous8(previous.begin(), previous.end());
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    std::size_t dropped = 0;
    const auto expected = by_hand(sex, reoffences, previous, 6, dropped);
    SetAsideRows set_aside;
    const auto table = aggregate(keys, column("reoffences", reoffences),
                                 column("previous", previous8), {.max_reoffences = 6}, &set_aside);
    EXPECT_GT(dropped, 0U);
    EXPECT_EQ(set_aside.reoffences_above_maximum, dropped);
    EXPECT_EQ(as_map(table), expected);
}

TEST(MaxReoffences, EveryPathAndThreadCountAgreesWithTheHandSums) {
    // A realistic cohort with a few implausible rows (one chunk in 50 has one), in several count
    // dtypes, through direct and hashed tables and one or several threads.
    std::mt19937_64 rng(11);
    const std::size_t n = 100'000;
    std::vector<std::uint8_t> sex;
    std::vector<std::int64_t> wide;
    std::vector<std::uint32_t> previous;
    for (std::size_t i = 0; i < n; ++i) {
        sex.push_back(static_cast<std::uint8_t>(rng() % 2));
        const bool implausible = rng() % (50 * 2048) == 0 || i == 4'097;
        wide.push_back(implausible ? static_cast<std::int64_t>(1'001 + rng() % (1ULL << 40))
                                   : static_cast<std::int64_t>(rng() % 3 == 0 ? rng() % 5 : 0));
        previous.push_back(static_cast<std::uint32_t>(rng() % 9));
    }
    const std::vector<double> floating(wide.begin(), wide.end());
    std::size_t dropped = 0;
    const auto expected = by_hand(sex, wide, previous, default_max_reoffences, dropped);
    ASSERT_GT(dropped, 0U);
    const std::vector<KeyColumn> keys{{column("sex", sex), 2}};
    for (const unsigned threads : {1U, 3U}) {
        for (const std::uint64_t direct_limit : {std::uint64_t{1} << 18, std::uint64_t{1}}) {
            const AggregateOptions options{.threads = threads, .direct_table_limit = direct_limit};
            SetAsideRows from_int, from_double;
            const auto a = aggregate(keys, column("reoffences", wide), column("previous", previous),
                                     options, &from_int);
            const auto b = aggregate(keys, column("reoffences", floating),
                                     column("previous", previous), options, &from_double);
            EXPECT_EQ(from_int.reoffences_above_maximum, dropped);
            EXPECT_EQ(from_double.reoffences_above_maximum, dropped);
            EXPECT_EQ(as_map(a), expected);
            EXPECT_EQ(as_map(b), expected);
        }
    }
}

TEST(MaxReoffences, TheRuleDoesNotHideOtherErrors) {
    // A negative count or a missing one is still an error, whatever else is set aside.
    SetAsideRows set_aside;
    const std::vector<std::int32_t> negative{-1, 5'000, 1};
    EXPECT_THROW((void)aggregate({}, column("reoffences", negative), std::nullopt, {}, &set_aside),
                 InputError);
    const std::vector<double> missing{std::numeric_limits<double>::quiet_NaN(), 5'000, 1};
    EXPECT_THROW((void)aggregate({}, column("reoffences", missing), std::nullopt, {}, &set_aside),
                 InputError);
}
