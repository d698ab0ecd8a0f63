// Reproducible pseudo-random keys for (seed, stream, index): tie-breaking and the greedy order of
// matching without replacement, the same on every platform and thread count.
#pragma once

#include <cstdint>

namespace yosmodel::evaluation::detail {

inline std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// A reproducible pseudo-random number for (seed, stream, index).
inline std::uint64_t random_key(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    return splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ index);
}

}  // namespace yosmodel::evaluation::detail
