// Intervals and tests against published golden values (methodology.md section 4; R binom.confint
// and statsmodels give the same) and their edge cases.
#include <gtest/gtest.h>

#include <cmath>

#include "yosmodel/stats/difference.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

using namespace yosmodel;
using namespace yosmodel::stats;

TEST(ProportionInterval, WilsonGolden) {
    const auto i = proportion_interval(18, 20, 0.95);
    EXPECT_NEAR(i.lower, 0.6989664, 5e-8);
    EXPECT_NEAR(i.upper, 0.9721335, 5e-8);
}

TEST(ProportionInterval, WilsonIsExactAtTheEdges) {
    for (std::uint64_t n : {1U, 10U, 20U, 57U, 1000U}) {
        EXPECT_EQ(proportion_interval(0, n, 0.95).lower, 0.0) << n;
        EXPECT_EQ(proportion_interval(n, n, 0.95).upper, 1.0) << n;
        EXPECT_EQ(proportion_interval(n, n, 0.998).upper, 1.0) << n;
    }
}

TEST(ProportionInterval, ClopperPearsonGolden) {
    const auto i = proportion_interval(0, 30, 0.95, IntervalMethod::clopper_pearson);
    EXPECT_EQ(i.lower, 0.0);
    EXPECT_NEAR(i.upper, 0.1157033, 5e-8);
    const auto full = proportion_interval(30, 30, 0.95, IntervalMethod::clopper_pearson);
    EXPECT_NEAR(full.lower, 1 - 0.1157033, 5e-8);
    EXPECT_EQ(full.upper, 1.0);
}

TEST(ProportionInterval, WaldAndAgrestiCoullAreClipped) {
    const auto wald = proportion_interval(1, 3, 0.99, IntervalMethod::wald);
    EXPECT_EQ(wald.lower, 0.0);
    const auto ac = proportion_interval(0, 5, 0.95, IntervalMethod::agresti_coull);
    EXPECT_EQ(ac.lower, 0.0);
    EXPECT_GT(ac.upper, 0.0);
}

TEST(ProportionInterval, EveryMethodContainsTheEstimate) {
    for (auto m : {IntervalMethod::wilson, IntervalMethod::clopper_pearson,
                   IntervalMethod::jeffreys, IntervalMethod::agresti_coull, IntervalMethod::wald})
        for (std::uint64_t x : {1U, 7U, 19U}) {
            const auto i = proportion_interval(x, 20, 0.9, m);
            EXPECT_LE(i.lower, x / 20.0);
            EXPECT_GE(i.upper, x / 20.0);
        }
}

TEST(ProportionInterval, ZeroTrialsIsUndefined) {
    const auto i = proportion_interval(0, 0, 0.95);
    EXPECT_TRUE(std::isnan(i.lower) && std::isnan(i.upper));
}

TEST(ProportionInterval, BadArguments) {
    EXPECT_THROW((void)proportion_interval(5, 4, 0.95), InputError);
    EXPECT_THROW((void)proportion_interval(1, 4, 1.0), InputError);
    EXPECT_THROW((void)proportion_interval(1, 4, 0.0), InputError);
    EXPECT_THROW((void)parse_interval_method("bayes"), InputError);
    EXPECT_EQ(parse_interval_method("jeffreys"), IntervalMethod::jeffreys);
}

TEST(Difference, NewcombeGolden) {
    const auto d = newcombe_difference(56, 70, 48, 80);
    EXPECT_NEAR(d.estimate, 0.2, 1e-12);
    EXPECT_NEAR(d.lower, 0.0524, 5e-5);
    EXPECT_NEAR(d.upper, 0.3339, 5e-5);
}

TEST(Difference, ZTestGolden) {
    const auto t = two_proportion_ztest(56, 70, 48, 80);
    EXPECT_TRUE(t.defined);
    EXPECT_NEAR(t.z, 2.6502, 5e-5);
    EXPECT_NEAR(t.p_value, 0.00805, 5e-6);
}

TEST(Difference, PooledZeroOrOneIsUndefinedNotADivisionByZero) {
    for (const auto& t :
         {two_proportion_ztest(0, 10, 0, 20), two_proportion_ztest(10, 10, 20, 20)}) {
        EXPECT_FALSE(t.defined);
        EXPECT_TRUE(std::isnan(t.z));
        EXPECT_TRUE(std::isnan(t.p_value));
    }
}

TEST(Difference, IsAntisymmetric) {
    const auto ab = newcombe_difference(12, 40, 30, 70), ba = newcombe_difference(30, 70, 12, 40);
    EXPECT_NEAR(ab.lower, -ba.upper, 1e-14);
    EXPECT_NEAR(ab.upper, -ba.lower, 1e-14);
    EXPECT_THROW((void)newcombe_difference(5, 4, 1, 2), InputError);
}
