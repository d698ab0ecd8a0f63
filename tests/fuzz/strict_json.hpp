// The fuzz oracle for "the framework reader accepted this text": a recogniser for strict JSON
// (RFC 8259: its number grammar, only its four whitespace characters, escapes, UTF-8 text) that
// also refuses an object naming a key twice. Written apart from the reader, so that whatever the
// reader accepts beyond this (a leading zero, "1.", a Latin-1 byte, a repeated key that the
// Python side would read differently) is a finding. It answers yes or no and builds nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "yosmodel/core/detail/utf8.hpp"

namespace yosmodel::fuzz {

class StrictJson {
public:
    /// True when `text` is one strict JSON document nested no deeper than `max_depth`.
    static bool accepts(std::string_view text, std::size_t max_depth) {
        StrictJson json(text, max_depth);
        json.space();
        if (!json.value(0)) return false;
        json.space();
        return json.pos_ == text.size();
    }

private:
    StrictJson(std::string_view text, std::size_t max_depth) : s_(text), max_depth_(max_depth) {}

    std::string_view s_;
    std::size_t max_depth_;
    std::size_t pos_ = 0;

    bool at_end() const { return pos_ >= s_.size(); }
    char peek() const { return at_end() ? '\0' : s_[pos_]; }
    bool digit() const { return !at_end() && s_[pos_] >= '0' && s_[pos_] <= '9'; }

    void space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++pos_;
    }

    bool word(std::string_view w) {
        if (s_.substr(pos_, w.size()) != w) return false;
        pos_ += w.size();
        return true;
    }

    bool value(std::size_t depth) {
        if (depth >= max_depth_ || at_end()) return false;
        switch (peek()) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"': {
                std::string ignored;
                return string(ignored);
            }
            case 't':
                return word("true");
            case 'f':
                return word("false");
            case 'n':
                return word("null");
            default:
                return number();
        }
    }

    bool object(std::size_t depth) {
        ++pos_;
        space();
        if (peek() == '}') {
            ++pos_;
            return true;
        }
        std::vector<std::string> keys;
        for (;;) {
            space();
            std::string key;
            if (peek() != '"' || !string(key)) return false;
            keys.push_back(std::move(key));
            space();
            if (peek() != ':') return false;
            ++pos_;
            space();
            if (!value(depth + 1)) return false;
            space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != '}') return false;
            ++pos_;
            std::sort(keys.begin(), keys.end());
            return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
        }
    }

    bool array(std::size_t depth) {
        ++pos_;
        space();
        if (peek() == ']') {
            ++pos_;
            return true;
        }
        for (;;) {
            space();
            if (!value(depth + 1)) return false;
            space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != ']') return false;
            ++pos_;
            return true;
        }
    }

    // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    bool number() {
        if (peek() == '-') ++pos_;
        if (peek() == '0') {
            ++pos_;
        } else if (digit()) {
            while (digit())
                ++pos_;
        } else {
            return false;
        }
        if (peek() == '.') {
            ++pos_;
            if (!digit()) return false;
            while (digit())
                ++pos_;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!digit()) return false;
            while (digit())
                ++pos_;
        }
        return true;
    }

    bool hex4(std::uint32_t& code) {
        if (pos_ + 4 > s_.size()) return false;
        code = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            code <<= 4;
            if (h >= '0' && h <= '9')
                code |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                code |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                code |= static_cast<std::uint32_t>(h - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    // One UTF-8 sequence starting at pos_, by the table of well-formed sequences (Unicode
    // chapter 3): no overlong forms, no surrogates, nothing past U+10FFFF.
    bool utf8() {
        const auto byte = [&](std::size_t i) {
            return pos_ + i < s_.size() ? static_cast<unsigned char>(s_[pos_ + i]) : 0U;
        };
        const unsigned lead = byte(0);
        const auto tail = [&](std::size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
            const unsigned b = byte(i);
            return b >= lo && b <= hi;
        };
        std::size_t length = 0;
        if (lead >= 0xC2 && lead <= 0xDF)
            length = tail(1) ? 2 : 0;
        else if (lead == 0xE0)
            length = tail(1, 0xA0) && tail(2) ? 3 : 0;
        else if (lead == 0xED)
            length = tail(1, 0x80, 0x9F) && tail(2) ? 3 : 0;
        else if (lead >= 0xE1 && lead <= 0xEF)
            length = tail(1) && tail(2) ? 3 : 0;
        else if (lead == 0xF0)
            length = tail(1, 0x90) && tail(2) && tail(3) ? 4 : 0;
        else if (lead >= 0xF1 && lead <= 0xF3)
            length = tail(1) && tail(2) && tail(3) ? 4 : 0;
        else if (lead == 0xF4)
            length = tail(1, 0x80, 0x8F) && tail(2) && tail(3) ? 4 : 0;
        pos_ += length;
        return length != 0;
    }

    // Keys are compared decoded ("a" and "\u0061" are one key), so escapes are decoded to the
    // UTF-8 bytes a raw character would have.
    bool string(std::string& out) {
        ++pos_;
        while (!at_end()) {
            const unsigned char c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c < 0x20) return false;
            if (c >= 0x80) {
                const std::size_t start = pos_;
                if (!utf8()) return false;
                out.append(s_.substr(start, pos_ - start));
                continue;
            }
            ++pos_;
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (at_end()) return false;
            const char e = s_[pos_++];
            const std::string_view simple = "\"\\/bfnrt";
            const std::string_view meaning = "\"\\/\b\f\n\r\t";
            if (const auto k = simple.find(e); k != std::string_view::npos) {
                out += meaning[k];
                continue;
            }
            if (e != 'u') return false;
            std::uint32_t code = 0;
            if (!hex4(code)) return false;
            if (code >= 0xDC00 && code < 0xE000) return false;  // a low surrogate alone
            if (code >= 0xD800 && code < 0xDC00) {
                std::uint32_t low = 0;
                if (!word("\\u") || !hex4(low) || low < 0xDC00 || low >= 0xE000) return false;
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            }
            yosmodel::detail::append_utf8(out, code);  // only for comparing keys
        }
        return false;
    }
};

}  // namespace yosmodel::fuzz
