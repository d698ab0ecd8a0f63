// The proportion intervals' definitions (declared in stats/proportion_interval.hpp). Boost.Math's
// distributions are reached from here only, so includers of the public header never parse them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include "yosmodel/core/error.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::stats {

YOSMODEL_INLINE IntervalMethod parse_interval_method(std::string_view name) {
    if (name == "wilson") return IntervalMethod::wilson;
    if (name == "clopper_pearson") return IntervalMethod::clopper_pearson;
    if (name == "jeffreys") return IntervalMethod::jeffreys;
    if (name == "agresti_coull") return IntervalMethod::agresti_coull;
    if (name == "wald") return IntervalMethod::wald;
    throw InputError("unknown interval method '" + std::string(name) +
                     "'; use wilson, clopper_pearson, jeffreys, agresti_coull or wald");
}

YOSMODEL_INLINE void check_level(double level) {
    if (!(level > 0.0 && level < 1.0))
        throw InputError("level must be strictly between 0 and 1 (for example 0.95)");
}

YOSMODEL_INLINE double normal_critical_value(double level) {
    check_level(level);
    return boost::math::quantile(boost::math::normal_distribution<double>(),
                                 1.0 - (1.0 - level) / 2.0);
}

YOSMODEL_INLINE Interval wilson(double successes, double trials, double z) {
    const double p = successes / trials;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
    const double half =
        z / (1 + z2 / trials) * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
    // At no successes the lower limit is exactly 0, and at all successes the upper limit exactly
    // 1; computed, the two terms differ by rounding (10/10 gave 0.9999999999999999).
    return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
            successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

namespace detail {

inline double beta_quantile(double a, double b, double p) {
    return boost::math::quantile(boost::math::beta_distribution<double>(a, b), p);
}

inline Interval clipped(double lower, double upper) {
    return {std::clamp(lower, 0.0, 1.0), std::clamp(upper, 0.0, 1.0)};
}

}  // namespace detail

YOSMODEL_INLINE Interval proportion_interval(std::uint64_t successes, std::uint64_t trials,
                                             double level, IntervalMethod method) {
    check_level(level);
    if (successes > trials)
        throw InputError("successes exceed trials; a proportion cannot be above 1");
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (trials == 0) return {nan, nan};
    const auto x = static_cast<double>(successes);
    const auto n = static_cast<double>(trials);
    const double alpha = 1.0 - level;
    switch (method) {
        case IntervalMethod::wilson:
            return wilson(x, n, normal_critical_value(level));
        case IntervalMethod::clopper_pearson:
            return {successes == 0 ? 0.0 : detail::beta_quantile(x, n - x + 1, alpha / 2),
                    successes == trials ? 1.0 : detail::beta_quantile(x + 1, n - x, 1 - alpha / 2)};
        case IntervalMethod::jeffreys:
            // Beta(x + 1/2, n - x + 1/2) posterior quantiles, as statsmodels and R's binom do.
            return {detail::beta_quantile(x + 0.5, n - x + 0.5, alpha / 2),
                    detail::beta_quantile(x + 0.5, n - x + 0.5, 1 - alpha / 2)};
        case IntervalMethod::agresti_coull: {
            const double z = normal_critical_value(level);
            const double n_adj = n + z * z;
            const double p_adj = (x + z * z / 2) / n_adj;
            const double half = z * std::sqrt(p_adj * (1 - p_adj) / n_adj);
            return detail::clipped(p_adj - half, p_adj + half);
        }
        case IntervalMethod::wald: {
            const double z = normal_critical_value(level);
            const double p = x / n;
            const double half = z * std::sqrt(p * (1 - p) / n);
            return detail::clipped(p - half, p + half);
        }
    }
    return {nan, nan};
}

}  // namespace yosmodel::stats
