// UTF-8, the one reading and writing of it: the framework reader refuses a file saved in another
// encoding (a Windows-1252 "é" is the lone byte 0xE9) where the byte is, and the blank-text scan
// decodes the code points it tests. Well-formed means RFC 3629: no overlong forms, no surrogates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace yosmodel::detail {

/// The length (2 to 4) of the well-formed UTF-8 sequence that starts at `text[pos]` with a byte
/// of 0x80 or more, or 0 when it is not one: a stray continuation byte, an overlong form, a
/// surrogate (U+D800 to U+DFFF) or a code point past U+10FFFF, or a sequence cut short.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
    const auto byte = [&](std::size_t i) -> unsigned {
        return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0U;
    };
    const unsigned lead = byte(0);
    std::size_t length = 0;
    // The second byte's range narrows for some leads (no overlong forms, no surrogates).
    unsigned second_min = 0x80;
    unsigned second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) second_min = 0xA0;  // below is overlong
        if (lead == 0xED) second_max = 0x9F;  // above is a surrogate
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) second_min = 0x90;  // below is overlong
        if (lead == 0xF4) second_max = 0x8F;  // above is past U+10FFFF
    } else {
        return 0;
    }
    if (byte(1) < second_min || byte(1) > second_max) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    return length;
}

/// The code point that starts at `text[pos]` and its length in bytes (1 to 4), or a length of 0
/// where the bytes there are not well-formed UTF-8 (the code point is then 0).
inline std::pair<std::uint32_t, std::size_t> decode_utf8(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) return {lead, 1};
    const std::size_t length = utf8_sequence_length(text, pos);
    if (length == 0) return {0, 0};
    // The lead keeps 7 - length bits of the code point (5, 4 or 3), each later byte six.
    std::uint32_t code = lead & (0x3FU >> (length - 1));
    for (std::size_t i = 1; i < length; ++i)
        code = (code << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3FU);
    return {code, length};
}

/// Appends code point `code` (at most U+10FFFF, not a surrogate) to `out` as UTF-8.
inline void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

}  // namespace yosmodel::detail
