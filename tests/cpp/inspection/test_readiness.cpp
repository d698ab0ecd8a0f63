// Readiness resampling against an exact binomial answer worked by hand, its independence from
// the thread count, the overall tally, and band edges counted in cases.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "yosmodel/inspection/readiness.hpp"

using namespace yosmodel;
using namespace yosmodel::inspection;

namespace {

// One scored theme with one question; ten audited cases, six done well.
Inspection audit_of_ten() {
    Inspection insp;
    insp.framework =
        Framework("f", {Theme{"a", "A", true, "", {{"a1", "Q"}}}}, {{0.5, "fine"}, {0.0, "poor"}});
    std::vector<std::string> ids, cases, questions, words;
    for (int c = 0; c < 10; ++c) {
        ids.push_back("c" + std::to_string(c));
        cases.push_back(ids.back());
        questions.push_back("a1");
        words.push_back(c < 6 ? "yes" : "no");
    }
    insp.answers = AnswerSheet(insp.framework, ids, cases, questions, words);
    return insp;
}

}  // namespace

TEST(Readiness, MatchesTheExactBinomialProbability) {
    // A sample of 5 is "fine" when at least 3 are done well: P = sum_{k>=3} C(5,k) .6^k .4^(5-k)
    // = 0.3456 + 0.2592 + 0.07776 = 0.68256.
    const auto r = simulate_readiness(audit_of_ten(), 5, 200000, 7, 2);
    ASSERT_EQ(r.ratings, (std::vector<std::string>{"fine", "poor"}));
    const double fine = static_cast<double>(r.theme_counts[0][0]) / 200000.0;
    const double se = std::sqrt(0.68256 * (1 - 0.68256) / 200000.0);
    EXPECT_NEAR(fine, 0.68256, 5 * se);
    EXPECT_EQ(r.theme_counts[0][0] + r.theme_counts[0][1], 200000U);
    EXPECT_EQ(r.theme_unrated[0], 0U);
    EXPECT_TRUE(r.overall_ratings.empty());  // no overall rule, no overall tally
}

TEST(Readiness, TheSameWhateverTheThreadCount) {
    const auto one = simulate_readiness(audit_of_ten(), 7, 5000, 3, 1);
    const auto three = simulate_readiness(audit_of_ten(), 7, 5000, 3, 3);
    EXPECT_EQ(one.theme_counts, three.theme_counts);
    const auto other_seed = simulate_readiness(audit_of_ten(), 7, 5000, 4, 1);
    EXPECT_NE(one.theme_counts, other_seed.theme_counts);
}

TEST(Readiness, RefusesSizesOutOfRange) {
    EXPECT_THROW(simulate_readiness(audit_of_ten(), 0, 10, 0), LimitError);
    EXPECT_THROW(simulate_readiness(audit_of_ten(), 5, 0, 0), LimitError);
}

TEST(Readiness, OverallTallyFollowsTheRule) {
    Inspection insp = audit_of_ten();
    OverallRule rule;
    rule.points = {{"fine", 1}, {"poor", 0}};
    rule.bands = {{1, "fine"}, {0, "poor"}};
    rule.standards = 1;
    insp.framework = Framework("f", insp.framework.themes(), insp.framework.bands(),
                               ThemeRule::pooled, {}, rule);
    const auto r = simulate_readiness(insp, 5, 20000, 1);
    ASSERT_EQ(r.overall_ratings, (std::vector<std::string>{"fine", "poor"}));
    // With one standard the overall rating is that standard's rating, simulation by simulation.
    EXPECT_EQ(r.overall_counts[0], r.theme_counts[0][0]);
    EXPECT_EQ(r.overall_counts[1], r.theme_counts[0][1]);
}

TEST(BandEdge, CountsCasesToTheNeighbouringBands) {
    const std::vector<Band> bands{{0.65, "good"}, {0.5, "ok"}, {0.0, "poor"}};
    // 6 of 10: "ok". One more done well (7/10) reaches "good"; two fewer (4/10) fall to "poor"
    // (5/10 is still "ok": an edge belongs to the band above).
    const auto e = band_edge({6, 4, 3}, bands);
    EXPECT_EQ(e.judgement, "ok");
    EXPECT_EQ(e.cases_to_next, 1);
    EXPECT_EQ(e.cases_to_drop, 2);
    const auto top = band_edge({10, 0, 0}, bands);
    EXPECT_EQ(top.cases_to_next, -1);
    EXPECT_EQ(top.cases_to_drop, 4);  // 6/10 is below 0.65
    EXPECT_EQ(band_edge({0, 0, 5}, bands).judgement, "");
}
