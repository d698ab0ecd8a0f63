// Partial tables as values: merging is associative and commutative, splitting the rows and
// merging the partials changes nothing, and bytes round-trip (and corrupt bytes are refused).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "yosmodel/reoffending/aggregate.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

namespace {

struct Columns {
    std::vector<std::uint16_t> service;
    std::vector<std::uint8_t> reoffences;
    std::vector<std::uint8_t> previous;
};

Columns random_columns(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    Columns c;
    for (std::size_t i = 0; i < n; ++i) {
        c.service.push_back(static_cast<std::uint16_t>(rng() % 40));
        c.reoffences.push_back(static_cast<std::uint8_t>(rng() % 2 ? rng() % 5 : 0));
        c.previous.push_back(static_cast<std::uint8_t>(rng() % 9));
    }
    return c;
}

PartialTable aggregate_rows(const Columns& c, std::size_t begin, std::size_t end) {
    const auto slice = [&](const auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        return std::span<const T>(v).subspan(begin, end - begin);
    };
    const std::vector<KeyColumn> keys{{ColumnView("service", slice(c.service)), 40}};
    return aggregate(keys, ColumnView("reoffences", slice(c.reoffences)),
                     ColumnView("previous", slice(c.previous)), {.threads = 1});
}

}  // namespace

TEST(PartialTable, SplittingAndMergingChangesNothing) {
    const auto c = random_columns(20'000, 3);
    const auto whole = aggregate_rows(c, 0, 20'000);
    std::mt19937 rng(9);
    for (int trial = 0; trial < 20; ++trial) {
        const std::size_t a = rng() % 20'001, b = rng() % 20'001;
        const auto [lo, hi] = std::minmax(a, b);
        const auto p1 = aggregate_rows(c, 0, lo), p2 = aggregate_rows(c, lo, hi),
                   p3 = aggregate_rows(c, hi, 20'000);
        EXPECT_EQ(merge(merge(p1, p2), p3), whole);
        EXPECT_EQ(merge(p1, merge(p2, p3)), whole);  // associative
        EXPECT_EQ(merge(merge(p3, p1), p2), whole);  // commutative
    }
}

TEST(PartialTable, MergingWithEmptyIsIdentity) {
    const auto c = random_columns(1000, 4);
    const auto t = aggregate_rows(c, 0, 1000);
    EXPECT_EQ(merge(t, PartialTable(t.key_space())), t);
    EXPECT_EQ(merge(PartialTable(t.key_space()), t), t);
}

TEST(PartialTable, MergingDifferentKeySpacesIsRefused) {
    PartialTable a(KeySpace({2})), b(KeySpace({3}));
    EXPECT_THROW(a.merge(b), InputError);
}

TEST(PartialTable, BytesRoundTrip) {
    const auto c = random_columns(5000, 5);
    const auto t = aggregate_rows(c, 0, 5000);
    const std::string bytes = t.serialize();
    EXPECT_EQ(bytes.substr(0, 4), "YMPT");
    EXPECT_EQ(PartialTable::deserialize(bytes), t);
    EXPECT_EQ(PartialTable::deserialize(PartialTable(KeySpace()).serialize()),
              PartialTable(KeySpace()));
}

TEST(PartialTable, CorruptBytesAreRefused) {
    const auto c = random_columns(100, 6);
    const std::string bytes = aggregate_rows(c, 0, 100).serialize();
    EXPECT_THROW(PartialTable::deserialize("nonsense"), CorruptDataError);
    EXPECT_THROW(PartialTable::deserialize(bytes.substr(0, bytes.size() - 3)), InputError);
    EXPECT_THROW(PartialTable::deserialize(bytes + "x"), InputError);
    std::string future = bytes;
    future[4] = 9;  // version
    EXPECT_THROW(PartialTable::deserialize(future), InputError);
    std::string bad_counts = bytes;
    // First group's reoffenders field set above its offenders.
    const std::size_t groups = (bytes.size() - 4 - 4 - 4 - 8 - 8) / 40;
    const std::size_t first_counts = 4 + 4 + 4 + 8 + 8 + 8 * groups;
    bad_counts[first_counts + 8 + 7] = 1;
    EXPECT_THROW(PartialTable::deserialize(bad_counts), InputError);
}
