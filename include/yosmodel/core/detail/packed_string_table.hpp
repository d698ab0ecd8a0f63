// A find-only table of short strings (at most 16 bytes, as person ids are) whose slots hold the
// strings themselves: its two packed words, its length and its number, 24 bytes. A DistinctTable
// slot names a key stored elsewhere, so a lookup in a table past the cache waits on two loads
// from memory (the slot, then the key); here it waits on one, and the slots of a probe sequence
// lie side by side. Built once from a key's categories, then read by every worker.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "yosmodel/core/detail/large_buffer.hpp"
#include "yosmodel/core/detail/string_key.hpp"

namespace yosmodel::detail {

class PackedStringTable {
public:
    static constexpr std::uint32_t missing = std::numeric_limits<std::uint32_t>::max();

    /// Room for `keys` strings at most 3/8 full: a probe past a row's own slot is a second wait
    /// on memory more often than not, and at 5/8 (a power of two at most that full) a cohort's
    /// offences among its members took 1.2x as long (BM_LookUpOffencesAmongMembers: 283-347
    /// against 226-254 ms of CPU; half full, 269-275). 64 bytes a key: 135 MiB for the
    /// benchmarks' 2.1*10^6 members.
    explicit PackedStringTable(std::size_t keys) {
        const std::size_t capacity = std::max<std::size_t>(64, keys * 8 / 3 + 1);
        slots_.assign(capacity, Slot{});
        capacity_ = capacity;
    }

    /// Adds a string of at most 16 bytes under `id`; strings are added once each.
    void insert(const StringKey& key, std::uint64_t hash, std::uint32_t id) {
        std::size_t at = home(hash);
        while (slots_[at].id != missing)
            at = next(at);
        slots_[at] = Slot{key.head, key.tail, static_cast<std::uint32_t>(key.size), id};
    }

    /// The number of `key`, or `missing` (always for a string over 16 bytes: none is held).
    [[nodiscard, gnu::always_inline]] std::uint32_t find(const StringKey& key,
                                                         std::uint64_t hash) const {
        if (key.size > StringKey::packed_size) return missing;
        const auto size = static_cast<std::uint32_t>(key.size);
        for (std::size_t at = home(hash);; at = next(at)) {
            const Slot& s = slots_[at];
            if (s.head == key.head && s.tail == key.tail && s.size == size) return s.id;
            if (s.id == missing) return missing;
        }
    }

    // Both ends of the slot: one in four straddles two cache lines.
    void prefetch_slot(std::uint64_t hash) const {
        const auto* at = reinterpret_cast<const char*>(&slots_[home(hash)]);
        __builtin_prefetch(at);
    }
    void prefetch_key(std::uint64_t /*hash*/) const {}  // the key is in the slot

    [[nodiscard]] std::size_t bytes() const { return slots_.size() * sizeof(Slot); }

private:
    // The hash's low 32 bits scaled to the capacity (no power of two needed, so the table is
    // no bigger than its load asks); the filter in front of it reads the top bits.
    [[nodiscard, gnu::always_inline]] std::size_t home(std::uint64_t hash) const {
        return static_cast<std::size_t>(((hash & 0xffffffffU) * capacity_) >> 32);
    }
    [[nodiscard, gnu::always_inline]] std::size_t next(std::size_t at) const {
        return at + 1 == capacity_ ? 0 : at + 1;
    }

    // An empty slot has the number `missing` and length 0xFFFFFFFF, which no string matches.
    struct Slot {
        std::uint64_t head = 0;
        std::uint64_t tail = 0;
        std::uint32_t size = std::numeric_limits<std::uint32_t>::max();
        std::uint32_t id = missing;
    };
    static_assert(sizeof(Slot) == 24);

    std::vector<Slot, LargeBufferAllocator<Slot>> slots_;
    std::size_t capacity_ = 0;
};

}  // namespace yosmodel::detail
