// Issue 11 in the core: partial-table bytes carry a checksum and are validated, merges refuse to
// wrap past 2^64, and sizes that would explode (margins over many groups and keys, secondary
// suppression over many keys) are refused with a LimitError before anything is allocated.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/disclosure/suppress.hpp"
#include "yosmodel/reoffending/margins.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

using namespace yosmodel;
using namespace yosmodel::reoffending;

namespace {

// The checksum the format documents, written out here independently of the library.
std::uint64_t fnv1a(const std::string& bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char byte : bytes) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string with_checksum(std::string body) {
    const std::uint64_t hash = fnv1a(body);
    for (int b = 0; b < 8; ++b)
        body.push_back(static_cast<char>((hash >> (8 * b)) & 0xff));
    return body;
}

PartialTable small_table() {
    return PartialTable(KeySpace({3, 2}), {0, 3, 5}, {{10, 4, 9, 20}, {5, 0, 0, 1}, {7, 7, 30, 2}});
}

}  // namespace

TEST(PartialTableBytes, EndWithTheDocumentedChecksum) {
    const std::string bytes = small_table().serialize();
    EXPECT_EQ(with_checksum(bytes.substr(0, bytes.size() - 8)), bytes);
}

TEST(PartialTableBytes, EveryChangedByteIsRefused) {
    const std::string bytes = small_table().serialize();
    for (std::size_t i = 0; i < bytes.size(); ++i)
        for (int flip : {0x01, 0x80, 0xff}) {
            std::string bad = bytes;
            bad[i] = static_cast<char>(bad[i] ^ flip);
            EXPECT_THROW(PartialTable::deserialize(bad), CorruptDataError) << i;
        }
}

TEST(PartialTableBytes, CountsAreValidatedEvenWithAGoodChecksum) {
    const std::string bytes = small_table().serialize();
    std::string body = bytes.substr(0, bytes.size() - 8);
    // The first group's reoffenders (after magic, version, 2 keys, 2 cardinalities, the group
    // count and 3 group ids) set above its offenders, then the checksum made to match.
    const std::size_t first_counts = 4 + 4 + 4 + 16 + 8 + 24;
    body[first_counts + 8] = 11;
    try {
        PartialTable::deserialize(with_checksum(body));
        FAIL() << "accepted reoffenders above offenders";
    } catch (const CorruptDataError& error) {
        EXPECT_NE(std::string(error.what()).find("rules"), std::string::npos);
    }
    std::string lengths = bytes.substr(0, bytes.size() - 8);
    lengths[4 + 4 + 4 + 16] = 4;  // four groups claimed, three present
    EXPECT_THROW(PartialTable::deserialize(with_checksum(lengths)), CorruptDataError);
}

TEST(PartialTableBytes, AnotherVersionIsRefusedByName) {
    std::string bytes = small_table().serialize();
    bytes[4] = 1;
    try {
        PartialTable::deserialize(bytes);
        FAIL();
    } catch (const CorruptDataError& error) {
        EXPECT_NE(std::string(error.what()).find("version 1"), std::string::npos);
    }
}

TEST(PartialTableMerge, RefusesToWrapAndLeavesTheTableUntouched) {
    const std::uint64_t half = std::uint64_t{1} << 63;
    PartialTable big(KeySpace({1}), {0}, {{half, 1, 1, 0}});
    const PartialTable copy = big;
    EXPECT_THROW(big.merge(copy), LimitError);
    EXPECT_EQ(big, copy);
    PartialTable fits(KeySpace({1}), {0}, {{half - 1, 1, 1, 0}});
    fits.merge(copy);
    EXPECT_EQ(fits.counts()[0].offenders, std::numeric_limits<std::uint64_t>::max());
    GroupCounts previous{1, 0, 0, std::numeric_limits<std::uint64_t>::max()};
    const GroupCounts one_more{1, 0, 0, 1};
    EXPECT_THROW(previous += one_more, LimitError);
    EXPECT_EQ(previous.offenders, 1U);  // untouched
}

TEST(Margins, TooManyCellsAreRefusedBeforeAllocating) {
    // 40 groups over 20 keys would make 40 x 2^20 cells, past the limit of 2^25.
    std::vector<std::uint64_t> groups;
    std::vector<GroupCounts> counts;
    for (std::uint64_t g = 0; g < 40; ++g) {
        groups.push_back(g);
        counts.push_back({1, 0, 0, 0});
    }
    const PartialTable wide(KeySpace(std::vector<std::uint64_t>(20, 2)), groups, counts);
    try {
        with_margins(wide);
        FAIL() << "margins over 20 keys and 40 groups were built";
    } catch (const LimitError& error) {
        EXPECT_NE(std::string(error.what()).find("20 keys"), std::string::npos);
    }
    EXPECT_EQ(with_margins(small_table()).size(), 9U);  // 3 cells, 2 + 3 totals, 1 grand total
}

TEST(Suppression, SecondarySuppressionOverManyKeysIsRefused) {
    const std::size_t keys = disclosure::max_secondary_keys + 1;
    std::vector<std::vector<std::uint8_t>> codes(keys, std::vector<std::uint8_t>(2));
    for (std::size_t k = 0; k < keys; ++k)
        codes[k] = {0, 1};  // one category and its total
    const std::vector<std::uint64_t> offenders{20, 20};
    std::vector<disclosure::TableDimension> dimensions;
    for (std::size_t k = 0; k < keys; ++k)
        dimensions.push_back(
            {ColumnView("k" + std::to_string(k), std::span<const std::uint8_t>(codes[k])), 1});
    const std::vector<ColumnView> count_columns{
        ColumnView("offenders", std::span<const std::uint64_t>(offenders))};
    disclosure::DisclosureRules rules;
    EXPECT_THROW(disclosure::suppress(dimensions, count_columns, rules), LimitError);
    rules.secondary = false;
    EXPECT_NO_THROW(disclosure::suppress(dimensions, count_columns, rules));
}
