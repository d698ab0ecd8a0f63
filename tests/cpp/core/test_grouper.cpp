// The grouper against an independent reference (std::map of the distinct values, in order) for
// every key type, width, sign, thread count and path (in place, direct table, hash tables).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "arrow_builder.hpp"
#include "yosmodel/core/detail/hashed_codes.hpp"
#include "yosmodel/core/detail/string_key.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/grouper.hpp"

using namespace yosmodel;
using namespace yosmodel::arrow;
using namespace test_arrow;

namespace {

// Checks codes against the sorted distinct values: value v must have code rank(v).
template <class T>
void expect_sorted_codes(const GroupedKey& key, const std::vector<T>& values,
                         const std::vector<bool>& valid = {}) {
    std::map<T, std::uint64_t> rank;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (valid.empty() || valid[i]) rank[values[i]] = 0;
    std::uint64_t r = 0;
    for (auto& [v, code] : rank)
        code = r++;
    const bool any_missing = !valid.empty() && std::count(valid.begin(), valid.end(), false) > 0;
    // Read in place with no map: every value of the span is a category, present or not.
    const bool whole_span = key.borrowed && key.segments[0].map.empty();
    if (!whole_span) {
        ASSERT_EQ(key.categories.size(), rank.size());
        EXPECT_EQ(key.cardinality, rank.size() + (any_missing ? 1 : 0));
    }
    ASSERT_EQ(key.rows, values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint64_t code = key.code(i);
        ASSERT_LT(code, key.cardinality) << i;
        if (!valid.empty() && !valid[i]) {
            EXPECT_EQ(code, key.cardinality - 1) << i;
            continue;
        }
        if (whole_span)
            ASSERT_EQ(static_cast<T>(key.categories.field.type == Type::uint64 ||
                                             key.categories.field.type == Type::uint32 ||
                                             key.categories.field.type == Type::uint16 ||
                                             key.categories.field.type == Type::uint8
                                         ? static_cast<T>(key.categories.unsigned_integers[code])
                                         : static_cast<T>(key.categories.integers[code])),
                      values[i]);
        else
            ASSERT_EQ(code, rank[values[i]]) << i;
    }
}

std::size_t width_of_codes(const GroupedKey& key) {
    return std::visit([](auto s) { return sizeof(typename decltype(s)::value_type); },
                      key.segments[0].codes.values);
}

template <class T>
std::vector<T> random_values(std::size_t n, std::uint64_t span, std::int64_t lowest,
                             unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<T> v(n);
    for (auto& x : v)
        x = static_cast<T>(lowest + static_cast<std::int64_t>(rng() % span));
    return v;
}

}  // namespace

TEST(Grouper, NarrowIntegersAreReadInPlace) {
    const std::vector<std::int64_t> v{105, 101, 103, 101, 155};
    const Column c = primitive_column("l", v);
    const GroupedKey key = group_key(c);
    EXPECT_TRUE(key.borrowed);
    EXPECT_EQ(key.cardinality, 55U);  // 101..155
    EXPECT_EQ(key.code(0), 4U);
    EXPECT_EQ(key.code(4), 54U);
    EXPECT_EQ(key.categories.integers.front(), 101);
    EXPECT_EQ(key.categories.integers.back(), 155);
    expect_sorted_codes(key, v);
}

TEST(Grouper, ExactCategoriesWhenNotReadInPlace) {
    const std::vector<std::int64_t> v{105, 101, 103, 101, 155};
    GrouperOptions o;
    o.borrow_range_limit = 0;
    o.mapped_range_limit = 0;
    const GroupedKey key = group_key(primitive_column("l", v), o);
    EXPECT_FALSE(key.borrowed);
    EXPECT_EQ(key.categories.integers, (std::vector<std::int64_t>{101, 103, 105, 155}));
    EXPECT_EQ(width_of_codes(key), 1U);
    expect_sorted_codes(key, v);
}

TEST(Grouper, EveryIntegerWidthSignAndPath) {
    // Written codes (no map) and codes read through a map, for the spans a direct table holds.
    for (const std::uint64_t mapped : {std::uint64_t{0}, std::uint64_t{1} << 22})
        for (unsigned threads : {1U, 3U}) {
            for (std::uint64_t span : {3ULL, 300ULL, 70'000ULL, 5'000'000'000ULL}) {
                SCOPED_TRACE(std::to_string(threads) + " threads, span " + std::to_string(span) +
                             ", map limit " + std::to_string(mapped));
                GrouperOptions o;
                o.threads = threads;
                o.borrow_range_limit = 0;
                o.mapped_range_limit = mapped;
                o.direct_range_limit = 100'000;  // the last span goes through the hash tables
                const std::size_t n = 40'000;    // three blocks: three workers
                if (span < 128) {
                    const auto v8 = random_values<std::int8_t>(n, span, -1, 1);
                    expect_sorted_codes(group_key(primitive_column("c", v8), o), v8);
                    const auto u8 = random_values<std::uint8_t>(n, span, 0, 2);
                    expect_sorted_codes(group_key(primitive_column("C", u8), o), u8);
                }
                if (span < 30'000) {
                    const auto v16 = random_values<std::int16_t>(n, span, -200, 3);
                    expect_sorted_codes(group_key(primitive_column("s", v16), o), v16);
                }
                if (span < 60'000) {
                    const auto u16 = random_values<std::uint16_t>(n, span, 0, 4);
                    expect_sorted_codes(group_key(primitive_column("S", u16), o), u16);
                }
                const auto v32 = random_values<std::int32_t>(
                    n, std::min<std::uint64_t>(span, 1U << 30), -5000, 5);
                expect_sorted_codes(group_key(primitive_column("i", v32), o), v32);
                const auto u32 =
                    random_values<std::uint32_t>(n, std::min<std::uint64_t>(span, 1U << 31), 7, 6);
                expect_sorted_codes(group_key(primitive_column("I", u32), o), u32);
                const auto v64 = random_values<std::int64_t>(n, span, -(1LL << 40), 7);
                const GroupedKey k64 = group_key(primitive_column("l", v64), o);
                expect_sorted_codes(k64, v64);
                const auto u64 = random_values<std::uint64_t>(n, span, 0, 8);
                expect_sorted_codes(group_key(primitive_column("L", u64), o), u64);
            }
        }
}

TEST(Grouper, ExtremeValuesSortInTheirOwnOrder) {
    const std::vector<std::uint64_t> u{~0ULL, 0, 1ULL << 63, 5, ~0ULL};
    const GroupedKey ku = group_key(primitive_column("L", u));
    EXPECT_EQ(ku.categories.unsigned_integers,
              (std::vector<std::uint64_t>{0, 5, 1ULL << 63, ~0ULL}));
    expect_sorted_codes(ku, u);
    const std::vector<std::int64_t> s{INT64_MAX, INT64_MIN, -1, 0, INT64_MIN};
    const GroupedKey ks = group_key(primitive_column("l", s));
    EXPECT_EQ(ks.categories.integers, (std::vector<std::int64_t>{INT64_MIN, -1, 0, INT64_MAX}));
    expect_sorted_codes(ks, s);
}

TEST(Grouper, CodesAreNeverWiderThanNeeded) {
    GrouperOptions o;
    o.borrow_range_limit = 0;
    o.mapped_range_limit = 0;
    for (const auto& [distinct, width] : std::vector<std::pair<int, std::size_t>>{
             {1, 1}, {256, 1}, {257, 2}, {65'536, 2}, {65'537, 4}}) {
        std::vector<std::int64_t> v;
        for (int i = 0; i < distinct; ++i)
            v.push_back(i * 1000LL);  // a span too wide for the direct table at 65,537
        const GroupedKey key = group_key(primitive_column("l", v), o);
        EXPECT_EQ(key.cardinality, static_cast<std::uint64_t>(distinct));
        EXPECT_EQ(width_of_codes(key), width) << distinct;
        expect_sorted_codes(key, v);
    }
    // A missing value's group counts: 256 values and a missing one need two bytes.
    std::vector<std::int64_t> v(257);
    std::vector<bool> valid(257, true);
    for (int i = 0; i < 256; ++i)
        v[i] = i;
    valid[256] = false;
    o.nulls = NullKeys::group;
    const GroupedKey key = group_key(primitive_column("l", v, valid), o);
    EXPECT_EQ(key.cardinality, 257U);
    EXPECT_EQ(width_of_codes(key), 2U);
}

TEST(Grouper, MissingKeysRefusedOrGrouped) {
    const std::vector<std::int32_t> v{4, 424242, 4, 9};
    const std::vector<bool> valid{true, false, true, false};
    try {
        group_key(primitive_column("i", v, valid));
        FAIL() << "missing keys accepted";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("2 rows"), std::string::npos) << m;
        EXPECT_EQ(m.find("424242"), std::string::npos) << m;
    }
    GrouperOptions o;
    o.nulls = NullKeys::group;
    for (unsigned threads : {1U, 2U}) {
        o.threads = threads;
        const GroupedKey key = group_key(primitive_column("i", v, valid), o);
        EXPECT_TRUE(key.null_group);
        EXPECT_EQ(key.cardinality, 2U);  // 4 and the missing group
        expect_sorted_codes(key, v, valid);
    }
    const std::vector<bool> none(4, false);
    const GroupedKey all = group_key(primitive_column("i", v, none), o);
    EXPECT_EQ(all.cardinality, 1U);
    EXPECT_EQ(all.code(3), 0U);
}

TEST(Grouper, Booleans) {
    const std::vector<bool> bits{true, false, true, true};
    ArrowArray a = make_array(4, 0, 0, {Bytes{}, bitmap_of(bits)}, {false, true});
    ArrowSchema s = make_schema("b");
    const Column c = std::move(import_array(&s, &a)[0]);
    const GroupedKey key = group_key(c);
    EXPECT_EQ(key.categories.integers, (std::vector<std::int64_t>{0, 1}));
    EXPECT_EQ(key.code(0), 1U);
    EXPECT_EQ(key.code(1), 0U);
    const std::vector<bool> only_true{true, true};
    ArrowArray t = make_array(2, 0, 0, {Bytes{}, bitmap_of(only_true)}, {false, true});
    ArrowSchema st = make_schema("b");
    const GroupedKey kt = group_key(std::move(import_array(&st, &t)[0]));
    EXPECT_EQ(kt.categories.integers, (std::vector<std::int64_t>{1}));
    EXPECT_EQ(kt.code(1), 0U);
}

TEST(Grouper, DatesAndTimestamps) {
    const std::vector<std::int32_t> days{16'000, 15'000, 16'000};
    const GroupedKey d = group_key(primitive_column("tdD", days));
    EXPECT_EQ(d.categories.field.type, Type::date32);
    expect_sorted_codes(d, days);
    const std::vector<std::int64_t> ns{1'400'000'000'000'000'000, -5, 1'400'000'000'000'000'000};
    const GroupedKey t = group_key(primitive_column("tsn:", ns));
    EXPECT_EQ(t.categories.field.unit, TimeUnit::nanosecond);
    EXPECT_EQ(t.categories.integers, (std::vector<std::int64_t>{-5, 1'400'000'000'000'000'000}));
    expect_sorted_codes(t, ns);
}

TEST(Grouper, FloatsAreRefused) {
    const std::vector<double> v{1.5, 2.0};
    EXPECT_THROW(group_key(primitive_column("g", v)), DtypeError);
}

namespace {

std::vector<std::string> random_strings(std::size_t n, std::size_t distinct, unsigned seed) {
    std::vector<std::string> pool;
    for (std::size_t i = 0; i < distinct; ++i)  // short, inline-length and long strings
        pool.push_back(std::string(i % 3 == 0 ? "Youth Offending Service " : "YJS") +
                       std::to_string(i * 7919 % 100003));
    std::mt19937_64 rng(seed);
    std::vector<std::string> out(n);
    for (auto& s : out)
        s = pool[rng() % distinct];
    return out;
}

void expect_string_codes(const GroupedKey& key, const std::vector<std::string>& values) {
    std::map<std::string, std::uint64_t> rank;
    for (const auto& v : values)
        rank[v] = 0;
    std::uint64_t r = 0;
    for (auto& [v, code] : rank)
        code = r++;
    ASSERT_EQ(key.categories.size(), rank.size());
    std::size_t c = 0;
    for (const auto& [v, code] : rank)
        ASSERT_EQ(key.categories.string(c++), v);
    for (std::size_t i = 0; i < values.size(); ++i)
        ASSERT_EQ(key.code(i), rank[values[i]]) << i;
}

// The same strings as utf8, large_utf8 and string views, on one and two threads.
void expect_string_codes_in_every_layout(const std::vector<std::string>& values) {
    for (unsigned threads : {1U, 2U}) {
        GrouperOptions o;
        o.threads = threads;
        expect_string_codes(group_key(utf8_column(values), o), values);
        expect_string_codes(group_key(utf8_column(values, "U"), o), values);
        expect_string_codes(group_key(view_column(values), o), values);
    }
}

}  // namespace

TEST(Grouper, StringsEveryLayoutAndPath) {
    for (unsigned threads : {1U, 3U}) {
        for (std::size_t distinct : {1U, 155U, 255U, 256U, 3000U}) {
            SCOPED_TRACE(std::to_string(threads) + " threads, " + std::to_string(distinct));
            GrouperOptions o;
            o.threads = threads;
            o.min_rows_per_key = 0;  // 3,000 keys in 35,000 rows: still on every worker
            const auto values = random_strings(35'000, distinct, static_cast<unsigned>(distinct));
            const GroupedKey u = group_key(utf8_column(values), o);
            expect_string_codes(u, values);
            EXPECT_EQ(width_of_codes(u), distinct <= 256 ? 1U : 2U);
            expect_string_codes(group_key(utf8_column(values, "U"), o), values);
            expect_string_codes(group_key(view_column(values), o), values);
        }
    }
}

// Short strings are hashed and compared as packed words (core/detail/string_key.hpp): strings of
// every length from 0 to 40 bytes that differ from each other in exactly one byte, at every
// position, must all be told apart and each found again, in every layout.
TEST(Grouper, StringsDifferingInOneByteAtEveryPosition) {
    std::vector<std::string> pool;
    for (std::size_t length = 0; length <= 40; ++length) {
        const std::string base(length, 'a');
        pool.push_back(base);
        for (std::size_t at = 0; at < length; ++at) {
            std::string s = base;
            s[at] = 'b';
            pool.push_back(s);
        }
    }
    std::mt19937_64 rng(7);
    std::vector<std::string> values = pool;  // every one present; then repeats in random order
    for (std::size_t i = 0; i < 20'000; ++i)
        values.push_back(pool[rng() % pool.size()]);
    expect_string_codes_in_every_layout(values);
}

TEST(Grouper, ShortStringsAreTheSameKeyWhateverFollowsThemInTheBuffer) {
    // Every length up to 20 bytes, each followed by different neighbours, and again at the very
    // end of the data buffer (where fewer than 16 bytes can be read from the string's start).
    const std::string alphabet = "0123456789abcdefghij";
    std::vector<std::string> values;
    for (std::size_t n = 0; n <= alphabet.size(); ++n) {
        values.push_back(alphabet.substr(0, n));
        values.push_back(std::string(17, static_cast<char>('K' + n % 10)));
        values.push_back(alphabet.substr(0, n) + "~");  // one byte longer, same prefix
    }
    for (std::size_t n = alphabet.size() + 1; n-- > 0;)
        values.push_back(alphabet.substr(0, n));
    expect_string_codes_in_every_layout(values);
}

TEST(Grouper, StringsSortByCodePoint) {
    const std::vector<std::string> v{"\xc3\xa9t\xc3\xa9", "zebra", "Zebra", "", "abc"};
    const GroupedKey key = group_key(utf8_column(v));
    ASSERT_EQ(key.categories.size(), 5U);
    EXPECT_EQ(key.categories.string(0), "");
    EXPECT_EQ(key.categories.string(1), "Zebra");
    EXPECT_EQ(key.categories.string(2), "abc");
    EXPECT_EQ(key.categories.string(3), "zebra");
    EXPECT_EQ(key.categories.string(4), "\xc3\xa9t\xc3\xa9");
}

TEST(Grouper, MalformedStringsAreCountedNotRead) {
    const std::vector<std::int32_t> offsets{0, 9, 4, 6};
    ArrowArray a =
        make_array(3, 0, 0, {Bytes{}, bytes_of(offsets), Bytes(6, 'a')}, {false, true, true});
    ArrowSchema s = make_schema("u", "yjs");
    const Column c = std::move(import_array(&s, &a)[0]);
    try {
        group_key(c);
        FAIL() << "malformed offsets accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("2 rows"), std::string::npos) << e.what();
    }
}

TEST(Grouper, DictionaryIndicesAsTheyAre) {
    const auto c = dictionary_column({{"Leeds", "Bury", "Hackney"}}, {{2, 0, 1, 2}});
    const GroupedKey key = group_key(c.column);
    EXPECT_TRUE(key.borrowed);  // the indices themselves
    EXPECT_EQ(key.cardinality, 3U);
    EXPECT_EQ(key.categories.string(0), "Leeds");  // the dictionary's own order
    EXPECT_EQ(key.code(0), 2U);
    EXPECT_EQ(key.code(1), 0U);
}

TEST(Grouper, ChunkedDictionariesAreUnified) {
    // Same dictionary in two chunks: still read in place.
    const auto same = dictionary_column({{"a", "b"}, {"a", "b"}}, {{0, 1}, {1, 1}});
    const GroupedKey k1 = group_key(same.column);
    EXPECT_TRUE(k1.borrowed);
    EXPECT_EQ(k1.cardinality, 2U);
    EXPECT_EQ(k1.code(2), 1U);
    // Different dictionaries: one dictionary in first-seen order, indices read through each
    // chunk's map (the first chunk's dictionary is a prefix of it, but shorter, so mapped too).
    for (unsigned threads : {1U, 2U}) {
        GrouperOptions o;
        o.threads = threads;
        const auto mixed =
            dictionary_column({{"b", "a"}, {"c", "a", "b"}}, {{0, 1, 0}, {0, 1, 2, 0}});
        const GroupedKey k2 = group_key(mixed.column, o);
        EXPECT_TRUE(k2.borrowed);
        ASSERT_EQ(k2.segments.size(), 2U);
        EXPECT_EQ(std::vector<std::uint32_t>(k2.segments[0].map.begin(), k2.segments[0].map.end()),
                  (std::vector<std::uint32_t>{0, 1}));
        EXPECT_EQ(std::vector<std::uint32_t>(k2.segments[1].map.begin(), k2.segments[1].map.end()),
                  (std::vector<std::uint32_t>{2, 1, 0}));
        ASSERT_EQ(k2.categories.size(), 3U);
        EXPECT_EQ(k2.categories.string(0), "b");
        EXPECT_EQ(k2.categories.string(1), "a");
        EXPECT_EQ(k2.categories.string(2), "c");
        const std::vector<std::uint64_t> expected{0, 1, 0, 2, 1, 0, 2};
        for (std::size_t i = 0; i < expected.size(); ++i)
            EXPECT_EQ(k2.code(i), expected[i]) << i;
    }
}

TEST(Grouper, DictionaryNullsAndBadIndices) {
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const auto c = dictionary_column({{"x", "y"}}, {{1, 0, 1}}, {{true, false, true}});
    EXPECT_THROW(group_key(c.column), InputError);
    const GroupedKey key = group_key(c.column, o);
    EXPECT_EQ(key.cardinality, 3U);
    EXPECT_EQ(key.code(0), 1U);
    EXPECT_EQ(key.code(1), 2U);
    // An index outside its dictionary: counted when rewritten (a chunk with missing rows), left
    // to kernels when read in place (with or without a map).
    const auto bad = dictionary_column({{"x"}, {"y"}}, {{0, 5, 0}, {-1, 0, 0}},
                                       {{true, true, false}, {true, true, false}});
    try {
        group_key(bad.column, o);
        FAIL() << "bad indices accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("2 rows"), std::string::npos) << e.what();
    }
    const auto mapped = dictionary_column({{"x"}, {"y"}}, {{0, 5}, {-1, 0}});
    const GroupedKey km = group_key(mapped.column);
    EXPECT_EQ(km.code(0), 0U);
    EXPECT_GE(km.code(1), km.cardinality);
    EXPECT_GE(km.code(2), km.cardinality);
    EXPECT_EQ(km.code(3), 1U);
    const auto in_place = dictionary_column({{"x"}}, {{0, 5}});
    const GroupedKey k = group_key(in_place.column);
    EXPECT_GE(k.code(1), k.cardinality);
}

TEST(Grouper, MissingGroupOnEveryPathAndThreadCount) {
    const std::size_t n = 40'000;
    std::mt19937_64 rng(11);
    std::vector<bool> valid(n);
    for (std::size_t i = 0; i < n; ++i)
        valid[i] = rng() % 7 != 0;
    for (unsigned threads : {1U, 3U}) {
        GrouperOptions o;
        o.threads = threads;
        o.nulls = NullKeys::group;
        o.direct_range_limit = 100'000;
        o.min_rows_per_key = 0;
        for (std::uint64_t span : {10ULL, 50'000ULL, 1ULL << 40}) {
            SCOPED_TRACE(std::to_string(threads) + " threads, span " + std::to_string(span));
            const auto v = random_values<std::int64_t>(n, span, -3, 12);
            const GroupedKey key = group_key(primitive_column("l", v, valid), o);
            EXPECT_TRUE(key.null_group);
            expect_sorted_codes(key, v, valid);
        }
        // Strings with missing rows.
        const auto strings = random_strings(n, 40, 13);
        auto buffers = utf8_buffers(strings);
        buffers[0] = bitmap_of(valid);
        std::int64_t nulls = 0;
        for (bool v : valid)
            nulls += !v;
        ArrowArray a = make_array(static_cast<std::int64_t>(n), nulls, 0, buffers);
        ArrowSchema s = make_schema("u");
        const GroupedKey key = group_key(std::move(import_array(&s, &a)[0]), o);
        std::map<std::string, std::uint64_t> rank;
        for (std::size_t i = 0; i < n; ++i)
            if (valid[i]) rank[strings[i]] = 0;
        std::uint64_t r = 0;
        for (auto& [str, code] : rank)
            code = r++;
        ASSERT_EQ(key.cardinality, rank.size() + 1);
        for (std::size_t i = 0; i < n; ++i)
            ASSERT_EQ(key.code(i), valid[i] ? rank[strings[i]] : rank.size()) << i;
    }
}

TEST(Grouper, AnyOrderGivesDenseCodesForPersonIds) {
    const auto v = random_values<std::uint64_t>(40'000, 1ULL << 50, 0, 14);
    GrouperOptions o;
    o.threads = 3;
    o.order = CategoryOrder::any;
    o.min_rows_per_key = 0;  // three workers' tables merged, though every id is unique
    const GroupedKey key = group_key(primitive_column("L", v), o);
    std::map<std::uint64_t, std::uint64_t> code_of;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto [at, inserted] = code_of.emplace(v[i], key.code(i));
        ASSERT_EQ(at->second, key.code(i)) << i;  // one value, one code
        ASSERT_EQ(key.categories.unsigned_integers[key.code(i)], v[i]);
    }
    EXPECT_EQ(key.cardinality, code_of.size());
}

TEST(Grouper, CategoriesReorderedWithTheirCodes) {
    // A dictionary column (b, a, c) with a missing row, put in the reverse order; the missing
    // group stays last.
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const auto names =
        dictionary_column({{"b", "a", "c"}}, {{0, 1, 2, 1, 0}}, {{true, true, true, false, true}});
    for (unsigned threads : {1U, 2U}) {
        GroupedKey key = group_key(names.column, o);
        ASSERT_EQ(key.categories.size(), 3U);
        ASSERT_EQ(key.cardinality, 4U);
        const std::vector<std::uint64_t> reverse{2, 1, 0};
        reorder_categories(key, reverse, threads);
        EXPECT_EQ(key.categories.string(0), "c");
        EXPECT_EQ(key.categories.string(2), "b");
        const std::vector<std::uint64_t> expected{2, 1, 0, 3, 2};
        for (std::size_t i = 0; i < expected.size(); ++i)
            EXPECT_EQ(key.code(i), expected[i]) << i;
    }
    const std::vector<std::string> v{"b", "a", "c", "a", "b"};
    // Codes read in place are read through the new order as a map; the input is unchanged.
    const std::vector<std::int64_t> ids{105, 101, 103};
    const Column c = primitive_column("l", ids);
    GroupedKey borrowed = group_key(c);
    ASSERT_TRUE(borrowed.borrowed);
    std::vector<std::uint64_t> order(borrowed.categories.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        order[k] = order.size() - 1 - k;
    reorder_categories(borrowed, order);
    EXPECT_TRUE(borrowed.borrowed);
    EXPECT_EQ(borrowed.segments[0].map.size(), 5U);  // 101..105
    EXPECT_EQ(borrowed.categories.integers.front(), 105);
    EXPECT_EQ(borrowed.code(0), 0U);
    EXPECT_EQ(borrowed.code(1), 4U);
    EXPECT_EQ(c.chunks()[0].typed<std::int64_t>()[0], 105);
    // A dictionary index outside its dictionary stays outside, for the kernel to report.
    const auto in_place = dictionary_column({{"x", "y"}}, {{1, 5}});
    GroupedKey k = group_key(in_place.column);
    reorder_categories(k, std::vector<std::uint64_t>{1, 0});
    EXPECT_EQ(k.code(0), 0U);
    EXPECT_GE(k.code(1), k.cardinality);
    // Anything but a permutation of the codes is refused.
    GroupedKey bad = group_key(utf8_column(v));
    EXPECT_THROW(reorder_categories(bad, std::vector<std::uint64_t>{0, 1}), InputError);
    EXPECT_THROW(reorder_categories(bad, std::vector<std::uint64_t>{0, 0, 1}), InputError);
    EXPECT_THROW(reorder_categories(bad, std::vector<std::uint64_t>{0, 1, 3}), InputError);
}

TEST(Grouper, HashedKeysSwitchToFourByteNumbersMidWay) {
    // Each worker's rows start with a few distinct keys and go on with unique ones, so its
    // numbers pass 255 part of the way through; over 65,536 distinct keys need four-byte codes.
    const std::size_t n = 150'000;
    std::vector<std::int64_t> ids(n);
    std::vector<bool> valid(n, true);
    std::vector<std::string> names(n);
    for (std::size_t i = 0; i < n; ++i) {
        const bool few = i % 50'000 < 20'000;
        ids[i] =
            few ? static_cast<std::int64_t>(i % 100) << 30 : static_cast<std::int64_t>(i) << 21;
        names[i] = few ? "service " + std::to_string(i % 100) : "P" + std::to_string(i);
        valid[i] = i % 97 != 5;
    }
    for (unsigned threads : {1U, 2U, 3U}) {
        SCOPED_TRACE(std::to_string(threads) + " threads");
        GrouperOptions o;
        o.threads = threads;
        o.nulls = NullKeys::group;
        o.min_rows_per_key = 0;  // every worker asked for, though keys barely repeat
        const GroupedKey key = group_key(primitive_column("l", ids, valid), o);
        EXPECT_EQ(width_of_codes(key), 4U);
        expect_sorted_codes(key, ids, valid);
        o.order = CategoryOrder::any;
        const GroupedKey any = group_key(primitive_column("l", ids, valid), o);
        ASSERT_EQ(any.cardinality, key.cardinality);
        for (std::size_t i = 0; i < n; i += 7)  // the same partition of the rows
            for (std::size_t j : {i / 2, (i * 31) % n})
                ASSERT_EQ(any.code(i) == any.code(j), key.code(i) == key.code(j)) << i << " " << j;
        o.order = CategoryOrder::sorted;
        o.nulls = NullKeys::refuse;
        expect_string_codes(group_key(utf8_column(names), o), names);
        expect_string_codes(group_key(view_column(names), o), names);
    }
}

// Person-id-sized keys: each worker's table outgrows the cache, and rows are then read a batch
// ahead of their lookups (detail/hashed_codes.hpp, insert_pending), with missing rows among
// them. The strings mix lengths 0-20 with zero and high bytes, which the sort of short strings
// by their packed words must order exactly as bytes compare.
TEST(Grouper, LargeTablesWithMissingRowsOrderedAsBytes) {
    const std::size_t n = 160'000;
    std::mt19937_64 rng(23);
    std::vector<std::string> values(n);
    std::vector<bool> valid(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string s(rng() % 21, 'a');
        for (char& ch : s)
            ch = "a\0\xff~"[rng() % 4];
        values[i] = s + std::to_string(rng() % 60'000);
        valid[i] = rng() % 10 != 0;
    }
    // Strings equal but for trailing zero bytes have equal packed words: the length decides.
    const std::vector<std::string> padded{"",
                                          std::string(1, '\0'),
                                          "x",
                                          std::string("x\0", 2),
                                          std::string("x\0\0", 3),
                                          std::string(16, '\0'),
                                          std::string(15, '\0')};
    for (std::size_t i = 0; i < padded.size(); ++i) {
        values[i * 1000] = padded[i];
        valid[i * 1000] = true;
    }
    std::map<std::string, std::uint64_t> rank;
    for (std::size_t i = 0; i < n; ++i)
        if (valid[i]) rank[values[i]] = 0;
    std::uint64_t r = 0;
    for (auto& [v, code] : rank)
        code = r++;
    ASSERT_GT(rank.size() * sizeof(detail::StringKey), detail::cached_table_bytes);
    std::int64_t nulls = 0;
    for (bool v : valid)
        nulls += !v;
    for (const double rows_per_key : {0.0, 16.0})  // the workers asked for, or the sample's
        for (unsigned threads : {1U, 2U, 3U}) {
            SCOPED_TRACE(std::to_string(threads) + " threads, " + std::to_string(rows_per_key));
            GrouperOptions o;
            o.threads = threads;
            o.nulls = NullKeys::group;
            o.min_rows_per_key = rows_per_key;
            auto buffers = utf8_buffers(values);
            buffers[0] = bitmap_of(valid);
            ArrowArray a = make_array(static_cast<std::int64_t>(n), nulls, 0, buffers);
            ArrowSchema s = make_schema("u");
            const GroupedKey key = group_key(std::move(import_array(&s, &a)[0]), o);
            ASSERT_EQ(key.cardinality, rank.size() + 1);
            std::size_t c = 0;
            for (const auto& [v, code] : rank)
                ASSERT_EQ(key.categories.string(c++), v);
            for (std::size_t i = 0; i < n; ++i)
                ASSERT_EQ(key.code(i), valid[i] ? rank[values[i]] : rank.size()) << i;
        }
}

// The sample that decides whether hashed keys repeat enough for several workers.
TEST(Grouper, SampledRowsTellWhetherKeysRepeatEnoughForWorkers) {
    const auto decide = [](std::size_t rows, std::uint64_t keys, std::size_t chunks) {
        std::vector<std::int64_t> v(rows);
        std::mt19937_64 rng(keys);
        for (auto& x : v)
            x = static_cast<std::int64_t>(rng() % keys) * 1'000'003;
        std::vector<Column> parts;
        std::vector<Chunk> all;
        const std::size_t per = rows / chunks;
        for (std::size_t c = 0; c < chunks; ++c) {
            const std::vector<std::int64_t> piece(
                v.begin() + static_cast<std::ptrdiff_t>(c * per),
                c + 1 == chunks ? v.end() : v.begin() + static_cast<std::ptrdiff_t>((c + 1) * per));
            parts.push_back(primitive_column("l", piece));
            all.insert(all.end(), parts.back().chunks().begin(), parts.back().chunks().end());
        }
        const Column column("id", parts[0].field(), std::move(all));
        const Field field = column.field();
        auto scan = [&](const Chunk& c, std::int64_t b, std::int64_t e, auto&& on_value,
                        auto&& on_null) {
            detail::scan_integers(field, c, b, e, on_value, on_null);
            return std::size_t{0};
        };
        auto hash = detail::hash_integer;
        return detail::mostly_distinct<std::uint64_t>(column, 16.0, hash, scan);
    };
    EXPECT_TRUE(decide(200'000, 1ULL << 40, 1));  // every row its own key
    EXPECT_TRUE(decide(200'000, 50'000, 3));      // 4 rows a key
    EXPECT_FALSE(decide(200'000, 2'000, 3));      // 100 rows a key
    EXPECT_FALSE(decide(200'000, 155, 1));
    EXPECT_FALSE(decide(1'000, 1ULL << 40, 1));  // too few rows for a second worker anyway
}
