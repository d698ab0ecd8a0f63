// Where each child of a cohort stands while its follow-up is still running: the statuses a live
// tracker shows, decided from the child's dates and the reoffences proven so far.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// The one list of statuses (Python derives its names from this enum).
enum class ChildStatus : std::uint8_t {
    reoffended,      ///< a proven reoffence is already on record: final whatever comes later
    in_follow_up,    ///< the follow-up has not ended: a reoffence can still be committed
    awaiting_proof,  ///< follow-up over, waiting period not: an offence may yet be proven
    not_reoffended,  ///< follow-up and waiting period over with no proven reoffence: final
};

struct LiveStatuses {
    std::vector<ChildStatus> status;
    std::vector<std::int64_t> days_left;  ///< days of follow-up left (0 once it has ended)
};

/// `reoffences` are those proven by `as_of` (inclusive). A follow-up ending on `as_of` has not
/// ended: an offence committed that day still counts and may not be recorded yet.
[[nodiscard]] inline LiveStatuses live_statuses(std::span<const std::int64_t> follow_up_end,
                                                std::span<const std::int64_t> waiting_end,
                                                std::span<const std::uint64_t> reoffences,
                                                std::int64_t as_of) {
    const auto n = follow_up_end.size();
    if (waiting_end.size() != n || reoffences.size() != n)
        throw InputError("follow_up_end, waiting_end and reoffences must have equal lengths");
    LiveStatuses out;
    out.status.resize(n);
    out.days_left.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (waiting_end[i] < follow_up_end[i])
            throw InputError("waiting_end is before follow_up_end in some rows");
        out.days_left[i] = follow_up_end[i] >= as_of ? follow_up_end[i] - as_of : 0;
        if (reoffences[i] > 0)
            out.status[i] = ChildStatus::reoffended;
        else if (as_of <= follow_up_end[i])
            out.status[i] = ChildStatus::in_follow_up;
        else if (as_of <= waiting_end[i])
            out.status[i] = ChildStatus::awaiting_proof;
        else
            out.status[i] = ChildStatus::not_reoffended;
    }
    return out;
}

}  // namespace yosmodel::measures
