// The columns of disposal and offence records as the cohort builder reads them: person ids,
// dates in any whole unit, kind codes, flags and row identities. The builder decodes them a
// chunk at a time (reoffending/detail/event_decoding.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "yosmodel/core/column.hpp"

namespace yosmodel::reoffending {

/// How many of a date column's integers make one day (numpy's datetime64 units).
enum class DateUnit : std::int64_t {
    days = 1,
    seconds = 86'400,
    milliseconds = 86'400'000,
    microseconds = 86'400'000'000,
    nanoseconds = 86'400'000'000'000,
};

/// A date column: int32 or int64 counts of `unit` since 1970-01-01. The smallest value of the
/// type marks a missing date (numpy's NaT for int64).
struct DateColumn {
    ColumnView values;
    DateUnit unit = DateUnit::days;
};

/// Dense person ids: the person of a row is `id - first`, which must be in [0, persons).
/// Ids outside that range are people the builder knows nothing of; an id equal to `missing_id`
/// (when there is one) marks a record with no person.
struct PersonSpace {
    std::int64_t first = 0;
    std::uint64_t persons = 0;
    std::optional<std::int64_t> missing_id = std::nullopt;
};

inline constexpr std::int32_t missing_day = std::numeric_limits<std::int32_t>::min();
inline constexpr std::uint32_t unknown_person = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t missing_person = unknown_person - 1;

}  // namespace yosmodel::reoffending
