// The partial table's merge and its byte format ("YMPT"), declared in
// reoffending/partial_table.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

namespace detail {

inline void put(std::string& out, std::uint64_t value, int width) {
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
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + b])) << (8 * b);
        at += width;
        return v;
    }
};

// FNV-1a over 64 bits: any change of one byte changes it (each step is a bijection), and
// bytes travel between processes and machines, where damage must not pass as counts.
inline std::uint64_t checksum(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char byte : bytes) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= 1099511628211ULL;
    }
    return hash;
}

}  // namespace detail

YOSMODEL_INLINE PartialTable& PartialTable::merge(const PartialTable& other) {
    if (!(keys_ == other.keys_))
        throw InputError(
            "cannot merge partial tables over different key spaces "
            "(the keys or their cardinalities differ)");
    std::vector<std::uint64_t> groups;
    std::vector<GroupCounts> counts;
    groups.reserve(groups_.size() + other.groups_.size());
    counts.reserve(groups.capacity());
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < groups_.size() || j < other.groups_.size()) {
        if (j == other.groups_.size() || (i < groups_.size() && groups_[i] < other.groups_[j])) {
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

YOSMODEL_INLINE std::string PartialTable::serialize() const {
    std::string out;
    out.reserve(24 + 8 * (keys_.keys() + 1 + groups_.size() * 5));
    out.append(magic);
    detail::put(out, format_version, 4);
    detail::put(out, keys_.keys(), 4);
    for (auto c : keys_.cardinalities())
        detail::put(out, c, 8);
    detail::put(out, groups_.size(), 8);
    for (auto g : groups_)
        detail::put(out, g, 8);
    for (const auto& c : counts_) {
        detail::put(out, c.offenders, 8);
        detail::put(out, c.reoffenders, 8);
        detail::put(out, c.reoffences, 8);
        detail::put(out, c.previous_offences, 8);
    }
    detail::put(out, detail::checksum(out), 8);
    return out;
}

YOSMODEL_INLINE PartialTable PartialTable::deserialize(std::string_view bytes) {
    if (bytes.substr(0, magic.size()) != magic)
        throw CorruptDataError("not a yosmodel partial table (bad magic bytes)");
    detail::Reader in{bytes, magic.size()};
    const auto version = in.get(4);
    if (version != format_version)
        throw CorruptDataError("partial table format version " + std::to_string(version) +
                               " is not read by this build (it reads version " +
                               std::to_string(format_version) +
                               "); build the partial again with this version");
    if (bytes.size() < 8 + 4 + 8 + 8)
        throw CorruptDataError("partial table is truncated or corrupt");
    const auto body = bytes.substr(0, bytes.size() - 8);
    detail::Reader tail{bytes, bytes.size() - 8};
    if (tail.get(8) != detail::checksum(body))
        throw CorruptDataError("partial table bytes are damaged (the checksum does not match)");
    detail::Reader data{body, 8};
    const auto n_keys = data.get(4);
    if (n_keys > 64) throw CorruptDataError("partial table is corrupt (too many keys)");
    if (n_keys * 8 > body.size() - data.at)
        throw CorruptDataError("partial table is truncated or corrupt");
    std::vector<std::uint64_t> cardinalities(n_keys);
    for (auto& c : cardinalities)
        c = data.get(8);
    const auto n_groups = data.get(8);
    if (n_groups > (body.size() - data.at) / 40 || body.size() - data.at != n_groups * 40)
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
        return {KeySpace(std::move(cardinalities)), std::move(groups), std::move(counts)};
    } catch (const CorruptDataError&) {
        throw;
    } catch (const InputError& error) {
        throw CorruptDataError(std::string("partial table is corrupt: ") + error.what());
    }
}

YOSMODEL_INLINE void PartialTable::check_invariants() const {
    if (groups_.size() != counts_.size())
        throw CorruptDataError("partial table is corrupt (groups and counts differ in length)");
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        if (groups_[i] >= keys_.size() || (i > 0 && groups_[i] <= groups_[i - 1]))
            throw CorruptDataError("partial table is corrupt (group ids out of order or range)");
        const auto& c = counts_[i];
        if (c.offenders == 0 || c.reoffenders > c.offenders ||
            (c.reoffenders == 0) != (c.reoffences == 0) || c.reoffences < c.reoffenders)
            throw CorruptDataError("partial table is corrupt (counts break the measures' rules)");
    }
}

}  // namespace yosmodel::reoffending
