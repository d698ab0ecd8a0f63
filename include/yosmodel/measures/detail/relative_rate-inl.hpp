// The relative rate index's definition (declared in
// measures/relative_rate.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "yosmodel/core/error.hpp"
#include "yosmodel/measures/relative_rate.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::measures {

YOSMODEL_INLINE RelativeRate relative_rate_index(std::uint64_t events, double base,
                                                 std::uint64_t reference_events,
                                                 double reference_base, double level,
                                                 RateVariance variance) {
    const double z = stats::normal_critical_value(level);  // checks the level
    if (!(base >= 0.0) || !(reference_base >= 0.0) || !std::isfinite(base) ||
        !std::isfinite(reference_base))
        throw InputError(
            "bases (populations or earlier-stage counts) must be "
            "finite, zero or more");
    const auto a = static_cast<double>(events);
    const auto b = static_cast<double>(reference_events);
    if (variance == RateVariance::proportion && (a > base || b > reference_base))
        throw InputError(
            "events exceed their base; with variance 'proportion' the "
            "events must be "
            "a subset of the base");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    RelativeRate out{nan, nan, nan, nan, nan, false};
    if (base > 0.0) out.rate = a / base;
    if (reference_base > 0.0) out.reference_rate = b / reference_base;
    if (base == 0.0 || reference_base == 0.0 || b == 0.0) return out;
    out.index = out.rate / out.reference_rate;
    if (a == 0.0) return out;  // an index of 0 has no log interval
    double variance_of_log = 1.0 / a + 1.0 / b;
    if (variance == RateVariance::proportion) variance_of_log -= 1.0 / base + 1.0 / reference_base;
    const double half_width = z * std::sqrt(std::max(variance_of_log, 0.0));
    out.lower = out.index * std::exp(-half_width);
    out.upper = out.index * std::exp(half_width);
    out.defined = true;
    return out;
}

}  // namespace yosmodel::measures
