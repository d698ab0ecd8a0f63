// A partial table of reoffending counts: the non-empty groups of a key space and their counts.
// It is a value: two partials over the same key space merge by addition (associative and
// commutative), and a partial serialises to bytes and back, so threads, Dask workers and live
// updates all combine work the same way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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
    PartialTable& merge(const PartialTable& other) {
        if (!(keys_ == other.keys_))
            throw InputError(
                "cannot merge partial tables over different key spaces "
                "(the keys or their cardinalities differ)");
        std::vector<std::uint64_t> groups;
        std::vector<GroupCounts> counts;
        groups.reserve(groups_.size() + other.groups_.size());
        counts.reserve(groups.capacity());
        std::size_t i = 0, j = 0;
        while (i < groups_.size() || j < other.groups_.size()) {
            if (j == other.groups_.size() ||
                (i < groups_.size() && groups_[i] < other.groups_[j])) {
                groups.push_back(groups_[i]);
                counts.push_back(counts_[i++]);
            } else if (i == groups_.size() || other.groups_[j] < groups_[i]) {
                groups.push_back(other.groups_[j]);
                counts.push_back(other.counts_[j++]);
            } else {
                groups.push_back(groups_[i]);
                counts.push_back(counts_[i++] + other.counts_[j++]);
            }
        }
        groups_ = std::move(groups);
        counts_ = std::move(counts);
        return *this;
    }

    friend PartialTable merge(PartialTable a, const PartialTable& b) { return a.merge(b); }
    friend bool operator==(const PartialTable&, const PartialTable&) = default;

    /// Bytes in a versioned little-endian format:
    /// "YMPT", u32 version, u32 keys, u64 cardinality x keys, u64 groups,
    /// u64 group id x groups, then 4 x u64 counts per group, then a u64 FNV-1a checksum of
    /// every byte before it (bytes travel between processes: damage must not pass as counts).
    [[nodiscard]] std::string serialize() const {
        std::string out;
        out.reserve(24 + 8 * (keys_.keys() + 1 + groups_.size() * 5));
        out.append(magic, 4);
        put(out, format_version, 4);
        put(out, keys_.keys(), 4);
        for (auto c : keys_.cardinalities())
            put(out, c, 8);
        put(out, groups_.size(), 8);
        for (auto g : groups_)
            put(out, g, 8);
        for (const auto& c : counts_) {
            put(out, c.offenders, 8);
            put(out, c.reoffenders, 8);
            put(out, c.reoffences, 8);
            put(out, c.previous_offences, 8);
        }
        put(out, checksum(out), 8);
        return out;
    }

    /// Reads serialize()'s bytes; throws CorruptDataError for anything else: another magic or
    /// version, a bad checksum, lengths out of bounds, counts that break the measures' rules.
    static PartialTable deserialize(std::string_view bytes) {
        if (bytes.size() < 4 || bytes.substr(0, 4) != std::string_view(magic, 4))
            throw CorruptDataError("not a yosmodel partial table (bad magic bytes)");
        Reader in{bytes};
        in.at = 4;
        const auto version = in.get(4);
        if (version != format_version)
            throw CorruptDataError("partial table format version " + std::to_string(version) +
                                   " is not read by this build (it reads version " +
                                   std::to_string(format_version) +
                                   "); build the partial again with this version");
        if (bytes.size() < 8 + 4 + 8 + 8)
            throw CorruptDataError("partial table is truncated or corrupt");
        const auto body = bytes.substr(0, bytes.size() - 8);
        Reader tail{bytes, bytes.size() - 8};
        if (tail.get(8) != checksum(body))
            throw CorruptDataError("partial table bytes are damaged (the checksum does not match)");
        Reader data{body, 8};
        const auto n_keys = data.get(4);
        if (n_keys > 64) throw CorruptDataError("partial table is corrupt (too many keys)");
        if (n_keys * 8 > body.size() - data.at)
            throw CorruptDataError("partial table is truncated or corrupt");
        std::vector<std::uint64_t> cardinalities(n_keys);
        for (auto& c : cardinalities)
            c = data.get(8);
        const auto n_groups = data.get(8);
        if (n_groups > (body.size() - data.at) / 40 || (body.size() - data.at) != n_groups * 40)
            throw CorruptDataError("partial table is truncated or corrupt (lengths disagree)");
        std::vector<std::uint64_t> groups(n_groups);
        for (auto& g : groups)
            g = data.get(8);
        std::vector<GroupCounts> counts(n_groups);
        for (auto& c : counts) {
            c.offenders = data.get(8);
            c.reoffenders = data.get(8);
            c.reoffences = data.get(8);
            c.previous_offences = data.get(8);
        }
        try {
            return PartialTable(KeySpace(std::move(cardinalities)), std::move(groups),
                                std::move(counts));
        } catch (const CorruptDataError&) {
            throw;
        } catch (const InputError& error) {
            throw CorruptDataError(std::string("partial table is corrupt: ") + error.what());
        }
    }

private:
    static constexpr char magic[4] = {'Y', 'M', 'P', 'T'};
    static constexpr std::uint64_t format_version = 2;  // 2: a checksum at the end

    static std::uint64_t checksum(std::string_view bytes) {
        std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a, 64 bits
        for (const char byte : bytes) {
            hash ^= static_cast<unsigned char>(byte);
            hash *= 1099511628211ULL;
        }
        return hash;
    }

    static void put(std::string& out, std::uint64_t value, int width) {
        for (int b = 0; b < width; ++b)
            out.push_back(static_cast<char>((value >> (8 * b)) & 0xff));
    }

    struct Reader {
        std::string_view bytes;
        std::size_t at = 0;
        std::uint64_t get(int width) {
            if (bytes.size() < at || bytes.size() - at < static_cast<std::size_t>(width))
                throw CorruptDataError("partial table is truncated or corrupt");
            std::uint64_t v = 0;
            for (int b = 0; b < width; ++b)
                v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + b]))
                     << (8 * b);
            at += width;
            return v;
        }
    };

    void check_invariants() const {
        if (groups_.size() != counts_.size())
            throw CorruptDataError("partial table is corrupt (groups and counts differ in length)");
        for (std::size_t i = 0; i < groups_.size(); ++i) {
            if (groups_[i] >= keys_.size() || (i > 0 && groups_[i] <= groups_[i - 1]))
                throw CorruptDataError(
                    "partial table is corrupt (group ids out of order or range)");
            const auto& c = counts_[i];
            if (c.offenders == 0 || c.reoffenders > c.offenders ||
                (c.reoffenders == 0) != (c.reoffences == 0) || c.reoffences < c.reoffenders)
                throw CorruptDataError(
                    "partial table is corrupt (counts break the measures' rules)");
        }
    }

    KeySpace keys_;
    std::vector<std::uint64_t> groups_;
    std::vector<GroupCounts> counts_;
};

}  // namespace yosmodel::reoffending
