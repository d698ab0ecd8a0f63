// Intervention evaluation in the core: the logistic fit against closed forms and statsmodels,
// matching against hand-worked cases and a brute-force search, balance and effects against
// hand-worked numbers (scipy for the t distribution), and every guard.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "yosmodel/evaluation/balance.hpp"
#include "yosmodel/evaluation/detail/random_key.hpp"
#include "yosmodel/evaluation/effect.hpp"
#include "yosmodel/evaluation/logistic_regression.hpp"
#include "yosmodel/evaluation/matching.hpp"

using namespace yosmodel;
using namespace yosmodel::evaluation;

namespace {

RowMajorMatrix column(const std::vector<double>& values) {
    RowMajorMatrix m(static_cast<Eigen::Index>(values.size()), 1);
    for (std::size_t i = 0; i < values.size(); ++i)
        m(static_cast<Eigen::Index>(i), 0) = values[i];
    return m;
}

RowMajorMatrix columns(const std::vector<std::vector<double>>& cols) {
    RowMajorMatrix m(static_cast<Eigen::Index>(cols[0].size()),
                     static_cast<Eigen::Index>(cols.size()));
    for (std::size_t j = 0; j < cols.size(); ++j)
        for (std::size_t i = 0; i < cols[j].size(); ++i)
            m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = cols[j][i];
    return m;
}

template <class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// ---- logistic regression ----------------------------------------------------------------------

TEST(LogisticRegression, OneBinaryCovariateHasAClosedForm) {
    // x = 0: 3 of 10 positive; x = 1: 6 of 10. The MLE reproduces both proportions exactly.
    std::vector<double> x;
    std::vector<std::uint8_t> y;
    for (int i = 0; i < 10; ++i) {
        x.push_back(0);
        y.push_back(i < 3);
    }
    for (int i = 0; i < 10; ++i) {
        x.push_back(1);
        y.push_back(i < 6);
    }
    const auto m = column(x);
    const auto fit = fit_logistic(DesignMatrix(m, {"x"}), y);
    const auto logit = [](double p) { return std::log(p / (1 - p)); };
    EXPECT_NEAR(fit.coefficients(0), logit(0.3), 1e-12);
    EXPECT_NEAR(fit.coefficients(1), logit(0.6) - logit(0.3), 1e-12);
    EXPECT_NEAR(fit.standard_errors(0), std::sqrt(1 / (10 * 0.21)), 1e-10);
    EXPECT_NEAR(fit.standard_errors(1), std::sqrt(1 / (10 * 0.21) + 1 / (10 * 0.24)), 1e-10);
    EXPECT_EQ(fit.names, (std::vector<std::string>{"(intercept)", "x"}));
    EXPECT_NEAR(inverse_logit(fit.logits[0]), 0.3, 1e-12);
    EXPECT_NEAR(inverse_logit(fit.logits[19]), 0.6, 1e-12);
}

TEST(LogisticRegression, MatchesStatsmodels) {
    // Reference: statsmodels 0.14 Logit(y, add_constant(X)).fit(method="newton", tol=1e-14).
    const auto m = columns({{0.5, 1.2, -0.3, 2.1, 0.0, 1.5, -1.1, 0.7, 1.9, -0.6, 0.3, 1.0},
                            {1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1}});
    const std::vector<std::uint8_t> y = {0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0};
    const auto fit = fit_logistic(DesignMatrix(m, {"x1", "x2"}), y);
    const double params[] = {-2.01713686, 4.11882556, -3.82106172};
    const double bse[] = {1.8083336, 2.30595727, 3.11772296};
    for (int j = 0; j < 3; ++j) {
        EXPECT_NEAR(fit.coefficients(j), params[j], 1e-7);
        EXPECT_NEAR(fit.standard_errors(j), bse[j], 1e-6);
    }
    EXPECT_NEAR(fit.deviance, 5.738972916404025, 1e-9);
}

TEST(LogisticRegression, ResultDoesNotDependOnThreads) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    const Eigen::Index n = 20000;
    RowMajorMatrix m(n, 3);
    std::vector<std::uint8_t> y(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        for (int j = 0; j < 3; ++j)
            m(i, j) = normal(rng);
        const double eta = -1 + 0.5 * m(i, 0) - 0.3 * m(i, 1);
        y[static_cast<std::size_t>(i)] =
            std::uniform_real_distribution<double>()(rng) < inverse_logit(eta);
    }
    const DesignMatrix x(m);
    const auto one = fit_logistic(x, y, {.threads = 1});
    const auto two = fit_logistic(x, y, {.threads = 2});
    const auto three = fit_logistic(x, y, {.threads = 3});
    EXPECT_EQ(one.coefficients, two.coefficients);
    EXPECT_EQ(one.coefficients, three.coefficients);
    EXPECT_EQ(one.logits, two.logits);
    EXPECT_NEAR(one.coefficients(1), 0.5, 0.1);
}

TEST(LogisticRegression, WithoutIntercept) {
    const auto m = column({-2, -1, -0.5, 0.5, 1, 2, -1.5, 1.5});
    const std::vector<std::uint8_t> y = {0, 1, 0, 1, 0, 1, 1, 0};
    const auto fit = fit_logistic(DesignMatrix(m, {"x"}), y, {.intercept = false});
    ASSERT_EQ(fit.coefficients.size(), 1);
    // The score equation sum x (y - p) = 0 holds at the estimate.
    double score = 0;
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        score += m(i, 0) *
                 (y[static_cast<std::size_t>(i)] - inverse_logit(fit.coefficients(0) * m(i, 0)));
    EXPECT_NEAR(score, 0.0, 1e-10);
}

TEST(LogisticRegression, CompleteSeparationIsReported) {
    const auto m = column({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    const std::vector<std::uint8_t> y = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    EXPECT_THROW(fit_logistic(DesignMatrix(m, {"age"}), y), SeparationError);
}

TEST(LogisticRegression, QuasiSeparationIsReported) {
    // Rows with x = 5 hold both outcomes; everyone else is predicted exactly.
    const auto m = column({1, 2, 3, 4, 5, 5, 6, 7, 8, 9});
    const std::vector<std::uint8_t> y = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    const auto message = message_of([&] { fit_logistic(DesignMatrix(m, {"age"}), y); });
    EXPECT_NE(message.find("separation"), std::string::npos) << message;
}

TEST(LogisticRegression, CategoryWithOnlyNonParticipantsIsSeparation) {
    std::mt19937_64 rng(3);
    std::vector<double> noise, category;
    std::vector<std::uint8_t> y;
    for (int i = 0; i < 300; ++i) {
        noise.push_back(std::normal_distribution<double>()(rng));
        const bool in_category = i % 5 == 0;
        category.push_back(in_category);
        y.push_back(!in_category && (rng() % 3 == 0));
    }
    const auto m = columns({noise, category});
    EXPECT_THROW(fit_logistic(DesignMatrix(m, {"noise", "yjs=B"}), y), SeparationError);
}

TEST(LogisticRegression, RankDeficiencyNamesTheColumn) {
    const std::vector<double> a = {1, 2, 3, 4, 5, 6, 7, 8};
    const std::vector<double> b = {2, 1, 4, 3, 6, 5, 8, 9};
    std::vector<double> sum(8);
    for (int i = 0; i < 8; ++i)
        sum[i] = a[i] + b[i];
    const std::vector<std::uint8_t> y = {0, 1, 0, 1, 1, 0, 1, 0};
    const auto dependent = columns({a, b, sum});
    const auto message = message_of([&] {
        fit_logistic(DesignMatrix(dependent, {"a", "b", "a_plus_b"}), y);
    });
    EXPECT_NE(message.find("linearly dependent"), std::string::npos) << message;
    EXPECT_THROW(fit_logistic(DesignMatrix(dependent, {"a", "b", "c"}), y), RankDeficiencyError);
    const auto constant = columns({a, std::vector<double>(8, 3.0)});
    EXPECT_THROW(fit_logistic(DesignMatrix(constant, {"a", "flag"}), y), RankDeficiencyError);
    const auto zero = columns({a, std::vector<double>(8, 0.0)});
    EXPECT_NE(message_of([&] {
                  fit_logistic(DesignMatrix(zero, {"a", "flag"}), y);
              }).find("'flag'"),
              std::string::npos);
}

TEST(LogisticRegression, NonConvergenceIsReported) {
    const auto m = column({0.1, 0.5, 0.2, 0.9, 0.4, 0.8, 0.3, 0.7});
    const std::vector<std::uint8_t> y = {0, 1, 0, 1, 1, 0, 0, 1};
    EXPECT_THROW(fit_logistic(DesignMatrix(m), y, {.max_iterations = 1}), ConvergenceError);
}

TEST(LogisticRegression, InputGuardsNeverEchoValues) {
    const auto m = column({123.456, 2, 3, 4});
    EXPECT_THROW(fit_logistic(DesignMatrix(m), std::vector<std::uint8_t>{0, 1, 0}), InputError);
    EXPECT_THROW(fit_logistic(DesignMatrix(m), std::vector<std::uint8_t>{0, 0, 0, 0}), InputError);
    const auto bad = message_of([&] {
        fit_logistic(DesignMatrix(m), std::vector<std::uint8_t>{0, 7, 0, 1});
    });
    EXPECT_NE(bad.find("1 row(s)"), std::string::npos) << bad;
    EXPECT_EQ(bad.find('7'), std::string::npos) << bad;
    const auto nan = column({123.456, std::numeric_limits<double>::quiet_NaN(), 3, 4});
    const auto missing = message_of([&] {
        fit_logistic(DesignMatrix(nan, {"age"}), std::vector<std::uint8_t>{0, 1, 0, 1});
    });
    EXPECT_NE(missing.find("'age'"), std::string::npos) << missing;
    EXPECT_EQ(missing.find("123"), std::string::npos) << missing;
    EXPECT_THROW(DesignMatrix(m, {"a", "b"}), InputError);
}

// ---- matching ---------------------------------------------------------------------------------

TEST(Matching, HandWorkedWithReplacement) {
    const std::vector<double> treated = {0.0, 1.0, 2.5, 0.95};
    const std::vector<double> pool = {-0.3, 0.2, 0.9, 3.5};
    const auto m = match_nearest(treated, pool);
    EXPECT_EQ(m.comparison, (std::vector<std::int64_t>{1, 2, 3, 2}));
    EXPECT_NEAR(m.distance[0], 0.2, 1e-15);
    EXPECT_NEAR(m.distance[2], 1.0, 1e-15);
    EXPECT_EQ(m.matched, 4U);
    EXPECT_EQ(comparison_weights(m, pool.size()), (std::vector<double>{0, 1, 2, 1}));
    const auto caliper = match_nearest(treated, pool, {.caliper = 0.5});
    EXPECT_EQ(caliper.comparison, (std::vector<std::int64_t>{1, 2, -1, 2}));
    EXPECT_TRUE(std::isnan(caliper.distance[2]));
    EXPECT_EQ(caliper.matched, 3U);
}

TEST(Matching, HandWorkedWithoutReplacement) {
    // 0.95 and 1.0 both want pool 0.9; whoever goes second takes the next nearest unused.
    const std::vector<double> treated = {0.0, 1.0, 0.95};
    const std::vector<double> pool = {-0.3, 0.2, 0.9, 1.3};
    std::set<std::vector<std::int64_t>> seen;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const auto m = match_nearest(treated, pool, {.replacement = false, .seed = seed});
        EXPECT_EQ(m.comparison[0], 1);
        seen.insert(m.comparison);
    }
    // 1.0 first: 1.0 -> 0.9, 0.95 -> 1.3 (0.35 beats 0.75); 0.95 first: 0.95 -> 0.9, 1.0 -> 1.3.
    EXPECT_EQ(seen, (std::set<std::vector<std::int64_t>>{{1, 2, 3}, {1, 3, 2}}));
    const auto tight = match_nearest(treated, pool, {.caliper = 0.2, .replacement = false});
    EXPECT_EQ(tight.matched, 2U);
}

TEST(Matching, LeftNeighbourWithoutReplacement) {
    const std::vector<double> treated = {1.0, 1.05};
    const std::vector<double> pool = {0.8, 0.98, 3.0};
    const auto m = match_nearest(treated, pool, {.replacement = false});
    // Whichever is first takes 0.98; the other then prefers 0.8 (left) over 3.0 (right).
    const std::set<std::int64_t> used(m.comparison.begin(), m.comparison.end());
    EXPECT_EQ(used, (std::set<std::int64_t>{0, 1}));
}

TEST(Matching, TiesAreSpreadAtRandomAndReproducible) {
    const std::vector<double> treated(300, 0.5);
    const std::vector<double> pool = {0.0, 0.75, 0.75, 0.75, 0.25, 2.0};  // a tie at 0.25
    const auto a = match_nearest(treated, pool, {.seed = 11});
    const auto b = match_nearest(treated, pool, {.seed = 11, .threads = 1});
    const auto c = match_nearest(treated, pool, {.seed = 12});
    EXPECT_EQ(a.comparison, b.comparison);
    EXPECT_NE(a.comparison, c.comparison);
    const auto weights = comparison_weights(a, pool.size());
    for (int j : {1, 2, 3, 4})
        EXPECT_GT(weights[static_cast<std::size_t>(j)], 30) << j;
    EXPECT_EQ(weights[0] + weights[5], 0);
}

TEST(Matching, ExactStrataAreRespected) {
    const std::vector<double> treated = {0.0, 0.0, 0.0};
    const std::vector<std::int64_t> treated_strata = {1, 0, 2};
    const std::vector<double> pool = {0.01, 0.5, 0.02};
    const std::vector<std::int64_t> pool_strata = {0, 1, 0};
    const auto m = match_nearest(treated, pool, {}, treated_strata, pool_strata);
    EXPECT_EQ(m.comparison[0], 1);  // the only pool member in stratum 1, though farther
    EXPECT_EQ(m.comparison[1], 0);
    EXPECT_EQ(m.comparison[2], -1);  // nobody in stratum 2
    const auto without =
        match_nearest(treated, pool, {.replacement = false}, treated_strata, pool_strata);
    EXPECT_EQ(without.comparison[0], 1);
    EXPECT_EQ(without.comparison[1], 0);
    EXPECT_EQ(without.comparison[2], -1);
}

TEST(Matching, AgreesWithBruteForce) {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal;
    std::vector<double> treated(400), pool(3000);
    std::vector<std::int64_t> ts(treated.size()), ps(pool.size());
    for (std::size_t i = 0; i < treated.size(); ++i) {
        treated[i] = normal(rng) + 0.5;
        ts[i] = static_cast<std::int64_t>(rng() % 3);
    }
    for (std::size_t j = 0; j < pool.size(); ++j) {
        pool[j] = normal(rng);
        ps[j] = static_cast<std::int64_t>(rng() % 3);
    }
    const double caliper = 0.2 * pooled_standard_deviation(treated, pool);
    for (const bool replacement : {true, false}) {
        const std::uint64_t seed = 99;
        const auto m = match_nearest(
            treated, pool, {.caliper = caliper, .replacement = replacement, .seed = seed}, ts, ps);
        // Reference: the same greedy order, scanning every unused pool member.
        std::vector<std::size_t> order(treated.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        if (!replacement)
            std::sort(order.begin(), order.end(), [&](auto a, auto b) {
                return detail::random_key(seed, 3, a) < detail::random_key(seed, 3, b);
            });
        std::vector<bool> used(pool.size(), false);
        for (const auto i : order) {
            std::int64_t best = -1;
            double best_distance = caliper;
            for (std::size_t j = 0; j < pool.size(); ++j) {
                if (ps[j] != ts[i] || used[j]) continue;
                const double d = std::fabs(pool[j] - treated[i]);
                if (d <= best_distance) {
                    best_distance = d;
                    best = static_cast<std::int64_t>(j);
                }
            }
            ASSERT_EQ(m.comparison[i], best) << "replacement " << replacement << " row " << i;
            if (best >= 0 && !replacement) used[static_cast<std::size_t>(best)] = true;
        }
        if (!replacement) {
            std::set<std::int64_t> distinct;
            for (auto c : m.comparison) {
                if (c >= 0) {
                    EXPECT_TRUE(distinct.insert(c).second);
                }
            }
        }
    }
}

TEST(Matching, Guards) {
    const std::vector<double> ok = {0.0, 1.0};
    const std::vector<double> nan = {0.0, std::numeric_limits<double>::quiet_NaN()};
    EXPECT_THROW(match_nearest(nan, ok), InputError);
    EXPECT_THROW(match_nearest(ok, nan), InputError);
    EXPECT_THROW(match_nearest(ok, ok, {.caliper = 0}), InputError);
    EXPECT_THROW(match_nearest(ok, ok, {.caliper = std::numeric_limits<double>::quiet_NaN()}),
                 InputError);
    const std::vector<std::int64_t> strata = {0, 1};
    EXPECT_THROW(match_nearest(ok, ok, {}, strata, {}), InputError);
    EXPECT_THROW(match_nearest(ok, ok, {}, strata, std::vector<std::int64_t>{0}), InputError);
    EXPECT_EQ(match_nearest(ok, {}).matched, 0U);
}

TEST(Matching, PooledStandardDeviation) {
    const std::vector<double> a = {1, 2, 3}, b = {2, 4, 6, 8};  // variances 1 and 20/3
    EXPECT_NEAR(pooled_standard_deviation(a, b), std::sqrt((1 + 20.0 / 3) / 2), 1e-15);
}

// ---- balance and effects ----------------------------------------------------------------------

TEST(Balance, HandWorked) {
    // Participants 1, 2, 3 (mean 2, variance 1); pool 2, 4, 6, 8 (mean 5, variance 20/3).
    const auto m = column({1, 2, 3, 2, 4, 6, 8});
    const std::vector<std::uint8_t> treated = {1, 1, 1, 0, 0, 0, 0};
    const std::vector<double> weights = {1, 1, 1, 0, 2, 1, 0};
    const auto b = standardised_differences(DesignMatrix(m, {"age"}), treated, weights);
    const double sd = std::sqrt((1 + 20.0 / 3) / 2);
    EXPECT_NEAR(b.before[0], (2 - 5) / sd, 1e-14);
    EXPECT_NEAR(b.after[0], (2 - 14.0 / 3) / sd, 1e-14);
    EXPECT_NEAR(b.comparison_mean_after[0], 14.0 / 3, 1e-14);
    EXPECT_EQ(b.names[0], "age");
    EXPECT_THROW(standardised_differences(DesignMatrix(m), treated, std::vector<double>(7, -1.0)),
                 InputError);
    const auto constant = column({1, 1, 1, 1, 1, 1, 1});
    EXPECT_EQ(standardised_differences(DesignMatrix(constant), treated, weights).before[0], 0.0);
}

TEST(Effect, HandWorked) {
    // Participants 1, 0, 1, 1; comparison 0 (weight 2), 1, 0; expected values from scipy.stats.t.
    const std::vector<double> values = {1, 0, 1, 1, 0, 1, 0, 5};
    const std::vector<std::uint8_t> treated = {1, 1, 1, 1, 0, 0, 0, 0};
    const std::vector<double> weights = {1, 1, 1, 1, 2, 1, 1, 0};
    const auto e = weighted_difference(values, treated, weights, 0.95);
    EXPECT_EQ(e.participants.n, 4U);
    EXPECT_EQ(e.comparison.n, 3U);
    EXPECT_DOUBLE_EQ(e.comparison.weight, 4.0);
    EXPECT_DOUBLE_EQ(e.participants.mean, 0.75);
    EXPECT_DOUBLE_EQ(e.comparison.mean, 0.25);
    EXPECT_NEAR(e.participants.standard_error, 0.25, 1e-15);
    EXPECT_NEAR(e.comparison.standard_error, std::sqrt(0.08203125), 1e-15);
    EXPECT_NEAR(e.standard_error, 0.3801726581436387, 1e-14);
    EXPECT_NEAR(e.degrees_of_freedom, 4.4762942779291555, 1e-12);
    EXPECT_NEAR(e.p_value, 0.25177685321511134, 1e-10);
    EXPECT_NEAR(e.upper, 0.5 + 2.6637280651419113 * 0.3801726581436387, 1e-9);
}

// An outcome in very large or very small units (costs in pence over decades, rates per
// billion): the error scales with the unit; the degrees of freedom, interval in units and
// p-value do not change. Squaring errors of 1e160 gave an infinite or undefined df before.
TEST(Effect, UnitsDoNotChangeTheTest) {
    const std::vector<double> values = {1, 0, 1, 1, 0, 1, 0, 5};
    const std::vector<std::uint8_t> treated = {1, 1, 1, 1, 0, 0, 0, 0};
    const std::vector<double> weights = {1, 1, 1, 1, 2, 1, 1, 0};
    const auto unit = weighted_difference(values, treated, weights, 0.95);
    for (const double scale : {1e-200, 1e-160, 1e160, 1e200}) {
        std::vector<double> scaled = values;
        for (double& v : scaled)
            v *= scale;
        const auto e = weighted_difference(scaled, treated, weights, 0.95);
        EXPECT_NEAR(e.degrees_of_freedom, unit.degrees_of_freedom, 1e-12) << scale;
        EXPECT_NEAR(e.p_value, unit.p_value, 1e-12) << scale;
        EXPECT_NEAR(e.standard_error / scale, unit.standard_error, 1e-14) << scale;
        EXPECT_NEAR(e.upper / scale, unit.upper, 1e-12) << scale;
        EXPECT_NEAR(e.participants.standard_error / scale, unit.participants.standard_error, 1e-14)
            << scale;
    }
}

TEST(Effect, MissingValuesAreLeftOutAndGuardsFire) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> values = {10, nan, 20, 30, nan, 50};
    const std::vector<std::uint8_t> treated = {1, 1, 1, 0, 0, 0};
    const std::vector<double> weights(6, 1.0);
    const auto e = weighted_difference(values, treated, weights);
    EXPECT_EQ(e.participants.n, 2U);
    EXPECT_EQ(e.comparison.n, 2U);
    EXPECT_DOUBLE_EQ(e.difference, 15 - 40);
    const std::vector<double> same = {1, 1, 1, 1, 1, 1};
    const auto zero = weighted_difference(same, treated, weights);
    EXPECT_EQ(zero.difference, 0.0);
    EXPECT_TRUE(std::isnan(zero.p_value));
    // A group whose values are all the same has no spread: an error of 0, not unknown (the
    // evaluation says such a group makes the interval too narrow).
    EXPECT_EQ(zero.participants.standard_error, 0.0);
    EXPECT_EQ(zero.standard_error, 0.0);
    EXPECT_EQ(zero.lower, zero.upper);
    EXPECT_THROW(weighted_difference(values, treated, weights, 1.5), InputError);
    EXPECT_THROW(weighted_difference(values, treated, std::vector<double>(5, 1.0)), InputError);
    const std::vector<double> infinite = {1, std::numeric_limits<double>::infinity(), 1, 1, 1, 1};
    EXPECT_THROW(weighted_difference(infinite, treated, weights), InputError);
}

// ---- the chain, as docs/evaluation.md shows it ------------------------------------------------

TEST(Evaluation, DocumentationExampleBalancesTheCovariates) {
    std::mt19937_64 rng(1);
    std::normal_distribution<double> normal;
    RowMajorMatrix x(600, 2);
    std::vector<std::uint8_t> treated(600);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const bool participant = i % 6 == 0;
        treated[static_cast<std::size_t>(i)] = participant;
        x(i, 0) = 15 + normal(rng) + (participant ? 0.5 : 0.0);
        x(i, 1) = std::fabs(normal(rng)) * 2 + (participant ? 1.0 : 0.0);
    }
    // As in docs/evaluation.md:
    const LogisticFit fit = fit_logistic(DesignMatrix(x, {"age", "previous_offences"}), treated);
    std::vector<double> t, c;
    for (std::size_t i = 0; i < treated.size(); ++i)
        (treated[i] ? t : c).push_back(fit.logits[i]);
    const Matches m = match_nearest(t, c, {.caliper = 0.2 * pooled_standard_deviation(t, c)});

    EXPECT_GT(m.matched, 90U);
    EXPECT_GT(fit.coefficients(2), 0.0);
    const auto pool_weights = comparison_weights(m, c.size());
    std::vector<double> weights(treated.size());
    for (std::size_t i = 0, p = 0, q = 0; i < treated.size(); ++i)
        weights[i] = treated[i] ? (m.comparison[p++] >= 0 ? 1.0 : 0.0) : pool_weights[q++];
    const auto balance = standardised_differences(DesignMatrix(x), treated, weights);
    for (std::size_t j = 0; j < 2; ++j) {
        EXPECT_GT(std::fabs(balance.before[j]), 0.3) << j;
        EXPECT_LT(std::fabs(balance.after[j]), 0.1) << j;
    }
}

TEST(LogisticRegression, ACovariateFarFromZeroIsFittedAsItself) {
    // age + 10^6 beside age: the same model with the intercept moved. Uncentred, the rank check
    // took it for a multiple of the intercept ("constant or a combination of other covariates").
    std::mt19937_64 rng(11);
    const Eigen::Index n = 400;
    RowMajorMatrix near(n, 2);
    RowMajorMatrix far(n, 2);
    std::vector<std::uint8_t> y(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        near(i, 0) = 10 + static_cast<double>(rng() % 8);
        near(i, 1) = std::normal_distribution<double>()(rng);
        far(i, 0) = near(i, 0) + 1e6;
        far(i, 1) = near(i, 1);
        const double eta = -3 + 0.2 * near(i, 0) + 0.5 * near(i, 1);
        y[static_cast<std::size_t>(i)] =
            std::uniform_real_distribution<double>()(rng) < inverse_logit(eta);
    }
    const auto a = fit_logistic(DesignMatrix(near, {"age", "risk"}), y);
    const auto b = fit_logistic(DesignMatrix(far, {"age", "risk"}), y);
    EXPECT_NEAR(b.coefficients(1), a.coefficients(1), 1e-9);
    EXPECT_NEAR(b.coefficients(2), a.coefficients(2), 1e-9);
    EXPECT_NEAR(b.coefficients(0), a.coefficients(0) - 1e6 * a.coefficients(1),
                1e-6 * std::fabs(1e6 * a.coefficients(1)));
    EXPECT_NEAR(b.standard_errors(1), a.standard_errors(1), 1e-9);
    for (Eigen::Index i = 0; i < n; ++i)
        EXPECT_NEAR(b.logits[static_cast<std::size_t>(i)], a.logits[static_cast<std::size_t>(i)],
                    1e-6);
    EXPECT_NEAR(a.deviance, b.deviance, 1e-6);
    // A covariate that is the same in every row is named as such.
    const auto constant = columns({std::vector<double>(8, 2016.0), {1, 2, 3, 4, 5, 6, 7, 8}});
    const std::vector<std::uint8_t> z = {0, 1, 0, 1, 1, 0, 1, 0};
    const auto message = message_of([&] {
        fit_logistic(DesignMatrix(constant, {"year", "age"}), z);
    });
    EXPECT_NE(message.find("'year' is the same in every row"), std::string::npos) << message;
}
