// The one UTF-8 helper (core/detail/utf8.hpp): every scalar value written and read back, and the
// byte sequences RFC 3629 calls ill-formed refused by the length and the decoder alike.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "yosmodel/core/detail/utf8.hpp"

using namespace yosmodel::detail;

TEST(Utf8, EveryScalarValueRoundTrips) {
    for (std::uint32_t c = 0; c < 0x110000; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        std::string s;
        append_utf8(s, c);
        // RFC 3629's table: the length follows from the code point alone.
        const std::size_t length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        ASSERT_EQ(s.size(), length) << c;
        const auto [code, n] = decode_utf8(s, 0);
        ASSERT_EQ(n, length) << c;
        ASSERT_EQ(code, c);
        ASSERT_EQ(utf8_sequence_length(s, 0), c < 0x80 ? 0 : length) << c;
    }
}

TEST(Utf8, HandWrittenSequencesDecode) {
    EXPECT_EQ(decode_utf8("\xc3\xa9", 0), std::make_pair(std::uint32_t{0xE9}, std::size_t{2}));
    EXPECT_EQ(decode_utf8("a\xe2\x80\xa8", 1),
              std::make_pair(std::uint32_t{0x2028}, std::size_t{3}));
    EXPECT_EQ(decode_utf8("\xf0\x9f\x98\x80", 0),
              std::make_pair(std::uint32_t{0x1F600}, std::size_t{4}));
    EXPECT_EQ(decode_utf8("\xf4\x8f\xbf\xbf", 0),
              std::make_pair(std::uint32_t{0x10FFFF}, std::size_t{4}));
}

TEST(Utf8, IllFormedSequencesAreRefused) {
    const std::vector<std::string> bad = {
        "\x80",              // a continuation byte alone
        "\xe9",              // Windows-1252 e acute
        "\xc0\xa0",          // overlong space
        "\xc1\xbf",          // overlong
        "\xe0\x9f\xbf",      // overlong three-byte form
        "\xf0\x8f\xbf\xbf",  // overlong four-byte form
        "\xed\xa0\x80",      // U+D800, a surrogate
        "\xed\xbf\xbf",      // U+DFFF
        "\xf4\x90\x80\x80",  // U+110000
        "\xf5\x80\x80\x80",  // a lead past F4
        "\xff",
        "\xc3",              // cut short
        "\xe2\x80",          // cut short
        "\xe2\x28\xa1",      // a second byte that does not continue
        "\xf0\x9f\x98\x28",  // a last byte that does not continue
    };
    for (const std::string& s : bad) {
        EXPECT_EQ(utf8_sequence_length(s, 0), 0U) << testing::PrintToString(s);
        EXPECT_EQ(decode_utf8(s, 0), std::make_pair(std::uint32_t{0}, std::size_t{0}))
            << testing::PrintToString(s);
    }
}
