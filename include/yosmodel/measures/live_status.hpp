// Where each child of a cohort stands while its follow-up is still running: the
// statuses a live tracker shows, decided from the child's dates and the
// reoffences proven so far.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// The one list of statuses (Python derives its names from this enum).
enum class ChildStatus : std::uint8_t {
    reoffended,      ///< a proven reoffence is already on record: final whatever comes
                     ///< later
    in_follow_up,    ///< the follow-up has not ended: a reoffence can still be
                     ///< committed
    awaiting_proof,  ///< follow-up over, waiting period not: an offence may yet be
                     ///< proven
    not_reoffended,  ///< follow-up and waiting period over with no proven
                     ///< reoffence: final
};

struct LiveStatuses {
    std::vector<ChildStatus> status;
    std::vector<std::int64_t> days_left;  ///< days of follow-up left (0 once it has ended)
};

/// `reoffences` are those proven by `as_of` (inclusive). A follow-up ending on
/// `as_of` has not ended: an offence committed that day still counts and may
/// not be recorded yet.
[[nodiscard]] LiveStatuses live_statuses(std::span<const std::int64_t> follow_up_end,
                                         std::span<const std::int64_t> waiting_end,
                                         std::span<const std::uint64_t> reoffences,
                                         std::int64_t as_of);

}  // namespace yosmodel::measures

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/measures/detail/live_status-inl.hpp"
#endif
