// The grouping kernel over segmented, nullable columns (see grouped_columns.hpp). Rows go in
// blocks of detail::chunk_rows that never cross a segment boundary of any column, so each block
// reads every column as one contiguous span. With one-byte counts (synthetic_cohort's, or a
// Parquet file's narrowed columns) and no missing values, a block's counts are added where they
// are and only its keys decoded; every other block decodes ids and counts into small buffers
// first, as `aggregate` does.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <type_traits>
#include <variant>

#include "yosmodel/core/detail/group_index.hpp"
#include "yosmodel/core/detail/key_rows.hpp"
#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/detail/count_column.hpp"
#include "yosmodel/reoffending/detail/packed_counts.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"

namespace yosmodel::reoffending {

namespace detail::grouped {

using detail::chunk_rows;
using detail::ChunkBuffers;
using detail::PackedCell;
using detail::WorkerViolations;

template <class Segment>
inline const Segment& segment_at(const std::vector<Segment>& segments, std::size_t row) {
    auto at = std::upper_bound(segments.begin(), segments.end(), row,
                               [](std::size_t r, const Segment& s) { return r < s.first_row; });
    return *(at - 1);
}

// ids[i] = ids[i] * cardinality + map[value - base] for rows [begin, begin + n) of `src`, with
// `size` map entries; returns how many codes were outside [0, cardinality) (a value past the
// map, or an entry for no category): they count as 0, so no table is overrun.
template <class Id, class T>
inline std::size_t fold_mapped(const T* src, std::size_t n, std::uint64_t base,
                               const std::uint32_t* map, std::uint64_t size,
                               std::uint64_t cardinality, bool first, Id* ids) {
    const auto radix = static_cast<Id>(cardinality);
    std::uint32_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        // Sign extension is wanted: a negative index reads as a huge one, past the map.
        // NOLINTNEXTLINE(bugprone-signed-char-misuse)
        const std::uint64_t at = static_cast<std::uint64_t>(src[i]) - base;
        const bool inside = at < size;
        const std::uint64_t code = map[inside ? at : 0];
        const bool outside = !inside || code >= cardinality;
        bad += outside;
        const Id digit = outside ? Id{0} : static_cast<Id>(code);
        ids[i] = first ? digit : static_cast<Id>(ids[i] * radix + digit);
    }
    return bad;
}

// ids[i] = ids[i] * cardinality + (code - base) for rows [begin, begin + n) of `segment`
// (through its map if it has one: mapped and unmapped segments are separate loops, chosen once
// per block); returns how many codes were outside [0, cardinality) (they count as 0, so no
// table is overrun).
template <class Id>
inline std::size_t fold_codes(const CodeSegment& segment, std::size_t begin, std::size_t n,
                              std::uint64_t base, std::uint64_t cardinality, bool first, Id* ids) {
    if (!segment.map.empty())
        return std::visit(
            [&](auto values) -> std::size_t {
                using T = typename decltype(values)::value_type;
                if constexpr (std::is_floating_point_v<T>)
                    return n;  // the grouper never writes floating-point codes
                else
                    return fold_mapped(values.data() + begin, n, base, segment.map.data(),
                                       segment.map.size(), cardinality, first, ids);
            },
            segment.codes.values);
    return std::visit(
        [&](auto values) -> std::size_t {
            using T = typename decltype(values)::value_type;
            if constexpr (std::is_floating_point_v<T>) {
                return n;  // the grouper never writes floating-point codes
            } else {
                const T* src = values.data() + begin;
                if constexpr (sizeof(T) <= 2 && std::is_same_v<Id, std::uint32_t>) {
                    // Categorical codes (one or two bytes) into a direct table's 32-bit ids: in
                    // 32-bit lanes, twice as many per instruction as the general loop's 64-bit
                    // ones. Sign extension keeps a negative code (pandas' -1 for a missing
                    // value) above any cardinality up to 2^16, so it is still counted outside.
                    if (base == 0 && cardinality <= (std::uint64_t{1} << 16)) {
                        const auto card = static_cast<std::uint32_t>(cardinality);
                        std::uint32_t bad = 0;
                        for (std::size_t i = 0; i < n; ++i) {
                            const auto code =
                                static_cast<std::uint32_t>(static_cast<std::int32_t>(src[i]));
                            const bool outside = code >= card;
                            bad += outside;
                            const std::uint32_t digit = outside ? 0U : code;
                            ids[i] = first ? digit : ids[i] * card + digit;
                        }
                        return bad;
                    }
                }
                const auto radix = static_cast<Id>(cardinality);
                std::uint32_t bad = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint64_t code = static_cast<std::uint64_t>(src[i]) - base;
                    const bool outside = code >= cardinality;
                    bad += outside;
                    const Id digit = outside ? Id{0} : static_cast<Id>(code);
                    ids[i] = first ? digit : static_cast<Id>(ids[i] * radix + digit);
                }
                return bad;
            }
        },
        segment.codes.values);
}

// Missing rows of a count segment become 0 and are counted as missing.
inline void apply_validity(const CountSegment& s, std::size_t begin, std::size_t n,
                           std::uint32_t* out, CountViolations& v) {
    if (s.validity == nullptr) return;
    for (std::size_t i = 0; i < n; ++i) {
        const auto bit = static_cast<std::int64_t>(begin + i) + s.validity_offset;
        const bool present = ((s.validity[bit >> 3] >> (bit & 7)) & 1) != 0;
        v.missing += !present;
        out[i] = present ? out[i] : 0;
    }
}

// Reads rows [begin, begin + n) of a count segment into `out` and returns their largest value.
// A missing row is counted as missing only: Arrow leaves the value under a null undefined
// (pandas puts NaN there for Float64, so it was once counted twice). Only a block in which some
// row broke a rule is read again, row by row, to count the present rows alone.
inline std::uint32_t read_segment(const CountSegment& s, std::size_t begin, std::size_t n,
                                  std::uint32_t* out, CountViolations& v) {
    if (s.validity == nullptr) return read_counts(s.values, begin, n, out, v);
    CountViolations block;
    std::uint32_t largest = read_counts(s.values, begin, n, out, block);
    if (block.missing + block.negative + block.not_integer + block.too_large != 0) {
        block = CountViolations{};
        largest = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto bit = static_cast<std::int64_t>(begin + i) + s.validity_offset;
            if (((s.validity[bit >> 3] >> (bit & 7)) & 1) != 0)
                largest = std::max(largest, read_counts(s.values, begin + i, 1, out + i, block));
        }
    }
    apply_validity(s, begin, n, out, block);
    v += block;
    return largest;
}

// Whether every one of the `n` counts at `values` is in [0, limit]: one vectorised pass over the
// values in their own type.
template <class T>
inline bool all_within(const T* values, std::size_t n, std::uint64_t limit) {
    T lo = n == 0 ? T{0} : values[0];
    T hi = lo;
    for (std::size_t i = 0; i < n; ++i) {
        lo = std::min(lo, values[i]);
        hi = std::max(hi, values[i]);
    }
    return !(std::is_signed_v<T> && lo < T{0}) && static_cast<std::uint64_t>(hi) <= limit;
}

struct Block {
    std::size_t begin = 0;
    std::size_t n = 0;
};

// Drops the rows of a decoded chunk whose reoffences are above `max_reoffences` (the
// max_reoffences rule), keeping the others in order; returns how many are kept.
template <class Id>
inline std::size_t set_aside_implausible(std::size_t n, std::uint32_t max_reoffences, Id* ids,
                                         ChunkBuffers& b, WorkerViolations& v) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (b.reoffences[i] > max_reoffences) continue;
        ids[kept] = ids[i];
        b.reoffences[kept] = b.reoffences[i];
        b.previous[kept] = b.previous[i];
        ++kept;
    }
    v.reoffences_above_maximum += n - kept;
    return kept;
}

class Columns {
public:
    Columns(std::span<const GroupedKey> keys, const CountColumn& reoffences,
            const CountColumn* previous, std::uint32_t max_reoffences)
        : keys_(keys),
          reoffences_(reoffences),
          previous_(previous),
          max_reoffences_(max_reoffences) {
        for (const auto& k : keys)
            for (const auto& s : k.segments)
                cuts_.push_back(s.first_row);
        for (const auto* c : {&reoffences, previous})
            if (c != nullptr)
                for (const auto& s : c->segments)
                    cuts_.push_back(s.first_row);
        cuts_.push_back(reoffences.rows);
        std::sort(cuts_.begin(), cuts_.end());
        cuts_.erase(std::unique(cuts_.begin(), cuts_.end()), cuts_.end());
    }

    /// The rows from `begin` up to `last`, at most a chunk, that cross no segment boundary.
    [[nodiscard]] Block block(std::size_t begin, std::size_t last) const {
        const auto next = *std::upper_bound(cuts_.begin(), cuts_.end(), begin);
        return Block{begin, std::min({last, next, begin + chunk_rows}) - begin};
    }

    /// Decodes a block into `ids` and `buffers` and returns how many of its rows are counted
    /// (the first ones): rows above max_reoffences are set aside.
    /// Decodes a block's keys into composite group ids, counting codes outside their key.
    template <class Id>
    void decode_ids(const Block& b, Id* ids, WorkerViolations& v) const {
        if (keys_.empty()) std::fill_n(ids, b.n, Id{0});
        for (std::size_t k = 0; k < keys_.size(); ++k) {
            const CodeSegment& s = segment_at(keys_[k].segments, b.begin);
            v.key_out_of_range[k] +=
                fold_codes(s, b.begin - s.first_row, b.n, keys_[k].base,
                           std::max<std::uint64_t>(keys_[k].cardinality, 1), k == 0, ids);
        }
    }

    template <class Id>
    std::size_t decode(const Block& b, Id* ids, ChunkBuffers& buffers, WorkerViolations& v) const {
        decode_ids(b, ids, v);
        const CountSegment& r = segment_at(reoffences_.segments, b.begin);
        const std::uint32_t largest_reoffences =
            read_segment(r, b.begin - r.first_row, b.n, buffers.reoffences.data(), v.reoffences);
        buffers.largest = largest_reoffences;
        if (previous_ != nullptr) {
            const CountSegment& p = segment_at(previous_->segments, b.begin);
            buffers.largest = std::max(
                buffers.largest,
                read_segment(p, b.begin - p.first_row, b.n, buffers.previous.data(), v.previous));
        } else {
            std::fill_n(buffers.previous.begin(), b.n, 0U);
        }
        // The chunk's largest count tells whether any row breaks the rule: the common chunk
        // pays one comparison, not one per row.
        if (largest_reoffences <= max_reoffences_) return b.n;
        return set_aside_implausible(b.n, max_reoffences_, ids, buffers, v);
    }

    /// Adds a block straight into packed cells, its counts read where they are, when they are
    /// one-byte integers (reoffences and previous offences alike) with no missing values, all
    /// valid (unsigned ones need no check; signed ones get a vectorised one per block); returns
    /// false, having done nothing, otherwise. Only the keys are decoded, into `ids`.
    bool counted_in_place(const Block& b, std::uint32_t* ids, PackedCell* cells,
                          std::uint64_t groups, std::size_t lanes, WorkerViolations& v) const {
        const CountSegment& r = segment_at(reoffences_.segments, b.begin);
        if (r.validity != nullptr) return false;
        const CountSegment* p = nullptr;
        if (previous_ != nullptr) {
            p = &segment_at(previous_->segments, b.begin);
            if (p->validity != nullptr || p->values.values.index() != r.values.values.index())
                return false;
        }
        return std::visit(
            [&](auto values) -> bool {
                using T = typename decltype(values)::value_type;
                // Wider counts go through the decoding pass, which measured faster for them
                // (int64 counts by a categorical: 46 against 52 ms per 10^7 rows, one thread).
                if constexpr (std::is_floating_point_v<T> || sizeof(T) > 1) {
                    return false;
                } else {
                    const T* reo = values.data() + (b.begin - r.first_row);
                    const T* prev = nullptr;
                    if (p != nullptr)
                        prev = std::get<std::span<const T>>(p->values.values).data() +
                               (b.begin - p->first_row);
                    const std::uint64_t reo_limit =
                        std::min<std::uint64_t>(max_reoffences_, detail::packable_count - 1);
                    const bool unchecked = std::is_same_v<T, std::uint8_t> && reo_limit >= 255;
                    if (!unchecked &&
                        (!all_within(reo, b.n, reo_limit) ||
                         (prev != nullptr && !all_within(prev, b.n, detail::packable_count - 1))))
                        return false;
                    decode_ids(b, ids, v);
                    const auto add = [&]<std::size_t Lanes>() {
                        if (prev != nullptr)
                            detail::accumulate_packed<Lanes, true>(cells, groups, ids, reo, prev,
                                                                   b.n);
                        else
                            detail::accumulate_packed<Lanes, false>(cells, groups, ids, reo, reo,
                                                                    b.n);
                    };
                    if (lanes == 4)
                        add.template operator()<4>();
                    else
                        add.template operator()<1>();
                    return true;
                }
            },
            r.values.values);
    }

private:
    std::span<const GroupedKey> keys_;
    const CountColumn& reoffences_;
    const CountColumn* previous_;
    std::uint32_t max_reoffences_;
    std::vector<std::size_t> cuts_;
};

inline PartialTable aggregate_direct(const Columns& columns, const KeySpace& space,
                                     std::size_t rows, unsigned threads,
                                     std::vector<WorkerViolations>& violations) {
    const std::uint64_t groups = space.size();
    const std::size_t lanes = groups <= detail::interleave_limit ? 4 : 1;
    std::vector<std::vector<GroupCounts>> tables(threads);
    const unsigned used = parallel_ranges(
        rows, threads, chunk_rows, [&](unsigned worker, std::size_t first, std::size_t last) {
            auto& table = tables[worker];
            table.assign(groups, GroupCounts{});
            std::vector<PackedCell> cells(lanes * groups);
            auto buffers = std::make_unique<ChunkBuffers>();
            std::uint32_t* ids = buffers->direct_ids();
            std::size_t packed_chunks = 0;
            auto& v = violations[worker];
            for (std::size_t begin = first; begin < last;) {
                const Block b = columns.block(begin, last);
                begin += b.n;
                const bool in_place =
                    columns.counted_in_place(b, ids, cells.data(), groups, lanes, v);
                if (!in_place) {
                    const std::size_t kept = columns.decode(b, ids, *buffers, v);
                    if (buffers->largest >= detail::packable_count) {
                        for (std::size_t i = 0; i < kept; ++i)
                            detail::add_row(table[ids[i]], buffers->reoffences[i],
                                            buffers->previous[i]);
                        continue;
                    }
                    if (lanes == 4)
                        detail::accumulate_packed<4>(cells.data(), groups, ids, *buffers, kept);
                    else
                        detail::accumulate_packed<1>(cells.data(), groups, ids, *buffers, kept);
                }
                if (++packed_chunks == detail::chunks_per_unpack) {
                    detail::unpack(cells, table);
                    packed_chunks = 0;
                }
            }
            detail::unpack(cells, table);
        });
    for (unsigned w = 1; w < used; ++w)
        for (std::uint64_t g = 0; g < groups; ++g)
            tables[0][g] += tables[w][g];
    return detail::compact_direct(space, tables[0]);
}

inline PartialTable aggregate_hashed(const Columns& columns, const KeySpace& space,
                                     std::size_t rows, unsigned threads,
                                     std::vector<WorkerViolations>& violations) {
    std::vector<PartialTable> partials(threads, PartialTable(space));
    const unsigned used = parallel_ranges(
        rows, threads, chunk_rows, [&](unsigned worker, std::size_t first, std::size_t last) {
            GroupIndex index;
            std::vector<GroupCounts> slots;
            auto buffers = std::make_unique<ChunkBuffers>();
            for (std::size_t begin = first; begin < last;) {
                const Block b = columns.block(begin, last);
                begin += b.n;
                const std::size_t kept =
                    columns.decode(b, buffers->ids.data(), *buffers, violations[worker]);
                for (std::size_t i = 0; i < kept; ++i) {
                    const std::uint32_t slot = index.slot(buffers->ids[i]);
                    if (slot == slots.size()) slots.emplace_back();
                    detail::add_row(slots[slot], buffers->reoffences[i], buffers->previous[i]);
                }
            }
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

inline void check_rows(const std::string& name, std::size_t rows, std::size_t expected) {
    if (rows != expected)
        throw InputError("column '" + name + "' has " + std::to_string(rows) +
                         " rows but the cohort has " + std::to_string(expected) +
                         "; every column must have the same length");
}

// Rows whose code is -1 in a segment of signed codes read as they are: a pandas Categorical's
// missing value (key_from_codes). Read only once a key is known to have codes outside its
// categories, so that the error can call them what they are.
inline std::size_t missing_codes(const GroupedKey& key) {
    if (key.base != 0) return 0;
    std::size_t missing = 0;
    for (const CodeSegment& s : key.segments) {
        if (!s.map.empty()) continue;  // a chunk's dictionary indices: no index is a null
        std::visit(
            [&](auto values) {
                using T = typename decltype(values)::value_type;
                if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
                    missing +=
                        static_cast<std::size_t>(std::count(values.begin(), values.end(), T{-1}));
            },
            s.codes.values);
    }
    return missing;
}

}  // namespace detail::grouped

YOSMODEL_INLINE CountColumn count_column(const arrow::Column& column) {
    const arrow::Field& f = column.field();
    const bool numeric =
        !f.dictionary && ((f.type >= arrow::Type::int8 && f.type <= arrow::Type::uint64) ||
                          f.type == arrow::Type::float32 || f.type == arrow::Type::float64);
    if (!numeric)
        throw DtypeError("column '" + column.name() +
                         "' must hold counts (an integer or floating-point column), not dates, "
                         "strings, booleans or categories");
    CountColumn out;
    out.name = column.name();
    out.rows = static_cast<std::size_t>(column.length());
    out.storage = column.owner();
    std::size_t first_row = 0;
    for (const arrow::Chunk& c : column.chunks()) {
        const auto n = static_cast<std::size_t>(c.length);
        const auto view = [&](auto tag) {
            using T = decltype(tag);
            return ColumnView(out.name, std::span<const T>(c.typed<T>(), n));
        };
        ColumnView values = f.type == arrow::Type::float32 ? view(float{})
                            : f.type == arrow::Type::float64
                                ? view(double{})
                                : yosmodel::detail::with_integer_type(f.type, view);
        // The values start at the chunk's offset, so its bitmap is read from there too.
        out.segments.push_back(CountSegment{first_row, std::move(values), c.validity, c.offset});
        first_row += n;
    }
    return out;
}

YOSMODEL_INLINE CountColumn count_column(const ColumnView& values) {
    CountColumn out;
    out.name = values.name;
    out.rows = values.size();
    out.segments.push_back(CountSegment{0, values, nullptr, 0});
    return out;
}

YOSMODEL_INLINE GroupedKey key_from_codes(const ColumnView& codes, std::uint64_t cardinality) {
    if (codes.is_floating())
        throw DtypeError("key column '" + codes.name +
                         "' must hold integer codes, not floating-point values");
    GroupedKey key;
    key.name = codes.name;
    key.rows = codes.size();
    key.cardinality = cardinality;
    key.borrowed = true;
    key.segments.emplace_back(0, codes);
    return key;
}

YOSMODEL_INLINE PartialTable aggregate_grouped(std::span<const GroupedKey> keys,
                                               const CountColumn& reoffences,
                                               const CountColumn* previous,
                                               const AggregateOptions& options,
                                               SetAsideRows* set_aside) {
    using namespace detail::grouped;
    if (options.max_reoffences < 1 || options.max_reoffences > highest_max_reoffences)
        throw InputError("max_reoffences must be between 1 and " +
                         std::to_string(highest_max_reoffences) + " reoffences per person");
    const std::size_t rows = reoffences.rows;
    for (const auto& k : keys)
        check_rows(k.name, k.rows, rows);
    if (previous != nullptr) check_rows(previous->name, previous->rows, rows);
    std::vector<std::uint64_t> cardinalities;
    for (const auto& k : keys) {
        if (k.cardinality == 0 && rows > 0)
            throw InputError("key column '" + k.name + "' declares cardinality 0");
        cardinalities.push_back(std::max<std::uint64_t>(k.cardinality, 1));
    }
    const KeySpace space(std::move(cardinalities));
    const unsigned threads = resolve_threads(options.threads);
    std::vector<WorkerViolations> violations(threads);
    for (auto& v : violations)
        v.key_out_of_range.assign(std::max<std::size_t>(keys.size(), 1), 0);

    const Columns columns(keys, reoffences, previous, options.max_reoffences);
    const bool direct =
        space.size() <= std::min<std::uint64_t>(options.direct_table_limit, std::uint64_t{1} << 32);
    PartialTable table = direct ? aggregate_direct(columns, space, rows, threads, violations)
                                : aggregate_hashed(columns, space, rows, threads, violations);

    WorkerViolations all;
    all.key_out_of_range.assign(keys.size(), 0);
    for (const auto& v : violations) {
        for (std::size_t k = 0; k < keys.size(); ++k)
            all.key_out_of_range[k] += v.key_out_of_range[k];
        all.reoffences += v.reoffences;
        all.previous += v.previous;
        all.reoffences_above_maximum += v.reoffences_above_maximum;
    }
    for (std::size_t k = 0; k < keys.size(); ++k) {
        const auto bad = all.key_out_of_range[k];
        if (bad == 0) continue;
        // A missing value is refused as every missing key is (group_key), in the same words.
        if (const std::size_t missing = missing_codes(keys[k]))
            throw InputError("grouping column '" + keys[k].name + "': " + std::to_string(missing) +
                             (missing == 1 ? " row has" : " rows have") +
                             " a missing value; fill or drop them before grouping (missing keys "
                             "are never dropped silently)");
        throw InputError("key column '" + keys[k].name + "': " + std::to_string(bad) +
                         (bad == 1 ? " row has a code" : " rows have codes") + " outside [0, " +
                         std::to_string(keys[k].cardinality) +
                         "); codes must index the key's categories");
    }
    // Reoffences too large to read are above any max_reoffences: set aside under that rule.
    all.reoffences.too_large = 0;
    all.reoffences.raise_if_any(reoffences.name);
    if (previous != nullptr) all.previous.raise_if_any(previous->name);
    if (const auto rows = all.reoffences_above_maximum) {
        if (set_aside == nullptr)
            throw InputError("column '" + reoffences.name + "': " + std::to_string(rows) +
                             (rows == 1 ? " row" : " rows") + " above max_reoffences (" +
                             std::to_string(options.max_reoffences) +
                             " reoffences per person); count them with a SetAsideRows, or raise "
                             "max_reoffences if such counts are real");
    }
    if (set_aside != nullptr) set_aside->reoffences_above_maximum = all.reoffences_above_maximum;
    return table;
}

}  // namespace yosmodel::reoffending
