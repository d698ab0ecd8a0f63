// Margins by merging counts, against totals summed by hand from the groups.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <vector>

#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/margins.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

TEST(Margins, HandWorkedTwoKeys) {
    // keys (a: 2 codes, b: 3 codes); groups (0,0), (0,2), (1,1).
    const KeySpace space({2, 3});
    const PartialTable table(
        space, {0, 2, 4},
        {GroupCounts{10, 4, 9, 20}, GroupCounts{5, 0, 0, 1}, GroupCounts{7, 7, 8, 3}});
    const auto wide = with_margins(table);
    EXPECT_EQ(wide.key_space().cardinalities(), (std::vector<std::uint64_t>{3, 4}));
    // Wide ids: a * 4 + b, with a == 2 or b == 3 a total.
    std::map<std::pair<std::uint64_t, std::uint64_t>, GroupCounts> got;
    for (std::size_t i = 0; i < wide.size(); ++i)
        got[{wide.key_space().code(wide.groups()[i], 0),
             wide.key_space().code(wide.groups()[i], 1)}] = wide.counts()[i];
    const std::map<std::pair<std::uint64_t, std::uint64_t>, GroupCounts> want{
        {{0, 0}, {10, 4, 9, 20}}, {{0, 2}, {5, 0, 0, 1}}, {{0, 3}, {15, 4, 9, 21}},
        {{1, 1}, {7, 7, 8, 3}},   {{1, 3}, {7, 7, 8, 3}}, {{2, 0}, {10, 4, 9, 20}},
        {{2, 1}, {7, 7, 8, 3}},   {{2, 2}, {5, 0, 0, 1}}, {{2, 3}, {22, 11, 17, 24}}};
    EXPECT_EQ(got, want);
    // Sorted by id: within a = 0 the total (0, All) comes after its categories.
    EXPECT_TRUE(std::is_sorted(wide.groups().begin(), wide.groups().end()));
}

TEST(Margins, NoKeysIsTheTableItself) {
    const PartialTable table(KeySpace(std::vector<std::uint64_t>{}), {0},
                             {GroupCounts{3, 1, 2, 0}});
    EXPECT_EQ(with_margins(table), table);
}

TEST(Margins, TotalsEqualTheUngroupedAggregate) {
    std::mt19937_64 rng(3);
    std::vector<std::uint8_t> a, b, c;
    std::vector<std::int64_t> reoffences, previous;
    for (int i = 0; i < 5000; ++i) {
        a.push_back(static_cast<std::uint8_t>(rng() % 4));
        b.push_back(static_cast<std::uint8_t>(rng() % 2));
        c.push_back(static_cast<std::uint8_t>(rng() % 5));
        reoffences.push_back(rng() % 3 == 0 ? static_cast<std::int64_t>(rng() % 4) : 0);
        previous.push_back(static_cast<std::int64_t>(rng() % 6));
    }
    const ColumnView r("reoffences", std::span<const std::int64_t>(reoffences));
    const ColumnView p("previous", std::span<const std::int64_t>(previous));
    const std::vector<KeyColumn> keys{{ColumnView("a", std::span<const std::uint8_t>(a)), 4},
                                      {ColumnView("b", std::span<const std::uint8_t>(b)), 2},
                                      {ColumnView("c", std::span<const std::uint8_t>(c)), 5}};
    const auto wide = with_margins(aggregate(keys, r, p));
    const auto grand = aggregate({}, r, p).total();
    EXPECT_EQ(wide.counts().back(), grand);  // (All, All, All) sorts last
    // (a, All, All) equals grouping by a alone.
    const auto by_a = aggregate(std::span<const KeyColumn>(keys).first(1), r, p);
    for (std::size_t i = 0; i < wide.size(); ++i) {
        const auto id = wide.groups()[i];
        const auto& ks = wide.key_space();
        if (ks.code(id, 0) < 4 && ks.code(id, 1) == 2 && ks.code(id, 2) == 5) {
            EXPECT_EQ(wide.counts()[i], by_a.counts()[ks.code(id, 0)]);
        }
    }
    EXPECT_EQ(wide.size(), 5U * 3U * 6U);  // every group is non-empty at this size
}
