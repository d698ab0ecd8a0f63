// The mergeable accumulator of the reoffending measures: per group, integer counts only.
// Rates are derived from merged counts at the very end, never averaged.
#pragma once

#include <cstdint>

#include "yosmodel/core/error.hpp"

namespace yosmodel::reoffending {

struct GroupCounts {
    std::uint64_t offenders = 0;
    std::uint64_t reoffenders = 0;
    std::uint64_t reoffences = 0;
    std::uint64_t previous_offences = 0;  ///< summed over the group's offenders

    /// Checked: a sum past 2^64 - 1 throws LimitError and leaves *this unchanged (a wrapped
    /// count would be a silently wrong, small number).
    GroupCounts& operator+=(const GroupCounts& other) {
        GroupCounts sum;
        if (__builtin_add_overflow(offenders, other.offenders, &sum.offenders) ||
            __builtin_add_overflow(reoffenders, other.reoffenders, &sum.reoffenders) ||
            __builtin_add_overflow(reoffences, other.reoffences, &sum.reoffences) ||
            __builtin_add_overflow(previous_offences, other.previous_offences,
                                   &sum.previous_offences))
            throw LimitError(
                "merged counts would pass 2^64 - 1 (the largest count kept); "
                "the tables cannot be added without overflow");
        *this = sum;
        return *this;
    }

    friend GroupCounts operator+(GroupCounts a, const GroupCounts& b) { return a += b; }
    friend bool operator==(const GroupCounts&, const GroupCounts&) = default;
};

}  // namespace yosmodel::reoffending
