// Code maps: what lets a key's codes be read in place when they are not `value - base` (a
// chunk's own dictionary indices, integers of a moderate span, a reordered key). A segment with
// a map reads row r's code as `map[value - base]`; the maps live in the key's storage, with
// whatever else the segments read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <variant>
#include <vector>

#include "yosmodel/core/grouper.hpp"

namespace yosmodel::detail {

/// A map entry for a value that stands for no category (one absent from an integer key's data,
/// or a dictionary entry of no chunk): at or above any cardinality, so kernels count it out of
/// range.
inline constexpr std::uint32_t unmapped_code = ~std::uint32_t{0};

/// A key's storage when its segments have maps: the maps, and what the key kept alive before.
struct MappedStorage {
    std::vector<std::shared_ptr<const void>> keep;
    std::vector<std::vector<std::uint32_t>> maps;
};

/// Calls `f(n, code_of)` for segment `s` of a key with base `base`, where `code_of(i)` is the
/// code of the segment's row i (at or above 2^32 for a value outside the map). Mapped and
/// unmapped segments are separate instantiations of `f`, so a row loop over `code_of` never
/// asks whether there is a map.
template <class F>
void with_segment_codes(const CodeSegment& s, std::uint64_t base, F&& f) {
    std::visit(
        [&](auto values) {
            using T = typename decltype(values)::value_type;
            if constexpr (!std::is_floating_point_v<T>) {  // codes are never floating point
                const T* const v = values.data();
                if (s.map.empty()) {
                    f(values.size(), [v, base](std::size_t i) {
                        // Sign extension is wanted: a negative code reads as a huge one.
                        // NOLINTNEXTLINE(bugprone-signed-char-misuse)
                        return static_cast<std::uint64_t>(v[i]) - base;
                    });
                } else {
                    const std::uint32_t* const map = s.map.data();
                    const std::uint64_t size = s.map.size();
                    f(values.size(), [v, base, map, size](std::size_t i) {
                        // NOLINTNEXTLINE(bugprone-signed-char-misuse)
                        const std::uint64_t at = static_cast<std::uint64_t>(v[i]) - base;
                        return at < size ? std::uint64_t{map[at]} : ~std::uint64_t{0};
                    });
                }
            }
        },
        s.codes.values);
}

/// Writes every row's code of `key` to `out` (key.rows codes), honouring maps, and returns how
/// many were out of range (written as 0: the caller must not hand them on as codes).
template <class C>
std::size_t write_codes(const GroupedKey& key, C* out) {
    std::size_t outside = 0;
    for (const CodeSegment& s : key.segments)
        with_segment_codes(s, key.base, [&](std::size_t n, auto code_of) {
            C* const o = out + s.first_row;
            const std::uint64_t cardinality = key.cardinality;
            std::size_t bad = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint64_t code = code_of(i);
                const bool inside = code < cardinality;
                bad += !inside;
                o[i] = inside ? static_cast<C>(code) : C{0};
            }
            outside += bad;
        });
    return outside;
}

}  // namespace yosmodel::detail
