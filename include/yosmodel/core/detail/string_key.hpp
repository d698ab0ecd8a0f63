// String keys as the grouper's hash tables hold them: the bytes in place in the Arrow buffer,
// plus up to 16 of them packed into two words. A string of at most 16 bytes is wholly determined
// by its length and those two words, so it is hashed and compared as integers (no byte loop, no
// call to memcmp, no read of the data buffer once it is in a table); a longer one is hashed over
// all its bytes and compared by its middle words only when its length and both words already
// agree. No load goes past the column's last offset (a string near the end of a producer's
// unpadded buffer is copied, not over-read).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/detail/distinct_table.hpp"

namespace yosmodel::detail {

struct StringKey {
    const char* data = nullptr;
    std::uint64_t size = 0;
    std::uint64_t head = 0;  ///< bytes from the front (see make_string_key)
    std::uint64_t tail = 0;  ///< bytes from the back, for strings longer than 8 bytes

    static constexpr std::uint64_t packed_size = 16;

    // The bytes between the first and the last eight of two strings of the same length over 16
    // bytes, eight at a time (inline: a call to memcmp costs more than these few words).
    static bool same_middle(const StringKey& a, const StringKey& b) {
        const std::uint64_t last = a.size - 8;
        for (std::uint64_t at = 8; at < last; at += 8) {
            std::uint64_t x = 0;
            std::uint64_t y = 0;
            std::memcpy(&x, a.data + at, 8);
            std::memcpy(&y, b.data + at, 8);
            if (x != y) return false;
        }
        return true;
    }

    [[nodiscard]] std::string_view view() const { return {data, static_cast<std::size_t>(size)}; }
    friend bool operator==(const StringKey& a, const StringKey& b) {
        if (a.size != b.size || a.head != b.head || a.tail != b.tail) return false;
        return a.size <= packed_size || same_middle(a, b);
    }
    // Categories sort by their bytes (Unicode code point order for UTF-8). Two strings of up
    // to 16 bytes compare as their zero-padded words read big-endian, then by length: padding
    // with the smallest byte keeps the order, and equal padded words mean one string is the
    // other followed by zero bytes, so the shorter is first (as memcmp would say). No call to
    // memcmp: sorting a million person ids spent most of its time in those calls.
    friend bool operator<(const StringKey& a, const StringKey& b) {
        static_assert(std::endian::native == std::endian::little, "words are read little-endian");
        if (a.size <= packed_size && b.size <= packed_size) {
            const std::uint64_t ah = __builtin_bswap64(a.head);
            const std::uint64_t bh = __builtin_bswap64(b.head);
            if (ah != bh) return ah < bh;
            const std::uint64_t at = __builtin_bswap64(a.tail);
            const std::uint64_t bt = __builtin_bswap64(b.tail);
            if (at != bt) return at < bt;
            return a.size < b.size;
        }
        return a.view() < b.view();
    }
};

template <class T>
T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// A mask of the low `bytes` bytes of a word (all of it from 8 on).
[[gnu::always_inline]] inline std::uint64_t low_bytes(std::uint64_t bytes) {
    return bytes >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * bytes)) - 1;
}

/// The key of the `n` bytes at `p`, where the bytes readable from `p` end at `end`. Up to 16
/// bytes: the first eight and the next eight, zero past the string. Over 16: the first and the
/// last eight. With the length, either is the string. The common case (a short string with 16
/// readable bytes after its start) is two loads and two masks with no branch on the length,
/// since real key columns mix lengths ("Bury", "Hackney", "Lewisham") and a branch on the
/// length would be mispredicted row after row; a string at the very end of its buffer (or in a
/// string view) is copied into zeroed words instead, which gives the same key.
[[gnu::always_inline]] inline StringKey make_string_key(const char* p, std::uint64_t n,
                                                        const char* end) {
    StringKey k{p, n, 0, 0};
    if (n > StringKey::packed_size) {
        k.head = load<std::uint64_t>(p);
        k.tail = load<std::uint64_t>(p + n - 8);
    } else if (end - p >= 16) [[likely]] {
        k.head = load<std::uint64_t>(p) & low_bytes(n);
        k.tail = load<std::uint64_t>(p + 8) & low_bytes(n > 8 ? n - 8 : 0);
    } else {
        std::array<std::uint64_t, 2> words{};
        if (n > 0) std::memcpy(words.data(), p, static_cast<std::size_t>(n));
        k.head = words[0];
        k.tail = words[1];
    }
    return k;
}

/// The key of a string view of `n` bytes (at most 12) held inline in the 16-byte view `v`: its
/// words are read from the view itself (masked, so padding that is not zero does not matter).
[[gnu::always_inline]] inline StringKey inline_view_key(const char* v, std::uint64_t n) {
    return StringKey{v + 4, n, load<std::uint64_t>(v + 4) & low_bytes(n),
                     std::uint64_t{load<std::uint32_t>(v + 12)} & low_bytes(n > 8 ? n - 8 : 0)};
}

/// Short strings are hashed from their words by two folded 64x64->128-bit multiplies (each
/// output bit depends on every input bit; the two are a short dependency chain, which is what
/// a row's lookup waits on); long ones over all their bytes.
[[gnu::always_inline]] inline std::uint64_t hash_string_key(const StringKey& k) {
    if (k.size > StringKey::packed_size) return hash_string(k.view());
    const auto fold = [](std::uint64_t a, std::uint64_t b) {
        const uint128 product = static_cast<uint128>(a) * b;
        return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
    };
    const std::uint64_t h = fold(k.head ^ 0xa0761d6478bd642fULL, k.tail ^ 0xe7037ed1a0b428dbULL);
    return fold(h ^ 0x8ebc6af09c88c6e3ULL, k.size ^ 0x589965cc75374cc3ULL);
}

/// Calls `on_value(i, key)` for valid rows and `on_null(i)` for missing ones among chunk rows
/// [begin, end) of a string column; returns the number of rows whose offsets or views lie
/// outside their buffers (passed to on_null too). The type and the presence of a validity
/// bitmap are decided once per piece, not per row.
template <class OnValue, class OnNull>
std::size_t scan_string_keys(const arrow::Field& field, const arrow::Chunk& c, std::int64_t begin,
                             std::int64_t end, OnValue&& on_value, OnNull&& on_null) {
    std::size_t bad = 0;
    const auto offsets_loop = [&](auto tag, auto with_validity) {
        using O = decltype(tag);
        const O* o = static_cast<const O*>(c.offsets) + c.offset;
        const char* const data_end = c.data + c.last_offset;
        for (std::int64_t i = begin; i < end; ++i) {
            if constexpr (decltype(with_validity)::value) {
                if (!c.is_valid(i)) {
                    on_null(i);
                    continue;
                }
            }
            const auto start = static_cast<std::int64_t>(o[i]);
            const auto stop = static_cast<std::int64_t>(o[i + 1]);
            if (start < c.first_offset || stop < start || stop > c.last_offset) {
                ++bad;
                on_null(i);
                continue;
            }
            on_value(i, make_string_key(c.data + start, static_cast<std::uint64_t>(stop - start),
                                        data_end));
        }
    };
    const auto offsets_typed = [&](auto tag) {
        if (c.validity == nullptr)
            offsets_loop(tag, std::false_type{});
        else
            offsets_loop(tag, std::true_type{});
    };
    if (field.type == arrow::Type::utf8) {
        offsets_typed(std::int32_t{});
    } else if (field.type == arrow::Type::large_utf8) {
        offsets_typed(std::int64_t{});
    } else {
        // String views (polars' String): strings of up to 12 bytes sit in the view itself and
        // are keyed from there; longer ones are read from their data buffer, bounds checked.
        const auto views_loop = [&](auto with_validity) {
            const char* const views = static_cast<const char*>(c.values) + 16 * c.offset;
            std::string_view s;
            for (std::int64_t i = begin; i < end; ++i) {
                if constexpr (decltype(with_validity)::value) {
                    if (!c.is_valid(i)) {
                        on_null(i);
                        continue;
                    }
                }
                const char* const v = views + 16 * i;
                const auto size = load<std::int32_t>(v);
                if (size >= 0 && size <= 12) {
                    on_value(i, inline_view_key(v, static_cast<std::uint64_t>(size)));
                } else if (c.string_at(field.type, i, s)) {
                    on_value(i, make_string_key(s.data(), s.size(), s.data() + s.size()));
                } else {
                    ++bad;
                    on_null(i);
                }
            }
        };
        if (c.validity == nullptr)
            views_loop(std::false_type{});
        else
            views_loop(std::true_type{});
    }
    return bad;
}

}  // namespace yosmodel::detail
