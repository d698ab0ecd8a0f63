// The grouper's machinery for walking a chunked column in parallel and writing codes: the rows of
// every worker as pieces of chunks, readers of integer and string rows that skip missing ones,
// and code buffers of the narrowest width.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/detail/large_buffer.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/grouper.hpp"

namespace yosmodel::detail {

inline constexpr std::size_t grouper_block = 16384;

/// Calls `piece(worker, chunk, begin, end, first_row)` for the rows of every worker, cut at chunk
/// boundaries: chunk-local rows [begin, end) are column rows [first_row, first_row + end - begin).
/// Workers' row ranges depend only on the row and thread counts, so two walks with the same
/// thread count give every worker the same rows. Returns the number of workers used.
template <class Piece>
unsigned for_pieces(const arrow::Column& column, unsigned threads, Piece&& piece) {
    const auto& chunks = column.chunks();
    std::vector<std::size_t> starts(chunks.size() + 1, 0);
    for (std::size_t c = 0; c < chunks.size(); ++c)
        starts[c + 1] = starts[c] + static_cast<std::size_t>(chunks[c].length);
    const std::size_t rows = starts.back();
    return parallel_ranges(
        rows, threads, grouper_block, [&](unsigned worker, std::size_t first, std::size_t last) {
            if (first >= last) return;
            std::size_t c = static_cast<std::size_t>(
                std::upper_bound(starts.begin(), starts.end(), first) - starts.begin() - 1);
            for (std::size_t row = first; row < last; ++c) {
                const std::size_t end = std::min(last, starts[c + 1]);
                if (end > row)
                    piece(worker, chunks[c], static_cast<std::int64_t>(row - starts[c]),
                          static_cast<std::int64_t>(end - starts[c]), row);
                row = std::max(row, end);
            }
        });
}

/// Calls `f(T{})` with the C++ type of an integer-valued Arrow type (dates and timestamps are
/// their integer ticks).
template <class F>
decltype(auto) with_integer_type(arrow::Type type, F&& f) {
    using arrow::Type;
    switch (type) {
        case Type::int8:
            return f(std::int8_t{});
        case Type::int16:
            return f(std::int16_t{});
        case Type::int32:
        case Type::date32:
            return f(std::int32_t{});
        case Type::int64:
        case Type::date64:
        case Type::timestamp:
            return f(std::int64_t{});
        case Type::uint8:
            return f(std::uint8_t{});
        case Type::uint16:
            return f(std::uint16_t{});
        case Type::uint32:
            return f(std::uint32_t{});
        default:
            return f(std::uint64_t{});
    }
}

/// Integers mapped to 64-bit unsigned values in the same order (signed ones offset by 2^63), so
/// one comparison, one table and one sort serve every width and sign.
template <class T>
std::uint64_t ordered(T v) {
    if constexpr (std::is_signed_v<T>)
        return static_cast<std::uint64_t>(static_cast<std::int64_t>(v)) ^ (std::uint64_t{1} << 63);
    else
        return static_cast<std::uint64_t>(v);
}

/// The input's own 64-bit pattern of an ordered value (what kernels see when they widen a value
/// of the input's type), so that code = value - base works on the input in place.
inline std::uint64_t raw_of(std::uint64_t ordered_value, bool is_signed) {
    return is_signed ? ordered_value ^ (std::uint64_t{1} << 63) : ordered_value;
}

/// Calls `on_value(i, ordered value)` for valid rows and `on_null(i)` for missing ones among
/// chunk rows [begin, end) of an integer or boolean column.
template <class OnValue, class OnNull>
void scan_integers(const arrow::Field& field, const arrow::Chunk& c, std::int64_t begin,
                   std::int64_t end, OnValue&& on_value, OnNull&& on_null) {
    if (field.type == arrow::Type::boolean) {
        for (std::int64_t i = begin; i < end; ++i) {
            if (c.is_valid(i))
                on_value(i, std::uint64_t{c.boolean_at(i)});
            else
                on_null(i);
        }
        return;
    }
    const arrow::Type type = field.dictionary ? field.index : field.type;
    with_integer_type(type, [&](auto tag) {
        using T = decltype(tag);
        const T* v = c.typed<T>();
        if (c.validity == nullptr) {
            for (std::int64_t i = begin; i < end; ++i)
                on_value(i, ordered(v[i]));
        } else {
            for (std::int64_t i = begin; i < end; ++i) {
                if (c.is_valid(i))
                    on_value(i, ordered(v[i]));
                else
                    on_null(i);
            }
        }
    });
}

/// For an integer chunk with no validity bitmap (not boolean, not dictionary indices): calls
/// `f(v)` with the chunk's values typed (`v[i]` is chunk row i) and returns true; false
/// otherwise, when the caller reads the rows through scan_integers. Loops over `v` keep their
/// tables, bases and bounds in locals: a store of one-byte codes may alias any memory, so a
/// value reached through a reference is reloaded on every row (it cost four times the loop).
template <class F>
bool with_plain_integers(const arrow::Field& field, const arrow::Chunk& c, F&& f) {
    if (field.type == arrow::Type::boolean || field.dictionary || c.validity != nullptr)
        return false;
    with_integer_type(field.type, [&](auto tag) {
        using T = decltype(tag);
        f(c.typed<T>());
    });
    return true;
}

/// The smallest and largest ordered values among chunk rows [begin, end) of an integer or
/// boolean column, missing rows skipped ({2^64 - 1, 0} when every row is missing). Without a
/// validity bitmap this is a plain min/max loop in the values' own type, which compilers
/// vectorise; a per-row callback (scan_integers) kept the running pair in memory and cost
/// several times more than the grouping pass itself.
struct OrderedRange {
    std::uint64_t lo = ~std::uint64_t{0};
    std::uint64_t hi = 0;
};

inline OrderedRange ordered_range(const arrow::Field& field, const arrow::Chunk& c,
                                  std::int64_t begin, std::int64_t end) {
    OrderedRange r;
    if (field.type == arrow::Type::boolean || field.dictionary || c.validity != nullptr) {
        std::uint64_t lo = r.lo;
        std::uint64_t hi = r.hi;
        scan_integers(
            field, c, begin, end,
            [&](std::int64_t, std::uint64_t k) {
                lo = std::min(lo, k);
                hi = std::max(hi, k);
            },
            [](std::int64_t) {});
        return OrderedRange{lo, hi};
    }
    if (begin >= end) return r;
    with_integer_type(field.type, [&](auto tag) {
        using T = decltype(tag);
        const T* v = c.typed<T>();
        T lo = v[begin];
        T hi = lo;
        for (std::int64_t i = begin; i < end; ++i) {
            lo = std::min(lo, v[i]);
            hi = std::max(hi, v[i]);
        }
        r = OrderedRange{ordered(lo), ordered(hi)};
    });
    return r;
}

/// Owned codes: `rows` codes of `width` bytes, left unwritten until the grouper fills them. A
/// cohort's offences' codes are 400 MB at 10^8 rows: on huge pages where the system offers
/// them (large_buffer.hpp), so their first touch faults hundreds of times rather than 10^5.
struct CodeBuffer {
    std::vector<std::uint64_t, LargeBufferAllocator<std::uint64_t>> words;
    std::size_t width = 1;

    CodeBuffer(std::size_t rows, std::size_t code_width)
        : words((rows * code_width + 7) / 8), width(code_width) {}

    template <class C>
    C* as() {
        return reinterpret_cast<C*>(words.data());
    }
};

/// Calls `f(C{})` with the unsigned type of `width` bytes.
template <class F>
decltype(auto) with_code_type(std::size_t width, F&& f) {
    switch (width) {
        case 1:
            return f(std::uint8_t{});
        case 2:
            return f(std::uint16_t{});
        case 4:
            return f(std::uint32_t{});
        default:
            return f(std::uint64_t{});
    }
}

/// Makes `buffer` the key's single segment of codes.
inline void adopt_codes(GroupedKey& key, std::shared_ptr<CodeBuffer> buffer, std::size_t rows) {
    with_code_type(buffer->width, [&](auto tag) {
        using C = decltype(tag);
        key.segments = {
            CodeSegment{0, ColumnView(key.name, std::span<const C>(buffer->as<C>(), rows))}};
    });
    key.base = 0;
    key.borrowed = false;
    key.storage = std::move(buffer);
}

}  // namespace yosmodel::detail
