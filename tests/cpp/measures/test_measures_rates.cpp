// Rates per population, funnel limits and the relative rate index, against values worked by hand
// (the Poisson and binomial tails written out) rather than against the library itself.
#include <gtest/gtest.h>

#include <cmath>

#include "yosmodel/measures/funnel_limits.hpp"
#include "yosmodel/measures/poisson_limits.hpp"
#include "yosmodel/measures/relative_rate.hpp"

using namespace yosmodel;
using namespace yosmodel::measures;

TEST(PoissonLimits, ZeroEventsHasTheClosedFormUpperLimit) {
    // P(X = 0 | mu) = exp(-mu) = 0.025 gives mu = -ln(0.025).
    const auto l = poisson_limits(0, 0.95);
    EXPECT_EQ(l.lower, 0.0);
    EXPECT_NEAR(l.upper, -std::log(0.025), 1e-10);
}

TEST(PoissonLimits, OneEventHasClosedFormLimits) {
    // Lower: P(X >= 1 | mu) = 1 - exp(-mu) = 0.025. Upper: P(X <= 1 | mu) = exp(-mu)(1 + mu) =
    // 0.025, checked by substitution.
    const auto l = poisson_limits(1, 0.95);
    EXPECT_NEAR(l.lower, -std::log(0.975), 1e-10);
    EXPECT_NEAR(std::exp(-l.upper) * (1.0 + l.upper), 0.025, 1e-12);
}

TEST(PoissonLimits, TailsAtTheLimitsAreExact) {
    // At the limits the Poisson tails equal alpha/2 = 0.05 (90% limits for 7 events).
    const auto l = poisson_limits(7, 0.90);
    const auto cdf = [](int k, double mu) {
        double term = std::exp(-mu), sum = 0.0;
        for (int i = 0; i <= k; ++i) {
            sum += term;
            term *= mu / (i + 1);
        }
        return sum;
    };
    EXPECT_NEAR(1.0 - cdf(6, l.lower), 0.05, 1e-10);
    EXPECT_NEAR(cdf(7, l.upper), 0.05, 1e-10);
}

TEST(PopulationRate, ScalesTheCountLimits) {
    const auto r = population_rate(25, 4600.0, 100000.0, 0.95);
    const auto l = poisson_limits(25, 0.95);
    EXPECT_TRUE(r.defined);
    EXPECT_NEAR(r.rate, 25.0 / 4600.0 * 100000.0, 1e-9);
    EXPECT_NEAR(r.lower, l.lower / 4600.0 * 100000.0, 1e-9);
    EXPECT_NEAR(r.upper, l.upper / 4600.0 * 100000.0, 1e-9);
}

TEST(PopulationRate, ZeroPopulationIsUndefinedNotZero) {
    const auto r = population_rate(0, 0.0, 100000.0, 0.95);
    EXPECT_FALSE(r.defined);
    EXPECT_TRUE(std::isnan(r.rate));
    EXPECT_TRUE(std::isnan(r.upper));
}

TEST(PopulationRate, RejectsBadInput) {
    EXPECT_THROW((void)population_rate(1, -1.0, 1e5, 0.95), InputError);
    EXPECT_THROW((void)population_rate(1, 10.0, 0.0, 0.95), InputError);
    EXPECT_THROW((void)population_rate(1, 10.0, 1e5, 1.0), InputError);
}

TEST(FunnelLimits, HandWorkedTwoTrials) {
    // Binomial(2, 0.5): F(0) = 0.25, F(1) = 0.75, F(2) = 1.
    // Upper (p = 0.975): r = 2, a = (1 - 0.975) / (1 - 0.75) = 0.1, limit (2 - 0.1) / 2 = 0.95.
    // Lower (p = 0.025): r = 0, a = (0.25 - 0.025) / 0.25 = 0.9, limit -0.45, clipped to 0.
    const auto l = funnel_limits(0.5, 2, 0.95);
    EXPECT_NEAR(l.upper, 0.95, 1e-12);
    EXPECT_EQ(l.lower, 0.0);
}

TEST(FunnelLimits, HandWorkedTenTrials) {
    // Binomial(10, 0.3), p = 0.975: F(5) = 0.952651, F(6) = 0.989408, so r = 6;
    // a = (F(6) - 0.975) / (F(6) - F(5)).
    const double f5 = 0.9526510126, f6 = 0.9894079216;
    const auto l = funnel_limits(0.3, 10, 0.95);
    EXPECT_NEAR(l.upper, (6.0 - (f6 - 0.975) / (f6 - f5)) / 10.0, 1e-8);
}

TEST(FunnelLimits, NarrowWithSizeAndWidenWithLevel) {
    const auto small = funnel_limits(0.35, 50, 0.95);
    const auto large = funnel_limits(0.35, 5000, 0.95);
    const auto wide = funnel_limits(0.35, 50, 0.998);
    EXPECT_LT(large.upper - large.lower, small.upper - small.lower);
    EXPECT_GT(wide.upper, small.upper);
    EXPECT_LT(wide.lower, small.lower);
    EXPECT_TRUE(std::isnan(funnel_limits(0.35, 0, 0.95).upper));
    EXPECT_THROW((void)funnel_limits(1.5, 10, 0.95), InputError);
}

TEST(RelativeRateIndex, HandWorkedLogInterval) {
    // 30 of 1,000 against 10 of 1,000... here 20 of 2,000: index (0.03 / 0.01) = 3.
    const auto r = relative_rate_index(30, 1000.0, 20, 2000.0, 0.95, RateVariance::proportion);
    EXPECT_TRUE(r.defined);
    EXPECT_NEAR(r.index, 3.0, 1e-12);
    const double se = std::sqrt(1.0 / 30 - 1.0 / 1000 + 1.0 / 20 - 1.0 / 2000);
    EXPECT_NEAR(r.lower, 3.0 * std::exp(-1.959963985 * se), 1e-7);
    EXPECT_NEAR(r.upper, 3.0 * std::exp(1.959963985 * se), 1e-7);
    const auto p = relative_rate_index(30, 1000.0, 20, 2000.0, 0.95, RateVariance::poisson);
    EXPECT_NEAR(p.upper, 3.0 * std::exp(1.959963985 * std::sqrt(1.0 / 30 + 1.0 / 20)), 1e-7);
}

TEST(RelativeRateIndex, NoEventsHaveNoLogInterval) {
    const auto none = relative_rate_index(0, 100.0, 5, 100.0, 0.95, RateVariance::proportion);
    EXPECT_FALSE(none.defined);
    EXPECT_EQ(none.index, 0.0);
    const auto no_reference = relative_rate_index(5, 100.0, 0, 100.0, 0.95, RateVariance::poisson);
    EXPECT_TRUE(std::isnan(no_reference.index));
    EXPECT_THROW((void)relative_rate_index(5, 4.0, 1, 10.0, 0.95, RateVariance::proportion),
                 InputError);
}
