// Reads a chunk of a per-person count column (reoffences, previous offences) of any supported
// dtype into 64-bit unsigned integers, counting values that are not valid counts.
#pragma once

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
    std::size_t missing = 0;      ///< NaN
    std::size_t negative = 0;
    std::size_t not_integer = 0;  ///< finite but with a fractional part (or beyond 2^53)

    CountViolations& operator+=(const CountViolations& o) {
        missing += o.missing;
        negative += o.negative;
        not_integer += o.not_integer;
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
    }
};

/// Copies values [begin, begin + count) of `column` into `out`; invalid values become 0 and are
/// counted in `violations`.
inline void read_counts(const ColumnView& column, std::size_t begin, std::size_t count,
                        std::uint64_t* out, CountViolations& violations) {
    std::visit(
        [&](auto values) {
            using T = typename decltype(values)::value_type;
            const T* src = values.data() + begin;
            if constexpr (std::is_floating_point_v<T>) {
                constexpr double exact_limit = 9007199254740992.0;  // 2^53
                for (std::size_t i = 0; i < count; ++i) {
                    const double v = static_cast<double>(src[i]);
                    const bool missing = std::isnan(v);
                    const bool negative = v < 0;
                    const bool fractional =
                        !missing && !negative && (v > exact_limit || v != std::floor(v));
                    violations.missing += missing;
                    violations.negative += negative;
                    violations.not_integer += fractional;
                    out[i] = (missing || negative || fractional) ? 0 : static_cast<std::uint64_t>(v);
                }
            } else if constexpr (std::is_signed_v<T>) {
                std::size_t negative = 0;
                for (std::size_t i = 0; i < count; ++i) {
                    negative += src[i] < 0;
                    out[i] = src[i] < 0 ? 0 : static_cast<std::uint64_t>(src[i]);
                }
                violations.negative += negative;
            } else {
                for (std::size_t i = 0; i < count; ++i) out[i] = src[i];
            }
        },
        column.values);
}

}  // namespace yosmodel::reoffending
