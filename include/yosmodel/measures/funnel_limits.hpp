// Control limits of a funnel plot for a proportion (Spiegelhalter, Statistics
// in Medicine 2005): around a target proportion, the range a unit of a given
// size falls in by chance alone, from exact binomial quantiles smoothed by the
// interpolation of his appendix so the limits are not step functions of the
// size.
#pragma once

#include <cstdint>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// The interpolated binomial quantile at probability `p` as a proportion of
/// `size`: with r the smallest count whose cumulative probability reaches p,
/// the limit is (r - a) / size where a = (F(r) - p) / (F(r) - F(r - 1)),
/// clipped to [0, 1]. Size 0 has no limit (NaN).
[[nodiscard]] double binomial_funnel_limit(double target, std::uint64_t size, double p);

struct FunnelLimits {
    double lower;
    double upper;
};

/// The two-sided limits at confidence `level` (0.95 and 0.998 are
/// Spiegelhalter's "2 and 3 standard deviations"). Throws InputError unless 0
/// <= target <= 1 and 0 < level < 1.
[[nodiscard]] FunnelLimits funnel_limits(double target, std::uint64_t size, double level);

}  // namespace yosmodel::measures

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/measures/detail/funnel_limits-inl.hpp"
#endif
