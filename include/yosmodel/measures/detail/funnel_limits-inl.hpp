// The funnel limits' definitions (declared in measures/funnel_limits.hpp).
// Boost.Math is reached from here only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "yosmodel/core/error.hpp"
#include "yosmodel/measures/funnel_limits.hpp"

namespace yosmodel::measures {

YOSMODEL_INLINE double binomial_funnel_limit(double target, std::uint64_t size, double p) {
    if (size == 0) return std::numeric_limits<double>::quiet_NaN();
    if (target <= 0.0) return 0.0;
    if (target >= 1.0) return 1.0;
    const boost::math::binomial_distribution<double> counts(static_cast<double>(size), target);
    // Start from the normal approximation and step to the exact quantile; cdf is
    // monotone in r.
    const auto n = static_cast<double>(size);
    const double z = boost::math::quantile(boost::math::normal_distribution<double>(), p);
    double r =
        std::clamp(std::floor(n * target + z * std::sqrt(n * target * (1.0 - target))), 0.0, n);
    const auto cdf = [&](double at) { return at < 0.0 ? 0.0 : boost::math::cdf(counts, at); };
    while (r > 0.0 && cdf(r - 1.0) >= p)
        r -= 1.0;
    while (r < n && cdf(r) < p)
        r += 1.0;
    const double upper_cdf = cdf(r);
    const double step = upper_cdf - cdf(r - 1.0);
    const double a = step > 0.0 ? (upper_cdf - p) / step : 0.0;
    // Near 0 the interpolation can step below zero (and near 1 above one): a
    // proportion's limit is clipped to [0, 1].
    return std::clamp((r - a) / n, 0.0, 1.0);
}

YOSMODEL_INLINE FunnelLimits funnel_limits(double target, std::uint64_t size, double level) {
    if (!(target >= 0.0 && target <= 1.0))
        throw InputError("target must be a proportion between 0 and 1");
    if (!(level > 0.0 && level < 1.0))
        throw InputError(
            "each funnel level must be strictly between 0 and 1 (for "
            "example 0.95)");
    const double tail = (1.0 - level) / 2.0;
    return {binomial_funnel_limit(target, size, tail),
            binomial_funnel_limit(target, size, 1.0 - tail)};
}

}  // namespace yosmodel::measures
