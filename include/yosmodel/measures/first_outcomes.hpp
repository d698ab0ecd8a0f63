// First time entrants: children whose first substantive outcome (a youth
// caution, a youth conditional caution, a court sentence; reprimands and final
// warnings in older data) falls in a period while they are of youth justice
// age. One pass finds each child's first outcome; a second keeps the children
// whose first outcome is in the period, and marks those who were old enough for
// an outcome before the records begin (their "first" may not be their first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// A day that is not there (a missing date, a missing date of birth).
inline constexpr std::int64_t missing_day = std::numeric_limits<std::int64_t>::min();

/// Outcome records, one row per outcome. Persons are dense ids in [0, persons);
/// a negative id is a missing one. `substantive` is 1 for the kinds that can
/// make a first time entrant.
struct OutcomeRecords {
    std::span<const std::int64_t> person;
    std::span<const std::int64_t> date;
    std::span<const std::uint8_t> substantive;
    std::span<const std::int64_t> born;
    std::size_t persons = 0;
};

struct EntrantRules {
    std::int64_t period_start = 0;
    std::int64_t period_end = 0;
    /// The first day the records can be trusted to hold every outcome; when not given, the
    /// earliest date of a record that is kept (a record set aside, such as an outcome dated
    /// before the youngest age, is a recording error and says nothing of how far back the
    /// records go), or period_start when no record is kept.
    std::optional<std::int64_t> history_start;
    std::int64_t youngest = 10;  ///< the age of criminal responsibility in England and Wales
    std::int64_t oldest = 17;
};

/// Records and children set aside, counted per rule (never named).
struct EntrantDiagnostics {
    std::uint64_t missing_person = 0;         ///< rows without a person id
    std::uint64_t missing_date = 0;           ///< substantive rows without a date
    std::uint64_t below_youngest_age = 0;     ///< substantive rows dated before the youngest age
    std::uint64_t missing_date_of_birth = 0;  ///< children whose first outcome in the period has
                                              ///< no date of birth (age unknown: not counted)
    std::uint64_t older_than_oldest = 0;      ///< children whose first outcome in the period came
                                              ///< after the oldest age (adults: not counted)
};

/// One entry per first time entrant, in person order.
struct FirstTimeEntrants {
    std::vector<std::int64_t> person;
    std::vector<std::int64_t> row;  ///< the row of the first outcome
    std::vector<std::int64_t> date;
    std::vector<std::int64_t> age;
    /// 1 where the child was already of the youngest age the day before
    /// history_start, so an earlier outcome could lie before the records and the
    /// child was counted on trust.
    std::vector<std::uint8_t> without_full_history;
    std::int64_t history_start = 0;  ///< the rules' history_start, or the one found (see there)
    EntrantDiagnostics diagnostics;
};

/// Each child's first substantive outcome at the youngest age or over; the
/// children whose first outcome is in the period and who were at most the
/// oldest age at it. Throws InputError for columns of unequal lengths, person
/// ids out of range, or rules out of order.
[[nodiscard]] FirstTimeEntrants first_time_entrants(const OutcomeRecords& records,
                                                    const EntrantRules& rules);

/// Outcomes of youth justice age in a period (for the use of custody): the rows
/// whose date is in the period and whose child was of age at it, with each
/// row's class (the caller's codes, 0 = not of interest). Rows of class 0 are
/// skipped before any check.
struct PeriodOutcomes {
    std::vector<std::int64_t> row;
    std::uint64_t missing_date = 0;
    std::uint64_t missing_date_of_birth = 0;
    std::uint64_t outside_ages = 0;
};

[[nodiscard]] PeriodOutcomes outcomes_in_period(std::span<const std::int64_t> date,
                                                std::span<const std::uint8_t> outcome_class,
                                                std::span<const std::int64_t> born,
                                                const EntrantRules& rules);

}  // namespace yosmodel::measures

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/measures/detail/first_outcomes-inl.hpp"
#endif
