// Reads a chunk of a per-person count column (reoffences, previous offences) of any supported
// dtype into 64-bit unsigned integers, counting values that are not valid counts.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::reoffending {

/// How many values of a count column broke each rule.
struct CountViolations {
    std::size_t missing = 0;  ///< NaN
    std::size_t negative = 0;
    std::size_t not_integer = 0;  ///< with a fractional part, or infinite
    std::size_t too_large = 0;    ///< above 2^32 - 1: no person has that many offences

    CountViolations& operator+=(const CountViolations& o) {
        missing += o.missing;
        negative += o.negative;
        not_integer += o.not_integer;
        too_large += o.too_large;
        return *this;
    }

    /// Throws InputError naming the column and the first rule broken, with the row count.
    void raise_if_any(const std::string& column) const {
        const auto fail = [&](std::size_t rows, const char* rule) {
            throw InputError("column '" + column + "': " + std::to_string(rows) +
                             (rows == 1 ? " row " : " rows ") + rule);
        };
        if (missing) fail(missing, "missing (NaN); counts must be present");
        if (negative) fail(negative, "negative; counts must be zero or more");
        if (not_integer) fail(not_integer, "not whole numbers; counts must be integers");
        if (too_large) fail(too_large, "above 4294967295; a count per person cannot be that large");
    }
};

inline constexpr std::uint64_t max_count = 0xffffffffULL;

/// Copies values [begin, begin + count) of `column` into `out` as 32-bit counts and returns
/// their maximum; invalid values are counted in `violations` and become 0, except values too
/// large, which become max_count so that the max_reoffences rule still sees them.
inline std::uint32_t read_counts(const ColumnView& column, std::size_t begin, std::size_t count,
                                 std::uint32_t* out, CountViolations& violations) {
    return std::visit(
        [&](auto values) -> std::uint32_t {
            using T = typename decltype(values)::value_type;
            const T* src = values.data() + begin;
            std::uint32_t largest = 0;
            if constexpr (std::is_floating_point_v<T>) {
                for (std::size_t i = 0; i < count; ++i) {
                    const auto v = static_cast<double>(src[i]);
                    const bool missing = std::isnan(v);
                    // An infinity is no number of offences: not whole, as a fraction is (read as
                    // too large, +inf was set aside by max_reoffences as a real count would be).
                    const bool infinite = std::isinf(v);
                    const bool negative = v < 0 && !infinite;
                    const bool large = v > static_cast<double>(max_count) && !infinite;
                    const bool fractional =
                        infinite || (!missing && !negative && !large && v != std::floor(v));
                    violations.missing += missing;
                    violations.negative += negative;
                    violations.too_large += large;
                    violations.not_integer += fractional;
                    out[i] = large ? static_cast<std::uint32_t>(max_count)
                             : (missing || negative || fractional) ? 0
                                                                   : static_cast<std::uint32_t>(v);
                    largest = std::max(largest, out[i]);
                }
            } else {
                // The values' own smallest and largest, in their own type, is a vectorised pass
                // (no per-row test); only a chunk holding a value outside [0, 2^32 - 1] is read
                // again to count and replace those values.
                T lo = count == 0 ? T{0} : src[0];
                T hi = lo;
                for (std::size_t i = 0; i < count; ++i) {
                    lo = std::min(lo, src[i]);
                    hi = std::max(hi, src[i]);
                    // A negative value is replaced below, once the chunk is known to hold one.
                    // NOLINTNEXTLINE(bugprone-signed-char-misuse)
                    out[i] = static_cast<std::uint32_t>(src[i]);
                }
                const bool any_negative = std::is_signed_v<T> && lo < T{0};
                if (!any_negative && static_cast<std::uint64_t>(hi) <= max_count)
                    return static_cast<std::uint32_t>(hi);
                for (std::size_t i = 0; i < count; ++i) {
                    if constexpr (std::is_signed_v<T>) {
                        if (src[i] < 0) {
                            ++violations.negative;
                            out[i] = 0;
                            continue;
                        }
                    }
                    if (static_cast<std::uint64_t>(src[i]) > max_count) {
                        ++violations.too_large;
                        out[i] = static_cast<std::uint32_t>(max_count);
                    }
                    largest = std::max(largest, out[i]);
                }
            }
            return largest;
        },
        column.values);
}

}  // namespace yosmodel::reoffending
