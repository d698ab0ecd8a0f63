// Exact (Garwood) confidence limits for a Poisson count, and rates per head of population built
// from them: first time entrants per 100,000 children, custodial sentences per 1,000. The limits
// are the chi-squared (gamma) quantiles that invert the Poisson tail probabilities exactly.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// Limits for the expected count behind an observed count.
struct CountLimits {
    double lower;
    double upper;
};

inline void check_level(double level) {
    if (!(level > 0.0 && level < 1.0))
        throw InputError("level must be strictly between 0 and 1 (for example 0.95)");
}

/// Garwood's central limits: lower = Gamma^-1(alpha/2; k), upper = Gamma^-1(1 - alpha/2; k + 1),
/// the chi-squared quantiles with 2k and 2k + 2 degrees of freedom halved. A count of 0 has
/// lower limit 0.
[[nodiscard]] inline CountLimits poisson_limits(std::uint64_t events, double level) {
    check_level(level);
    const double tail = (1.0 - level) / 2.0;
    const auto k = static_cast<double>(events);
    const double lower = events == 0 ? 0.0 : boost::math::gamma_p_inv(k, tail);
    const double upper = boost::math::gamma_p_inv(k + 1.0, 1.0 - tail);
    return {lower, upper};
}

/// A rate per `per` head of population with its exact limits. `defined` is false where the
/// population is zero: the rate does not exist there (rate and limits are NaN), which the caller
/// must say rather than show as zero.
struct PopulationRate {
    double rate;
    double lower;
    double upper;
    bool defined;
};

[[nodiscard]] inline PopulationRate population_rate(std::uint64_t events, double population,
                                                    double per, double level) {
    if (!(population >= 0.0) || !std::isfinite(population))
        throw InputError("population must be a finite number, zero or more");
    if (!(per > 0.0) || !std::isfinite(per))
        throw InputError("per must be a positive number (for example 100000)");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (population == 0.0) {
        check_level(level);
        return {nan, nan, nan, false};
    }
    const auto limits = poisson_limits(events, level);
    const double scale = per / population;
    return {static_cast<double>(events) * scale, limits.lower * scale, limits.upper * scale, true};
}

}  // namespace yosmodel::measures
