// Exact (Garwood) confidence limits for a Poisson count, and rates per head of
// population built from them: first time entrants per 100,000 children,
// custodial sentences per 1,000. The limits are the chi-squared (gamma)
// quantiles that invert the Poisson tail probabilities exactly.
#pragma once

#include <cstdint>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// Limits for the expected count behind an observed count.
struct CountLimits {
    double lower;
    double upper;
};

/// Garwood's central limits: lower = Gamma^-1(alpha/2; k), upper = Gamma^-1(1 -
/// alpha/2; k + 1), the chi-squared quantiles with 2k and 2k + 2 degrees of
/// freedom halved. A count of 0 has lower limit 0. Throws InputError unless 0 <
/// level < 1.
[[nodiscard]] CountLimits poisson_limits(std::uint64_t events, double level);

/// A rate per `per` head of population with its exact limits. `defined` is
/// false where the population is zero: the rate does not exist there (rate and
/// limits are NaN), which the caller must say rather than show as zero.
struct PopulationRate {
    double rate;
    double lower;
    double upper;
    bool defined;
};

/// Throws InputError for a negative or non-finite population, per <= 0 or a bad
/// level.
[[nodiscard]] PopulationRate population_rate(std::uint64_t events, double population, double per,
                                             double level);

}  // namespace yosmodel::measures

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/measures/detail/poisson_limits-inl.hpp"
#endif
