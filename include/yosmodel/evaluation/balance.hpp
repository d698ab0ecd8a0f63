// Balance diagnostics: the standardised difference of every covariate between participants and
// comparison people, before matching and after it (with the matched weights). An evaluation is
// usually taken as balanced on a covariate when |d| < 0.1 (10%).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

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

namespace detail {

/// Weighted means of every column over the rows of one group (weight 0 leaves a row out).
struct GroupSums {
    std::vector<double> weighted_sum;
    double weight = 0;
};

inline double standardised(double difference, double pooled_sd) {
    if (pooled_sd > 0) return difference / pooled_sd;
    if (difference == 0) return 0.0;  // constant and equal in both groups
    return difference > 0 ? HUGE_VAL : -HUGE_VAL;
}

}  // namespace detail

/// `treated` flags participants (1) and pool members (0); `matched_weights` is every row's
/// weight in the matched sample (1 for a matched participant, the number of matches for a
/// comparison person, 0 for anyone left out).
inline Balance standardised_differences(const DesignMatrix& x,
                                        std::span<const std::uint8_t> treated,
                                        std::span<const double> matched_weights) {
    const std::size_t rows = x.rows(), p = x.columns();
    if (treated.size() != rows || matched_weights.size() != rows)
        throw InputError("balance needs one participation flag and one matched weight per row");
    for (const double w : matched_weights)
        if (!(w >= 0) || !std::isfinite(w))
            throw InputError("matched weights must be finite and zero or more");
    std::size_t count[2] = {0, 0};
    double weight[2] = {0, 0};
    std::vector<double> sum[2] = {std::vector<double>(p, 0.0), std::vector<double>(p, 0.0)};
    std::vector<double> weighted[2] = {std::vector<double>(p, 0.0), std::vector<double>(p, 0.0)};
    for (std::size_t i = 0; i < rows; ++i) {
        const int g = treated[i] != 0 ? 1 : 0;
        const double w = matched_weights[i];
        ++count[g];
        weight[g] += w;
        const auto row = x.values.row(static_cast<Eigen::Index>(i));
        for (std::size_t j = 0; j < p; ++j) {
            const double v = row(static_cast<Eigen::Index>(j));
            sum[g][j] += v;
            weighted[g][j] += w * v;
        }
    }
    if (count[0] < 2 || count[1] < 2)
        throw InputError("balance needs at least two participants and two pool members");
    std::vector<double> mean[2] = {std::vector<double>(p), std::vector<double>(p)};
    for (int g = 0; g < 2; ++g)
        for (std::size_t j = 0; j < p; ++j)
            mean[g][j] = sum[g][j] / static_cast<double>(count[g]);
    // Second pass for the variances: no cancellation from large means.
    std::vector<double> squares[2] = {std::vector<double>(p, 0.0), std::vector<double>(p, 0.0)};
    for (std::size_t i = 0; i < rows; ++i) {
        const int g = treated[i] != 0 ? 1 : 0;
        const auto row = x.values.row(static_cast<Eigen::Index>(i));
        for (std::size_t j = 0; j < p; ++j) {
            const double d = row(static_cast<Eigen::Index>(j)) - mean[g][j];
            squares[g][j] += d * d;
        }
    }
    Balance out;
    out.names = x.names;
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t j = 0; j < p; ++j) {
        const double pooled_sd = std::sqrt((squares[1][j] / static_cast<double>(count[1] - 1) +
                                            squares[0][j] / static_cast<double>(count[0] - 1)) /
                                           2.0);
        out.before.push_back(detail::standardised(mean[1][j] - mean[0][j], pooled_sd));
        const double participant = weight[1] > 0 ? weighted[1][j] / weight[1] : nan;
        const double comparison = weight[0] > 0 ? weighted[0][j] / weight[0] : nan;
        out.participant_mean_after.push_back(participant);
        out.comparison_mean_after.push_back(comparison);
        out.after.push_back(weight[0] > 0 && weight[1] > 0
                                ? detail::standardised(participant - comparison, pooled_sd)
                                : nan);
    }
    return out;
}

}  // namespace yosmodel::evaluation
