// The grouping kernel's definition (declared in reoffending/aggregate.hpp): chunked decoding,
// packed direct tables or the hash grouper, per-worker partials merged by addition.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/detail/group_ids.hpp"
#include "yosmodel/core/detail/group_index.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/key_space.hpp"
#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/counts.hpp"
#include "yosmodel/reoffending/detail/count_column.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

namespace detail {

inline constexpr std::size_t chunk_rows = 2048;
// Up to this many groups, each worker keeps four interleaved tables so that consecutive rows of
// one group (sex has two values) do not wait on each other's increments. Wider key spaces rarely
// repeat a group in neighbouring rows, and four copies would push their table out of cache.
inline constexpr std::uint64_t interleave_limit = 256;

// Direct tables count in packed cells of two 32-bit halves per word, so one row costs two
// additions. A chunk whose counts are all below 2^16 may be packed; after 32 such chunks (65,536
// rows) no half can have reached 2^32, and the cells are unpacked into 64-bit counts.
inline constexpr std::uint32_t packable_count = 1U << 16;
inline constexpr std::size_t chunks_per_unpack = 32;

struct PackedCell {
    std::uint64_t people;  ///< offenders << 32 | reoffenders
    std::uint64_t sums;    ///< previous offences << 32 | reoffences
};

struct ChunkBuffers {
    std::array<std::uint64_t, chunk_rows> ids;  // direct tables use the first half as 32-bit ids
    std::array<std::uint32_t, chunk_rows> reoffences;
    std::array<std::uint32_t, chunk_rows> previous;
    std::uint32_t largest = 0;  // the chunk's largest count

    std::uint32_t* direct_ids() { return reinterpret_cast<std::uint32_t*>(ids.data()); }
};

struct WorkerViolations {
    std::vector<std::size_t> key_out_of_range;
    CountViolations reoffences;
    CountViolations previous;
};

// Reads one chunk's ids and counts into `b`.
template <class Id>
void decode_chunk(std::span<const KeyColumn> keys, const ColumnView& reoffences,
                  const std::optional<ColumnView>& previous, std::size_t begin, std::size_t n,
                  Id* ids, ChunkBuffers& b, WorkerViolations& v) {
    compute_group_ids(keys, begin, n, ids, v.key_out_of_range);
    b.largest = read_counts(reoffences, begin, n, b.reoffences.data(), v.reoffences);
    if (previous)
        b.largest =
            std::max(b.largest, read_counts(*previous, begin, n, b.previous.data(), v.previous));
    else
        std::fill_n(b.previous.begin(), n, 0U);
}

inline void add_row(GroupCounts& c, std::uint64_t reoffences, std::uint64_t previous) {
    c.offenders += 1;
    c.reoffenders += reoffences != 0;
    c.reoffences += reoffences;
    c.previous_offences += previous;
}

template <std::size_t Lanes>
void accumulate_packed(PackedCell* cells, std::uint64_t groups, const std::uint32_t* ids,
                       const ChunkBuffers& b, std::size_t n) {
    const auto add = [&](PackedCell& c, std::size_t i) {
        c.people += (std::uint64_t{1} << 32) | static_cast<std::uint64_t>(b.reoffences[i] != 0);
        c.sums += (static_cast<std::uint64_t>(b.previous[i]) << 32) | b.reoffences[i];
    };
    std::size_t i = 0;
    if constexpr (Lanes > 1) {
        for (; i + Lanes <= n; i += Lanes)
            for (std::size_t lane = 0; lane < Lanes; ++lane)
                add(cells[lane * groups + ids[i + lane]], i + lane);
    }
    for (; i < n; ++i)
        add(cells[ids[i]], i);
}

// Adds every lane's packed cells into `counts` and clears them.
inline void unpack(std::vector<PackedCell>& cells, std::vector<GroupCounts>& counts) {
    const std::size_t groups = counts.size();
    constexpr std::uint64_t low = 0xffffffffULL;
    for (std::size_t c = 0; c < cells.size(); ++c) {
        GroupCounts& g = counts[c % groups];
        g.offenders += cells[c].people >> 32;
        g.reoffenders += cells[c].people & low;
        g.reoffences += cells[c].sums & low;
        g.previous_offences += cells[c].sums >> 32;
        cells[c] = PackedCell{};
    }
}

inline PartialTable compact_direct(const KeySpace& space, const std::vector<GroupCounts>& table) {
    std::vector<std::uint64_t> groups;
    std::vector<GroupCounts> counts;
    for (std::uint64_t g = 0; g < space.size(); ++g) {
        if (table[g].offenders == 0) continue;
        groups.push_back(g);
        counts.push_back(table[g]);
    }
    return PartialTable(space, std::move(groups), std::move(counts));
}

inline PartialTable aggregate_direct(std::span<const KeyColumn> keys, const KeySpace& space,
                                     const ColumnView& reoffences,
                                     const std::optional<ColumnView>& previous, std::size_t rows,
                                     unsigned threads, std::vector<WorkerViolations>& violations) {
    const std::uint64_t groups = space.size();
    const std::size_t lanes = groups <= interleave_limit ? 4 : 1;
    std::vector<std::vector<GroupCounts>> tables(threads);
    const unsigned used = parallel_ranges(
        rows, threads, chunk_rows, [&](unsigned worker, std::size_t first, std::size_t last) {
            auto& table = tables[worker];
            table.assign(groups, GroupCounts{});
            std::vector<PackedCell> cells(lanes * groups);
            auto buffers = std::make_unique<ChunkBuffers>();
            std::uint32_t* ids = buffers->direct_ids();
            std::size_t packed_chunks = 0;
            for (std::size_t begin = first; begin < last; begin += chunk_rows) {
                const std::size_t n = std::min(chunk_rows, last - begin);
                decode_chunk(keys, reoffences, previous, begin, n, ids, *buffers,
                             violations[worker]);
                if (buffers->largest >= packable_count) {  // rare: count straight into 64 bits
                    for (std::size_t i = 0; i < n; ++i)
                        add_row(table[ids[i]], buffers->reoffences[i], buffers->previous[i]);
                    continue;
                }
                if (lanes == 4)
                    accumulate_packed<4>(cells.data(), groups, ids, *buffers, n);
                else
                    accumulate_packed<1>(cells.data(), groups, ids, *buffers, n);
                if (++packed_chunks == chunks_per_unpack) {
                    unpack(cells, table);
                    packed_chunks = 0;
                }
            }
            unpack(cells, table);
        });
    for (unsigned w = 1; w < used; ++w)
        for (std::uint64_t g = 0; g < groups; ++g)
            tables[0][g] += tables[w][g];
    return compact_direct(space, tables[0]);
}

inline PartialTable aggregate_hashed(std::span<const KeyColumn> keys, const KeySpace& space,
                                     const ColumnView& reoffences,
                                     const std::optional<ColumnView>& previous, std::size_t rows,
                                     unsigned threads, std::vector<WorkerViolations>& violations) {
    std::vector<PartialTable> partials(threads, PartialTable(space));
    const unsigned used = parallel_ranges(
        rows, threads, chunk_rows, [&](unsigned worker, std::size_t first, std::size_t last) {
            GroupIndex index;
            std::vector<GroupCounts> slots;
            auto buffers = std::make_unique<ChunkBuffers>();
            for (std::size_t begin = first; begin < last; begin += chunk_rows) {
                const std::size_t n = std::min(chunk_rows, last - begin);
                decode_chunk(keys, reoffences, previous, begin, n, buffers->ids.data(), *buffers,
                             violations[worker]);
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint32_t slot = index.slot(buffers->ids[i]);
                    if (slot == slots.size()) slots.emplace_back();
                    add_row(slots[slot], buffers->reoffences[i], buffers->previous[i]);
                }
            }
            // Sort this worker's groups by id so partials merge in key order.
            const auto& ids = index.groups();
            std::vector<std::uint32_t> order(ids.size());
            for (std::uint32_t s = 0; s < order.size(); ++s)
                order[s] = s;
            std::sort(order.begin(), order.end(),
                      [&](std::uint32_t a, std::uint32_t b) { return ids[a] < ids[b]; });
            std::vector<std::uint64_t> groups(order.size());
            std::vector<GroupCounts> counts(order.size());
            for (std::size_t r = 0; r < order.size(); ++r) {
                groups[r] = ids[order[r]];
                counts[r] = slots[order[r]];
            }
            partials[worker] = PartialTable(space, std::move(groups), std::move(counts));
        });
    for (unsigned w = 1; w < used; ++w)
        partials[0].merge(partials[w]);
    return std::move(partials[0]);
}

}  // namespace detail

YOSMODEL_INLINE PartialTable aggregate(std::span<const KeyColumn> keys,
                                       const ColumnView& reoffences,
                                       const std::optional<ColumnView>& previous_offences,
                                       const AggregateOptions& options) {
    const std::size_t rows = reoffences.size();
    check_key_columns(keys, rows);
    if (previous_offences && previous_offences->size() != rows)
        throw InputError("column '" + previous_offences->name + "' has " +
                         std::to_string(previous_offences->size()) + " rows but '" +
                         reoffences.name + "' has " + std::to_string(rows) +
                         "; every column must have the same length");
    std::vector<std::uint64_t> cardinalities;
    for (const auto& key : keys) {
        if (key.cardinality == 0 && rows > 0)
            throw InputError("key column '" + key.codes.name + "' declares cardinality 0");
        cardinalities.push_back(std::max<std::uint64_t>(key.cardinality, 1));
    }
    const KeySpace space(std::move(cardinalities));

    const unsigned threads = resolve_threads(options.threads);
    std::vector<detail::WorkerViolations> violations(threads);
    for (auto& v : violations)
        v.key_out_of_range.assign(keys.size(), 0);

    // Direct tables are indexed by 32-bit ids.
    const bool direct =
        space.size() <= std::min<std::uint64_t>(options.direct_table_limit, std::uint64_t{1} << 32);
    PartialTable table = direct
                             ? detail::aggregate_direct(keys, space, reoffences, previous_offences,
                                                        rows, threads, violations)
                             : detail::aggregate_hashed(keys, space, reoffences, previous_offences,
                                                        rows, threads, violations);

    // Bad input is reported only after the pass, so the hot loop carries no branches for it.
    detail::WorkerViolations all;
    all.key_out_of_range.assign(keys.size(), 0);
    for (const auto& v : violations) {
        for (std::size_t k = 0; k < keys.size(); ++k)
            all.key_out_of_range[k] += v.key_out_of_range[k];
        all.reoffences += v.reoffences;
        all.previous += v.previous;
    }
    for (std::size_t k = 0; k < keys.size(); ++k)
        if (const auto bad = all.key_out_of_range[k])
            throw InputError("key column '" + keys[k].codes.name + "': " + std::to_string(bad) +
                             (bad == 1 ? " row has a code" : " rows have codes") + " outside [0, " +
                             std::to_string(keys[k].cardinality) +
                             "); codes must index the key's categories (a missing key, code -1, "
                             "is not allowed)");
    all.reoffences.raise_if_any(reoffences.name);
    if (previous_offences) all.previous.raise_if_any(previous_offences->name);
    return table;
}

}  // namespace yosmodel::reoffending
