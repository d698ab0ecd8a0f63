// The hash grouper: maps wide composite group ids (too many possible groups for a direct table)
// to dense slots in order of first appearance. Open addressing with linear probing.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace yosmodel {

class GroupIndex {
public:
    GroupIndex() { rehash(1024); }

    /// The slot of `group`, inserting it if it is new.
    std::uint32_t slot(std::uint64_t group) {
        std::size_t at = mix(group) & mask_;
        while (true) {
            Entry& e = entries_[at];
            if (e.slot == empty) {
                if ((groups_.size() + 1) * 2 > entries_.size()) {
                    rehash(entries_.size() * 2);
                    return slot(group);
                }
                e = Entry{group, static_cast<std::uint32_t>(groups_.size())};
                groups_.push_back(group);
                return e.slot;
            }
            if (e.group == group) return e.slot;
            at = (at + 1) & mask_;
        }
    }

    /// Group ids by slot.
    [[nodiscard]] const std::vector<std::uint64_t>& groups() const { return groups_; }

private:
    struct Entry {
        std::uint64_t group = 0;
        std::uint32_t slot = empty;
    };
    static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();

    static std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser: spreads nearby ids
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }

    void rehash(std::size_t capacity) {
        entries_.assign(capacity, Entry{});
        mask_ = capacity - 1;
        for (std::uint32_t s = 0; s < groups_.size(); ++s) {
            std::size_t at = mix(groups_[s]) & mask_;
            while (entries_[at].slot != empty)
                at = (at + 1) & mask_;
            entries_[at] = Entry{groups_[s], s};
        }
    }

    std::vector<Entry> entries_;
    std::vector<std::uint64_t> groups_;
    std::size_t mask_ = 0;
};

}  // namespace yosmodel
