// Codes through hash tables, for keys with too many possible values for a direct table: wide
// integers and strings. Each worker numbers the distinct keys of its own rows; the workers'
// tables are merged in parallel by hash partition; codes are then ranked in the order asked for.
// Rows are read and hashed once: each row's number in its worker's table is written (in one
// byte while the worker has under 255 keys, the usual grouping key, then in four), and a table
// per worker turns numbers into codes (in place when one byte is enough).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "yosmodel/core/detail/distinct_table.hpp"
#include "yosmodel/core/detail/key_rows.hpp"

namespace yosmodel::detail {

template <class Key>
struct HashedCodes {
    std::vector<Key> categories;  ///< by code
    std::shared_ptr<CodeBuffer> codes;
    std::uint64_t cardinality = 0;
    std::size_t bad_rows = 0;  ///< rows the scan could not read (they have the null code)
};

/// Rows numbered per batch before their one-byte codes are written.
inline constexpr std::size_t batch_rows = 1024;

inline unsigned partition_of(std::uint64_t hash, unsigned parts) {
    return static_cast<unsigned>(((hash >> 40) * parts) >> 24);
}

/// Past this size a worker's table no longer fits in its core's share of cache (L2 is 512 KiB
/// to 1 MiB a core on the machines measured), and a row's lookup waits on two loads from memory
/// one after the other (its slot, then the key it names) unless they were asked for earlier.
inline constexpr std::size_t cached_table_bytes = std::size_t{512} << 10;

/// A batch of rows' keys and hashes, read before any is looked up.
template <class Key>
struct Pending {
    std::array<Key, batch_rows> keys;
    std::array<std::uint64_t, batch_rows> hashes;
};

/// Reads rows [begin, end) of a chunk into `pending` (row i at i - begin); missing rows get
/// `null_id` in `to` (indexed by row) and a hash of 0. Returns the rows the scan could not read.
template <class Key, class Scan, class Hash>
std::size_t read_pending(const arrow::Chunk& c, std::int64_t begin, std::int64_t end, Scan& scan,
                         Hash& hash, Pending<Key>& pending, std::uint32_t* to,
                         std::uint32_t null_id) {
    Key* const keys = pending.keys.data() - begin;
    std::uint64_t* const hashes = pending.hashes.data() - begin;
    return scan(
        c, begin, end,
        [&](std::int64_t i, const Key& k) __attribute__((always_inline)) {
            keys[i] = k;
            hashes[i] = hash(k);
            to[i] = 0;
        },
        [&](std::int64_t i) {
            hashes[i] = 0;
            to[i] = null_id;
        });
}

/// Calls `visit(i)` for i in [0, n) in order, with the loads a lookup of `table` by `hashes[i]`
/// waits on requested ahead of it: the slot some rows ahead, then, once that slot has arrived,
/// the key it names. Up to a dozen misses are then in flight at once instead of one (a person
/// id took about 170 ns a row, two memory latencies one after the other, in a table of 10^6).
/// `Table` is a DistinctTable or another table with its prefetch_slot and prefetch_key.
template <class Table, class Visit>
void for_each_prefetched(const Table& table, const std::uint64_t* hashes, std::size_t n,
                         Visit&& visit) {
    constexpr std::size_t slot_ahead = 32;
    constexpr std::size_t key_ahead = 16;
    for (std::size_t i = 0; i < std::min(n, slot_ahead); ++i)
        table.prefetch_slot(hashes[i]);
    for (std::size_t i = 0; i < n; ++i) {
        if (i + slot_ahead < n) table.prefetch_slot(hashes[i + slot_ahead]);
        if (i + key_ahead < n) table.prefetch_key(hashes[i + key_ahead]);
        visit(i);
    }
}

/// Numbers the `n` pending keys in `ids` in order (rows with `null_id` stay so).
template <class Key>
void insert_pending(DistinctTable<Key>& table, const Pending<Key>& pending, std::uint32_t* ids,
                    std::size_t n, std::uint32_t null_id) {
    for_each_prefetched(table, pending.hashes.data(), n, [&](std::size_t i) {
        if (ids[i] != null_id) ids[i] = table.insert(pending.keys[i], pending.hashes[i]);
    });
}

/// Whether `column` has fewer than `rows_per_key` rows a key, judged from the keys of up to 4096
/// evenly spaced rows: n rows of k equally common keys show k (1 - e^(-n/k)) distinct ones, so
/// more than that for k = rows / rows_per_key means more keys.
template <class Key, class Hash, class Scan>
bool mostly_distinct(const arrow::Column& column, double rows_per_key, Hash& hash, Scan& scan) {
    constexpr std::size_t sample = 4096;
    const auto rows = static_cast<std::size_t>(column.length());
    if (rows < 2 * grouper_block) return false;  // one worker either way
    const std::size_t stride = rows / sample;
    DistinctTable<Key> seen;
    std::size_t taken = 0;
    std::size_t next = 0;   // the next sampled row of the column
    std::size_t start = 0;  // the column row of the chunk's first row
    for (const arrow::Chunk& c : column.chunks()) {
        const auto length = static_cast<std::size_t>(c.length);
        for (; next < start + length; next += stride, ++taken) {
            const auto i = static_cast<std::int64_t>(next - start);
            scan(
                c, i, i + 1, [&](std::int64_t, const Key& k) { seen.insert(k, hash(k)); },
                [](std::int64_t) {});
        }
        start += length;
    }
    const double keys = static_cast<double>(rows) / rows_per_key;
    return static_cast<double>(seen.size()) >
           keys * (1 - std::exp(-static_cast<double>(taken) / keys));
}

/// `scan(chunk, begin, end, on_value(i, key), on_null(i))` reads chunk rows and returns how many
/// it could not read. Missing rows get the last code, `categories.size()`, when `null_group`.
template <class Key, class Hash, class Scan>
HashedCodes<Key> hashed_codes(const arrow::Column& column, unsigned threads,
                              const GrouperOptions& options, bool null_group, Hash&& hash,
                              Scan&& scan) {
    const CategoryOrder order = options.order;
    if (order == CategoryOrder::first_seen) threads = 1;  // first seen across workers is serial
    if (threads > 1 && options.min_rows_per_key > 0 &&
        mostly_distinct<Key>(column, options.min_rows_per_key, hash, scan))
        threads = 1;
    const auto rows = static_cast<std::size_t>(column.length());
    constexpr std::uint8_t null_mark = 255;
    constexpr std::uint32_t one_byte_keys = 255;
    constexpr std::uint32_t null_id = DistinctTable<Key>::missing;  // never a key's number

    HashedCodes<Key> result;
    auto first_codes = std::make_shared<CodeBuffer>(rows, 1);
    auto* first = first_codes->as<std::uint8_t>();
    std::vector<DistinctTable<Key>> locals(threads);
    // Once a worker numbers its 255th key, its rows from that batch on get their numbers in four
    // bytes (`wide`, made by the first worker that needs it), so that no row is read twice.
    constexpr std::size_t narrow_to_end = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> wide_from(threads, narrow_to_end);
    std::shared_ptr<CodeBuffer> wide;
    std::once_flag wide_made;
    std::vector<std::size_t> bad(threads, 0);
    const unsigned used = for_pieces(
        column, threads,
        [&](unsigned w, const arrow::Chunk& c, std::int64_t b, std::int64_t e, std::size_t row0) {
            auto& table = locals[w];
            // Numbers go to a small 32-bit buffer, then to the one-byte codes: a one-byte store
            // in the row loop may alias anything, so the table and the column would be
            // reloaded after every row.
            std::array<std::uint32_t, batch_rows> ids;
            std::unique_ptr<Pending<Key>> pending;
            for (std::int64_t sb = b; sb < e; sb += static_cast<std::int64_t>(batch_rows)) {
                const std::int64_t se = std::min(e, sb + static_cast<std::int64_t>(batch_rows));
                const auto n = static_cast<std::size_t>(se - sb);
                std::uint32_t* const to = ids.data() - sb;
                if (table.bytes() < cached_table_bytes) [[likely]] {
                    bad[w] += scan(
                        c, sb, se,
                        // Inlined into the scan's row loop (a call per row costs as much as the
                        // lookup).
                        [&](std::int64_t i, const Key& k)
                            __attribute__((always_inline)) { to[i] = table.insert(k, hash(k)); },
                        [&](std::int64_t i) { to[i] = null_id; });
                } else {
                    if (!pending) {
                        pending = std::make_unique<Pending<Key>>();
                        // Keys at this rate for the rest of the piece (never more than its
                        // rows): the table grows once, not a dozen times, each growth a rehash
                        // and fresh pages the kernel must zero.
                        const auto seen = static_cast<std::size_t>(sb - b) + 1;
                        const auto left = static_cast<std::size_t>(e - sb);
                        table.reserve(table.size() + std::min(left, table.size() * left / seen));
                    }
                    bad[w] += read_pending(c, sb, se, scan, hash, *pending, to, null_id);
                    insert_pending(table, *pending, ids.data(), n, null_id);
                }
                const std::size_t row = row0 + static_cast<std::size_t>(sb - b);
                if (wide_from[w] == narrow_to_end) {
                    std::uint8_t* const out = first + row;
                    std::uint32_t top = 0;
                    for (std::size_t i = 0; i < n; ++i) {
                        const bool null = ids[i] == null_id;
                        top = std::max(top, null ? 0U : ids[i]);
                        out[i] = null ? null_mark : static_cast<std::uint8_t>(ids[i]);
                    }
                    if (top < one_byte_keys) continue;
                    std::call_once(wide_made,
                                   [&] { wide = std::make_shared<CodeBuffer>(rows, 4); });
                    wide_from[w] = row;
                }
                std::copy_n(ids.data(), n, wide->as<std::uint32_t>() + row);
            }
        });
    for (unsigned w = 0; w < used; ++w)
        result.bad_rows += bad[w];

    // Merge by partition: partition p holds the keys whose hash falls in p, from every worker.
    std::vector<DistinctTable<Key>> merged(used == 1 ? 0 : used);
    if (used > 1) {
        std::size_t largest = 0;
        for (unsigned w = 0; w < used; ++w)
            largest = std::max(largest, locals[w].size());
        parallel_ranges(used, used, 1, [&](unsigned, std::size_t p0, std::size_t p1) {
            for (std::size_t p = p0; p < p1; ++p) {
                auto& into = merged[p];
                // At least this many keys fall in the partition: grow the table once, not
                // a dozen times over millions of keys.
                into.reserve(largest / used);
                for (unsigned w = 0; w < used; ++w) {
                    const auto& keys = locals[w].keys();
                    const auto& hashes = locals[w].hashes();
                    for_each_prefetched(into, hashes.data(), hashes.size(), [&](std::size_t id) {
                        if (partition_of(hashes[id], used) == p) into.insert(keys[id], hashes[id]);
                    });
                }
            }
        });
    }
    auto& parts = used == 1 ? locals : merged;
    const unsigned nparts = used;  // locals may have more (unused) tables than workers used
    std::vector<std::uint64_t> start(nparts + 1, 0);
    for (unsigned p = 0; p < nparts; ++p)
        start[p + 1] = start[p] + parts[p].size();
    const std::uint64_t distinct = start.back();

    // rank[global id] is the code; global ids number partition 0's keys first.
    std::vector<std::uint32_t> rank(distinct);
    result.categories.reserve(distinct);
    if (order == CategoryOrder::sorted) {
        std::vector<std::pair<Key, std::uint32_t>> all;
        all.reserve(distinct);
        for (unsigned p = 0; p < nparts; ++p)
            for (std::size_t id = 0; id < parts[p].size(); ++id)
                all.emplace_back(parts[p].keys()[id], static_cast<std::uint32_t>(start[p] + id));
        std::sort(all.begin(), all.end());
        for (std::size_t r = 0; r < all.size(); ++r) {
            rank[all[r].second] = static_cast<std::uint32_t>(r);
            result.categories.push_back(all[r].first);
        }
    } else {
        for (unsigned p = 0; p < nparts; ++p)
            for (std::size_t id = 0; id < parts[p].size(); ++id) {
                rank[start[p] + id] = static_cast<std::uint32_t>(start[p] + id);
                result.categories.push_back(parts[p].keys()[id]);
            }
    }
    const bool has_nulls = null_group && (column.null_count() > 0 || result.bad_rows > 0);
    result.cardinality = distinct + (has_nulls ? 1 : 0);
    const std::uint64_t null_code = distinct;
    const auto code_of = [&](const Key& k, std::uint64_t h) {
        const unsigned p = nparts == 1 ? 0 : partition_of(h, nparts);
        return rank[start[p] + parts[p].find(k, h)];
    };

    const std::size_t width = code_width(result.cardinality);
    const bool fits = std::all_of(wide_from.begin(), wide_from.begin() + used,
                                  [](std::size_t from) { return from == narrow_to_end; });
    if (fits && width == 1) {
        // Renumber each worker's one-byte numbers in place.
        std::vector<std::vector<std::uint8_t>> renumber(used);
        for (unsigned w = 0; w < used; ++w) {
            renumber[w].assign(256, static_cast<std::uint8_t>(null_code));
            for (std::size_t id = 0; id < locals[w].size(); ++id)
                renumber[w][id] = static_cast<std::uint8_t>(
                    code_of(locals[w].keys()[id], locals[w].hashes()[id]));
        }
        for_pieces(
            column, threads,
            [&](unsigned w, const arrow::Chunk&, std::int64_t b, std::int64_t e, std::size_t row0) {
                const auto& map = renumber[w];
                std::uint8_t* codes = first + row0;
                for (std::int64_t i = 0; i < e - b; ++i)
                    codes[i] = map[codes[i]];
            });
        result.codes = std::move(first_codes);
        return result;
    }
    // Every row's number in its worker's table is known (one byte before the worker's switch,
    // four after): one table per worker turns numbers into codes, with no second read or hash
    // of any key (person ids once cost a hash and three cache misses a row here).
    std::vector<std::vector<std::uint32_t>> remap(used);
    parallel_ranges(used, used, 1, [&](unsigned, std::size_t w0, std::size_t w1) {
        for (std::size_t w = w0; w < w1; ++w) {
            remap[w].resize(locals[w].size());
            if (nparts == 1) {  // one worker: its own numbers are the global ids
                for (std::size_t id = 0; id < locals[w].size(); ++id)
                    remap[w][id] = rank[id];
                continue;
            }
            const auto& keys = locals[w].keys();
            const auto& hashes = locals[w].hashes();
            for (std::size_t p = 0; p < nparts; ++p)
                for_each_prefetched(parts[p], hashes.data(), hashes.size(), [&](std::size_t id) {
                    if (partition_of(hashes[id], nparts) == p)
                        remap[w][id] = rank[start[p] + parts[p].find(keys[id], hashes[id])];
                });
        }
    });
    locals.clear();
    merged.clear();
    // Four-byte codes are written over the four-byte numbers they replace.
    auto codes = width == 4 && wide ? wide : std::make_shared<CodeBuffer>(rows, width);
    with_code_type(width, [&](auto tag) {
        using C = decltype(tag);
        C* const all_codes = codes->as<C>();
        const std::uint8_t* const narrow_ids = first;
        const std::uint32_t* const wide_ids = wide ? wide->as<std::uint32_t>() : nullptr;
        for_pieces(
            column, threads,
            [&](unsigned w, const arrow::Chunk&, std::int64_t b, std::int64_t e, std::size_t row0) {
                const std::uint32_t* const map = remap[w].data();
                const std::size_t end = row0 + static_cast<std::size_t>(e - b);
                const std::size_t split = std::clamp(wide_from[w], row0, end);
                const auto null = static_cast<C>(null_code);
                C* const out = all_codes;
                for (std::size_t row = row0; row < split; ++row) {
                    const std::uint8_t id = narrow_ids[row];
                    out[row] = id == null_mark ? null : static_cast<C>(map[id]);
                }
                for (std::size_t row = split; row < end; ++row) {
                    const std::uint32_t id = wide_ids[row];
                    out[row] = id == null_id ? null : static_cast<C>(map[id]);
                }
            });
    });
    result.codes = std::move(codes);
    return result;
}

}  // namespace yosmodel::detail
