// A set of dense ids (the people in a cohort) that also numbers its members: rank(id) is the
// member's position among members in id order. Each 64-byte block holds the count of members
// before it and the bitmap of its 448 ids, so a look-up touches one cache line, and the whole
// structure (1/7 byte per id) stays in cache even for 10^7 ids.
#pragma once

#include <array>
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
        : blocks_((universe + ids - 1) / ids), universe_(universe) {
        std::uint64_t members = 0;
        for (std::size_t b = 0; b < blocks_.size(); ++b) {
            Block& block = blocks_[b];
            block.before = members;
            for (std::size_t w = 0; w < words; ++w) {
                std::uint64_t bits = 0;
                const std::size_t first = b * ids + w * 64;
                for (std::size_t i = 0; i < 64 && first + i < universe; ++i)
                    bits |= static_cast<std::uint64_t>(contains(first + i) ? 1 : 0) << i;
                block.bits[w] = bits;
                members += static_cast<std::uint64_t>(std::popcount(bits));
            }
        }
        size_ = static_cast<std::uint32_t>(members);
    }

    /// The member's number in [0, size()), or `absent`. Always inlined: it is the per-row step of
    /// the cohort's hot loops, and GCC otherwise leaves it a call there (13% of a profile).
    [[nodiscard, gnu::always_inline]] std::uint32_t rank(std::uint32_t id) const {
        const Block& block = blocks_[id / ids];
        const std::uint32_t within = id % ids;
        const std::uint32_t word = within / 64;
        const std::uint64_t bit = std::uint64_t{1} << (within % 64);
        if ((block.bits[word] & bit) == 0) return absent;
        std::uint64_t rank = block.before;
        for (std::uint32_t w = 0; w < words; ++w)  // branch-free: earlier words count whole
            rank += static_cast<std::uint64_t>(std::popcount(
                block.bits[w] & (w < word ? ~std::uint64_t{0} : (w == word ? bit - 1 : 0))));
        return static_cast<std::uint32_t>(rank);
    }

    /// Asks the cache for the block of `id` ahead of a rank() (a hint; ids outside are ignored).
    void prefetch(std::uint32_t id) const {
#if defined(__GNUC__) || defined(__clang__)
        const std::size_t block = id / ids;
        if (block < blocks_.size()) __builtin_prefetch(&blocks_[block]);
#else
        (void)id;
#endif
    }

    /// Whether `id` (below universe()) is a member.
    [[nodiscard]] bool contains(std::uint32_t id) const {
        const std::uint32_t within = id % ids;
        return (blocks_[id / ids].bits[within / 64] >> (within % 64)) & 1U;
    }

    [[nodiscard]] std::uint32_t size() const {
        return size_;
    }

    /// The ids the set is over: [0, universe()).
    [[nodiscard]] std::size_t universe() const {
        return universe_;
    }

private:
    static constexpr std::size_t words = 7;
    static constexpr std::size_t ids = words * 64;
    struct alignas(64) Block {
        std::uint64_t before;  ///< members in earlier blocks
        std::array<std::uint64_t, words> bits;
    };
    std::vector<Block> blocks_;
    std::size_t universe_ = 0;
    std::uint32_t size_ = 0;
};

}  // namespace yosmodel
