// Key columns to codes. Integers: one parallel pass for the smallest and largest value, then the
// values themselves minus the smallest (narrow spans, no copy), a directly indexed table
// (spans up to 2^22 values) or hash tables. Strings: hash tables over the Arrow buffers,
// short ones compared as packed words (string_key.hpp).
// Integer spans up to the map limit are read in place through that table as a code map.
// Dictionary columns: their indices as they are, through a map per chunk when chunks'
// dictionaries disagree (each chunk's place in one dictionary made of them all); only chunks
// with missing rows are rewritten, as a missing row's index can be anything.
#pragma once

#include "yosmodel/core/grouper.hpp"

#include <algorithm>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <variant>

#include "yosmodel/core/detail/code_maps.hpp"
#include "yosmodel/core/detail/hashed_codes.hpp"
#include "yosmodel/core/detail/key_rows.hpp"
#include "yosmodel/core/detail/string_key.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

namespace detail::grouping {

using arrow::Chunk;
using arrow::Column;
using arrow::Field;
using arrow::Type;
using namespace detail;

inline std::string rows_have(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " row has" : " rows have");
}

inline bool signed_values(const Field& field) {
    return field.type != Type::boolean && arrow::is_signed(field.type);
}

inline void add_integer(Categories& categories, std::uint64_t ordered_value) {
    if (signed_values(categories.field))
        categories.integers.push_back(
            static_cast<std::int64_t>(raw_of(ordered_value, /*is_signed=*/true)));
    else if (categories.field.type == Type::boolean)
        categories.integers.push_back(static_cast<std::int64_t>(ordered_value));
    else
        categories.unsigned_integers.push_back(ordered_value);
}

// Every row missing (or no rows): one code, the missing group's, or none.
inline GroupedKey all_missing(GroupedKey key) {
    key.null_group = key.rows > 0;
    key.cardinality = key.null_group ? 1 : 0;
    auto codes = std::make_shared<CodeBuffer>(key.rows, 1);
    std::fill_n(codes->as<std::uint8_t>(), key.rows, std::uint8_t{0});
    adopt_codes(key, std::move(codes), key.rows);
    return key;
}

// Codes read in place: one segment per chunk over the chunk's own values.
inline void borrow_segments(GroupedKey& key, const Column& column, Type type) {
    key.segments.clear();
    std::size_t first_row = 0;
    with_integer_type(type, [&](auto tag) {
        using T = decltype(tag);
        for (const Chunk& c : column.chunks()) {
            const auto n = static_cast<std::size_t>(c.length);
            key.segments.emplace_back(first_row,
                                      ColumnView(key.name, std::span<const T>(c.typed<T>(), n)));
            first_row += n;
        }
    });
    key.borrowed = true;
    key.storage = column.owner();
}

// Gives the key's storage maps to hold, keeping what it held; returns it for the maps.
inline MappedStorage& mapped_storage(GroupedKey& key) {
    auto storage = std::make_shared<MappedStorage>();
    storage->keep.push_back(std::move(key.storage));
    MappedStorage& out = *storage;
    key.storage = std::move(storage);
    return out;
}

inline GroupedKey group_integers(const Column& column, const GrouperOptions& options,
                                 unsigned threads) {
    const Field& field = column.field();
    GroupedKey key;
    key.name = column.name();
    key.rows = static_cast<std::size_t>(column.length());
    key.categories.field = field;
    const bool missing = column.null_count() > 0;
    const auto skip = [](std::int64_t) {};

    std::vector<OrderedRange> ranges(threads);
    for_pieces(column, threads,
               [&](unsigned w, const Chunk& c, std::int64_t b, std::int64_t e, std::size_t) {
                   const OrderedRange piece = ordered_range(field, c, b, e);
                   ranges[w].lo = std::min(ranges[w].lo, piece.lo);
                   ranges[w].hi = std::max(ranges[w].hi, piece.hi);
               });
    OrderedRange all;
    for (const OrderedRange& r : ranges) {
        all.lo = std::min(all.lo, r.lo);
        all.hi = std::max(all.hi, r.hi);
    }
    if (all.lo > all.hi) return all_missing(std::move(key));
    const std::uint64_t span = all.hi - all.lo;  // the number of possible values, less one

    if (field.type != Type::boolean && !missing && options.order != CategoryOrder::first_seen &&
        span < options.borrow_range_limit) {
        borrow_segments(key, column, field.type);
        key.base = raw_of(all.lo, signed_values(field));
        key.cardinality = span + 1;
        for (std::uint64_t v = 0; v <= span; ++v)
            add_integer(key.categories, all.lo + v);
        return key;
    }

    if (options.order != CategoryOrder::first_seen && span < options.direct_range_limit) {
        const std::size_t size = span + 1;
        std::vector<std::vector<std::uint8_t>> present(threads);
        const unsigned used = for_pieces(
            column, threads,
            [&](unsigned w, const Chunk& c, std::int64_t b, std::int64_t e, std::size_t) {
                auto& mark = present[w];
                if (mark.empty()) mark.assign(size, 0);
                std::uint8_t* const marks = mark.data();
                const std::uint64_t lo = all.lo;
                const bool plain = with_plain_integers(field, c, [&](const auto* v) {
                    std::uint8_t* const m = marks;
                    const std::uint64_t base = lo;
                    const std::int64_t first = b;
                    const std::int64_t last = e;
                    for (std::int64_t i = first; i < last; ++i)
                        m[ordered(v[i]) - base] = 1;
                });
                if (!plain)
                    scan_integers(
                        field, c, b, e, [&](std::int64_t, std::uint64_t k) { marks[k - lo] = 1; },
                        skip);
            });
        std::vector<std::uint32_t> code_of(size);
        std::uint32_t distinct = 0;
        for (std::size_t v = 0; v < size; ++v) {
            bool seen = false;
            for (unsigned w = 0; w < used; ++w)
                seen |= !present[w].empty() && present[w][v] != 0;
            code_of[v] = seen ? distinct : unmapped_code;
            if (seen) {
                add_integer(key.categories, all.lo + v);
                ++distinct;
            }
        }
        present.clear();
        if (field.type != Type::boolean && !missing && span < options.mapped_range_limit) {
            // The table is the map: rows are read in place, no code is written.
            borrow_segments(key, column, field.type);
            MappedStorage& storage = mapped_storage(key);
            storage.maps.push_back(std::move(code_of));
            for (CodeSegment& s : key.segments)
                s.map = storage.maps.front();
            key.base = raw_of(all.lo, signed_values(field));
            key.cardinality = distinct;
            return key;
        }
        key.null_group = missing;
        key.cardinality = distinct + (missing ? 1 : 0);
        auto codes = std::make_shared<CodeBuffer>(key.rows, code_width(key.cardinality));
        with_code_type(codes->width, [&](auto tag) {
            using C = decltype(tag);
            C* out_all = codes->as<C>();
            for_pieces(
                column, threads,
                [&](unsigned, const Chunk& c, std::int64_t b, std::int64_t e, std::size_t row0) {
                    C* out = out_all + row0;
                    const std::uint32_t* const table = code_of.data();
                    const std::uint64_t lo = all.lo;
                    const bool plain = with_plain_integers(field, c, [&](const auto* v) {
                        C* const o = out;
                        const std::uint32_t* const t = table;
                        const std::uint64_t base = lo;
                        const std::int64_t first = b;
                        const std::int64_t last = e;
                        for (std::int64_t i = first; i < last; ++i)
                            o[i - first] = static_cast<C>(t[ordered(v[i]) - base]);
                    });
                    if (!plain)
                        scan_integers(
                            field, c, b, e,
                            [&](std::int64_t i, std::uint64_t k) {
                                out[i - b] = static_cast<C>(table[k - lo]);
                            },
                            [&](std::int64_t i) { out[i - b] = static_cast<C>(distinct); });
                });
        });
        adopt_codes(key, std::move(codes), key.rows);
        return key;
    }

    auto hashed = hashed_codes<std::uint64_t>(
        column, threads, options, missing, hash_integer,
        [&](const Chunk& c, std::int64_t b, std::int64_t e, auto&& on_value, auto&& on_null) {
            scan_integers(field, c, b, e, on_value, on_null);
            return std::size_t{0};
        });
    for (std::uint64_t k : hashed.categories)
        add_integer(key.categories, k);
    key.null_group = missing;
    key.cardinality = hashed.cardinality;
    adopt_codes(key, std::move(hashed.codes), key.rows);
    return key;
}

inline GroupedKey group_strings(const Column& column, const GrouperOptions& options,
                                unsigned threads) {
    const Field& field = column.field();
    GroupedKey key;
    key.name = column.name();
    key.rows = static_cast<std::size_t>(column.length());
    key.categories.field = field;
    const bool missing = column.null_count() > 0;
    auto hashed = hashed_codes<StringKey>(
        column, threads, options, missing,
        // Forced inline: GCC otherwise calls it once per row, spilling the key around the call.
        [](const StringKey& k) __attribute__((always_inline)) { return hash_string_key(k); },
        [&](const Chunk& c, std::int64_t b, std::int64_t e, auto&& on_value, auto&& on_null) {
            return scan_string_keys(field, c, b, e, on_value, on_null);
        });
    if (hashed.bad_rows != 0)
        throw InputError("key column '" + key.name + "': " + rows_have(hashed.bad_rows) +
                         " string bounds outside their data buffer (a malformed Arrow array)");
    std::size_t bytes = 0;
    for (const auto& s : hashed.categories)
        bytes += s.size;
    key.categories.string_bytes.reserve(bytes);
    key.categories.string_offsets.reserve(hashed.categories.size() + 1);
    for (const auto& s : hashed.categories) {
        key.categories.string_bytes.append(s.view());
        key.categories.string_offsets.push_back(
            static_cast<std::int64_t>(key.categories.string_bytes.size()));
    }
    key.null_group = missing;
    key.cardinality = hashed.cardinality;
    adopt_codes(key, std::move(hashed.codes), key.rows);
    return key;
}

inline GroupedKey group_dictionary(const Column& column, unsigned threads) {
    const Field& field = column.field();
    Field values = field;
    values.dictionary = false;
    // The chunks' dictionaries, read as one column: its codes in first-seen order say where
    // each chunk's entries sit in the combined dictionary.
    std::vector<Chunk> dictionaries;
    for (const Chunk& c : column.chunks())
        dictionaries.push_back(*c.dictionary);
    const Column combined(column.name(), values, std::move(dictionaries));
    GrouperOptions serial;
    serial.threads = 1;
    serial.order = CategoryOrder::first_seen;
    serial.borrow_range_limit = 0;
    serial.nulls = NullKeys::group;  // null entries: no category (their rows are missing rows)
    GroupedKey dictionary = group_key(combined, serial);

    const auto& chunks = column.chunks();
    GroupedKey key;
    key.name = column.name();
    key.rows = static_cast<std::size_t>(column.length());
    key.categories = std::move(dictionary.categories);
    const std::uint64_t distinct = key.categories.size();
    const bool missing = column.null_count() > 0;
    key.null_group = missing;
    key.cardinality = distinct + (missing ? 1 : 0);

    // Chunk c's map: entry j is the code of its dictionary's entry j. A chunk whose dictionary
    // is the whole dictionary in order needs none: its indices are the codes.
    std::vector<std::vector<std::uint32_t>> remap(chunks.size());
    std::vector<bool> as_is(chunks.size());
    std::size_t row = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        const auto n = static_cast<std::size_t>(chunks[c].dictionary->length);
        remap[c].resize(n);
        bool identity = n == distinct;  // a shorter one would let indices past it through
        const Chunk& entries = *chunks[c].dictionary;
        for (std::size_t j = 0; j < n; ++j) {
            // No row reads a null entry (import made its rows missing), so none may code as one.
            remap[c][j] = entries.is_valid(static_cast<std::int64_t>(j))
                              ? static_cast<std::uint32_t>(dictionary.code(row + j))
                              : unmapped_code;
            identity &= remap[c][j] == j;
        }
        // Every index is outside an empty dictionary; an empty map would mean no map at all.
        if (n == 0) remap[c].push_back(unmapped_code);
        as_is[c] = identity;
        row += n;
    }

    // A missing row's index can be anything, so chunks with missing rows are rewritten: each
    // into its place in one buffer of their rows, missing rows with the last code.
    std::vector<Chunk> with_missing;
    for (const Chunk& c : chunks)
        if (c.null_count > 0) with_missing.push_back(c);
    const Column rewritten(column.name(), field, with_missing);
    std::shared_ptr<CodeBuffer> codes;
    if (rewritten.length() > 0) {
        codes = std::make_shared<CodeBuffer>(static_cast<std::size_t>(rewritten.length()),
                                             code_width(key.cardinality));
        const bool signed_index = arrow::is_signed(field.index);
        std::vector<std::size_t> bad(threads, 0);
        const std::vector<Chunk>& parts = rewritten.chunks();
        std::vector<const std::vector<std::uint32_t>*> map_of;
        for (std::size_t c = 0; c < chunks.size(); ++c)
            if (chunks[c].null_count > 0) map_of.push_back(&remap[c]);
        with_code_type(codes->width, [&](auto tag) {
            using C = decltype(tag);
            C* out_all = codes->as<C>();
            for_pieces(
                rewritten, threads,
                [&](unsigned w, const Chunk& c, std::int64_t b, std::int64_t e, std::size_t row0) {
                    const auto& map = *map_of[static_cast<std::size_t>(&c - parts.data())];
                    C* out = out_all + row0;
                    std::size_t outside = 0;
                    scan_integers(
                        field, c, b, e,
                        [&](std::int64_t i, std::uint64_t k) {
                            const std::uint64_t index = raw_of(k, signed_index);
                            const std::uint32_t code =
                                index < map.size() ? map[index] : unmapped_code;
                            const bool ok = code != unmapped_code;
                            outside += !ok;
                            out[i - b] = static_cast<C>(ok ? code : 0);
                        },
                        [&](std::int64_t i) { out[i - b] = static_cast<C>(distinct); });
                    bad[w] += outside;
                });
        });
        std::size_t outside = 0;
        for (std::size_t b : bad)
            outside += b;
        if (outside != 0)
            throw InputError("key column '" + key.name + "': " + rows_have(outside) +
                             " dictionary indices outside their dictionary (a malformed Arrow "
                             "array)");
    }

    // The other chunks' indices are read in place, through their maps (an index outside its
    // dictionary is left for the kernel to count).
    key.storage = column.owner();
    MappedStorage& storage = mapped_storage(key);
    storage.maps = std::move(remap);
    storage.keep.push_back(codes);
    std::size_t first_row = 0;
    std::size_t written = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        const Chunk& chunk = chunks[c];
        const auto n = static_cast<std::size_t>(chunk.length);
        if (chunk.null_count > 0) {
            with_code_type(codes->width, [&](auto tag) {
                using C = decltype(tag);
                key.segments.emplace_back(
                    first_row,
                    ColumnView(key.name, std::span<const C>(codes->as<C>() + written, n)));
            });
            written += n;
        } else {
            with_integer_type(field.index, [&](auto tag) {
                using T = decltype(tag);
                key.segments.emplace_back(
                    first_row, ColumnView(key.name, std::span<const T>(chunk.typed<T>(), n)));
            });
            if (!as_is[c]) key.segments.back().map = storage.maps[c];
            key.borrowed = true;
        }
        first_row += n;
    }
    return key;
}

}  // namespace detail::grouping

YOSMODEL_INLINE std::size_t Categories::size() const {
    using arrow::Type;
    if (field.is_string()) return string_offsets.size() - 1;
    if (field.type >= Type::uint8 && field.type <= Type::uint64) return unsigned_integers.size();
    return integers.size();
}

YOSMODEL_INLINE std::uint64_t GroupedKey::code(std::size_t row) const {
    const auto at =
        std::upper_bound(segments.begin(), segments.end(), row,
                         [](std::size_t r, const CodeSegment& s) { return r < s.first_row; });
    const CodeSegment& s = *(at - 1);
    std::uint64_t code = 0;
    detail::with_segment_codes(
        s, base, [&](std::size_t, auto code_of) { code = code_of(row - s.first_row); });
    return code;
}

YOSMODEL_INLINE void reorder_categories(GroupedKey& key, std::span<const std::uint64_t> order,
                                        unsigned threads, std::uint64_t map_limit) {
    using namespace detail::grouping;
    const std::size_t n = key.categories.size();
    if (order.size() != n)
        throw InputError("key column '" + key.name + "': a new order of its categories must list " +
                         std::to_string(n) + " codes, not " + std::to_string(order.size()));
    std::vector<std::uint64_t> rank(n + (key.null_group ? 1 : 0), ~std::uint64_t{0});
    for (std::size_t c = 0; c < n; ++c) {
        if (order[c] >= n || rank[order[c]] != ~std::uint64_t{0})
            throw InputError("key column '" + key.name +
                             "': a new order of its categories must use every code once");
        rank[order[c]] = c;
    }
    if (key.null_group) rank[n] = n;

    Categories& old = key.categories;
    Categories sorted;
    sorted.field = old.field;
    for (const std::uint64_t c : order) {
        if (old.field.is_string()) {
            sorted.string_bytes.append(old.string(c));
            sorted.string_offsets.push_back(static_cast<std::int64_t>(sorted.string_bytes.size()));
        } else if (!old.unsigned_integers.empty()) {
            sorted.unsigned_integers.push_back(old.unsigned_integers[c]);
        } else {
            sorted.integers.push_back(old.integers[c]);
        }
    }

    key.categories = std::move(sorted);
    if (rank.size() <= map_limit) {
        // Every segment reads its new codes through a map: a mapped segment's map composed with
        // the new order, an unmapped one's the new order itself. No row is touched.
        MappedStorage& storage = mapped_storage(key);
        storage.maps.reserve(key.segments.size() + 1);
        const auto new_code = [&](std::uint64_t code) {
            return code < rank.size() ? static_cast<std::uint32_t>(rank[code]) : unmapped_code;
        };
        std::size_t reordered = key.segments.size();  // the shared map of unmapped segments
        for (CodeSegment& s : key.segments) {
            if (s.map.empty()) {
                if (reordered == key.segments.size()) {
                    reordered = storage.maps.size();
                    auto& map = storage.maps.emplace_back(rank.size());
                    for (std::size_t c = 0; c < rank.size(); ++c)
                        map[c] = new_code(c);
                }
                s.map = storage.maps[reordered];
                continue;
            }
            auto& map = storage.maps.emplace_back(s.map.size());
            for (std::size_t j = 0; j < map.size(); ++j)
                map[j] = new_code(s.map[j]);
            s.map = map;
        }
        return;
    }

    // Too many codes for a map: codes from every segment into one buffer; a code outside the
    // categories (a dictionary index outside its dictionary, which kernels report) stays
    // outside them.
    auto codes = std::make_shared<CodeBuffer>(key.rows, code_width(key.cardinality + 1));
    const std::uint64_t outside = key.cardinality;
    with_code_type(codes->width, [&](auto tag) {
        using C = decltype(tag);
        C* const out = codes->as<C>();
        for (const CodeSegment& s : key.segments) {
            with_segment_codes(s, key.base, [&](std::size_t n, auto code_of) {
                parallel_ranges(n, resolve_threads(threads), grouper_block,
                                [&](unsigned, std::size_t first, std::size_t last) {
                                    C* const o = out + s.first_row;
                                    const std::uint64_t* const r = rank.data();
                                    const std::uint64_t size = rank.size();
                                    const std::uint64_t bad = outside;
                                    for (std::size_t i = first; i < last; ++i) {
                                        const std::uint64_t code = code_of(i);
                                        o[i] = static_cast<C>(code < size ? r[code] : bad);
                                    }
                                });
            });
        }
    });
    adopt_codes(key, std::move(codes), key.rows);
}

YOSMODEL_INLINE std::size_t code_width(std::uint64_t cardinality) {
    if (cardinality <= (std::uint64_t{1} << 8)) return 1;
    if (cardinality <= (std::uint64_t{1} << 16)) return 2;
    if (cardinality <= (std::uint64_t{1} << 32)) return 4;
    return 8;
}

YOSMODEL_INLINE GroupedKey group_key(const arrow::Column& column, const GrouperOptions& options) {
    using namespace detail::grouping;
    const unsigned threads = resolve_threads(options.threads);
    const Field& field = column.field();
    if (column.null_count() > 0 && options.nulls == NullKeys::refuse)
        throw InputError("grouping column '" + column.name() +
                         "': " + rows_have(static_cast<std::size_t>(column.null_count())) +
                         " a missing value; fill or drop them before grouping (missing keys are "
                         "never dropped silently)");
    if (field.dictionary) return group_dictionary(column, threads);
    if (field.type == Type::float32 || field.type == Type::float64)
        throw DtypeError("key column '" + column.name() +
                         "' holds floating-point values; group by integers, strings, dates or "
                         "categories (round or bin the values first)");
    if (field.is_string()) return group_strings(column, options, threads);
    return group_integers(column, options, threads);
}

}  // namespace yosmodel
