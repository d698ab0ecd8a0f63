// Finalising a partial table into the published measures (declared in reoffending/rates.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "yosmodel/reoffending/rates.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::reoffending {

YOSMODEL_INLINE Rates finalize(const PartialTable& table, double level,
                               stats::IntervalMethod method) {
    stats::check_level(level);
    const std::size_t n = table.size();
    const auto& space = table.key_space();
    Rates r;
    r.key_codes.assign(space.keys(), std::vector<std::uint64_t>(n));
    for (auto* column : {&r.offenders, &r.reoffenders, &r.reoffences, &r.previous_offences})
        column->resize(n);
    for (auto* column :
         {&r.binary_rate, &r.binary_rate_lower, &r.binary_rate_upper, &r.frequency_rate,
          &r.reoffences_per_reoffender, &r.previous_offences_mean})
        column->resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const GroupCounts& c = table.counts()[i];
        for (std::size_t k = 0; k < space.keys(); ++k)
            r.key_codes[k][i] = space.code(table.groups()[i], k);
        r.offenders[i] = c.offenders;
        r.reoffenders[i] = c.reoffenders;
        r.reoffences[i] = c.reoffences;
        r.previous_offences[i] = c.previous_offences;
        const auto offenders = static_cast<double>(c.offenders);
        r.binary_rate[i] = static_cast<double>(c.reoffenders) / offenders;
        const auto interval = stats::proportion_interval(c.reoffenders, c.offenders, level, method);
        r.binary_rate_lower[i] = interval.lower;
        r.binary_rate_upper[i] = interval.upper;
        r.frequency_rate[i] = static_cast<double>(c.reoffences) / offenders;
        r.reoffences_per_reoffender[i] =
            c.reoffenders == 0
                ? std::numeric_limits<double>::quiet_NaN()
                : static_cast<double>(c.reoffences) / static_cast<double>(c.reoffenders);
        r.previous_offences_mean[i] = static_cast<double>(c.previous_offences) / offenders;
    }
    return r;
}

}  // namespace yosmodel::reoffending
