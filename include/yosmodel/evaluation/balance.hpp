// Balance diagnostics: the standardised difference of every covariate between participants and
// comparison people, before matching and after it (with the matched weights). An evaluation is
// usually taken as balanced on a covariate when |d| < 0.1 (10%).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/evaluation/design_matrix.hpp"

namespace yosmodel::evaluation {

struct Balance {
    std::vector<std::string> names;
    /// (participant mean - comparison mean) / sqrt((s_p^2 + s_c^2) / 2), as fractions (0.1 = 10%).
    std::vector<double> before;
    /// The same with weighted means of the matched sample over the same (unmatched) denominator,
    /// so a change from before to after is a change in means alone.
    std::vector<double> after;
    std::vector<double> participant_mean_after, comparison_mean_after;
};

/// `treated` flags participants (1) and pool members (0); `matched_weights` is every row's
/// weight in the matched sample (1 for a matched participant, the number of matches for a
/// comparison person, 0 for anyone left out).
Balance standardised_differences(const DesignMatrix& x, std::span<const std::uint8_t> treated,
                                 std::span<const double> matched_weights);

}  // namespace yosmodel::evaluation

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/evaluation/detail/balance-inl.hpp"
#endif
