// A set of dense ids (the people in a cohort) that also numbers its members: rank(id) is the
// member's position among members in id order. A bitmap with a running count per 64 ids, so a
// look-up touches two small arrays (1/8 and 1/16 byte per id) that stay in cache even for 10^7 ids.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace yosmodel {

class RankedSet {
public:
    static constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();

    RankedSet() = default;

    /// The set of ids in [0, universe) for which `contains(id)` is true.
    template <class Contains>
    RankedSet(std::size_t universe, Contains&& contains)
        : bits_((universe + 63) / 64), ranks_((universe + 63) / 64) {
        std::uint32_t members = 0;
        for (std::size_t word = 0; word < bits_.size(); ++word) {
            ranks_[word] = members;
            std::uint64_t bits = 0;
            const std::size_t first = word * 64;
            const std::size_t last = first + 64 < universe ? first + 64 : universe;
            for (std::size_t id = first; id < last; ++id)
                bits |= static_cast<std::uint64_t>(contains(id) ? 1 : 0) << (id - first);
            bits_[word] = bits;
            members += static_cast<std::uint32_t>(std::popcount(bits));
        }
        size_ = members;
    }

    /// The member's number in [0, size()), or `absent`.
    [[nodiscard]] std::uint32_t rank(std::uint32_t id) const {
        const std::uint64_t word = bits_[id >> 6];
        const std::uint64_t bit = std::uint64_t{1} << (id & 63);
        if ((word & bit) == 0) return absent;
        return ranks_[id >> 6] + static_cast<std::uint32_t>(std::popcount(word & (bit - 1)));
    }

    [[nodiscard]] bool contains(std::uint32_t id) const {
        return (bits_[id >> 6] >> (id & 63)) & 1U;
    }

    [[nodiscard]] std::uint32_t size() const { return size_; }

private:
    std::vector<std::uint64_t> bits_;
    std::vector<std::uint32_t> ranks_;
    std::uint32_t size_ = 0;
};

}  // namespace yosmodel
