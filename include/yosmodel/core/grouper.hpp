// The grouper: a key column of any type (integers of any width and sign, booleans, dates,
// timestamps, strings, dictionary-encoded columns) to dense integer codes and the categories
// they stand for, in parallel and in the narrowest code width that holds them. Kernels then
// group by codes alone and never see the key's own type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yosmodel/core/detail/config.hpp"

#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/column.hpp"

namespace yosmodel {

/// What to do with a missing key value.
enum class NullKeys : std::uint8_t {
    refuse,  ///< InputError naming the column and the number of missing rows (the default)
    group,   ///< missing values form their own group, with the last code
};

/// The order of the categories (and so of the codes).
enum class CategoryOrder : std::uint8_t {
    sorted,      ///< ascending values; strings by their UTF-8 bytes (Unicode code point order)
    first_seen,  ///< in the order values first appear (dictionary order for dictionary columns)
    any,         ///< whatever is cheapest (person ids, where only equality matters)
};

struct GrouperOptions {
    unsigned threads = 0;  ///< 0: every core
    NullKeys nulls = NullKeys::refuse;
    /// Dictionary-encoded columns always keep their dictionary's order (made of the chunks'
    /// dictionaries in first-seen order when they differ); this applies to every other type.
    CategoryOrder order = CategoryOrder::sorted;
    /// Integer keys whose values span at most this many are coded through a directly indexed
    /// table (no hashing); wider ones through a hash table.
    std::uint64_t direct_range_limit = std::uint64_t{1} << 22;
    /// Integer keys spanning at most this many values (and at most `direct_range_limit`), with
    /// no missing values, are not copied either: that table becomes the segments' code map
    /// (`CodeSegment::map`), and the categories are exactly the values present. The default's
    /// map is 16 MiB of 4-byte codes, half the L3 cache (32 MiB here), so that even a key whose
    /// rows touch every entry (person ids) reads it from cache alongside the counting tables;
    /// a key of a few hundred values touches a few hundred lines of it, in L1 and L2, however
    /// wide its span. Wider spans are hashed into written codes. 0 turns this off.
    std::uint64_t mapped_range_limit = std::uint64_t{1} << 22;
    /// Integer keys spanning at most this many values, with no missing values, are not copied:
    /// the codes are the values themselves minus the smallest (`GroupedKey::base`), and every
    /// value of that span is a category, present in the data or not (results list only the
    /// groups that have rows). 0 turns this off, so that the categories are exactly the values
    /// present.
    std::uint64_t borrow_range_limit = std::uint64_t{1} << 12;
    /// Keys hashed on several workers only when a key has at least this many rows on average
    /// (judged from the keys of up to 4096 evenly spaced rows); with fewer, every worker's table
    /// holds most of the keys and merging them costs more than the workers save (sorted string
    /// person ids, 10^7 rows of 10^6 people: 609 ms on one worker, 825 ms on two). 0: always
    /// the threads asked for.
    double min_rows_per_key = 16;
};

/// What each code stands for: category `c` is element `c` of the vector for the value type
/// (`integers` for signed integers, booleans as 0/1, date32 days, date64 milliseconds and
/// timestamp ticks; `unsigned_integers` for unsigned integers; `string(c)` for strings).
struct Categories {
    arrow::Field field;  ///< the values' type (never a dictionary)
    std::vector<std::int64_t> integers;
    std::vector<std::uint64_t> unsigned_integers;
    std::vector<std::int64_t> string_offsets{0};  ///< string c is bytes [offsets[c], offsets[c+1])
    std::string string_bytes;

    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::string_view string(std::size_t c) const {
        return std::string_view(string_bytes)
            .substr(static_cast<std::size_t>(string_offsets[c]),
                    static_cast<std::size_t>(string_offsets[c + 1] - string_offsets[c]));
    }
};

/// A stretch of a key's codes: rows [first_row, first_row + codes.size()) of the column. Without
/// a map, a row's code is `value - base`; with one, it is `map[value - base]`, and a value whose
/// `value - base` is not below `map.size()` is out of range (the map is what lets a chunk's own
/// dictionary indices, or integers of a moderate span, be read in place rather than rewritten).
struct CodeSegment {
    std::size_t first_row = 0;
    ColumnView codes;
    std::span<const std::uint32_t> map;  ///< empty: no map (held by the key's `storage`)

    CodeSegment(std::size_t first, ColumnView values, std::span<const std::uint32_t> code_map = {})
        : first_row(first), codes(std::move(values)), map(code_map) {}
};

/// A key column as codes: row r's code is its segment's code (value - base modulo 2^64, through
/// the segment's map if it has one), in [0, cardinality). Codes the grouper wrote are one
/// segment of the narrowest unsigned type that holds them, with base 0; codes read in place
/// (dictionary indices, integers of a narrow or moderate span) are one segment per input chunk,
/// of the input's own type. A code at or above `cardinality` can only come from a dictionary
/// index outside its dictionary, which kernels must count as bad input (they do: see
/// aggregate_grouped).
struct GroupedKey {
    std::string name;
    std::vector<CodeSegment> segments;
    std::uint64_t base = 0;
    std::uint64_t cardinality = 0;  ///< categories.size() + null_group
    Categories categories;
    bool null_group = false;  ///< missing values have code cardinality - 1
    bool borrowed = false;    ///< some segments read the input's memory, which must outlive them
    std::size_t rows = 0;
    /// Keeps the codes (or the Arrow arrays they read) and the segments' maps alive.
    std::shared_ptr<const void> storage;

    /// Row `row`'s code (for tests and small results; kernels read the segments).
    [[nodiscard]] std::uint64_t code(std::size_t row) const;
};

/// Codes of `column`. Throws InputError (missing keys with NullKeys::refuse, malformed strings,
/// dictionary indices outside their dictionary when they have to be rewritten) or DtypeError
/// (floating-point keys), naming the column and a count, never a value.
GroupedKey group_key(const arrow::Column& column, const GrouperOptions& options = {});

/// Puts the categories of `key` in another order: new code c stands for what old code
/// `order[c]` stood for (`order` a permutation of the categories' codes; the missing group keeps
/// the last code). Up to `map_limit` codes, every segment gets a map (a mapped
/// segment's map is permuted, an unmapped one gets the permutation as its map): O(categories),
/// no row is read or written. Wider keys have their codes rewritten in parallel into a buffer of
/// the key's own. The input is never written; a code outside the categories (a dictionary index
/// outside its dictionary) stays outside them, for the kernel to report. Throws InputError when
/// `order` is not such a permutation.
/// For orders the grouper does not know, such as a categorical's names when it was grouped by
/// its ids.
/// The most codes (categories and the missing group) that reorder_categories puts in a map
/// rather than rewriting the rows: the grouper's own map limit, for the same reason.
inline constexpr std::uint64_t reorder_map_limit = std::uint64_t{1} << 22;

void reorder_categories(GroupedKey& key, std::span<const std::uint64_t> order, unsigned threads = 0,
                        std::uint64_t map_limit = reorder_map_limit);

/// The narrowest unsigned code width (1, 2, 4 or 8 bytes) for `cardinality` codes.
std::size_t code_width(std::uint64_t cardinality);

}  // namespace yosmodel

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/core/detail/grouper-inl.hpp"
#endif
