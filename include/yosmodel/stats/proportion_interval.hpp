// Confidence intervals for one proportion (a binary reoffending rate): Wilson score (the
// default), Clopper-Pearson (exact, central), Jeffreys, Agresti-Coull and Wald.
// Wald and Agresti-Coull can leave [0, 1]; their bounds are clipped to it.
#pragma once

#include <cstdint>
#include <string_view>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::stats {

enum class IntervalMethod { wilson, clopper_pearson, jeffreys, agresti_coull, wald };

struct Interval {
    double lower;
    double upper;
};

/// The method named `name` ("wilson", "clopper_pearson", ...); InputError for any other name.
IntervalMethod parse_interval_method(std::string_view name);

/// Throws InputError unless 0 < level < 1.
void check_level(double level);

/// The two-sided standard normal critical value for `level` (1.959964 for 0.95).
double normal_critical_value(double level);

/// The Wilson score interval of successes / trials for critical value `z` (trials > 0).
Interval wilson(double successes, double trials, double z);

/// Interval for successes / trials at `level`. Zero trials give (NaN, NaN).
/// Throws InputError when successes > trials or level is not in (0, 1).
Interval proportion_interval(std::uint64_t successes, std::uint64_t trials, double level,
                             IntervalMethod method = IntervalMethod::wilson);

}  // namespace yosmodel::stats

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/stats/detail/proportion_interval-inl.hpp"
#endif
