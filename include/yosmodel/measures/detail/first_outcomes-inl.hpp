// The first time entrant kernels' definitions (declared in
// measures/first_outcomes.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/measures/first_outcomes.hpp"

namespace yosmodel::measures {

namespace detail {

inline void check_outcome_records(const OutcomeRecords& records) {
    const auto n = records.person.size();
    if (records.date.size() != n || records.substantive.size() != n || records.born.size() != n)
        throw InputError(
            "outcome columns (person_id, date, kind, date_of_birth) "
            "must have equal "
            "lengths");
}

}  // namespace detail

YOSMODEL_INLINE FirstTimeEntrants first_time_entrants(const OutcomeRecords& records,
                                                      const EntrantRules& rules) {
    detail::check_outcome_records(records);
    if (rules.period_end < rules.period_start)
        throw InputError("period_end is before period_start");
    if (rules.youngest < 0 || rules.oldest < rules.youngest)
        throw InputError("ages must be (youngest, oldest) with 0 <= youngest <= oldest");
    FirstTimeEntrants out;
    auto& diag = out.diagnostics;
    const std::int64_t none = std::numeric_limits<std::int64_t>::max();
    std::vector<std::int64_t> first_date(records.persons, none);
    std::vector<std::int64_t> first_row(records.persons, -1);
    std::int64_t earliest_kept = none;
    const auto n = records.person.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t person = records.person[i];
        if (person < 0) {
            ++diag.missing_person;
            continue;
        }
        if (static_cast<std::size_t>(person) >= records.persons)
            throw InputError("person ids must be dense codes below the number of persons");
        const bool substantive = records.substantive[i] != 0;
        const std::int64_t date = records.date[i];
        if (date == missing_day) {
            diag.missing_date += substantive ? 1 : 0;
            continue;
        }
        const std::int64_t born = records.born[i];
        // An outcome before the age of criminal responsibility cannot be real: a
        // recording error, set aside so it neither counts nor hides a real first
        // outcome later (nor, of any kind, moves the default history_start back).
        if (born != missing_day && dates::age_in_years(born, date) < rules.youngest) {
            diag.below_youngest_age += substantive ? 1 : 0;
            continue;
        }
        earliest_kept = std::min(earliest_kept, date);
        if (!substantive) continue;
        // Rows are read in order, so a tie on the date keeps the earlier row.
        if (date < first_date[person]) {
            first_date[person] = date;
            first_row[person] = static_cast<std::int64_t>(i);
        }
    }
    out.history_start =
        rules.history_start.value_or(earliest_kept == none ? rules.period_start : earliest_kept);
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
            dates::age_in_years(born, out.history_start - 1) >= rules.youngest;
        out.without_full_history.push_back(old_enough_before ? 1 : 0);
    }
    return out;
}

YOSMODEL_INLINE PeriodOutcomes outcomes_in_period(std::span<const std::int64_t> date,
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
