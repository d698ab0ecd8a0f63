// Rows grouped by a dense key (a person) with a counting sort: count per key, lay the buckets out
// by prefix sum, then scatter. Linear in rows and keys, never a comparison sort of the whole
// input, and parallel: each worker counts its own rows, so the scatter needs no atomics and every
// bucket keeps its rows in input order whatever the thread count.
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

/// The key of a row that is not bucketed (someone outside the cohort, a row that broke a rule).
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

namespace detail {

// The rows a worker keeps, in input order, in fixed blocks (no copying as they grow).
template <class Record>
class StagedRows {
public:
    struct Row {
        std::uint32_t key;
        Record record;
    };

    void push(std::uint32_t key, const Record& record) {
        if (used_ == block_rows) {
            blocks_.push_back(std::make_unique_for_overwrite<Row[]>(block_rows));
            used_ = 0;
        }
        blocks_.back()[used_++] = Row{key, record};
    }

    template <class Visit>
    void for_each(Visit&& visit) const {
        for (std::size_t b = 0; b < blocks_.size(); ++b) {
            const std::size_t n = b + 1 == blocks_.size() ? used_ : block_rows;
            const Row* rows = blocks_[b].get();
            for (std::size_t i = 0; i < n; ++i) visit(rows[i]);
        }
    }

private:
    static constexpr std::size_t block_rows = 1 << 16;
    std::vector<std::unique_ptr<Row[]>> blocks_;
    std::size_t used_ = block_rows;
};

}  // namespace detail

/// Buckets rows [0, rows) by key in [0, keys). `decode(worker, begin, n, keys, records)` writes
/// the key (or no_bucket) and record of each row of [begin, begin + n). One pass reads the input:
/// each worker counts its kept rows per key and stages them in order; after a prefix sum over
/// keys, the staged rows (usually far fewer than the input's) are scattered into place.
template <class Record, class Decode>
Buckets<Record> bucket_rows(std::size_t rows, std::size_t keys, unsigned threads,
                            Decode&& decode) {
    if (rows >= no_bucket)
        throw InputError("a table has " + std::to_string(rows) +
                         " rows; at most 4294967294 rows can be bucketed in one call");
    std::vector<std::unique_ptr<std::uint32_t[]>> counts(threads);
    std::vector<detail::StagedRows<Record>> staged(threads);
    struct Chunk {
        std::uint32_t keys[bucket_chunk_rows];
        Record records[bucket_chunk_rows];
    };

    const unsigned used = parallel_ranges(rows, threads, bucket_chunk_rows,
        [&](unsigned worker, std::size_t first, std::size_t last) {
            auto count = std::make_unique<std::uint32_t[]>(keys);  // zeroed
            auto& kept = staged[worker];
            auto chunk = std::make_unique<Chunk>();
            for (std::size_t begin = first; begin < last; begin += bucket_chunk_rows) {
                const std::size_t n = std::min(bucket_chunk_rows, last - begin);
                decode(worker, begin, n, chunk->keys, chunk->records);
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint32_t key = chunk->keys[i];
                    if (key == no_bucket) continue;
                    ++count[key];
                    kept.push(key, chunk->records[i]);
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
            counts[w][k] = total;
            total += c;
        }
    }
    out.start[keys] = total;
    out.records.resize(total);

    // Workers write disjoint slots, so the scatter runs in parallel without atomics.
    parallel_ranges(used, used, 1, [&](unsigned, std::size_t first, std::size_t last) {
        for (std::size_t w = first; w < last; ++w) {
            std::uint32_t* cursor = counts[w].get();
            Record* records = out.records.data();
            staged[w].for_each([&](const auto& row) { records[cursor[row.key]++] = row.record; });
        }
    });
    return out;
}

}  // namespace yosmodel
