// The grouper's code maps: integer keys of a moderate span and dictionary chunks read in place
// through a map (never copied, never written), the map limit at its boundary, and reordering
// by permuting maps, against codes worked out by hand or by a std::map of the values.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "arrow_builder.hpp"
#include "yosmodel/core/detail/code_maps.hpp"
#include "yosmodel/core/grouper.hpp"

using namespace yosmodel;
using namespace yosmodel::arrow;
using namespace test_arrow;

namespace {

// The raw bytes a column's chunks read (values only), to show that nothing wrote them.
std::vector<std::uint8_t> bytes_read(const Column& column, std::size_t width) {
    std::vector<std::uint8_t> out;
    for (const Chunk& c : column.chunks()) {
        const auto* at =
            static_cast<const std::uint8_t*>(c.values) + static_cast<std::size_t>(c.offset) * width;
        out.insert(out.end(), at, at + static_cast<std::size_t>(c.length) * width);
    }
    return out;
}

// Values spanning `span` values in several chunks, every one present (the ends included).
template <class T>
std::vector<T> spanning(std::size_t n, std::uint64_t span, std::int64_t lowest, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<T> v(n);
    for (auto& x : v)
        x = static_cast<T>(lowest + static_cast<std::int64_t>(rng() % span));
    v[0] = static_cast<T>(lowest);
    v[n - 1] = static_cast<T>(lowest + static_cast<std::int64_t>(span - 1));
    return v;
}

// A column of `values` cut into three chunks.
template <class T>
struct Chunked {
    std::vector<Column> parts;
    Column column;
};

template <class T>
Chunked<T> chunked(const std::string& format, const std::vector<T>& values) {
    Chunked<T> out;
    const std::size_t cuts[] = {0, values.size() / 3, values.size() / 3 + 17, values.size()};
    std::vector<Chunk> chunks;
    for (std::size_t c = 0; c < 3; ++c) {
        out.parts.push_back(primitive_column(
            format, std::vector<T>(values.begin() + static_cast<std::ptrdiff_t>(cuts[c]),
                                   values.begin() + static_cast<std::ptrdiff_t>(cuts[c + 1]))));
        chunks.push_back(out.parts.back().chunks()[0]);
    }
    out.column = Column("k", out.parts[0].field(), std::move(chunks));
    return out;
}

template <class T>
void expect_mapped_in_place(const std::string& format, std::uint64_t span, std::int64_t lowest) {
    SCOPED_TRACE(format + ", span " + std::to_string(span));
    const auto values = spanning<T>(30'000, span, lowest, 7);
    const auto input = chunked(format, values);
    const auto before = bytes_read(input.column, sizeof(T));
    std::map<T, std::uint64_t> rank;
    for (T v : values)
        rank[v] = 0;
    std::uint64_t r = 0;
    for (auto& [v, code] : rank)
        code = r++;
    for (unsigned threads : {1U, 3U}) {
        GrouperOptions o;
        o.threads = threads;
        const GroupedKey key = group_key(input.column, o);
        ASSERT_TRUE(key.borrowed);
        ASSERT_EQ(key.segments.size(), 3U);
        for (std::size_t c = 0; c < 3; ++c) {  // the input's own memory, through one map
            EXPECT_EQ(std::visit([](auto s) { return static_cast<const void*>(s.data()); },
                                 key.segments[c].codes.values),
                      static_cast<const void*>(input.column.chunks()[c].template typed<T>()));
            EXPECT_EQ(key.segments[c].map.size(), span);
        }
        EXPECT_EQ(key.cardinality, rank.size());  // the values present, not the whole span
        ASSERT_EQ(key.categories.size(), rank.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            ASSERT_EQ(key.code(i), rank[values[i]]) << i;
    }
    EXPECT_EQ(bytes_read(input.column, sizeof(T)), before);
}

}  // namespace

TEST(CodeMaps, ModerateSpansAreReadInPlaceThroughAMapForEveryWidth) {
    // Spans above the grouper's read-as-is limit (4,096 values), so only a map reads them in
    // place; values absent from the span are no category.
    expect_mapped_in_place<std::int16_t>("s", 9'000, -4'000);
    expect_mapped_in_place<std::uint16_t>("S", 20'000, 100);
    expect_mapped_in_place<std::int32_t>("i", 70'000, -1'000'000);
    expect_mapped_in_place<std::uint32_t>("I", 70'000, 3'000'000'000);
    expect_mapped_in_place<std::int64_t>("l", 500'000, -(1LL << 40));
    expect_mapped_in_place<std::uint64_t>("L", 500'000, 1LL << 50);
    expect_mapped_in_place<std::int32_t>("tdD", 5'000, 18'000);  // dates are their days
}

TEST(CodeMaps, MapLimitBoundary) {
    // Values spanning one below, exactly and one above the map limit: a map up to the limit,
    // written codes above it; the same codes either way.
    for (const std::uint64_t limit : {std::uint64_t{5'000}, std::uint64_t{1} << 22}) {
        for (const std::uint64_t span : {limit - 1, limit, limit + 1}) {
            SCOPED_TRACE("limit " + std::to_string(limit) + ", span " + std::to_string(span));
            const std::vector<std::int64_t> v{7, 7 + static_cast<std::int64_t>(span) - 1, 7,
                                              7 + static_cast<std::int64_t>(span / 2)};
            GrouperOptions o;
            o.mapped_range_limit = limit;
            o.direct_range_limit = std::max<std::uint64_t>(limit, std::uint64_t{1} << 22);
            const GroupedKey key = group_key(primitive_column("l", v), o);
            EXPECT_EQ(key.borrowed, span <= limit);
            EXPECT_EQ(!key.segments[0].map.empty(), span <= limit);
            if (span <= limit) {
                EXPECT_EQ(key.segments[0].map.size(), span);
            }
            ASSERT_EQ(key.cardinality, 3U);
            EXPECT_EQ(key.code(0), 0U);
            EXPECT_EQ(key.code(1), 2U);
            EXPECT_EQ(key.code(2), 0U);
            EXPECT_EQ(key.code(3), 1U);
        }
    }
    // The default limit is the one the options say (2^22 values: a 16 MiB map).
    EXPECT_EQ(GrouperOptions{}.mapped_range_limit, std::uint64_t{1} << 22);
}

TEST(CodeMaps, MissingValuesAreWrittenNotMapped) {
    const std::vector<std::int64_t> v{10, 9'000, 10, 4'000};
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const GroupedKey key = group_key(primitive_column("l", v, {true, true, false, true}), o);
    EXPECT_FALSE(key.borrowed);  // a missing row's value can be anything: codes are written
    EXPECT_TRUE(key.segments[0].map.empty());
    EXPECT_EQ(key.code(2), 3U);
    EXPECT_EQ(key.code(3), 1U);
}

TEST(CodeMaps, DictionaryChunksReadThroughTheirMapsAndNeverWritten) {
    // Three chunks, three dictionaries: the first in the whole dictionary's order (no map), the
    // others through maps; the one with a missing row is rewritten; a sliced chunk starts at its
    // offset.
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const auto names =
        dictionary_column<std::int32_t>("i", {{"a", "b", "c"}, {"c", "a"}, {"b", "c", "a"}},
                                        {{9, 0, 1, 2, 1}, {9, 1, 0, 0, 1}, {9, 2, 1, 0, 7}},
                                        {{false, true, true, true, true},
                                         {false, true, true, true, true},
                                         {false, true, true, true, false}},
                                        1);
    const auto before = bytes_read(names.column, 4);
    const GroupedKey key = group_key(names.column, o);
    ASSERT_EQ(key.segments.size(), 3U);
    EXPECT_TRUE(key.segments[0].map.empty());
    EXPECT_EQ(std::vector<std::uint32_t>(key.segments[1].map.begin(), key.segments[1].map.end()),
              (std::vector<std::uint32_t>{2, 0}));
    EXPECT_TRUE(key.segments[2].map.empty());  // rewritten: it has a missing row
    EXPECT_EQ(std::visit([](auto s) { return static_cast<const void*>(s.data()); },
                         key.segments[1].codes.values),
              static_cast<const void*>(names.column.chunks()[1].typed<std::int32_t>()));
    EXPECT_EQ(key.cardinality, 4U);  // a, b, c and the missing group
    const std::vector<std::uint64_t> expected{0, 1, 2, 1, 0, 2, 2, 0, 0, 2, 1, 3};
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(key.code(i), expected[i]) << i;
    EXPECT_EQ(bytes_read(names.column, 4), before);
}

TEST(CodeMaps, ReorderPermutesMapsAndTouchesNoRow) {
    const auto values = spanning<std::int64_t>(20'000, 9'000, 500, 3);
    const auto input = chunked("l", values);
    const auto before = bytes_read(input.column, 8);
    GroupedKey key = group_key(input.column);
    ASSERT_FALSE(key.segments[0].map.empty());
    const std::size_t n = key.categories.size();
    std::vector<std::uint64_t> reverse(n);
    for (std::size_t c = 0; c < n; ++c)
        reverse[c] = n - 1 - c;
    std::vector<std::uint64_t> old_codes(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        old_codes[i] = key.code(i);
    const GroupedKey original = key;  // shares the maps, which reordering must not change
    for (const std::uint64_t limit : {reorder_map_limit, std::uint64_t{0}}) {
        SCOPED_TRACE("map limit " + std::to_string(limit));
        GroupedKey reordered = original;
        reorder_categories(reordered, reverse, 2, limit);
        EXPECT_EQ(reordered.borrowed, limit != 0);  // rewritten only past the limit
        EXPECT_EQ(reordered.categories.integers.front(), original.categories.integers.back());
        for (std::size_t i = 0; i < values.size(); ++i)
            ASSERT_EQ(reordered.code(i), n - 1 - old_codes[i]) << i;
        for (std::size_t i = 0; i < values.size(); i += 97)
            ASSERT_EQ(original.code(i), old_codes[i]) << i;
    }
    EXPECT_EQ(bytes_read(input.column, 8), before);
    // A mapped dictionary reordered, written out past the limit: an index outside its
    // dictionary stays outside either way.
    const auto names = dictionary_column({{"x", "y"}, {"y", "x"}}, {{1, 5}, {0, 1}});
    for (const std::uint64_t limit : {reorder_map_limit, std::uint64_t{0}}) {
        GroupedKey k = group_key(names.column);
        reorder_categories(k, std::vector<std::uint64_t>{1, 0}, 1, limit);
        EXPECT_EQ(k.code(0), 0U);
        EXPECT_GE(k.code(1), k.cardinality);
        EXPECT_EQ(k.code(2), 0U);
        EXPECT_EQ(k.code(3), 1U);
    }
}

TEST(CodeMaps, WrittenCodesCountWhatIsOutOfRange) {
    const auto names = dictionary_column({{"x", "y"}, {"y", "x"}}, {{1, 5, -1}, {0, 1}});
    const GroupedKey key = group_key(names.column);
    std::vector<std::uint8_t> out(key.rows, 9);
    EXPECT_EQ(detail::write_codes(key, out.data()), 2U);
    EXPECT_EQ(out, (std::vector<std::uint8_t>{1, 0, 0, 1, 0}));
}
