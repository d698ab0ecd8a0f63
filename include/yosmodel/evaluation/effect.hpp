// The estimated effect of an intervention on one outcome: the difference between the mean of the
// matched participants and the weighted mean of their matched comparison group, with a Welch
// interval and p-value. Each comparison person counts with its matched weight; the variance of a
// weighted mean is sum(w^2 (y - mean)^2) / (sum w)^2 (times n / (n - 1)), so a comparison person
// matched many times adds as much uncertainty as it carries weight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::evaluation {

struct WeightedMean {
    std::size_t n = 0;  ///< people with a positive weight and a value
    double weight = 0;  ///< sum of their weights
    double mean = std::numeric_limits<double>::quiet_NaN();
    double standard_error = std::numeric_limits<double>::quiet_NaN();
    double lower = std::numeric_limits<double>::quiet_NaN();  ///< t interval, n - 1 df
    double upper = std::numeric_limits<double>::quiet_NaN();
};

struct EffectEstimate {
    WeightedMean participants, comparison;
    double difference = std::numeric_limits<double>::quiet_NaN();  ///< participants - comparison
    double standard_error = std::numeric_limits<double>::quiet_NaN();
    double degrees_of_freedom = std::numeric_limits<double>::quiet_NaN();  ///< Welch-Satterthwaite
    double lower = std::numeric_limits<double>::quiet_NaN();
    double upper = std::numeric_limits<double>::quiet_NaN();
    double p_value = std::numeric_limits<double>::quiet_NaN();  ///< two-sided; NaN when SE is 0
};

/// The effect on one outcome. `values` holds every row's outcome (NaN: not defined for that
/// person, e.g. days to first reoffence for someone who did not reoffend, and left out);
/// `treated` flags participants; `weights` are the matched weights (0 leaves a row out).
EffectEstimate weighted_difference(std::span<const double> values,
                                   std::span<const std::uint8_t> treated,
                                   std::span<const double> weights, double level = 0.95);

}  // namespace yosmodel::evaluation

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/evaluation/detail/effect-inl.hpp"
#endif
