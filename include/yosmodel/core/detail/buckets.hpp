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
#include <utility>
#include <vector>

#include "yosmodel/core/detail/large_buffer.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/detail/slab_cache.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

/// The key of a row that is not bucketed (someone outside the cohort, a row that broke a rule).
inline constexpr std::uint32_t no_bucket = std::numeric_limits<std::uint32_t>::max();

template <class Record>
struct Buckets {
    // Both are written in full by the parallel scatter, so they are not zeroed first.
    std::vector<std::uint32_t, LargeBufferAllocator<std::uint32_t>> start;  ///< keys + 1 offsets
    std::vector<Record, LargeBufferAllocator<Record>> records;

    [[nodiscard]] std::span<Record> of(std::size_t key) {
        return {records.data() + start[key], records.data() + start[key + 1]};
    }
};

inline constexpr std::size_t bucket_chunk_rows = 4096;

namespace detail {

// Keys per partition: a partition's counters (64 KiB) stay in the fastest caches.
inline constexpr unsigned partition_bits = 14;
using PartitionKey = std::uint16_t;  // a key's offset within its partition
static_assert(partition_bits <= 16);

// One worker's staging memory: blocks are carved from a few large slabs (huge pages when the
// input is large), so staging 10^7 rows faults in a few hundred pages, not 10^5. Slabs come from
// and go back to the SlabCache, so a second call writes into pages the first already touched.
class StagingArena {
public:
    explicit StagingArena(std::size_t slab_bytes) : slab_bytes_(slab_bytes) {}
    StagingArena(const StagingArena&) = delete;
    StagingArena& operator=(const StagingArena&) = delete;
    StagingArena(StagingArena&&) = delete;
    StagingArena& operator=(StagingArena&&) = delete;
    ~StagingArena() {
        for (void* slab : slabs_)
            SlabCache::instance().give_back(slab, slab_bytes_);
    }

    /// `bytes` (at most the slab size, a multiple of 64) of uninitialised memory.
    void* take(std::size_t bytes) {
        if (left_ < bytes) {
            slabs_.reserve(slabs_.size() + 1);  // so that push_back cannot throw and leak
            void* slab = SlabCache::instance().take(slab_bytes_);
            slabs_.push_back(slab);
            next_ = static_cast<std::byte*>(slab);
            left_ = slab_bytes_;
        }
        void* at = next_;
        next_ += bytes;
        left_ -= bytes;
        return at;
    }

private:
    std::size_t slab_bytes_;
    std::vector<void*> slabs_;
    std::byte* next_ = nullptr;
    std::size_t left_ = 0;
};

// The rows a worker keeps for one partition of keys, in input order, in fixed blocks (no copying
// as they grow). Keys and records are stored apart: the counting pass reads only the 2-byte keys,
// and a record needs no padding beside its key.
template <class Record>
class StagedRows {
public:
    static constexpr std::size_t block_rows = 4096;
    struct Block {
        std::array<PartitionKey, block_rows> keys;
        std::array<Record, block_rows> records;
    };
    static constexpr std::size_t block_bytes = (sizeof(Block) + 63) / 64 * 64;

    void push(StagingArena& arena, PartitionKey key, const Record& record) {
        if (used_ == block_rows) {
            blocks_.push_back(static_cast<Block*>(arena.take(block_bytes)));
            used_ = 0;
        }
        Block& block = *blocks_.back();
        block.keys[used_] = key;
        block.records[used_] = record;
        ++used_;
    }

    [[nodiscard]] std::size_t size() const {
        return blocks_.empty() ? 0 : (blocks_.size() - 1) * block_rows + used_;
    }

    template <class Visit>
    void for_each_key(Visit&& visit) const {
        for (std::size_t b = 0; b < blocks_.size(); ++b) {
            const std::size_t n = b + 1 == blocks_.size() ? used_ : block_rows;
            const PartitionKey* keys = blocks_[b]->keys.data();
            for (std::size_t i = 0; i < n; ++i)
                visit(keys[i]);
        }
    }

    template <class Visit>
    void for_each(Visit&& visit) const {
        for (std::size_t b = 0; b < blocks_.size(); ++b) {
            const std::size_t n = b + 1 == blocks_.size() ? used_ : block_rows;
            const Block& block = *blocks_[b];
            for (std::size_t i = 0; i < n; ++i)
                visit(block.keys[i], block.records[i]);
        }
    }

private:
    std::vector<Block*> blocks_;  // owned by the worker's StagingArena
    std::size_t used_ = block_rows;
};

}  // namespace detail

/// Rows staged by partitions of 2^14 keys, not yet laid out by key: what stage_rows() makes.
/// A partition is laid out on its own, so a caller that visits each bucket once (the cohort's
/// counting) can lay each partition out in a small buffer it reuses, instead of writing every row
/// a second time into one large array (fresh pages the kernel must zero, then read back).
template <class Record>
class StagedBuckets {
public:
    StagedBuckets(std::size_t keys, unsigned threads)
        : keys_(keys), staged_(threads), arenas_(threads) {}

    [[nodiscard]] std::size_t keys() const { return keys_; }
    [[nodiscard]] std::size_t partitions() const {
        return std::max<std::size_t>(1, (keys_ + partition_keys - 1) >> detail::partition_bits);
    }
    /// The first key of partition `p`, and how many keys it holds.
    [[nodiscard]] static std::size_t first_key(std::size_t p) {
        return p << detail::partition_bits;
    }
    [[nodiscard]] std::size_t width(std::size_t p) const {
        return std::min(keys_ - std::min(keys_, first_key(p)), partition_keys);
    }
    /// How many rows partition `p` holds (over every worker).
    [[nodiscard]] std::size_t rows(std::size_t p) const {
        std::size_t size = 0;
        for (unsigned w = 0; w < used_; ++w)
            size += staged_[w][p].size();
        return size;
    }

    /// Lays partition `p` out by key: for each of its keys k (counted from the partition's first
    /// key), start[k] = base + the number of the partition's rows of smaller keys, and those rows
    /// go to records[start[k] - base ...] in input order. `counters` holds partition_keys numbers.
    void lay_out(std::size_t p, std::uint32_t base, std::uint32_t* start, Record* records,
                 std::uint32_t* counters) const {
        const std::size_t width = this->width(p);
        std::fill_n(counters, width, 0U);
        for (unsigned w = 0; w < used_; ++w)
            staged_[w][p].for_each_key([counters](detail::PartitionKey key) { ++counters[key]; });
        std::uint32_t at = 0;
        for (std::size_t k = 0; k < width; ++k) {
            start[k] = base + at;
            const std::uint32_t c = counters[k];
            counters[k] = at;
            at += c;
        }
        for (unsigned w = 0; w < used_; ++w)
            staged_[w][p].for_each([counters, records](detail::PartitionKey key, const Record& r) {
                records[counters[key]++] = r;
            });
    }

    /// Partition `p` laid out into `into` (resized; keys counted from the partition's first key,
    /// so into.of(k) is the bucket of key first_key(p) + k). Reusing `into` across partitions
    /// reuses its memory.
    void lay_out(std::size_t p, Buckets<Record>& into, std::vector<std::uint32_t>& counters) const {
        const std::size_t width = this->width(p);
        const std::size_t size = rows(p);
        into.start.resize(width + 1);
        into.records.resize(size);
        counters.resize(partition_keys);
        lay_out(p, 0, into.start.data(), into.records.data(), counters.data());
        into.start[width] = static_cast<std::uint32_t>(size);
    }

    static constexpr std::size_t partition_keys = std::size_t{1} << detail::partition_bits;

private:
    template <class R, class Decode>
    friend StagedBuckets<R> stage_rows(std::size_t rows, std::size_t keys, unsigned threads,
                                       Decode&& decode);

    std::size_t keys_;
    unsigned used_ = 0;                                            // workers that staged rows
    std::vector<std::vector<detail::StagedRows<Record>>> staged_;  // [worker][partition]
    std::vector<std::unique_ptr<detail::StagingArena>> arenas_;    // the staged rows' memory
};

/// Stages rows [0, rows) by key in [0, keys). `decode(worker, begin, n, keys, records)` reads
/// rows [begin, begin + n) and returns how many it keeps: their keys (each below `keys`) and
/// records in keys[0, kept) and records[0, kept), in input order. Compacting in the decoder keeps
/// the data-dependent "is this row kept?" out of every later loop.
///
/// One pass reads the input: each worker stages its kept rows in order, split by the high bits
/// of the key into partitions of 2^14 keys. Each partition is then counting-sorted on its own
/// (counters and output both small enough to stay in cache), so the random accesses of a plain
/// counting sort over millions of keys never happen.
template <class Record, class Decode>
StagedBuckets<Record> stage_rows(std::size_t rows, std::size_t keys, unsigned threads,
                                 Decode&& decode) {
    if (rows >= no_bucket)
        throw InputError("a table has " + std::to_string(rows) +
                         " rows; at most 4294967294 rows can be bucketed in one call");
    constexpr std::uint32_t within_partition = (1U << detail::partition_bits) - 1;
    StagedBuckets<Record> out(keys, threads);
    const std::size_t partitions = out.partitions();
    // Large inputs stage into huge-page slabs; small ones into slabs a little over a block.
    const std::size_t slab_bytes = rows >= (std::size_t{1} << 20)
                                       ? std::size_t{16} << 20
                                       : detail::StagedRows<Record>::block_bytes * 4;
    struct Chunk {
        std::array<std::uint32_t, bucket_chunk_rows> keys;
        std::array<Record, bucket_chunk_rows> records;
    };
    out.used_ = parallel_ranges(
        rows, threads, bucket_chunk_rows,
        [&](unsigned worker, std::size_t first, std::size_t last) {
            auto& kept = out.staged_[worker];
            kept.resize(partitions);
            out.arenas_[worker] = std::make_unique<detail::StagingArena>(slab_bytes);
            detail::StagingArena& arena = *out.arenas_[worker];
            auto chunk = std::make_unique<Chunk>();
            for (std::size_t begin = first; begin < last; begin += bucket_chunk_rows) {
                const std::size_t n = std::min(bucket_chunk_rows, last - begin);
                const std::size_t k =
                    decode(worker, begin, n, chunk->keys.data(), chunk->records.data());
                for (std::size_t i = 0; i < k; ++i) {
                    const std::uint32_t key = chunk->keys[i];
                    kept[key >> detail::partition_bits].push(
                        arena, static_cast<detail::PartitionKey>(key & within_partition),
                        chunk->records[i]);
                }
            }
        });
    // Workers that got no range staged nothing: give them empty partitions, so that every
    // partition can be read from workers [0, used_) alike.
    for (unsigned w = 0; w < out.used_; ++w)
        out.staged_[w].resize(partitions);
    return out;
}

/// Buckets rows [0, rows) by key in [0, keys), every bucket in one array (see stage_rows for
/// `decode`); each bucket keeps its rows in input order whatever the thread count.
template <class Record, class Decode>
Buckets<Record> bucket_rows(std::size_t rows, std::size_t keys, unsigned threads, Decode&& decode) {
    const StagedBuckets<Record> staged =
        stage_rows<Record>(rows, keys, threads, std::forward<Decode>(decode));
    const std::size_t partitions = staged.partitions();
    // Where each partition's records begin: partitions are consecutive key ranges.
    std::vector<std::size_t> partition_start(partitions + 1, 0);
    for (std::size_t p = 0; p < partitions; ++p)
        partition_start[p + 1] = partition_start[p] + staged.rows(p);
    Buckets<Record> out;
    out.start.resize(keys + 1);
    out.records.resize(partition_start[partitions]);
    out.start[keys] = static_cast<std::uint32_t>(partition_start[partitions]);
    // Each partition is laid out by one worker; partitions are disjoint.
    parallel_ranges(partitions, threads, 1, [&](unsigned, std::size_t first, std::size_t last) {
        std::vector<std::uint32_t> counters(StagedBuckets<Record>::partition_keys);
        for (std::size_t p = first; p < last; ++p) {
            const auto base = static_cast<std::uint32_t>(partition_start[p]);
            staged.lay_out(p, base, out.start.data() + StagedBuckets<Record>::first_key(p),
                           out.records.data() + base, counters.data());
        }
    });
    return out;
}

}  // namespace yosmodel
