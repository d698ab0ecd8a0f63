// Blank text rows (declared in core/blank_text.hpp). Each row's length and first byte decide
// nearly every row: a value that is not empty and begins with a byte no white space begins
// with (every ASCII letter and digit) is not blank. Only the rest are decoded.
#pragma once

#include "yosmodel/core/blank_text.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "yosmodel/core/grouper.hpp"  // first: key_rows.hpp reaches back into it

#include "yosmodel/core/detail/key_rows.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/detail/string_key.hpp"
#include "yosmodel/core/detail/utf8.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

namespace detail::blank {

// Bytes that can begin a white space character: the ASCII ones, and the lead bytes of the
// multi-byte ones (0xC2 for U+0085 and U+00A0, 0xE1 for U+1680, 0xE2 for U+2000-U+205F, 0xE3
// for U+3000).
constexpr std::array<bool, 256> may_begin_space = [] {
    std::array<bool, 256> t{};
    for (int b : {9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0xC2, 0xE1, 0xE2, 0xE3})
        t[static_cast<std::size_t>(b)] = true;
    return t;
}();

inline bool is_blank(std::string_view s) {
    for (std::size_t at = 0; at < s.size();) {
        const auto [c, n] = decode_utf8(s, at);
        if (n == 0 || !is_space_code_point(c)) return false;
        at += n;
    }
    return true;
}

}  // namespace detail::blank

YOSMODEL_INLINE bool is_space_code_point(std::uint32_t c) {
    if (c < 0x80) return (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x20);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

YOSMODEL_INLINE std::vector<std::int64_t> blank_text_rows(const arrow::Column& column,
                                                          unsigned threads) {
    using namespace detail;
    const arrow::Field& field = column.field();
    if (field.dictionary || !field.is_string())
        throw DtypeError("column '" + column.name() + "' is not a text column");
    threads = resolve_threads(threads);
    std::vector<std::vector<std::int64_t>> found(threads);
    std::vector<std::size_t> bad(threads, 0);
    for_pieces(
        column, threads,
        [&](unsigned w, const arrow::Chunk& c, std::int64_t b, std::int64_t e, std::size_t row0) {
            const auto first = static_cast<std::int64_t>(row0) - b;  // column row of 0
            bad[w] += scan_string_keys(
                field, c, b, e,
                [&](std::int64_t i, const StringKey& k) __attribute__((always_inline)) {
                    if (k.size != 0 && !blank::may_begin_space[k.head & 0xFF]) [[likely]]
                        return;
                    if (blank::is_blank(k.view())) found[w].push_back(first + i);
                },
                [](std::int64_t) {});
        });
    std::size_t unreadable = 0;
    for (const std::size_t n : bad)
        unreadable += n;
    if (unreadable != 0)
        throw InputError("column '" + column.name() + "': " + std::to_string(unreadable) +
                         (unreadable == 1 ? " row has" : " rows have") +
                         " string bounds outside their data buffer (a malformed Arrow array)");
    std::vector<std::int64_t> rows;
    for (auto& part : found)
        rows.insert(rows.end(), part.begin(), part.end());
    std::sort(rows.begin(), rows.end());  // workers' ranges, whatever order they finished in
    return rows;
}

}  // namespace yosmodel
