// Composite group ids of a chunk of rows: each key's codes folded in as one mixed-radix digit
// (core/key_space.hpp), with codes outside a key's range counted rather than branched on.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <variant>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel {

namespace detail {

// ids[i] = ids[i] * cardinality + codes[begin + i] (or just the code for the first key); returns
// how many codes were outside [0, cardinality). An out-of-range code is replaced by 0 so the
// caller never indexes out of its table.
template <bool First, class Id, class T>
std::size_t fold_key_digit(std::span<const T> codes, std::uint64_t cardinality, std::size_t begin,
                           std::size_t count, Id* ids) {
    std::uint32_t out_of_range = 0;  // at most a chunk's rows
    const T* src = codes.data() + begin;
    const auto radix = static_cast<Id>(cardinality);  // ids fit in Id, so this multiply is exact
    for (std::size_t i = 0; i < count; ++i) {
        // A negative signed code becomes a huge unsigned one, so one comparison checks both ends
        // (sign extension is wanted, even from int8).
        // NOLINTNEXTLINE(bugprone-signed-char-misuse)
        const auto code = static_cast<std::uint64_t>(src[i]);
        const bool bad = code >= cardinality;
        out_of_range += bad;
        const Id digit = bad ? Id{0} : static_cast<Id>(code);
        if constexpr (First)
            ids[i] = digit;
        else
            ids[i] = static_cast<Id>(ids[i] * radix + digit);
    }
    return out_of_range;
}

}  // namespace detail

/// Computes the composite ids of rows [begin, begin + count) into `ids`, adding to
/// `out_of_range[k]` the number of rows whose code of key k was not in [0, cardinality).
/// `Id` must hold every id of the key space (uint32_t for direct tables, uint64_t otherwise).
template <class Id>
void compute_group_ids(std::span<const KeyColumn> keys, std::size_t begin, std::size_t count,
                       Id* ids, std::span<std::size_t> out_of_range) {
    if (keys.empty()) std::fill(ids, ids + count, Id{0});
    for (std::size_t k = 0; k < keys.size(); ++k) {
        out_of_range[k] += std::visit(
            [&](auto codes) -> std::size_t {
                using T = typename decltype(codes)::value_type;
                if constexpr (std::is_floating_point_v<T>) {
                    return 0;  // rejected before any work starts; see check_key_columns
                } else if (k == 0) {
                    return detail::fold_key_digit<true>(codes, keys[k].cardinality, begin, count,
                                                        ids);
                } else {
                    return detail::fold_key_digit<false>(codes, keys[k].cardinality, begin, count,
                                                         ids);
                }
            },
            keys[k].codes.values);
    }
}

/// Checks what can be checked before touching the data: integer codes, matching lengths.
inline void check_key_columns(std::span<const KeyColumn> keys, std::size_t rows) {
    for (const auto& key : keys) {
        if (key.codes.is_floating())
            throw DtypeError("key column '" + key.codes.name +
                             "' must hold integer codes, not floating-point values");
        if (key.codes.size() != rows)
            throw InputError("key column '" + key.codes.name + "' has " +
                             std::to_string(key.codes.size()) + " rows but the cohort has " +
                             std::to_string(rows) + "; every column must have the same length");
    }
}

}  // namespace yosmodel
