// Looking a column up in a key's categories: a table made of the categories (their codes are
// the table's own numbers, since categories are inserted in code order), then every row of the
// column read a batch ahead and found with its loads requested early (hashed_codes.hpp). Short
// string categories (every one of at most 16 bytes: person ids) go in a table whose slots hold
// the strings (packed_string_table.hpp), one wait on memory a row instead of two.
#pragma once

#include "yosmodel/core/key_lookup.hpp"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "yosmodel/core/detail/distinct_table.hpp"
#include "yosmodel/core/detail/hash_filter.hpp"
#include "yosmodel/core/detail/hashed_codes.hpp"
#include "yosmodel/core/detail/key_rows.hpp"
#include "yosmodel/core/detail/packed_string_table.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/detail/string_key.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

namespace detail::lookup {

using arrow::Field;
using arrow::Type;

inline bool plain_integer(const Field& f) {
    return !f.dictionary && f.type != Type::boolean && f.type != Type::date32 &&
           f.type != Type::date64 && f.type != Type::timestamp && f.is_integer();
}

// Values compare equal across the two columns only within one kind: strings whatever their
// layout (the key of a string is its bytes), integers of one signedness whatever their width
// (ordered() maps each signedness to one order), and otherwise only the same type.
inline bool same_kind(const Field& key, const Field& column) {
    if (column.dictionary) return false;
    if (key.is_string() || column.is_string()) return key.is_string() && column.is_string();
    if (plain_integer(key) && plain_integer(column))
        return arrow::is_signed(key.type) == arrow::is_signed(column.type);
    return key == column;
}

// The categories go in in code order, a batch at a time with each insert's slot requested
// some categories ahead (for_each_prefetched): a table of 10^7 person ids is past the cache, and
// inserting them one wait on memory after another took as long as looking up 10^7 rows.
// `insert(key, hash, code)`.
template <class Key, class Table, class KeyOf, class Hash, class Insert>
void insert_categories(const Table& table, std::uint64_t n, KeyOf&& key_of, Hash&& hash,
                       Insert&& insert) {
    auto pending = std::make_unique<Pending<Key>>();
    for (std::uint64_t b = 0; b < n; b += batch_rows) {
        const auto m = static_cast<std::size_t>(std::min<std::uint64_t>(batch_rows, n - b));
        for (std::size_t i = 0; i < m; ++i) {
            pending->keys[i] = key_of(b + i);
            pending->hashes[i] = hash(pending->keys[i]);
        }
        for_each_prefetched(table, pending->hashes.data(), m, [&](std::size_t i) {
            insert(pending->keys[i], pending->hashes[i], static_cast<std::uint32_t>(b + i));
        });
    }
}

// The rows of a batch a filter let through, and their hashes side by side (for_each_prefetched).
struct Maybe {
    std::array<std::uint16_t, batch_rows> rows;
    std::array<std::uint64_t, batch_rows> hashes;
};
static_assert(batch_rows <= 65'536);

// `filter` (or nullptr) holds the hashes of every key in `table`.
template <class Key, class Table, class Hash, class Scan>
KeyLookup find_rows(const Table& table, const HashFilter* filter, std::uint64_t categories,
                    const arrow::Column& column, unsigned threads, UnknownCode unknown_order,
                    Hash&& hash, Scan&& scan) {
    const auto rows = static_cast<std::size_t>(column.length());
    constexpr std::uint32_t null_id = Table::missing;
    KeyLookup out;
    const bool unknown_first = unknown_order == UnknownCode::before_missing;
    out.missing_code = unknown_first ? categories + 1 : categories;
    out.unknown_code = unknown_first ? categories : categories + 1;
    auto codes = std::make_shared<CodeBuffer>(rows, code_width(categories + 2));
    std::vector<std::size_t> missing(threads, 0);
    std::vector<std::size_t> unknown(threads, 0);
    std::vector<std::size_t> bad(threads, 0);
    with_code_type(codes->width, [&](auto tag) {
        using C = decltype(tag);
        C* const all = codes->as<C>();
        for_pieces(
            column, threads,
            [&](unsigned w, const arrow::Chunk& c, std::int64_t b, std::int64_t e,
                std::size_t row0) {
                auto pending = std::make_unique<Pending<Key>>();
                std::array<std::uint32_t, batch_rows> ids;
                const auto missing_code = static_cast<C>(out.missing_code);
                const auto unknown_code = static_cast<C>(out.unknown_code);
                std::size_t missing_here = 0;
                std::size_t unknown_here = 0;
                // Worker-local: whether the filter pays, judged on the batch before (a quarter of
                // its rows or more were nobody's).
                bool filtering = filter != nullptr;
                auto maybe = std::make_unique<Maybe>();
                // Each row's filter word asked for as the row is hashed, so that it has arrived
                // by the time the batch is filtered (the filter is past the core's own cache).
                const auto hash_and_ask = [&](const Key& k) __attribute__((always_inline)) {
                    const std::uint64_t h = hash(k);
                    if (filtering) filter->prefetch(h);
                    return h;
                };
                for (std::int64_t sb = b; sb < e; sb += static_cast<std::int64_t>(batch_rows)) {
                    const std::int64_t se = std::min(e, sb + static_cast<std::int64_t>(batch_rows));
                    const auto n = static_cast<std::size_t>(se - sb);
                    bad[w] += read_pending(c, sb, se, scan, hash_and_ask, *pending, ids.data() - sb,
                                           null_id);
                    C* const to = all + row0 + static_cast<std::size_t>(sb - b);
                    std::size_t nulls = 0;
                    std::size_t found = 0;
                    if (filtering) {
                        // The rows the filter lets through, listed without a branch, then only
                        // they are probed (their slots requested ahead as below).
                        std::size_t m = 0;
                        for (std::size_t i = 0; i < n; ++i) {
                            const bool present = ids[i] != null_id;
                            nulls += present ? 0 : 1;
                            to[i] = present ? unknown_code : missing_code;
                            maybe->rows[m] = static_cast<std::uint16_t>(i);
                            maybe->hashes[m] = pending->hashes[i];
                            m += present && filter->may_contain(pending->hashes[i]) ? 1 : 0;
                        }
                        for_each_prefetched(table, maybe->hashes.data(), m, [&](std::size_t j) {
                            const std::size_t i = maybe->rows[j];
                            const std::uint32_t id = table.find(pending->keys[i], maybe->hashes[j]);
                            const bool hit = id != null_id;
                            found += hit ? 1 : 0;
                            to[i] = hit ? static_cast<C>(id) : unknown_code;
                        });
                    } else {
                        for_each_prefetched(table, pending->hashes.data(), n, [&](std::size_t i) {
                            if (ids[i] == null_id) {
                                ++nulls;
                                to[i] = missing_code;
                                return;
                            }
                            const std::uint32_t id =
                                table.find(pending->keys[i], pending->hashes[i]);
                            const bool hit = id != null_id;
                            found += hit ? 1 : 0;
                            to[i] = hit ? static_cast<C>(id) : unknown_code;
                        });
                    }
                    const std::size_t nobody = n - nulls - found;
                    missing_here += nulls;
                    unknown_here += nobody;
                    filtering = filter != nullptr && nobody * 4 >= n;
                }
                missing[w] += missing_here;
                unknown[w] += unknown_here;
            });
    });
    std::size_t unreadable = 0;
    for (unsigned w = 0; w < threads; ++w) {
        out.missing += missing[w];
        out.unknown += unknown[w];
        unreadable += bad[w];
    }
    if (unreadable != 0)
        throw InputError("key column '" + column.name() + "': " + std::to_string(unreadable) +
                         (unreadable == 1 ? " row has" : " rows have") +
                         " string bounds outside their data buffer (a malformed Arrow array)");
    with_code_type(codes->width, [&](auto tag) {
        using C = decltype(tag);
        out.codes = ColumnView(column.name(), std::span<const C>(codes->as<C>(), rows));
    });
    out.storage = std::move(codes);
    return out;
}

}  // namespace detail::lookup

YOSMODEL_INLINE KeyLookup look_up(const GroupedKey& key, const arrow::Column& column,
                                  unsigned threads, UnknownCode unknown) {
    return std::move(look_up(key, std::span<const arrow::Column>(&column, 1), threads, unknown)[0]);
}

YOSMODEL_INLINE std::vector<KeyLookup> look_up(const GroupedKey& key,
                                               std::span<const arrow::Column> columns,
                                               unsigned threads, UnknownCode unknown) {
    using namespace detail;
    using namespace detail::lookup;
    for (const arrow::Column& column : columns)
        if (!same_kind(key.categories.field, column.field()))
            throw DtypeError("key column '" + column.name() +
                             "' holds another kind of value than the key it is looked up in "
                             "(give both the same type of id)");
    std::vector<KeyLookup> out;
    out.reserve(columns.size());
    if (columns.empty()) return out;
    threads = resolve_threads(threads);
    const Categories& categories = key.categories;
    const std::uint64_t n = categories.size();
    // Every category's hash in a filter that stays in cache, while there are few enough.
    std::optional<HashFilter> filter;
    if (n <= HashFilter::max_keys) filter.emplace(n);
    const HashFilter* const filtered = filter ? &*filter : nullptr;
    const auto add = [&](std::uint64_t h) {
        if (filter) filter->add(h);
    };
    if (categories.field.is_string()) {
        const char* const end = categories.string_bytes.data() + categories.string_bytes.size();
        const auto category = [&](std::uint64_t c) {
            const std::string_view s = categories.string(c);
            return make_string_key(s.data(), s.size(), end);
        };
        // A lambda, not the function's name: a function pointer is an indirect call that GCC
        // cannot inline below -O2 (the sanitizer builds), and hash_string_key must inline.
        const auto hash = [](const StringKey& k) __attribute__((always_inline)) {
            return hash_string_key(k);
        };
        const auto find = [&](const auto& table) {
            for (const arrow::Column& column : columns) {
                const Field& field = column.field();
                out.push_back(find_rows<StringKey>(
                    table, filtered, n, column, threads, unknown, hash,
                    [&](const arrow::Chunk& c, std::int64_t b, std::int64_t e, auto&& on_value,
                        auto&& on_null) {
                        return scan_string_keys(field, c, b, e, on_value, on_null);
                    }));
            }
        };
        bool short_strings = true;
        for (std::uint64_t c = 0; c < n && short_strings; ++c)
            short_strings = categories.string(c).size() <= StringKey::packed_size;
        if (short_strings) {
            PackedStringTable table(n);
            insert_categories<StringKey>(table, n, category, hash,
                                         [&](const StringKey& k, std::uint64_t h, std::uint32_t c) {
                                             table.insert(k, h, c);
                                             add(h);
                                         });
            find(table);
            return out;
        }
        DistinctTable<StringKey> table;
        table.reserve(n);
        insert_categories<StringKey>(table, n, category, hash,
                                     [&](const StringKey& k, std::uint64_t h, std::uint32_t) {
                                         table.insert(k, h);
                                         add(h);
                                     });
        find(table);
        return out;
    }
    DistinctTable<std::uint64_t> table;
    table.reserve(n);
    // The categories as the rows' scan reads values (scan_integers): booleans as 0 and 1,
    // signed values through ordered(), unsigned ones as they are.
    const Type type = categories.field.type;
    insert_categories<std::uint64_t>(
        table, n,
        [&](std::uint64_t c) {
            return type == Type::boolean    ? static_cast<std::uint64_t>(categories.integers[c])
                   : arrow::is_signed(type) ? ordered(categories.integers[c])
                                            : categories.unsigned_integers[c];
        },
        hash_integer,
        [&](std::uint64_t v, std::uint64_t h, std::uint32_t) {
            table.insert(v, h);
            add(h);
        });
    for (const arrow::Column& column : columns) {
        const Field& field = column.field();
        out.push_back(
            find_rows<std::uint64_t>(table, filtered, n, column, threads, unknown, hash_integer,
                                     [&](const arrow::Chunk& c, std::int64_t b, std::int64_t e,
                                         auto&& on_value, auto&& on_null) {
                                         scan_integers(field, c, b, e, on_value, on_null);
                                         return std::size_t{0};
                                     }));
    }
    return out;
}

}  // namespace yosmodel
