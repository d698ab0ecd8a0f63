// The proven reoffending cohort builder: disposal and offence records in, one row per cohort
// member out (index disposal, follow-up and waiting ends, reoffences, days to the first
// reoffence, previous offences).
//
// Linear in the records: the index disposal of each person is a parallel minimum over the
// disposals; cohort members are numbered by a ranked bitmap (which stays in cache), and their
// offences bucketed by member with a counting sort; each member's few offences are then sorted
// (to set aside exact duplicates) and counted. The caller's columns are only read, and the
// result does not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/cohort_rules.hpp"
#include "yosmodel/reoffending/event_columns.hpp"

namespace yosmodel::reoffending {

/// Disposal records: who, when, what kind (a code indexing CohortRules::qualifying).
struct DisposalColumns {
    ColumnView person;
    DateColumn date;
    ColumnView kind;
    /// Optional 64-bit identity of the row's other columns (a hash): rows that differ only there
    /// are not duplicates of each other.
    std::optional<ColumnView> identity;
};

/// Offence records: who, when committed, when proven (conviction or caution), whether the
/// offence counts (optional; 1 counts, 0 does not, e.g. breaches), and an optional identity.
struct OffenceColumns {
    ColumnView person;
    DateColumn offence_date;
    DateColumn proven_date;
    std::optional<ColumnView> counts;
    std::optional<ColumnView> identity;
};

struct CohortOptions {
    unsigned threads = 0;  ///< 0: every core
};

/// One entry per cohort member, in order of dense person id. Dates are days since 1970-01-01.
struct Cohort {
    std::vector<std::uint32_t> person;  ///< dense id (the row's person id minus PersonSpace::first)
    std::vector<std::int64_t> index_row;  ///< row of the index disposal in the disposal columns
    std::vector<std::int32_t> index_date;
    std::vector<std::int32_t> index_kind;
    std::vector<std::int32_t> follow_up_end;
    std::vector<std::int32_t> waiting_end;
    std::vector<std::uint32_t> reoffences;
    std::vector<std::int32_t> days_to_first_reoffence;  ///< -1 when there is no reoffence
    std::vector<std::uint32_t> previous_offences;
    DisposalDiagnostics disposal_diagnostics;
    OffenceDiagnostics offence_diagnostics;

    [[nodiscard]] std::size_t size() const { return person.size(); }
};

/// Builds the proven reoffending cohort of `rules.period_start`..`period_end` from disposal and
/// offence records whose person ids lie in `space`. Records that break a rule are set aside and
/// counted in the result's diagnostics, never thrown about; InputError and DtypeError are for
/// inputs that cannot be read at all (lengths, dtypes, rules).
Cohort build_cohort(const DisposalColumns& disposals, const OffenceColumns& offences,
                    const PersonSpace& space, const CohortRules& rules,
                    const CohortOptions& options = {});

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/cohort-inl.hpp"
#endif
