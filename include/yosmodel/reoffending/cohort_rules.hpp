// The definition a proven reoffending cohort is built by (Ministry of Justice, with the library's
// documented choices as parameters), and the per-rule counts of records the builder set aside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "yosmodel/core/dates.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::reoffending {

struct CohortRules {
    std::int64_t period_start = 0;  ///< first day of the cohort period (days since 1970-01-01)
    std::int64_t period_end = 0;    ///< last day, inclusive
    int follow_up_months = 12;      ///< follow_up_end = index date + this many calendar months
    int waiting_months = 6;         ///< waiting_end = follow_up_end + this many calendar months
    /// Indexed by disposal kind code: true where the kind starts a cohort membership. Codes
    /// outside [0, size) are unknown kinds.
    std::vector<bool> qualifying;
    /// Dates outside [earliest_plausible, latest_plausible] are set aside as implausible.
    std::int64_t earliest_plausible = dates::days_from_civil(1900, 1, 1);
    std::int64_t latest_plausible = dates::days_from_civil(2099, 12, 31);

    /// Throws InputError when the rules cannot be applied.
    void check() const {
        constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();
        if (earliest_plausible > latest_plausible)
            throw InputError("the plausible date range is empty (earliest after latest)");
        // Dates are packed as 31-bit offsets from the earliest plausible day.
        if (earliest_plausible <= -int32_max || latest_plausible >= int32_max ||
            latest_plausible - earliest_plausible >= int32_max)
            throw InputError(
                "the plausible date range must lie within int32 days of 1970 and "
                "span fewer than 2^31 - 1 days");
        if (period_start > period_end) throw InputError("the cohort period starts after it ends");
        if (period_start < earliest_plausible || period_end > latest_plausible)
            throw InputError("the cohort period lies outside the plausible date range");
        if (follow_up_months < 0 || follow_up_months > 1200)
            throw InputError("follow_up_months must be between 0 and 1200");
        if (waiting_months < 0 || waiting_months > 1200)
            throw InputError("waiting_months must be between 0 and 1200");
        if (qualifying.size() >= std::numeric_limits<std::uint32_t>::max())
            throw InputError("too many disposal kinds");
    }
};

/// Disposal rows set aside, by the first rule each broke, and duplicates.
struct DisposalDiagnostics {
    std::size_t rows = 0;
    std::size_t missing_person = 0;  ///< no person id
    std::size_t unknown_person = 0;  ///< person id outside the declared person space
    std::size_t missing_date = 0;
    std::size_t implausible_date = 0;
    std::size_t unknown_kind = 0;
    /// Exact repeats of an earlier valid row of a cohort member (same person, date, kind and row
    /// identity); they change nothing.
    std::size_t duplicate_rows = 0;
    std::size_t qualifying_in_period = 0;  ///< valid qualifying rows in the period (information)

    DisposalDiagnostics& operator+=(const DisposalDiagnostics& o) {
        rows += o.rows;
        missing_person += o.missing_person;
        unknown_person += o.unknown_person;
        missing_date += o.missing_date;
        implausible_date += o.implausible_date;
        unknown_kind += o.unknown_kind;
        duplicate_rows += o.duplicate_rows;
        qualifying_in_period += o.qualifying_in_period;
        return *this;
    }
    friend bool operator==(const DisposalDiagnostics&, const DisposalDiagnostics&) = default;
};

/// Offence rows set aside, by the first rule each broke, and duplicates.
struct OffenceDiagnostics {
    std::size_t rows = 0;
    std::size_t missing_person = 0;  ///< no person id
    std::size_t missing_offence_date = 0;
    std::size_t missing_proven_date = 0;
    std::size_t implausible_offence_date = 0;
    std::size_t implausible_proven_date = 0;
    std::size_t proven_before_committed = 0;
    std::size_t invalid_counts_flag = 0;  ///< a counts flag other than 0 or 1
    /// Exact repeats of an earlier valid row of a cohort member; they are counted once.
    std::size_t duplicate_rows = 0;
    std::size_t outside_cohort = 0;  ///< valid rows of people not in the cohort (information)
    std::size_t not_counting = 0;    ///< valid rows of cohort members flagged as not counting

    OffenceDiagnostics& operator+=(const OffenceDiagnostics& o) {
        rows += o.rows;
        missing_person += o.missing_person;
        missing_offence_date += o.missing_offence_date;
        missing_proven_date += o.missing_proven_date;
        implausible_offence_date += o.implausible_offence_date;
        implausible_proven_date += o.implausible_proven_date;
        proven_before_committed += o.proven_before_committed;
        invalid_counts_flag += o.invalid_counts_flag;
        duplicate_rows += o.duplicate_rows;
        outside_cohort += o.outside_cohort;
        not_counting += o.not_counting;
        return *this;
    }
    friend bool operator==(const OffenceDiagnostics&, const OffenceDiagnostics&) = default;
};

}  // namespace yosmodel::reoffending
