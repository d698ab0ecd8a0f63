// The grouper's hash table: distinct keys (64-bit integers, or strings read in place from Arrow
// buffers) numbered in the order they were first inserted. Open addressing with linear probing;
// each slot holds 32 bits of the key's hash and its number, so most probes that miss never touch
// the key itself.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#include "yosmodel/core/detail/large_buffer.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::detail {

__extension__ using uint128 = unsigned __int128;  // a GCC and Clang extension

/// Spreads the bits of an integer key over the whole word (an xor-shift-multiply finaliser).
inline std::uint64_t hash_integer(std::uint64_t x) {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    return x ^ (x >> 32);
}

/// A hash of a string's bytes: eight bytes at a time, each word folded in by a multiply whose
/// high and low halves are combined, then the length and a final spread.
inline std::uint64_t hash_string(std::string_view s) {
    constexpr std::uint64_t k = 0x9fb21c651e98df25ULL;
    const auto fold = [](std::uint64_t h, std::uint64_t word) {
        const uint128 product = static_cast<uint128>(h ^ word) * k;
        return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
    };
    std::uint64_t h = 0x2545f4914f6cdd1dULL ^ s.size();
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        h = fold(h, word);
    }
    // The last up to seven bytes with fixed-size loads (a variable-length copy would be a call):
    // two overlapping 4-byte loads cover 4 to 7 bytes, three single bytes cover 1 to 3.
    if (n >= 4) {
        std::uint32_t first = 0;
        std::uint32_t last = 0;
        std::memcpy(&first, p, 4);
        std::memcpy(&last, p + n - 4, 4);
        h = fold(h, first | (std::uint64_t{last} << 32));
    } else if (n > 0) {
        const auto byte = [&](std::size_t i) {
            return std::uint64_t{static_cast<unsigned char>(p[i])};
        };
        h = fold(h, byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16) | (std::uint64_t{n} << 59));
    }
    return hash_integer(h);
}

template <class Key>
class DistinctTable {
public:
    static constexpr std::uint32_t missing = std::numeric_limits<std::uint32_t>::max();

    DistinctTable() { resize(64); }

    /// The number of `key`, inserting it if it is new. The lookup is inlined into the callers'
    /// row loops; adding a key (rare: once per distinct key) is a call.
    [[gnu::always_inline]] std::uint32_t insert(const Key& key, std::uint64_t hash) {
        const auto tag = static_cast<std::uint32_t>(hash >> 32);
        for (std::size_t at = hash & mask_;; at = (at + 1) & mask_) {
            const Slot s = slots_[at];
            if (s.id == missing) return add(key, hash, at);
            if (s.tag == tag && keys_[s.id] == key) return s.id;
        }
    }

    /// The number of `key`, or `missing`.
    [[nodiscard]] std::uint32_t find(const Key& key, std::uint64_t hash) const {
        const auto tag = static_cast<std::uint32_t>(hash >> 32);
        for (std::size_t at = hash & mask_;; at = (at + 1) & mask_) {
            const Slot& s = slots_[at];
            if (s.id == missing) return missing;
            if (s.tag == tag && keys_[s.id] == key) return s.id;
        }
    }

    /// Hints that a lookup of `hash` will soon read its first slot.
    void prefetch_slot(std::uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

    /// Hints that a lookup of `hash` will soon compare the key of its first slot; the slot
    /// itself should already be on its way (prefetch_slot, some rows before).
    void prefetch_key(std::uint64_t hash) const {
        const Slot s = slots_[hash & mask_];
        if (s.id != missing) __builtin_prefetch(&keys_[s.id]);
    }

    /// The bytes a lookup may touch: past the cache's size, every lookup waits on memory.
    [[nodiscard]] std::size_t bytes() const {
        return slots_.size() * sizeof(Slot) + keys_.size() * sizeof(Key);
    }

    [[nodiscard]] std::size_t size() const { return keys_.size(); }
    [[nodiscard]] const auto& keys() const { return keys_; }
    [[nodiscard]] const auto& hashes() const { return hashes_; }

    void reserve(std::size_t keys) {
        std::size_t capacity = slots_.size();
        while (keys * sparseness(capacity) > capacity)
            capacity *= 2;
        if (capacity != slots_.size()) resize(capacity);
        keys_.reserve(keys);
        hashes_.reserve(keys);
    }

private:
    struct Slot {
        std::uint32_t tag = 0;
        std::uint32_t id = missing;
    };

    [[gnu::noinline]] std::uint32_t add(const Key& key, std::uint64_t hash, std::size_t at) {
        if (keys_.size() >= missing - 1)
            throw LimitError("a key column has more than 2^32 - 2 distinct values");
        slots_[at] =
            Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(keys_.size())};
        keys_.push_back(key);
        hashes_.push_back(hash);
        if (keys_.size() * sparseness(slots_.size()) > slots_.size()) resize(slots_.size() * 2);
        return static_cast<std::uint32_t>(keys_.size() - 1);
    }

    // Slots per key: a small table is kept an eighth full, so that nearly every lookup ends at
    // its first slot (a second probe is a mispredicted branch, which cost more than the rest of
    // the lookup); past 32,768 slots (256 KiB), half full, so that the table stays in cache.
    static std::size_t sparseness(std::size_t slots) { return slots < (1U << 15) ? 8 : 2; }

    void resize(std::size_t capacity) {
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        for (std::uint32_t id = 0; id < keys_.size(); ++id) {
            std::size_t at = hashes_[id] & mask_;
            while (slots_[at].id != missing)
                at = (at + 1) & mask_;
            slots_[at] = Slot{static_cast<std::uint32_t>(hashes_[id] >> 32), id};
        }
    }

    // On huge pages once large: a lookup in a table of millions of keys touches a new 4 KiB
    // page nearly every time, and each TLB miss is one more wait on memory.
    template <class T>
    using Storage = std::vector<T, LargeBufferAllocator<T>>;
    Storage<Slot> slots_;
    Storage<Key> keys_;
    Storage<std::uint64_t> hashes_;
    std::size_t mask_ = 0;
};

}  // namespace yosmodel::detail
