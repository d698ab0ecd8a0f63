// Logistic regression by Newton-Raphson (iteratively reweighted least squares) with step halving:
// the propensity score model of an evaluation. Rank deficiency, separation (a covariate that
// predicts participation exactly for some people) and non-convergence are reported as errors
// rather than returned as a silently meaningless fit.
#pragma once

#include "yosmodel/core/detail/eigen_core.hpp"

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/evaluation/design_matrix.hpp"

namespace yosmodel::evaluation {

struct LogisticOptions {
    bool intercept = true;         ///< add a constant column (named "(intercept)") in front
    unsigned max_iterations = 50;  ///< Newton steps before giving up
    /// Converged when the Newton decrement g'H^-1 g (twice the log-likelihood still to gain)
    /// falls below this; the step then taken makes the coefficients accurate to about 1e-10.
    double tolerance = 1e-10;
    unsigned threads = 0;  ///< 0: every core; results do not depend on it
};

struct LogisticFit {
    std::vector<std::string> names;   ///< "(intercept)" (when fitted), then the covariates
    Eigen::VectorXd coefficients;     ///< log-odds per unit of each covariate
    Eigen::VectorXd standard_errors;  ///< from the inverse of the observed information
    std::vector<double> logits;       ///< linear predictor (log-odds) of every row
    double deviance = 0;              ///< -2 log-likelihood
    unsigned iterations = 0;
};

/// The probability that a log-odds value stands for, computed without overflow.
inline double inverse_logit(double logit) {
    if (logit >= 0) return 1.0 / (1.0 + std::exp(-logit));
    const double e = std::exp(logit);
    return e / (1.0 + e);
}

/// Fits P(outcome = 1) = 1 / (1 + exp(-x'b)) by maximum likelihood.
/// Throws InputError for bad input (lengths, outcome not 0/1, one class only, NaN covariates),
/// RankDeficiencyError, SeparationError or ConvergenceError.
LogisticFit fit_logistic(const DesignMatrix& x, std::span<const std::uint8_t> outcome,
                         const LogisticOptions& options = {});

}  // namespace yosmodel::evaluation

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/evaluation/detail/logistic_regression-inl.hpp"
#endif
