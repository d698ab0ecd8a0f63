// The relative rate index of disproportionality: a group's rate at a stage of
// the youth justice system (arrests, first time entrants, custody, reoffending)
// over the reference group's rate, with a confidence interval on the log scale.
#pragma once

#include <cstdint>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

/// How the log interval's standard error is formed. `proportion`: the events
/// are a subset of the base (children of the group who reached the stage out of
/// the children at the stage before); sqrt(1/a - 1/n + 1/b - 1/m) (Katz).
/// `poisson`: the base is a population estimate and the events a count over it;
/// sqrt(1/a + 1/b).
enum class RateVariance { proportion, poisson };

struct RelativeRate {
    double rate;            ///< the group's events / base
    double reference_rate;  ///< the reference group's events / base
    double index;           ///< rate / reference_rate
    double lower;
    double upper;
    bool defined;  ///< false when a base is zero or either group has no events (no
                   ///< log interval)
};

/// Throws InputError for a bad level, negative or non-finite bases, or (with
/// `proportion`) events above their base.
[[nodiscard]] RelativeRate relative_rate_index(std::uint64_t events, double base,
                                               std::uint64_t reference_events,
                                               double reference_base, double level,
                                               RateVariance variance);

}  // namespace yosmodel::measures

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/measures/detail/relative_rate-inl.hpp"
#endif
