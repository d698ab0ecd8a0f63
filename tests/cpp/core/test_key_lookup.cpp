// look_up against an independent reference (a std::map from the key's values to their codes):
// strings in every layout, integers of other widths, missing and unknown values, tables past the
// cache, and the kinds it refuses.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "arrow_builder.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/grouper.hpp"
#include "yosmodel/core/key_lookup.hpp"

using namespace yosmodel;
using namespace yosmodel::arrow;
using namespace test_arrow;

namespace {

std::uint64_t code_at(const KeyLookup& l, std::size_t row) {
    return std::visit([&](auto s) { return static_cast<std::uint64_t>(s[row]); }, l.codes.values);
}

std::size_t width_of(const KeyLookup& l) {
    return std::visit([](auto s) { return sizeof(typename decltype(s)::value_type); },
                      l.codes.values);
}

// `values[i]` (valid where `valid[i]`) looked up among the categories of `key`, which were
// grouped from `known`.
template <class T>
void expect_lookup(const KeyLookup& l, const GroupedKey& key, const std::vector<T>& known,
                   const std::vector<T>& values, const std::vector<bool>& valid,
                   UnknownCode order = UnknownCode::after_missing) {
    std::map<T, std::uint64_t> code;
    for (std::size_t i = 0; i < known.size(); ++i)
        code[known[i]] = key.code(i);
    const std::uint64_t n = key.categories.size();
    const bool unknown_first = order == UnknownCode::before_missing;
    const std::uint64_t missing_code = unknown_first ? n + 1 : n;
    const std::uint64_t unknown_code = unknown_first ? n : n + 1;
    ASSERT_EQ(l.missing_code, missing_code);
    ASSERT_EQ(l.unknown_code, unknown_code);
    std::size_t missing = 0;
    std::size_t unknown = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint64_t expected = missing_code;
        if (!valid.empty() && !valid[i]) {
            ++missing;
        } else if (const auto at = code.find(values[i]); at != code.end()) {
            expected = at->second;
        } else {
            expected = unknown_code;
            ++unknown;
        }
        ASSERT_EQ(code_at(l, i), expected) << i;
    }
    EXPECT_EQ(l.missing, missing);
    EXPECT_EQ(l.unknown, unknown);
}

std::vector<bool> some_missing(std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<bool> valid(n);
    for (std::size_t i = 0; i < n; ++i)
        valid[i] = rng() % 9 != 0;
    return valid;
}

}  // namespace

TEST(KeyLookup, StringsInEveryLayoutSmallAndPastTheCache) {
    for (std::size_t people : {40U, 30'000U}) {  // 30,000 keys: a table past cached_table_bytes
        std::mt19937_64 rng(people);
        std::vector<std::string> known;
        for (std::size_t i = 0; i < people; ++i)
            known.push_back((i % 5 == 0 ? "a person with a long identifier " : "P") +
                            std::to_string(rng() % (people * 2)));
        std::vector<std::string> values;
        for (std::size_t i = 0; i < 3 * people + 1000; ++i)
            values.push_back(i % 4 == 0 ? "P" + std::to_string(rng() % (people * 3))
                                        : known[rng() % known.size()]);
        const auto valid = some_missing(values.size(), 5);
        GrouperOptions o;
        o.threads = 2;
        const GroupedKey key = group_key(utf8_column(known), o);
        for (unsigned threads : {1U, 3U}) {
            SCOPED_TRACE(std::to_string(people) + " people, " + std::to_string(threads) +
                         " threads");
            expect_lookup(look_up(key, utf8_column(values), threads), key, known, values, {});
            expect_lookup(look_up(key, utf8_column(values, "U"), threads), key, known, values, {});
            expect_lookup(look_up(key, view_column(values), threads), key, known, values, {});
            auto buffers = utf8_buffers(values);
            buffers[0] = bitmap_of(valid);
            std::int64_t nulls = 0;
            for (bool v : valid)
                nulls += !v;
            ArrowArray a = make_array(static_cast<std::int64_t>(values.size()), nulls, 0, buffers);
            ArrowSchema s = make_schema("u");
            expect_lookup(look_up(key, std::move(import_array(&s, &a)[0]), threads), key, known,
                          values, valid);
        }
    }
}

// A cohort's offences among its members: stretches of rows that are nearly all nobody's (where the
// filter of the members' hashes answers for most rows) between stretches that are all members'
// (where it is dropped), missing values throughout, either order of the two codes past the
// categories, strings short and long, and integers.
TEST(KeyLookup, RowsMostlyNobodysThroughTheFilterAndBack) {
    std::mt19937_64 rng(11);
    std::vector<std::string> members;
    std::vector<std::int64_t> member_numbers;
    for (std::size_t i = 0; i < 3000; ++i) {
        member_numbers.push_back(static_cast<std::int64_t>(i) * 7919);
        members.push_back((i % 7 == 0 ? "an identifier longer than sixteen bytes " : "M") +
                          std::to_string(member_numbers.back()));
    }
    std::vector<std::string> values;
    std::vector<std::int64_t> numbers;
    for (std::size_t stretch = 0; stretch < 12; ++stretch) {
        const bool nobodys = stretch % 3 != 2;
        for (std::size_t i = 0; i < 2500 + 333 * stretch; ++i) {
            const bool member = nobodys ? rng() % 10 == 0 : true;
            const std::size_t m = rng() % members.size();
            const auto other = static_cast<std::int64_t>(rng() % 100'000'000) * 2 + 1;
            values.push_back(member ? members[m] : "M" + std::to_string(other));
            numbers.push_back(member ? member_numbers[m] : other);
        }
    }
    const auto valid = some_missing(values.size(), 13);
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const GroupedKey strings = group_key(utf8_column(members), o);
    const GroupedKey integers = group_key(primitive_column("l", member_numbers), o);
    // Every member's id short (at most 16 bytes): the table that holds the strings in its slots.
    std::vector<std::string> short_members;
    for (const std::int64_t n : member_numbers)
        short_members.push_back("M" + std::to_string(n));
    const GroupedKey short_strings = group_key(utf8_column(short_members), o);
    for (const UnknownCode order : {UnknownCode::after_missing, UnknownCode::before_missing}) {
        for (unsigned threads : {1U, 3U}) {
            SCOPED_TRACE(std::to_string(threads) + " threads");
            expect_lookup(look_up(strings, utf8_column(values), threads, order), strings, members,
                          values, {}, order);
            expect_lookup(look_up(short_strings, utf8_column(values), threads, order),
                          short_strings, short_members, values, {}, order);
            expect_lookup(look_up(strings, view_column(values), threads, order), strings, members,
                          values, {}, order);
            expect_lookup(look_up(integers, primitive_column("l", numbers, valid), threads, order),
                          integers, member_numbers, numbers, valid, order);
        }
    }
}

TEST(KeyLookup, IntegersOfAnotherWidthAndMissingValues) {
    std::mt19937_64 rng(3);
    std::vector<std::int64_t> known;
    for (std::size_t i = 0; i < 5000; ++i)
        known.push_back(static_cast<std::int64_t>(rng() % 200'000) - 100'000);
    known.push_back(-2'147'483'648LL);
    std::vector<std::int32_t> values;
    for (std::size_t i = 0; i < 30'000; ++i)
        values.push_back(i % 3 == 0 ? static_cast<std::int32_t>(rng() % 300'000) - 150'000
                                    : static_cast<std::int32_t>(known[rng() % known.size()]));
    values.push_back(-2'147'483'647 - 1);
    const auto valid = some_missing(values.size(), 7);
    const GroupedKey key = group_key(primitive_column("l", known));
    const std::vector<std::int64_t> wide(values.begin(), values.end());
    for (unsigned threads : {1U, 2U}) {
        const KeyLookup l = look_up(key, primitive_column("i", values, valid), threads);
        expect_lookup(l, key, known, wide, valid);
        EXPECT_EQ(width_of(l), 2U);  // about 5,000 categories and two more codes
    }
    // Unsigned ids, the largest of the type among them.
    const std::vector<std::uint64_t> ids{0, 18'446'744'073'709'551'615ULL, 1ULL << 63, 12};
    const std::vector<std::uint64_t> rows{12, 1ULL << 63, 7, 18'446'744'073'709'551'615ULL, 0};
    const GroupedKey u = group_key(primitive_column("L", ids));
    expect_lookup(look_up(u, primitive_column("L", rows)), u, ids, rows, {});
}

TEST(KeyLookup, NoCategoriesAndNoRows) {
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const std::vector<std::string> none_known{"x"};
    const GroupedKey key = group_key(utf8_column(none_known), o);
    const KeyLookup empty = look_up(key, utf8_column({}));
    EXPECT_EQ(empty.codes.size(), 0U);
    EXPECT_EQ(empty.missing + empty.unknown, 0U);
    const std::vector<std::string> values{"y", "x", ""};
    expect_lookup(look_up(key, utf8_column(values)), key, none_known, values, {});
}

TEST(KeyLookup, OtherKindsAreRefused) {
    const std::vector<std::string> names{"a", "b"};
    const std::vector<std::int64_t> signed_ids{1, 2};
    const std::vector<std::uint64_t> unsigned_ids{1, 2};
    const GroupedKey strings = group_key(utf8_column(names));
    const GroupedKey integers = group_key(primitive_column("l", signed_ids));
    EXPECT_THROW(look_up(strings, primitive_column("l", signed_ids)), DtypeError);
    EXPECT_THROW(look_up(integers, utf8_column(names)), DtypeError);
    EXPECT_THROW(look_up(integers, primitive_column("L", unsigned_ids)), DtypeError);
    EXPECT_THROW(look_up(integers, primitive_column("tdD", std::vector<std::int32_t>{1, 2})),
                 DtypeError);
}

TEST(KeyLookup, MalformedStringsAreReportedWithoutTheirBytes) {
    const std::vector<std::string> names{"SECRET1", "b"};
    const GroupedKey key = group_key(utf8_column(names));
    const std::vector<std::int32_t> offsets{0, 9, 4, 6};
    ArrowArray a =
        make_array(3, 0, 0, {Bytes{}, bytes_of(offsets), Bytes(6, 'S')}, {false, true, true});
    ArrowSchema s = make_schema("u");
    try {
        look_up(key, std::move(import_array(&s, &a)[0]));
        FAIL() << "a malformed array was read";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("2 rows have"), std::string::npos) << message;
        EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
    }
}

TEST(KeyLookup, SeveralColumnsFromOneTableAgreeWithEachAlone) {
    // Strings (the packed table, and the general one for long ids), and integers: each column's
    // look-up among one table is the look-up of that column alone.
    std::mt19937_64 rng(11);
    std::vector<std::string> known;
    std::vector<std::int64_t> numbers;
    for (std::size_t i = 0; i < 5'000; ++i) {
        known.push_back((i % 7 == 0 ? "an identifier longer than sixteen bytes " : "P") +
                        std::to_string(rng() % 20'000));
        numbers.push_back(static_cast<std::int64_t>(rng() % 20'000) - 10'000);
    }
    GrouperOptions o;
    o.nulls = NullKeys::group;
    const GroupedKey strings = group_key(utf8_column(known), o);
    const GroupedKey integers = group_key(primitive_column("l", numbers), o);
    for (const UnknownCode order : {UnknownCode::after_missing, UnknownCode::before_missing}) {
        std::vector<std::vector<std::string>> texts(3);
        std::vector<std::vector<std::int64_t>> ints(3);
        for (std::size_t c = 0; c < 3; ++c)
            for (std::size_t i = 0; i < 3'000 * c; ++i) {  // the first column has no rows
                texts[c].push_back(i % 3 == 0 ? known[rng() % known.size()]
                                              : "P" + std::to_string(rng() % 40'000));
                ints[c].push_back(static_cast<std::int64_t>(rng() % 40'000) - 20'000);
            }
        std::vector<Column> text_columns;
        std::vector<Column> int_columns;
        for (std::size_t c = 0; c < 3; ++c) {
            text_columns.push_back(c == 2 ? view_column(texts[c]) : utf8_column(texts[c]));
            int_columns.push_back(primitive_column("l", ints[c]));
        }
        const auto text_lookups = look_up(strings, text_columns, 2, order);
        const auto int_lookups = look_up(integers, int_columns, 2, order);
        ASSERT_EQ(text_lookups.size(), 3U);
        ASSERT_EQ(int_lookups.size(), 3U);
        for (std::size_t c = 0; c < 3; ++c) {
            expect_lookup(text_lookups[c], strings, known, texts[c], {}, order);
            expect_lookup(int_lookups[c], integers, numbers, ints[c], {}, order);
        }
    }
    EXPECT_TRUE(look_up(strings, std::span<const Column>{}).empty());
}

TEST(KeyLookup, SeveralColumnsAreAllCheckedBeforeAnyIsRead) {
    const std::vector<std::string> names{"a", "b"};
    const std::vector<std::int64_t> ids{1, 2};
    const GroupedKey strings = group_key(utf8_column(names));
    std::vector<Column> columns;
    columns.push_back(utf8_column(names));
    columns.push_back(primitive_column("l", ids));
    try {
        (void)look_up(strings, columns);
        FAIL() << "a column of another kind was read";
    } catch (const DtypeError& e) {
        EXPECT_NE(std::string(e.what()).find("another kind of value"), std::string::npos);
    }
}
