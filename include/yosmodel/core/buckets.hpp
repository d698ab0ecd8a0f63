// Rows grouped by a dense key (a person) with a two-pass counting sort: count per key, lay the
// buckets out by prefix sum, then scatter. Linear in rows and keys, never a comparison sort of the
// whole input, and parallel: each worker counts its own rows, so the scatter needs no atomics and
// every bucket keeps its rows in input order whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/core/parallel.hpp"

namespace yosmodel {

/// A key that is not bucketed (a row of someone outside the cohort, or a row that broke a rule).
inline constexpr std::uint32_t no_bucket = std::numeric_limits<std::uint32_t>::max();

template <class Record>
struct Buckets {
    std::vector<std::uint32_t> start;  ///< keys + 1 offsets into records
    std::vector<Record> records;

    [[nodiscard]] std::span<Record> of(std::size_t key) {
        return {records.data() + start[key], records.data() + start[key + 1]};
    }
};

inline constexpr std::size_t bucket_chunk_rows = 4096;

/// Buckets rows [0, rows) by key. `decode(worker, begin, n, keys, records, first_pass)` writes
/// the key (or no_bucket) and record of each row of [begin, begin + n); it is called twice for
/// each chunk, with the same results expected both times (first_pass says which call it is, so
/// the caller can count diagnostics once). Only keys with `wanted[key] != 0` are kept.
template <class Record, class Decode>
Buckets<Record> bucket_rows(std::size_t rows, std::span<const std::uint8_t> wanted,
                            unsigned threads, Decode&& decode) {
    if (rows >= no_bucket)
        throw InputError("a table has " + std::to_string(rows) +
                         " rows; at most 4294967294 rows can be bucketed in one call");
    const std::size_t keys = wanted.size();
    std::vector<std::unique_ptr<std::uint32_t[]>> counts(threads);
    struct Chunk {
        std::uint32_t keys[bucket_chunk_rows];
        Record records[bucket_chunk_rows];
    };

    const unsigned used = parallel_ranges(rows, threads, bucket_chunk_rows,
        [&](unsigned worker, std::size_t first, std::size_t last) {
            auto count = std::make_unique_for_overwrite<std::uint32_t[]>(keys);
            for (std::size_t k = 0; k < keys; ++k) count[k] = wanted[k] ? 0 : no_bucket;
            auto chunk = std::make_unique<Chunk>();
            for (std::size_t begin = first; begin < last; begin += bucket_chunk_rows) {
                const std::size_t n = std::min(bucket_chunk_rows, last - begin);
                decode(worker, begin, n, chunk->keys, chunk->records, true);
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint32_t key = chunk->keys[i];
                    if (key == no_bucket) continue;
                    const std::uint32_t c = count[key];
                    if (c != no_bucket) count[key] = c + 1;
                }
            }
            counts[worker] = std::move(count);
        });

    // Turn each worker's counts into its write cursors: bucket start plus earlier workers' rows.
    Buckets<Record> out;
    out.start.resize(keys + 1);
    std::uint32_t total = 0;
    for (std::size_t k = 0; k < keys; ++k) {
        out.start[k] = total;
        for (unsigned w = 0; w < used; ++w) {
            const std::uint32_t c = counts[w][k];
            if (c == no_bucket) continue;
            counts[w][k] = total;
            total += c;
        }
    }
    out.start[keys] = total;
    out.records.resize(total);

    parallel_ranges(rows, threads, bucket_chunk_rows,
        [&](unsigned worker, std::size_t first, std::size_t last) {
            std::uint32_t* cursor = counts[worker].get();
            Record* records = out.records.data();
            auto chunk = std::make_unique<Chunk>();
            for (std::size_t begin = first; begin < last; begin += bucket_chunk_rows) {
                const std::size_t n = std::min(bucket_chunk_rows, last - begin);
                decode(worker, begin, n, chunk->keys, chunk->records, false);
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint32_t key = chunk->keys[i];
                    if (key == no_bucket) continue;
                    const std::uint32_t at = cursor[key];
                    if (at == no_bucket) continue;
                    records[at] = chunk->records[i];
                    cursor[key] = at + 1;
                }
            }
        });
    return out;
}

}  // namespace yosmodel
