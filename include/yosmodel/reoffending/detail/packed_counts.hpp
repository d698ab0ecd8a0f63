// The kernel's counting machinery, shared by every entry to it: chunk buffers that stay in
// cache, packed cells (two 32-bit counters per 64-bit word) with their unpacking, and the step
// from a direct table to a partial table of its non-empty groups.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "yosmodel/core/key_space.hpp"
#include "yosmodel/reoffending/counts.hpp"
#include "yosmodel/reoffending/detail/count_column.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending::detail {

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
    std::size_t reoffences_above_maximum = 0;  // set aside, not an error
};

inline void add_row(GroupCounts& c, std::uint64_t reoffences, std::uint64_t previous) {
    c.offenders += 1;
    c.reoffenders += reoffences != 0;
    c.reoffences += reoffences;
    c.previous_offences += previous;
}

// A row's increment of a packed `people` word: one offender, and one reoffender when
// `reoffences` (below 2^32) is not zero. Arithmetic on purpose: written as `reoffences != 0`,
// GCC branches on it, and a cohort where a third reoffend mispredicts that branch on about one
// row in three (it cost two thirds of the fused kernel's time).
inline std::uint64_t person_increment(std::uint64_t reoffences) {
    return (std::uint64_t{1} << 32) + ((reoffences + 0xffffffffULL) >> 32);
}

// Adds rows [0, n) into packed cells: row i to group ids[i], with reoffences[i] and, with
// Previous, previous[i] (counts below packable_count, read as they are, of any integer type).
// With several lanes, consecutive rows go to different copies of the table, so that rows of
// one group do not wait on each other's increments.
template <std::size_t Lanes, bool Previous, class R, class P>
void accumulate_packed(PackedCell* cells, std::uint64_t groups, const std::uint32_t* ids,
                       const R* reoffences, const P* previous, std::size_t n) {
    // Counts here are already checked to be in [0, packable_count), signed or not.
    const auto add = [&](PackedCell& c, std::size_t i) {
        // NOLINTNEXTLINE(bugprone-signed-char-misuse)
        const auto r = static_cast<std::uint64_t>(reoffences[i]);
        // NOLINTNEXTLINE(bugprone-signed-char-misuse)
        const std::uint64_t p = Previous ? static_cast<std::uint64_t>(previous[i]) : 0;
        c.people += person_increment(r);
        c.sums += (p << 32) | r;
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

template <std::size_t Lanes>
void accumulate_packed(PackedCell* cells, std::uint64_t groups, const std::uint32_t* ids,
                       const ChunkBuffers& b, std::size_t n) {
    accumulate_packed<Lanes, true>(cells, groups, ids, b.reoffences.data(), b.previous.data(), n);
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
    return {space, std::move(groups), std::move(counts)};
}

}  // namespace yosmodel::reoffending::detail
