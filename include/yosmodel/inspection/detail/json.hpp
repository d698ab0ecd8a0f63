// A small JSON reader for framework files: a document tree with a hard nesting limit, so a
// hostile or broken file gets a FrameworkError naming the line and column, never a stack
// overflow. Not a general JSON library: it keeps object keys in file order and nothing else.
// It reads strict JSON (RFC 8259) only, because the Python side reads the same text again with
// json.loads: a leading zero, "1.", a byte that is not UTF-8 or a key given twice (Python keeps
// the last, find() the first) would give the two sides different documents.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yosmodel/core/detail/utf8.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::inspection::detail {

/// Frameworks nest four levels deep; anything past this is refused rather than recursed into.
inline constexpr std::size_t json_max_depth = 64;

struct JsonMember;

struct JsonValue {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    double number = 0.0;
    bool integral = false;  // written without a fraction or exponent
    std::string string;
    std::vector<JsonValue> items;  // array
    // A named struct, not std::pair: clang instantiates pair<string, JsonValue> eagerly while
    // JsonValue is still incomplete, which libstdc++ refuses.
    std::vector<JsonMember> members;  // object, in file order

    [[nodiscard]] const JsonValue* find(std::string_view key) const;
};

struct JsonMember {
    std::string key;
    JsonValue value;
};

inline const JsonValue* JsonValue::find(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
    return nullptr;
}

/// The word a schema message uses for a value's JSON type.
inline const char* json_kind_name(JsonValue::Kind kind) {
    switch (kind) {
        case JsonValue::Kind::null:
            return "null";
        case JsonValue::Kind::boolean:
            return "true or false";
        case JsonValue::Kind::number:
            return "a number";
        case JsonValue::Kind::string:
            return "a string";
        case JsonValue::Kind::array:
            return "a list";
        case JsonValue::Kind::object:
            return "an object";
    }
    return "a value";
}

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : text_(text) {}

    JsonValue parse() {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF")
            fail("the text starts with a byte-order mark; save the file as UTF-8 without one");
        skip_space();
        JsonValue value = parse_value(0);
        skip_space();
        if (pos_ != text_.size()) fail("unexpected text after the document");
        return value;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;

    [[noreturn]] void fail(const std::string& what) const {
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) {
            if (text_[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw FrameworkError("the framework is not valid JSON (line " + std::to_string(line) +
                             ", column " + std::to_string(column) + ": " + what + ")");
    }

    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    bool consume(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    JsonValue parse_value(std::size_t depth) {
        if (depth >= json_max_depth)
            fail("nested more than " + std::to_string(json_max_depth) + " levels deep");
        if (pos_ >= text_.size()) fail("the document ends where a value was expected");
        JsonValue value;
        const char c = text_[pos_];
        if (c == '{') {
            value.kind = JsonValue::Kind::object;
            ++pos_;
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == '}') {
                ++pos_;
                return value;
            }
            std::vector<std::size_t> key_at;  // where each key starts, to say where a repeat is
            for (;;) {
                skip_space();
                if (pos_ >= text_.size() || text_[pos_] != '"') fail("expected a key in quotes");
                key_at.push_back(pos_);
                std::string key = parse_string();
                skip_space();
                if (pos_ >= text_.size() || text_[pos_] != ':') fail("expected ':' after a key");
                ++pos_;
                skip_space();
                value.members.push_back(JsonMember{std::move(key), parse_value(depth + 1)});
                skip_space();
                if (pos_ < text_.size() && text_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < text_.size() && text_[pos_] == '}') {
                    ++pos_;
                    refuse_repeated_keys(value, key_at);
                    return value;
                }
                fail("expected ',' or '}' in an object");
            }
        }
        if (c == '[') {
            value.kind = JsonValue::Kind::array;
            ++pos_;
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == ']') {
                ++pos_;
                return value;
            }
            for (;;) {
                skip_space();
                value.items.push_back(parse_value(depth + 1));
                skip_space();
                if (pos_ < text_.size() && text_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < text_.size() && text_[pos_] == ']') {
                    ++pos_;
                    return value;
                }
                fail("expected ',' or ']' in a list");
            }
        }
        if (c == '"') {
            value.kind = JsonValue::Kind::string;
            value.string = parse_string();
            return value;
        }
        if (consume("true")) {
            value.kind = JsonValue::Kind::boolean;
            value.boolean = true;
            return value;
        }
        if (consume("false")) {
            value.kind = JsonValue::Kind::boolean;
            return value;
        }
        if (consume("null")) return value;
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
        fail("unexpected character");
    }

    // Sorted once the object is read (n log n, where checking each key against the ones before
    // would be quadratic in a hostile file's width); a repeat is named with where it is.
    void refuse_repeated_keys(const JsonValue& object, const std::vector<std::size_t>& key_at) {
        std::vector<std::size_t> order(object.members.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        const auto& m = object.members;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return m[a].key < m[b].key; });
        std::size_t repeat = order.size();
        for (std::size_t i = 1; i < order.size(); ++i)
            if (m[order[i]].key == m[order[i - 1]].key) repeat = std::min(repeat, order[i]);
        if (repeat == order.size()) return;
        pos_ = key_at[repeat];
        fail("the key '" + m[repeat].key + "' appears twice in one object");
    }

    [[nodiscard]] bool digit() const {
        return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9';
    }

    // JSON's grammar exactly: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    JsonValue parse_number() {
        const std::size_t start = pos_;
        const auto malformed = [&](const char* what) {
            pos_ = start;  // the message points at the number
            fail(what);
        };
        if (text_[pos_] == '-') ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '0') {
            ++pos_;
            if (digit()) malformed("a number has a leading zero");
        } else if (digit()) {
            while (digit())
                ++pos_;
        } else {
            malformed("a number needs a digit after '-'");
        }
        bool integral = true;
        if (pos_ < text_.size() && text_[pos_] == '.') {
            integral = false;
            ++pos_;
            if (!digit()) malformed("a number needs a digit after '.'");
            while (digit())
                ++pos_;
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            integral = false;
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            if (!digit()) malformed("a number needs a digit in its exponent");
            while (digit())
                ++pos_;
        }
        JsonValue value;
        value.kind = JsonValue::Kind::number;
        value.integral = integral;
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        const auto [end, ec] = std::from_chars(first, last, value.number);
        if (ec != std::errc{} || end != last) {
            pos_ = start;
            fail("a number is malformed or out of range");
        }
        return value;
    }

    std::uint32_t parse_hex4() {
        if (pos_ + 4 > text_.size()) fail("a \\u escape needs four hex digits");
        std::uint32_t code = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = text_[pos_++];
            code <<= 4;
            if (h >= '0' && h <= '9')
                code |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                code |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                code |= static_cast<std::uint32_t>(h - 'A' + 10);
            else
                fail("a \\u escape needs four hex digits");
        }
        return code;
    }

    std::string parse_string() {
        ++pos_;  // the opening quote
        std::string out;
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("a control character inside a string");
            if (static_cast<unsigned char>(c) >=
                0x80) {  // a multi-byte character: UTF-8 or refused
                const std::size_t length = yosmodel::detail::utf8_sequence_length(text_, pos_ - 1);
                if (length == 0) {
                    --pos_;
                    fail("a string is not valid UTF-8 (save the file as UTF-8)");
                }
                out.append(text_.substr(pos_ - 1, length));
                pos_ += length - 1;
                continue;
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= text_.size()) break;
            const char e = text_[pos_++];
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out += e;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    std::uint32_t code = parse_hex4();
                    if (code >= 0xD800 && code < 0xDC00) {  // a surrogate pair
                        if (!consume("\\u")) fail("an unpaired surrogate in a \\u escape");
                        const std::uint32_t low = parse_hex4();
                        if (low < 0xDC00 || low >= 0xE000)
                            fail("an unpaired surrogate in a \\u escape");
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    } else if (code >= 0xDC00 && code < 0xE000) {
                        fail("an unpaired surrogate in a \\u escape");
                    }
                    yosmodel::detail::append_utf8(out, code);
                    break;
                }
                default:
                    fail("an unknown escape in a string");
            }
        }
        fail("a string is not closed");
    }
};

/// Parses `text` as one JSON document; throws FrameworkError with the line and column.
inline JsonValue parse_json(std::string_view text) {
    return JsonParser(text).parse();
}

}  // namespace yosmodel::inspection::detail
