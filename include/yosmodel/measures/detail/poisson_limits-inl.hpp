// The Poisson limits' definitions (declared in measures/poisson_limits.hpp).
// Boost.Math is reached from here only.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include "yosmodel/core/error.hpp"
#include "yosmodel/measures/poisson_limits.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::measures {

YOSMODEL_INLINE CountLimits poisson_limits(std::uint64_t events, double level) {
    stats::check_level(level);
    const double tail = (1.0 - level) / 2.0;
    const auto k = static_cast<double>(events);
    const double lower = events == 0 ? 0.0 : boost::math::gamma_p_inv(k, tail);
    const double upper = boost::math::gamma_p_inv(k + 1.0, 1.0 - tail);
    return {lower, upper};
}

YOSMODEL_INLINE PopulationRate population_rate(std::uint64_t events, double population, double per,
                                               double level) {
    if (!(population >= 0.0) || !std::isfinite(population))
        throw InputError("population must be a finite number, zero or more");
    if (!(per > 0.0) || !std::isfinite(per))
        throw InputError("per must be a positive number (for example 100000)");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (population == 0.0) {
        stats::check_level(level);
        return {nan, nan, nan, false};
    }
    const auto limits = poisson_limits(events, level);
    const double scale = per / population;
    return {static_cast<double>(events) * scale, limits.lower * scale, limits.upper * scale, true};
}

}  // namespace yosmodel::measures
