// The definitions declared in measures/live_status.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/measures/live_status.hpp"

namespace yosmodel::measures {

YOSMODEL_INLINE LiveStatuses live_statuses(std::span<const std::int64_t> follow_up_end,
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
