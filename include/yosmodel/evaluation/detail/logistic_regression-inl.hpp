// Fitting the propensity model (declared in evaluation/logistic_regression.hpp); Eigen's
// Cholesky and QR decompositions are reached from here only.
#pragma once

#include "yosmodel/core/detail/eigen_core.hpp"  // first: before any other Eigen header

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/evaluation/design_matrix.hpp"
#include "yosmodel/evaluation/logistic_regression.hpp"

namespace yosmodel::evaluation {

namespace detail {

/// log(1 + exp(x)) without overflow.
inline double softplus(double x) {
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

/// Beyond this log-odds a fitted probability is within 2e-9 of 0 or 1.
inline constexpr double boundary_logit = 20.0;

/// Deviance, score and information of a logistic model at one coefficient vector.
struct LogisticPass {
    Eigen::MatrixXd information;  ///< X'WX
    Eigen::VectorXd score;        ///< X'(y - p)
    double deviance = 0;
    std::size_t boundary_rows = 0;  ///< rows fitted within 2e-9 of probability 0 or 1
};

/// Work space of one thread: a chunk of the design with the intercept column in front.
struct ChunkBuffers {
    Eigen::MatrixXd block;
    Eigen::VectorXd eta, residual, root_weight;
};

/// Adds rows [first, first + rows) to `out`: deviance, score X'(y - p) and information X'WX.
inline void accumulate_chunk(const DesignMatrix& x, std::span<const std::uint8_t> outcome,
                             const Eigen::VectorXd& beta, bool intercept, std::size_t first,
                             Eigen::Index rows, ChunkBuffers& buffers, LogisticPass& out,
                             double* logits) {
    auto& [block, eta, residual, root_weight] = buffers;
    const auto q = beta.size();
    block.resize(rows, q);
    if (intercept) block.col(0).setOnes();
    block.rightCols(x.values.cols()) = x.values.middleRows(static_cast<Eigen::Index>(first), rows);
    eta.noalias() = block * beta;
    residual.resize(rows);
    root_weight.resize(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        const std::size_t row = first + static_cast<std::size_t>(i);
        const double e = eta(i);
        const double prob = inverse_logit(e);
        const bool y = outcome[row] != 0;
        residual(i) = (y ? 1.0 : 0.0) - prob;
        root_weight(i) = std::sqrt(prob * (1.0 - prob));
        out.deviance += 2.0 * (y ? softplus(-e) : softplus(e));
        if (std::fabs(e) > boundary_logit) ++out.boundary_rows;
        if (logits != nullptr) logits[row] = e;
    }
    out.score.noalias() = block.transpose() * residual;
    block.array().colwise() *= root_weight.array();
    out.information.setZero(q, q);
    out.information.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
}

/// One pass over the rows in fixed chunks; chunk partials are added in chunk order so the result
/// is the same whatever the thread count. Writes each row's log-odds to `logits` when given.
inline LogisticPass logistic_pass(const DesignMatrix& x, std::span<const std::uint8_t> outcome,
                                  const Eigen::VectorXd& beta, bool intercept, unsigned threads,
                                  double* logits = nullptr) {
    constexpr std::size_t chunk = 4096;
    const std::size_t rows = x.rows();
    std::vector<LogisticPass> partial((rows + chunk - 1) / chunk);
    const auto pass_range = [&](unsigned, std::size_t first, std::size_t last) {
        ChunkBuffers buffers;
        for (std::size_t lo = first; lo < last; lo += chunk)
            accumulate_chunk(x, outcome, beta, intercept, lo,
                             static_cast<Eigen::Index>(std::min(chunk, last - lo)), buffers,
                             partial[lo / chunk], logits);
    };
    parallel_ranges(rows, resolve_threads(threads), chunk, pass_range);
    const auto q = beta.size();
    LogisticPass total;
    total.information.setZero(q, q);
    total.score.setZero(q);
    for (const auto& c : partial) {
        total.information += c.information;
        total.score += c.score;
        total.deviance += c.deviance;
        total.boundary_rows += c.boundary_rows;
    }
    total.information = total.information.selfadjointView<Eigen::Lower>();
    return total;
}

/// Throws RankDeficiencyError naming the columns that add nothing to the others. `gram` is
/// proportional to X'X (the first Newton step has equal weights for every row), of the centred
/// covariates when the model has an intercept (then `spread` holds each covariate's sum of
/// squares before centring, which tells a constant column from one of zeros).
inline void check_rank(const Eigen::MatrixXd& gram, const std::vector<std::string>& names,
                       const Eigen::VectorXd& spread) {
    const Eigen::Index q = gram.rows();
    const Eigen::Index first = q - spread.size();  // the intercept's column, if any, is first
    for (Eigen::Index j = 0; j < q; ++j) {
        const std::string& name = names[static_cast<std::size_t>(j)];
        if (j >= first && !(spread(j - first) > 0))
            throw RankDeficiencyError("covariate '" + name + "' is zero in every row; drop it");
        // Centred, a constant column is zero up to the rounding of its mean.
        if (!(gram(j, j) > 0) || (j >= first && gram(j, j) <= 1e-24 * spread(j - first)))
            throw RankDeficiencyError(
                j >= first ? "covariate '" + name + "' is the same in every row; drop it"
                           : "covariate '" + name + "' is zero in every row; drop it");
    }
    const Eigen::VectorXd scale = gram.diagonal().cwiseSqrt().cwiseInverse();
    const Eigen::MatrixXd correlation = scale.asDiagonal() * gram * scale.asDiagonal();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(correlation);
    qr.setThreshold(1e-10);
    if (qr.rank() == q) return;
    std::string dependent;
    const auto& order = qr.colsPermutation().indices();
    for (Eigen::Index k = qr.rank(); k < q; ++k) {
        if (!dependent.empty()) dependent += ", ";
        dependent += "'" + names[static_cast<std::size_t>(order(k))] + "'";
    }
    throw RankDeficiencyError(
        "the covariates are linearly dependent (" + std::to_string(q - qr.rank()) + " of " +
        std::to_string(q) + " columns add nothing): " + dependent +
        " is constant or a combination of other covariates; drop it or merge categories");
}

[[noreturn]] inline void throw_separation(std::size_t boundary_rows) {
    throw SeparationError(
        "perfect or quasi-complete separation: the covariates predict participation exactly for " +
        std::to_string(boundary_rows) +
        " row(s), so the propensity model has no finite estimate; look for a category (or a "
        "range of a numeric covariate) that holds only participants or only non-participants, "
        "and drop those rows, merge the category or match exactly on it");
}

}  // namespace detail

YOSMODEL_INLINE LogisticFit fit_logistic(const DesignMatrix& x,
                                         std::span<const std::uint8_t> outcome,
                                         const LogisticOptions& options) {
    const std::size_t rows = x.rows();
    if (outcome.size() != rows)
        throw InputError("the outcome has " + std::to_string(outcome.size()) +
                         " rows but the covariates have " + std::to_string(rows));
    std::size_t positives = 0;
    std::size_t invalid = 0;
    for (const auto y : outcome) {
        if (y > 1) ++invalid;
        positives += y == 1 ? 1 : 0;
    }
    if (invalid != 0)
        throw InputError("the outcome must be 0 or 1; " + std::to_string(invalid) +
                         " row(s) hold another value");
    if (positives == 0 || positives == rows)
        throw InputError(
            "the outcome must have both 0s and 1s to fit a logistic regression "
            "(it has " +
            std::to_string(positives) + " ones in " + std::to_string(rows) + " rows)");
    if (options.max_iterations == 0) throw InputError("max_iterations must be at least 1");
    x.check_finite();

    LogisticFit fit;
    if (options.intercept) fit.names.emplace_back("(intercept)");
    fit.names.insert(fit.names.end(), x.names.begin(), x.names.end());
    const auto q = static_cast<Eigen::Index>(fit.names.size());
    if (static_cast<std::size_t>(q) > rows)
        throw RankDeficiencyError("there are more coefficients (" + std::to_string(q) +
                                  ") than rows (" + std::to_string(rows) + ")");

    // With an intercept the covariates are fitted centred on their means: the model and every
    // fitted log-odds are the same, but a covariate far from zero beside its spread (a year, an
    // offset id) no longer looks like a multiple of the intercept to the rank check, nor makes
    // the information matrix ill-conditioned. The coefficients are given back for the
    // covariates as the caller holds them.
    const auto p = static_cast<Eigen::Index>(x.columns());
    Eigen::VectorXd means = Eigen::VectorXd::Zero(p);
    Eigen::VectorXd spread = x.values.colwise().squaredNorm().transpose();
    RowMajorMatrix centred;
    if (options.intercept && rows != 0) {
        means = x.values.colwise().mean().transpose();
        centred = x.values.rowwise() - means.transpose();
    }
    const DesignMatrix fitted = options.intercept
                                    ? DesignMatrix(centred, x.names)
                                    : DesignMatrix(x.values.data(), rows, x.columns(), x.names);

    Eigen::VectorXd beta = Eigen::VectorXd::Zero(q);
    if (options.intercept) {
        const double mean = static_cast<double>(positives) / static_cast<double>(rows);
        beta(0) = std::log(mean / (1.0 - mean));
    }
    auto pass = [&](const Eigen::VectorXd& b, double* logits = nullptr) {
        return detail::logistic_pass(fitted, outcome, b, options.intercept, options.threads,
                                     logits);
    };
    detail::LogisticPass current = pass(beta);
    // At the start every row has the same weight, so the information is a multiple of X'X.
    detail::check_rank(current.information, fit.names, spread);

    bool converged = false;
    double previous_decrement = std::numeric_limits<double>::infinity();
    for (unsigned iteration = 1; iteration <= options.max_iterations; ++iteration) {
        fit.iterations = iteration;
        Eigen::LDLT<Eigen::MatrixXd> solver(current.information);
        Eigen::VectorXd step = solver.solve(current.score);
        if (solver.info() != Eigen::Success || !step.allFinite() || !solver.isPositive()) {
            if (current.boundary_rows != 0) detail::throw_separation(current.boundary_rows);
            throw ConvergenceError(
                "the propensity model's information matrix became singular "
                "while fitting; the covariates may be nearly collinear");
        }
        const double decrement = current.score.dot(step);
        if (decrement < options.tolerance) {
            beta += step;
            converged = true;
            break;
        }
        // Step halving: the log-likelihood is concave, so a short enough step always improves.
        Eigen::VectorXd candidate = beta + step;
        detail::LogisticPass next = pass(candidate);
        for (int halvings = 0;
             !(next.deviance <= current.deviance + 1e-12 * std::fabs(current.deviance)) &&
             halvings < 40;
             ++halvings) {
            step /= 2.0;
            candidate = beta + step;
            next = pass(candidate);
        }
        // Newton converges quadratically when a finite estimate exists; under separation the
        // decrement only shrinks by a constant factor while some fitted probabilities run to 0/1.
        if (iteration >= 8 && next.boundary_rows != 0 && decrement > previous_decrement / 10)
            detail::throw_separation(next.boundary_rows);
        beta = candidate;
        current = std::move(next);
        previous_decrement = decrement;
    }
    if (!converged) {
        if (current.boundary_rows != 0) detail::throw_separation(current.boundary_rows);
        throw ConvergenceError("the propensity model did not converge in " +
                               std::to_string(options.max_iterations) +
                               " iterations; check for covariates on very different scales");
    }
    fit.logits.resize(rows);
    const detail::LogisticPass final_pass = pass(beta, fit.logits.data());
    const Eigen::LDLT<Eigen::MatrixXd> solver(final_pass.information);
    Eigen::MatrixXd covariance = solver.solve(Eigen::MatrixXd::Identity(q, q));
    if (options.intercept) {
        // b0 = c0 - m'c for the uncentred covariates (the slopes are the same); its variance
        // through the same map: T Cov T', T the identity with -m' after the 1 in its first row.
        Eigen::MatrixXd to_uncentred = Eigen::MatrixXd::Identity(q, q);
        to_uncentred.block(0, 1, 1, p) = -means.transpose();
        beta = to_uncentred * beta;
        covariance = to_uncentred * covariance * to_uncentred.transpose();
    }
    fit.coefficients = beta;
    fit.standard_errors = covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
    fit.deviance = final_pass.deviance;
    return fit;
}

}  // namespace yosmodel::evaluation
