// A partial table of reoffending counts: the non-empty groups of a key space and their counts.
// It is a value: two partials over the same key space merge by addition (associative and
// commutative), and a partial serialises to bytes and back, so threads, Dask workers and live
// updates all combine work the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/key_space.hpp"
#include "yosmodel/reoffending/counts.hpp"

namespace yosmodel::reoffending {

class PartialTable {
public:
    PartialTable() = default;
    explicit PartialTable(KeySpace keys) : keys_(std::move(keys)) {}

    /// Takes groups sorted by id, each non-empty (offenders > 0).
    PartialTable(KeySpace keys, std::vector<std::uint64_t> groups, std::vector<GroupCounts> counts)
        : keys_(std::move(keys)), groups_(std::move(groups)), counts_(std::move(counts)) {
        check_invariants();
    }

    [[nodiscard]] const KeySpace& key_space() const { return keys_; }
    /// Composite ids of the non-empty groups, ascending (so in key order).
    [[nodiscard]] const std::vector<std::uint64_t>& groups() const { return groups_; }
    [[nodiscard]] const std::vector<GroupCounts>& counts() const { return counts_; }
    [[nodiscard]] std::size_t size() const { return groups_.size(); }

    /// Counts over every group.
    [[nodiscard]] GroupCounts total() const {
        GroupCounts sum;
        for (const auto& c : counts_)
            sum += c;
        return sum;
    }

    /// Adds `other`'s counts group by group. Both must cover the same key space.
    PartialTable& merge(const PartialTable& other);

    friend PartialTable merge(PartialTable a, const PartialTable& b) { return a.merge(b); }
    friend bool operator==(const PartialTable&, const PartialTable&) = default;

    /// Bytes in a versioned little-endian format:
    /// "YMPT", u32 version, u32 keys, u64 cardinality x keys, u64 groups,
    /// u64 group id x groups, then 4 x u64 counts per group, then a u64 FNV-1a checksum of
    /// every byte before it.
    [[nodiscard]] std::string serialize() const;

    /// The table `serialize` wrote; CorruptDataError (an InputError) for bytes that are
    /// truncated, damaged (the checksum), of another format version, with lengths that
    /// disagree, or with counts that break the measures' rules.
    static PartialTable deserialize(std::string_view bytes);

private:
    static constexpr std::string_view magic = "YMPT";
    static constexpr std::uint64_t format_version = 2;  // 2: a checksum at the end

    void check_invariants() const;

    KeySpace keys_;
    std::vector<std::uint64_t> groups_;
    std::vector<GroupCounts> counts_;
};

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/partial_table-inl.hpp"
#endif
