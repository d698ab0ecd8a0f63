// Rows grouped by a dense key (a person) with a partitioned counting sort: rows are staged by
// the high bits of their key, then each partition is counted, laid out by prefix sum and
// scattered. Linear in rows and keys, never a comparison sort of the whole input, and parallel
// with no atomics; every bucket keeps its rows in input order whatever the thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/detail/default_init_allocator.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

/// The key of a row that is not bucketed (someone outside the cohort, a row that broke a rule).
inline constexpr std::uint32_t no_bucket = std::numeric_limits<std::uint32_t>::max();

template <class Record>
struct Buckets {
    // Both are written in full by the parallel scatter, so they are not zeroed first.
    std::vector<std::uint32_t, DefaultInitAllocator<std::uint32_t>> start;  ///< keys + 1 offsets
    std::vector<Record, DefaultInitAllocator<Record>> records;

    [[nodiscard]] std::span<Record> of(std::size_t key) {
        return {records.data() + start[key], records.data() + start[key + 1]};
    }
};

inline constexpr std::size_t bucket_chunk_rows = 4096;

namespace detail {

// The rows a worker keeps for one partition of keys, in input order, in fixed blocks (no copying
// as they grow).
template <class Record>
class StagedRows {
public:
    struct Row {
        std::uint32_t key;
        Record record;
    };

    void push(std::uint32_t key, const Record& record) {
        if (used_ == block_rows) {
            // Blocks of rows left uninitialised until pushed (make_unique_for_overwrite needs the
            // array form).
            // NOLINTNEXTLINE(modernize-avoid-c-arrays)
            blocks_.push_back(std::make_unique_for_overwrite<Row[]>(block_rows));
            used_ = 0;
        }
        blocks_.back()[used_++] = Row{key, record};
        ++size_;
    }

    [[nodiscard]] std::size_t size() const { return size_; }

    template <class Visit>
    void for_each(Visit&& visit) const {
        for (std::size_t b = 0; b < blocks_.size(); ++b) {
            const std::size_t n = b + 1 == blocks_.size() ? used_ : block_rows;
            const Row* rows = blocks_[b].get();
            for (std::size_t i = 0; i < n; ++i)
                visit(rows[i]);
        }
    }

private:
    static constexpr std::size_t block_rows = 4096;
    std::vector<std::unique_ptr<Row[]>> blocks_;  // NOLINT(modernize-avoid-c-arrays): as above
    std::size_t used_ = block_rows;
    std::size_t size_ = 0;
};

// Keys per partition: a partition's counters (64 KiB) stay in the fastest caches.
inline constexpr unsigned partition_bits = 14;

}  // namespace detail

/// Buckets rows [0, rows) by key in [0, keys). `decode(worker, begin, n, keys, records)` writes
/// the key (or no_bucket) and record of each row of [begin, begin + n).
///
/// One pass reads the input: each worker stages its kept rows in order, split by the high bits
/// of the key into partitions of 2^14 keys. Then each partition is counting-sorted on its own
/// (counters and output both small enough to stay in cache), so the random accesses of a plain
/// counting sort over millions of keys never happen.
template <class Record, class Decode>
Buckets<Record> bucket_rows(std::size_t rows, std::size_t keys, unsigned threads, Decode&& decode) {
    if (rows >= no_bucket)
        throw InputError("a table has " + std::to_string(rows) +
                         " rows; at most 4294967294 rows can be bucketed in one call");
    using detail::partition_bits;
    const std::size_t partitions =
        std::max<std::size_t>(1, (keys + (1U << partition_bits) - 1) >> partition_bits);
    std::vector<std::vector<detail::StagedRows<Record>>> staged(threads);
    struct Chunk {
        std::array<std::uint32_t, bucket_chunk_rows> keys;
        std::array<Record, bucket_chunk_rows> records;
    };

    const unsigned used = parallel_ranges(
        rows, threads, bucket_chunk_rows,
        [&](unsigned worker, std::size_t first, std::size_t last) {
            auto& kept = staged[worker];
            kept.resize(partitions);
            auto chunk = std::make_unique<Chunk>();
            for (std::size_t begin = first; begin < last; begin += bucket_chunk_rows) {
                const std::size_t n = std::min(bucket_chunk_rows, last - begin);
                decode(worker, begin, n, chunk->keys.data(), chunk->records.data());
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint32_t key = chunk->keys[i];
                    if (key != no_bucket) kept[key >> partition_bits].push(key, chunk->records[i]);
                }
            }
        });

    // Where each partition's records begin: partitions are consecutive key ranges.
    std::vector<std::size_t> partition_start(partitions + 1, 0);
    for (std::size_t p = 0; p < partitions; ++p) {
        std::size_t size = 0;
        for (unsigned w = 0; w < used; ++w)
            size += staged[w][p].size();
        partition_start[p + 1] = partition_start[p] + size;
    }
    Buckets<Record> out;
    out.start.resize(keys + 1);
    out.records.resize(partition_start[partitions]);
    out.start[keys] = static_cast<std::uint32_t>(partition_start[partitions]);

    // Each partition is counted and scattered by one worker; partitions are disjoint.
    parallel_ranges(partitions, threads, 1, [&](unsigned, std::size_t first, std::size_t last) {
        std::vector<std::uint32_t> cursor(std::size_t{1} << partition_bits);
        for (std::size_t p = first; p < last; ++p) {
            const std::size_t lowest = p << partition_bits;
            const std::size_t width = std::min(keys - lowest, cursor.size());
            std::fill(cursor.begin(), cursor.begin() + static_cast<std::ptrdiff_t>(width), 0U);
            for (unsigned w = 0; w < used; ++w)
                staged[w][p].for_each([&](const auto& row) { ++cursor[row.key - lowest]; });
            auto at = static_cast<std::uint32_t>(partition_start[p]);
            for (std::size_t k = 0; k < width; ++k) {
                out.start[lowest + k] = at;
                const std::uint32_t c = cursor[k];
                cursor[k] = at;
                at += c;
            }
            Record* records = out.records.data();
            for (unsigned w = 0; w < used; ++w)
                staged[w][p].for_each(
                    [&](const auto& row) { records[cursor[row.key - lowest]++] = row.record; });
        }
    });
    return out;
}

}  // namespace yosmodel
