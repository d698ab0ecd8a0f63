// blank_text_rows against a reference written from the definition (every character of the value
// is one of Python's str.isspace characters), in every string layout, on one and several
// threads, with text that shares lead bytes with white space and text that is not UTF-8.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "arrow_builder.hpp"
#include "yosmodel/core/blank_text.hpp"
#include "yosmodel/core/detail/utf8.hpp"
#include "yosmodel/core/error.hpp"

using namespace yosmodel;
using namespace test_arrow;

namespace {

// UTF-8 of the code point `c`.
std::string utf8(std::uint32_t c) {
    std::string s;
    detail::append_utf8(s, c);
    return s;
}

// Python 3.11: [hex(c) for c in range(0x110000) if chr(c).isspace()].
const std::vector<std::uint32_t> python_spaces = {
    0x9,    0xa,    0xb,    0xc,    0xd,    0x1c,   0x1d,   0x1e,   0x1f,   0x20,
    0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
    0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};

}  // namespace

TEST(BlankText, CodePointsAreThoseOfPythonsIsspace) {
    std::size_t spaces = 0;
    for (std::uint32_t c = 0; c < 0x110000; ++c)
        spaces += is_space_code_point(c) ? 1 : 0;
    EXPECT_EQ(spaces, python_spaces.size());
    for (const std::uint32_t c : python_spaces)
        EXPECT_TRUE(is_space_code_point(c)) << c;
}

TEST(BlankText, RowsInEveryLayoutAgreeWithTheDefinition) {
    std::vector<std::string> values = {"",
                                       " ",
                                       "\t\r\n",
                                       "a",
                                       " a ",
                                       "P0001234",
                                       "\xc2\xa1",
                                       "\xe2\x80\x90",
                                       "\xe3\x80\x81",
                                       std::string(13, ' '),
                                       std::string(17, ' '),
                                       std::string(16, ' ') + "x",
                                       "\xc2",  // a lead byte alone: not UTF-8, not blank
                                       "\xe2\x80",
                                       " \xff",
                                       "\xc0\xa0"};  // overlong space
    std::vector<bool> blank = {true,  true, true, false, false, false, false, false,
                               false, true, true, false, false, false, false, false};
    std::string all;
    for (const std::uint32_t c : python_spaces) {
        values.push_back(utf8(c));
        blank.push_back(true);
        values.push_back(utf8(c) + "a");
        blank.push_back(false);
        all += utf8(c);
    }
    values.push_back(all);
    blank.push_back(true);
    std::mt19937_64 rng(3);  // enough rows for several workers' ranges, blanks among them
    for (int i = 0; i < 300'000; ++i) {
        const bool space = rng() % 1000 == 0;
        values.push_back(space ? utf8(python_spaces[rng() % python_spaces.size()])
                               : "P" + std::to_string(rng() % 100000));
        blank.push_back(space);
    }
    std::vector<std::int64_t> expected;
    for (std::size_t i = 0; i < blank.size(); ++i)
        if (blank[i]) expected.push_back(static_cast<std::int64_t>(i));
    for (const unsigned threads : {1U, 2U, 3U}) {
        EXPECT_EQ(blank_text_rows(utf8_column(values), threads), expected);
        EXPECT_EQ(blank_text_rows(utf8_column(values, "U"), threads), expected);
        EXPECT_EQ(blank_text_rows(view_column(values), threads), expected);
    }
    EXPECT_TRUE(blank_text_rows(utf8_column({})).empty());
}

TEST(BlankText, OtherTypesAreRefusedByName) {
    const std::vector<std::int64_t> v{1, 2};
    const auto column =
        arrow::Column::borrow("person_id", arrow::Field{arrow::Type::int64}, v.data(), v.size());
    try {
        (void)blank_text_rows(column);
        FAIL() << "an integer column was read as text";
    } catch (const DtypeError& e) {
        EXPECT_STREQ(e.what(), "column 'person_id' is not a text column");
    }
}
