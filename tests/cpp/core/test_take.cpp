// take_rows against the rows read one by one from the source: strings in every layout and with
// missing values, chunked columns (an empty chunk among them), rows out of order and repeated,
// integers, booleans and dates keeping their type; the taken column outliving its source; rows
// outside the column and dictionary columns refused without a value in the message.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "arrow_builder.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/grouper.hpp"
#include "yosmodel/core/take.hpp"

using namespace yosmodel;
using namespace yosmodel::arrow;
using namespace test_arrow;

namespace {

// Row `row` of a column of any string layout, or nullopt when missing.
std::optional<std::string> string_of(const Column& column, std::int64_t row) {
    for (const Chunk& c : column.chunks()) {
        if (row < c.length) {
            if (!c.is_valid(row)) return std::nullopt;
            std::string_view s;
            EXPECT_TRUE(c.string_at(column.field().type, row, s));
            return std::string(s);
        }
        row -= c.length;
    }
    ADD_FAILURE() << "row past the column";
    return std::nullopt;
}

// The chunks of `parts` as one column (the parts keep the buffers alive).
Column chunked(const std::vector<Column>& parts) {
    std::vector<Chunk> chunks;
    for (const Column& p : parts)
        for (const Chunk& c : p.chunks())
            chunks.push_back(c);
    return {"person_id", parts.front().field(), std::move(chunks)};
}

std::vector<std::int64_t> some_rows(std::int64_t length, std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::int64_t> rows;
    for (std::size_t i = 0; i < n; ++i)
        rows.push_back(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(length)));
    rows.push_back(length - 1);
    rows.push_back(0);
    rows.push_back(0);
    return rows;
}

}  // namespace

TEST(TakeRows, StringsOfEveryLayoutChunkedWithMissingValues) {
    std::vector<std::string> first;
    std::vector<std::string> second;
    for (int i = 0; i < 300; ++i) {
        first.push_back(i % 11 == 0 ? "" : "P" + std::to_string(i * 37));
        second.push_back(i % 5 == 0
                             ? "a person id longer than a view's twelve bytes " + std::to_string(i)
                             : "Q" + std::to_string(i));
    }
    std::vector<bool> valid(first.size());
    for (std::size_t i = 0; i < valid.size(); ++i)
        valid[i] = i % 7 != 3;
    auto buffers = utf8_buffers(first);
    buffers[0] = bitmap_of(valid);
    std::int64_t nulls = 0;
    for (bool v : valid)
        nulls += !v;
    ArrowArray a = make_array(static_cast<std::int64_t>(first.size()), nulls, 0, buffers);
    ArrowSchema s = make_schema("u");
    std::vector<Column> parts;
    parts.push_back(std::move(import_array(&s, &a)[0]));
    parts.push_back(utf8_column({}));
    parts.push_back(utf8_column(second));
    const Column column = chunked(parts);
    const Column views = view_column(first);
    for (const Column* source : {&column, &views}) {
        const std::vector<std::int64_t> rows = some_rows(source->length(), 500, 3);
        const Column taken = take_rows(*source, rows);
        EXPECT_EQ(taken.field().type, Type::large_utf8);
        EXPECT_EQ(taken.name(), source->name());
        ASSERT_EQ(taken.length(), static_cast<std::int64_t>(rows.size()));
        std::int64_t missing = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto expected = string_of(*source, rows[i]);
            missing += !expected.has_value();
            EXPECT_EQ(string_of(taken, static_cast<std::int64_t>(i)), expected) << i;
        }
        EXPECT_EQ(taken.null_count(), missing);
        EXPECT_EQ(source == &column, missing > 0);
    }
}

TEST(TakeRows, FixedWidthTypesKeepTheirTypeAndNulls) {
    std::vector<std::int32_t> small;
    std::vector<std::uint64_t> wide;
    std::vector<bool> valid;
    for (std::uint64_t i = 0; i < 200; ++i) {
        small.push_back(static_cast<std::int32_t>(i * 1000) - 70'000);
        wide.push_back(18'446'744'073'709'551'615ULL - i * 3);
        valid.push_back(i % 6 != 1);
    }
    const std::vector<std::int64_t> rows = some_rows(200, 120, 5);
    const Column days = primitive_column("tdD", small, valid);
    const Column taken_days = take_rows(days, rows);
    EXPECT_EQ(taken_days.field(), days.field());
    const Column taken_wide = take_rows(primitive_column("L", wide), rows);
    EXPECT_EQ(taken_wide.field().type, Type::uint64);
    EXPECT_EQ(taken_wide.null_count(), 0);
    std::vector<bool> flags;
    for (std::size_t i = 0; i < 200; ++i)
        flags.push_back(i % 3 == 0);
    auto bool_buffers = std::vector<Bytes>{bitmap_of(valid), bitmap_of(flags)};
    std::int64_t nulls = 0;
    for (bool v : valid)
        nulls += !v;
    ArrowArray a = make_array(200, nulls, 0, bool_buffers);
    ArrowSchema s = make_schema("b");
    const Column booleans = std::move(import_array(&s, &a)[0]);
    const Column taken_flags = take_rows(booleans, rows);
    EXPECT_EQ(taken_flags.field().type, Type::boolean);
    std::int64_t missing = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto r = static_cast<std::size_t>(rows[i]);
        const auto at = static_cast<std::int64_t>(i);
        const Chunk& d = taken_days.chunks().front();
        ASSERT_EQ(d.is_valid(at), valid[r]) << i;
        missing += !valid[r];
        if (valid[r]) {
            EXPECT_EQ(d.typed<std::int32_t>()[i], small[r]) << i;
            EXPECT_EQ(taken_flags.chunks().front().boolean_at(at), flags[r]) << i;
        }
        EXPECT_EQ(taken_wide.chunks().front().typed<std::uint64_t>()[i], wide[r]) << i;
    }
    EXPECT_EQ(taken_days.null_count(), missing);
    EXPECT_EQ(taken_flags.null_count(), missing);
}

TEST(TakeRows, OutlivesItsSourceAndGroupsAsTheRowsWould) {
    std::vector<std::string> ids;
    for (int i = 0; i < 1000; ++i)
        ids.push_back("P" + std::to_string(i % 97));
    const std::vector<std::int64_t> rows{5, 900, 5, 3, 999, 97};
    std::optional<Column> taken;
    {
        const Column source = utf8_column(ids);
        taken = take_rows(source, rows);
    }
    std::vector<std::string> picked;
    for (const std::int64_t r : rows)
        picked.push_back(ids[static_cast<std::size_t>(r)]);
    const GroupedKey by_take = group_key(*taken);
    const GroupedKey by_hand = group_key(utf8_column(picked));
    ASSERT_EQ(by_take.categories.size(), by_hand.categories.size());
    for (std::size_t c = 0; c < by_hand.categories.size(); ++c)
        EXPECT_EQ(by_take.categories.string(c), by_hand.categories.string(c));
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(by_take.code(i), by_hand.code(i));
    EXPECT_EQ(take_rows(utf8_column(ids), {}).length(), 0);
}

TEST(TakeRows, RowsOutsideTheColumnAndDictionariesAreRefused) {
    std::vector<Column> parts;
    parts.push_back(utf8_column({"SECRET-ID", "b"}));
    const Column ids = chunked(parts);
    for (const std::int64_t bad : {std::int64_t{2}, std::int64_t{-1}}) {
        const std::vector<std::int64_t> rows{0, bad};
        try {
            take_rows(ids, rows);
            FAIL() << "a row outside the column was taken";
        } catch (const InputError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("'person_id'"), std::string::npos) << message;
            EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
        }
    }
    const DictionaryColumn dict =
        dictionary_column<std::int8_t>("c", {{"SECRET-ID", "b"}}, {{0, 1, 0}});
    EXPECT_THROW(take_rows(dict.column, std::vector<std::int64_t>{0}), DtypeError);
}
