// The mergeable accumulator of the reoffending measures: per group, integer counts only.
// Rates are derived from merged counts at the very end, never averaged.
#pragma once

#include <cstdint>

namespace yosmodel::reoffending {

struct GroupCounts {
    std::uint64_t offenders = 0;
    std::uint64_t reoffenders = 0;
    std::uint64_t reoffences = 0;
    std::uint64_t previous_offences = 0;  ///< summed over the group's offenders

    GroupCounts& operator+=(const GroupCounts& other) {
        offenders += other.offenders;
        reoffenders += other.reoffenders;
        reoffences += other.reoffences;
        previous_offences += other.previous_offences;
        return *this;
    }

    friend GroupCounts operator+(GroupCounts a, const GroupCounts& b) { return a += b; }
    friend bool operator==(const GroupCounts&, const GroupCounts&) = default;
};

}  // namespace yosmodel::reoffending
