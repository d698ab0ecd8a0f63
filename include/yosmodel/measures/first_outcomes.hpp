// First time entrants: children whose first substantive outcome (a youth caution, a youth
// conditional caution, a court sentence; reprimands and final warnings in older data) falls in a
// period while they are of youth justice age. One pass finds each child's first outcome; a second
// keeps the children whose first outcome is in the period, and marks those who were old enough
// for an outcome before the records begin (their "first" may not be their first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// A day that is not there (a missing date, a missing date of birth).
inline constexpr std::int64_t missing_day = std::numeric_limits<std::int64_t>::min();

/// Outcome records, one row per outcome. Persons are dense ids in [0, persons); a negative id is a
/// missing one. `substantive` is 1 for the kinds that can make a first time entrant.
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
    /// The first day the records can be trusted to hold every outcome.
    std::int64_t history_start = 0;
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
    /// 1 where the child was already of the youngest age the day before history_start, so an
    /// earlier outcome could lie before the records and the child was counted on trust.
    std::vector<std::uint8_t> without_full_history;
    EntrantDiagnostics diagnostics;
};

inline void check_outcome_records(const OutcomeRecords& records) {
    const auto n = records.person.size();
    if (records.date.size() != n || records.substantive.size() != n || records.born.size() != n)
        throw InputError(
            "outcome columns (person_id, date, kind, date_of_birth) must have equal "
            "lengths");
}

[[nodiscard]] inline FirstTimeEntrants first_time_entrants(const OutcomeRecords& records,
                                                           const EntrantRules& rules) {
    check_outcome_records(records);
    if (rules.period_end < rules.period_start)
        throw InputError("period_end is before period_start");
    if (rules.youngest < 0 || rules.oldest < rules.youngest)
        throw InputError("ages must be (youngest, oldest) with 0 <= youngest <= oldest");
    FirstTimeEntrants out;
    auto& diag = out.diagnostics;
    const std::int64_t none = std::numeric_limits<std::int64_t>::max();
    std::vector<std::int64_t> first_date(records.persons, none);
    std::vector<std::int64_t> first_row(records.persons, -1);
    const auto n = records.person.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t person = records.person[i];
        if (person < 0) {
            ++diag.missing_person;
            continue;
        }
        if (static_cast<std::size_t>(person) >= records.persons)
            throw InputError("person ids must be dense codes below the number of persons");
        if (!records.substantive[i]) continue;
        const std::int64_t date = records.date[i];
        if (date == missing_day) {
            ++diag.missing_date;
            continue;
        }
        const std::int64_t born = records.born[i];
        // An outcome before the age of criminal responsibility cannot be real: a recording
        // error, set aside so it neither counts nor hides a real first outcome later.
        if (born != missing_day && dates::age_in_years(born, date) < rules.youngest) {
            ++diag.below_youngest_age;
            continue;
        }
        // Rows are read in order, so a tie on the date keeps the earlier row.
        if (date < first_date[person]) {
            first_date[person] = date;
            first_row[person] = static_cast<std::int64_t>(i);
        }
    }
    for (std::size_t p = 0; p < records.persons; ++p) {
        const std::int64_t date = first_date[p];
        if (first_row[p] < 0 || date < rules.period_start || date > rules.period_end) continue;
        const auto row = static_cast<std::size_t>(first_row[p]);
        const std::int64_t born = records.born[row];
        if (born == missing_day) {
            ++diag.missing_date_of_birth;
            continue;
        }
        const std::int64_t age = dates::age_in_years(born, date);
        if (age > rules.oldest) {
            ++diag.older_than_oldest;
            continue;
        }
        out.person.push_back(static_cast<std::int64_t>(p));
        out.row.push_back(first_row[p]);
        out.date.push_back(date);
        out.age.push_back(age);
        const bool old_enough_before =
            dates::age_in_years(born, rules.history_start - 1) >= rules.youngest;
        out.without_full_history.push_back(old_enough_before ? 1 : 0);
    }
    return out;
}

/// Outcomes of youth justice age in a period (for the use of custody): the rows whose date is in
/// the period and whose child was of age at it, with each row's class (the caller's codes, 0 =
/// not of interest). Rows of class 0 are skipped before any check.
struct PeriodOutcomes {
    std::vector<std::int64_t> row;
    std::uint64_t missing_date = 0;
    std::uint64_t missing_date_of_birth = 0;
    std::uint64_t outside_ages = 0;
};

[[nodiscard]] inline PeriodOutcomes outcomes_in_period(std::span<const std::int64_t> date,
                                                       std::span<const std::uint8_t> outcome_class,
                                                       std::span<const std::int64_t> born,
                                                       const EntrantRules& rules) {
    if (date.size() != outcome_class.size() || date.size() != born.size())
        throw InputError("outcome columns (date, kind, date_of_birth) must have equal lengths");
    PeriodOutcomes out;
    for (std::size_t i = 0; i < date.size(); ++i) {
        if (!outcome_class[i]) continue;
        if (date[i] == missing_day) {
            ++out.missing_date;
            continue;
        }
        if (date[i] < rules.period_start || date[i] > rules.period_end) continue;
        if (born[i] == missing_day) {
            ++out.missing_date_of_birth;
            continue;
        }
        const std::int64_t age = dates::age_in_years(born[i], date[i]);
        if (age < rules.youngest || age > rules.oldest) {
            ++out.outside_ages;
            continue;
        }
        out.row.push_back(static_cast<std::int64_t>(i));
    }
    return out;
}

}  // namespace yosmodel::measures
