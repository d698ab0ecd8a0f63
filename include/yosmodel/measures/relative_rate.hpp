// The relative rate index of disproportionality: a group's rate at a stage of the youth justice
// system (arrests, first time entrants, custody, reoffending) over the reference group's rate,
// with a confidence interval on the log scale.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/distributions/normal.hpp>

#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// How the log interval's standard error is formed. `proportion`: the events are a subset of the
/// base (children of the group who reached the stage out of the children at the stage before);
/// sqrt(1/a - 1/n + 1/b - 1/m) (Katz). `poisson`: the base is a population estimate and the
/// events a count over it; sqrt(1/a + 1/b).
enum class RateVariance { proportion, poisson };

struct RelativeRate {
    double rate;            ///< the group's events / base
    double reference_rate;  ///< the reference group's events / base
    double index;           ///< rate / reference_rate
    double lower;
    double upper;
    bool defined;  ///< false when a base is zero or either group has no events (no log interval)
};

[[nodiscard]] inline RelativeRate relative_rate_index(std::uint64_t events, double base,
                                                      std::uint64_t reference_events,
                                                      double reference_base, double level,
                                                      RateVariance variance) {
    if (!(level > 0.0 && level < 1.0))
        throw InputError("level must be strictly between 0 and 1 (for example 0.95)");
    if (!(base >= 0.0) || !(reference_base >= 0.0) || !std::isfinite(base) ||
        !std::isfinite(reference_base))
        throw InputError(
            "bases (populations or earlier-stage counts) must be finite, zero or more");
    const auto a = static_cast<double>(events);
    const auto b = static_cast<double>(reference_events);
    if (variance == RateVariance::proportion && (a > base || b > reference_base))
        throw InputError(
            "events exceed their base; with variance 'proportion' the events must be "
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
    const double z =
        boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + level / 2.0);
    const double half_width = z * std::sqrt(std::max(variance_of_log, 0.0));
    out.lower = out.index * std::exp(-half_width);
    out.upper = out.index * std::exp(half_width);
    out.defined = true;
    return out;
}

}  // namespace yosmodel::measures
