// Balance diagnostics (declared in evaluation/balance.hpp).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/evaluation/balance.hpp"
#include "yosmodel/evaluation/design_matrix.hpp"

namespace yosmodel::evaluation {

namespace detail {

/// One group's moments of every column: plain (before matching) and matched-weighted.
struct GroupMoments {
    std::size_t count = 0;
    double weight = 0;
    std::vector<double> sum, weighted_sum, squares;  ///< squares: about the plain mean

    explicit GroupMoments(std::size_t columns)
        : sum(columns, 0.0), weighted_sum(columns, 0.0), squares(columns, 0.0) {}

    [[nodiscard]] double mean(std::size_t j) const { return sum[j] / static_cast<double>(count); }
    [[nodiscard]] double variance(std::size_t j) const {
        return squares[j] / static_cast<double>(count - 1);
    }
    [[nodiscard]] double weighted_mean(std::size_t j) const {
        return weight > 0 ? weighted_sum[j] / weight : std::numeric_limits<double>::quiet_NaN();
    }
};

inline double standardised(double difference, double pooled_sd) {
    if (pooled_sd > 0) return difference / pooled_sd;
    if (difference == 0) return 0.0;  // constant and equal in both groups
    return difference > 0 ? HUGE_VAL : -HUGE_VAL;
}

}  // namespace detail

YOSMODEL_INLINE Balance standardised_differences(const DesignMatrix& x,
                                                 std::span<const std::uint8_t> treated,
                                                 std::span<const double> matched_weights) {
    const std::size_t rows = x.rows();
    const std::size_t p = x.columns();
    if (treated.size() != rows || matched_weights.size() != rows)
        throw InputError("balance needs one participation flag and one matched weight per row");
    for (const double w : matched_weights)
        if (!(w >= 0) || !std::isfinite(w))
            throw InputError("matched weights must be finite and zero or more");
    detail::GroupMoments pool(p);
    detail::GroupMoments participants(p);
    const auto group_of = [&](std::size_t i) -> detail::GroupMoments& {
        return treated[i] != 0 ? participants : pool;
    };
    for (std::size_t i = 0; i < rows; ++i) {
        auto& g = group_of(i);
        const double w = matched_weights[i];
        ++g.count;
        g.weight += w;
        const auto row = x.values.row(static_cast<Eigen::Index>(i));
        for (std::size_t j = 0; j < p; ++j) {
            const double v = row(static_cast<Eigen::Index>(j));
            g.sum[j] += v;
            g.weighted_sum[j] += w * v;
        }
    }
    if (pool.count < 2 || participants.count < 2)
        throw InputError("balance needs at least two participants and two pool members");
    // Second pass for the variances: no cancellation from large means.
    for (std::size_t i = 0; i < rows; ++i) {
        auto& g = group_of(i);
        const auto row = x.values.row(static_cast<Eigen::Index>(i));
        for (std::size_t j = 0; j < p; ++j) {
            const double d = row(static_cast<Eigen::Index>(j)) - g.mean(j);
            g.squares[j] += d * d;
        }
    }
    Balance out;
    out.names = x.names;
    for (std::size_t j = 0; j < p; ++j) {
        const double pooled_sd = std::sqrt((participants.variance(j) + pool.variance(j)) / 2.0);
        out.before.push_back(detail::standardised(participants.mean(j) - pool.mean(j), pooled_sd));
        const double participant = participants.weighted_mean(j);
        const double comparison = pool.weighted_mean(j);
        out.participant_mean_after.push_back(participant);
        out.comparison_mean_after.push_back(comparison);
        out.after.push_back(std::isnan(participant) || std::isnan(comparison)
                                ? std::numeric_limits<double>::quiet_NaN()
                                : detail::standardised(participant - comparison, pooled_sd));
    }
    return out;
}

}  // namespace yosmodel::evaluation
