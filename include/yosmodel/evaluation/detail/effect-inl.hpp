// The effect estimate with its Welch interval (declared in evaluation/effect.hpp); Boost.Math
// is reached from here only.
#pragma once

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "yosmodel/core/error.hpp"
#include "yosmodel/evaluation/effect.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::evaluation {

namespace detail {

inline double t_critical(double df, double level) {
    stats::check_level(level);
    const double q = 1.0 - (1.0 - level) / 2.0;
    if (!std::isfinite(df) || df > 1e7)
        return boost::math::quantile(boost::math::normal_distribution<double>(), q);
    return boost::math::quantile(boost::math::students_t_distribution<double>(df), q);
}

inline WeightedMean weighted_mean(std::span<const double> values,
                                  std::span<const std::uint8_t> treated,
                                  std::span<const double> weights, bool group, double level) {
    WeightedMean out;
    double sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if ((treated[i] != 0) == group && weights[i] > 0 && !std::isnan(values[i])) {
            ++out.n;
            out.weight += weights[i];
            sum += weights[i] * values[i];
        }
    if (out.n == 0) return out;
    out.mean = sum / out.weight;
    if (out.n < 2) return out;
    // The spread is summed over deviations divided by the largest, so that outcomes measured
    // in very large or very small units (1e200, 1e-200) neither overflow nor underflow when
    // squared: the error scales with the unit, and the interval and p-value do not change.
    double largest = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if ((treated[i] != 0) == group && weights[i] > 0 && !std::isnan(values[i]))
            largest = std::max(largest, std::fabs(weights[i] * (values[i] - out.mean)));
    const auto n = static_cast<double>(out.n);
    out.standard_error = 0;  // every value the same: no spread (said by the caller)
    if (largest > 0) {
        double spread = 0;
        for (std::size_t i = 0; i < values.size(); ++i)
            if ((treated[i] != 0) == group && weights[i] > 0 && !std::isnan(values[i])) {
                const double d = weights[i] * (values[i] - out.mean) / largest;
                spread += d * d;
            }
        out.standard_error = largest * std::sqrt(n / (n - 1) * spread) / out.weight;
    }
    const double half = t_critical(n - 1, level) * out.standard_error;
    out.lower = out.mean - half;
    out.upper = out.mean + half;
    return out;
}

}  // namespace detail

YOSMODEL_INLINE EffectEstimate weighted_difference(std::span<const double> values,
                                                   std::span<const std::uint8_t> treated,
                                                   std::span<const double> weights, double level) {
    if (treated.size() != values.size() || weights.size() != values.size())
        throw InputError("an outcome needs one participation flag and one weight per row");
    stats::check_level(level);
    std::size_t infinite = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!(weights[i] >= 0) || !std::isfinite(weights[i]))
            throw InputError("matched weights must be finite and zero or more");
        if (std::isinf(values[i])) ++infinite;
    }
    if (infinite != 0)
        throw InputError("the outcome has " + std::to_string(infinite) + " infinite value(s)");
    EffectEstimate out;
    out.participants = detail::weighted_mean(values, treated, weights, true, level);
    out.comparison = detail::weighted_mean(values, treated, weights, false, level);
    if (out.participants.n < 2 || out.comparison.n < 2) return out;
    out.difference = out.participants.mean - out.comparison.mean;
    // Welch's standard error and degrees of freedom from the two errors divided by the larger
    // (squaring errors of 1e160 or 1e-160 directly gave an infinite or undefined df).
    const double larger = std::max(out.participants.standard_error, out.comparison.standard_error);
    if (!(larger > 0)) {
        out.standard_error = 0;
        out.lower = out.upper = out.difference;
        return out;
    }
    const double ap = out.participants.standard_error / larger;
    const double ac = out.comparison.standard_error / larger;
    const double vp = ap * ap;
    const double vc = ac * ac;
    out.standard_error = larger * std::sqrt(vp + vc);
    const double sp = vp / (vp + vc);
    const double sc = vc / (vp + vc);
    out.degrees_of_freedom = 1.0 / (sp * sp / static_cast<double>(out.participants.n - 1) +
                                    sc * sc / static_cast<double>(out.comparison.n - 1));
    const double half = detail::t_critical(out.degrees_of_freedom, level) * out.standard_error;
    out.lower = out.difference - half;
    out.upper = out.difference + half;
    const double t = std::fabs(out.difference) / out.standard_error;
    out.p_value =
        out.degrees_of_freedom > 1e7
            ? std::erfc(t / std::sqrt(2.0))
            : 2.0 * boost::math::cdf(boost::math::complement(
                        boost::math::students_t_distribution<double>(out.degrees_of_freedom), t));
    return out;
}

}  // namespace yosmodel::evaluation
