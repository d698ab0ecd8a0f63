// Decoding a chunk of event columns into small typed buffers: person ids to dense ids, dates in
// any whole unit to days, kind codes and flags, so the cohort builder's loops do not depend on
// the caller's dtypes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <variant>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/event_columns.hpp"

namespace yosmodel::reoffending {

namespace detail {

template <class T, std::int64_t Ticks>
void days_of(const T* src, std::size_t n, std::int32_t* out) {
    constexpr std::int64_t lowest = std::numeric_limits<std::int32_t>::min() + 1;
    constexpr std::int64_t highest = std::numeric_limits<std::int32_t>::max();
    for (std::size_t i = 0; i < n; ++i) {
        const auto v = static_cast<std::int64_t>(src[i]);
        std::int64_t day = v / Ticks;
        if constexpr (Ticks != 1) day -= (v % Ticks) < 0;  // floor: 23:00 on 31 Dec 1969 is day -1
        // Days beyond int32 are clamped to the extremes, which are never plausible dates.
        day = day < lowest ? lowest : (day > highest ? highest : day);
        out[i] =
            src[i] == std::numeric_limits<T>::min() ? missing_day : static_cast<std::int32_t>(day);
    }
}

template <class Column>
void require_integer(const Column& column, const char* role) {
    if (column.is_floating())
        throw DtypeError("column '" + column.name + "' must hold integers (" + role +
                         "), not floating-point values");
}

}  // namespace detail

inline void check_date_column(const DateColumn& column) {
    const bool ok = std::holds_alternative<std::span<const std::int32_t>>(column.values.values) ||
                    std::holds_alternative<std::span<const std::int64_t>>(column.values.values);
    if (!ok)
        throw DtypeError("date column '" + column.values.name +
                         "' must be int32 or int64 (days, or datetime64 ticks, since 1970-01-01)");
    switch (column.unit) {
        case DateUnit::days:
        case DateUnit::seconds:
        case DateUnit::milliseconds:
        case DateUnit::microseconds:
        case DateUnit::nanoseconds:
            return;
    }
    throw DtypeError("date column '" + column.values.name + "' has an unknown unit");
}

inline void check_integer_column(const ColumnView& column, const char* role) {
    detail::require_integer(column, role);
}

/// Days of rows [begin, begin + n); missing dates become missing_day.
inline void read_days(const DateColumn& column, std::size_t begin, std::size_t n,
                      std::int32_t* out) {
    std::visit(
        [&](auto values) {
            using T = typename decltype(values)::value_type;
            if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>) {
                const T* src = values.data() + begin;
                switch (column.unit) {
                    case DateUnit::days:
                        detail::days_of<T, 1>(src, n, out);
                        break;
                    case DateUnit::seconds:
                        detail::days_of<T, 86'400>(src, n, out);
                        break;
                    case DateUnit::milliseconds:
                        detail::days_of<T, 86'400'000>(src, n, out);
                        break;
                    case DateUnit::microseconds:
                        detail::days_of<T, 86'400'000'000>(src, n, out);
                        break;
                    case DateUnit::nanoseconds:
                        detail::days_of<T, 86'400'000'000'000>(src, n, out);
                        break;
                }
            }
        },
        column.values.values);
}

/// Dense person ids of rows [begin, begin + n); ids outside the space become unknown_person and
/// the missing id becomes missing_person.
inline void read_persons(const ColumnView& ids, const PersonSpace& space, std::size_t begin,
                         std::size_t n, std::uint32_t* out) {
    std::visit(
        [&](auto values) {
            using T = typename decltype(values)::value_type;
            if constexpr (std::is_integral_v<T>) {
                const T* src = values.data() + begin;
                const std::int64_t first = space.first;
                for (std::size_t i = 0; i < n; ++i) {
                    std::uint64_t dense;
                    if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) {
                        // Values above 2^63 are outside every space (first is an int64).
                        dense = src[i] > static_cast<std::uint64_t>(
                                             std::numeric_limits<std::int64_t>::max())
                                    ? std::numeric_limits<std::uint64_t>::max()
                                    : static_cast<std::uint64_t>(static_cast<std::int64_t>(src[i]) -
                                                                 first);
                    } else {
                        // Wrapping subtraction: ids below `first` become huge and fail the test.
                        dense = static_cast<std::uint64_t>(static_cast<std::int64_t>(src[i])) -
                                static_cast<std::uint64_t>(first);
                    }
                    out[i] =
                        dense < space.persons ? static_cast<std::uint32_t>(dense) : unknown_person;
                }
                if (space.missing_id) {
                    const std::int64_t missing = *space.missing_id;
                    for (std::size_t i = 0; i < n; ++i)
                        if (out[i] == unknown_person &&
                            static_cast<std::int64_t>(src[i]) == missing &&
                            (std::is_signed_v<T> || missing >= 0))
                            out[i] = missing_person;
                }
            }
        },
        ids.values);
}

/// Integer codes of rows [begin, begin + n) as int64 (kinds, flags, row identities).
inline void read_codes(const ColumnView& column, std::size_t begin, std::size_t n,
                       std::int64_t* out) {
    std::visit(
        [&](auto values) {
            using T = typename decltype(values)::value_type;
            if constexpr (std::is_integral_v<T>) {
                const T* src = values.data() + begin;
                for (std::size_t i = 0; i < n; ++i)
                    // NOLINTNEXTLINE(bugprone-signed-char-misuse): codes keep their sign
                    out[i] = static_cast<std::int64_t>(src[i]);
            }
        },
        column.values);
}

}  // namespace yosmodel::reoffending
