// Inspection scoring, bands, answer validation and the HMIP overall rule, each against a small
// hand-worked example (the counts are worked out in the comments).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "yosmodel/inspection/inspection.hpp"
#include "yosmodel/inspection/overall_rating.hpp"

using namespace yosmodel;
using namespace yosmodel::inspection;

namespace {

std::vector<Band> fji_bands() {
    return {{0.75, "good"}, {0.65, "satisfactory"}, {0.50, "unsatisfactory"}, {0.0, "poor"}};
}

// Two scored themes (two and one questions) and one judged theme.
Framework small_framework(ThemeRule rule = ThemeRule::pooled) {
    Theme a{"a", "Theme A", true, "", {{"a1", "A one"}, {"a2", "A two"}}};
    Theme b{"b", "Theme B", true, "", {{"b1", "B one"}}};
    Theme g{"g", "Governance", false, "", {}};
    return Framework("small", {a, b, g}, fji_bands(), rule, {"effective", "ineffective"});
}

struct Tidy {
    std::vector<std::string> cases, questions, words;
    void add(std::string c, std::string q, std::string w) {
        cases.push_back(std::move(c));
        questions.push_back(std::move(q));
        words.push_back(std::move(w));
    }
};

// Cases 1-4. a1: yes yes yes no; a2: yes no n/a n/a; b1: no no yes n/a.
Tidy small_answers() {
    Tidy t;
    const char* a1[] = {"yes", "yes", "yes", "no"};
    const char* a2[] = {"yes", "no", "not applicable", "n/a"};
    const char* b1[] = {"no", "no", "yes", "not_applicable"};
    for (int c = 0; c < 4; ++c) {
        const std::string id = "c" + std::to_string(c + 1);
        t.add(id, "a1", a1[c]);
        t.add(id, "a2", a2[c]);
        t.add(id, "b1", b1[c]);
    }
    return t;
}

const std::vector<std::string> four_cases{"c1", "c2", "c3", "c4"};

AnswerSheet sheet_of(const Framework& f, const Tidy& t,
                     const std::vector<std::string>& cases = four_cases) {
    return AnswerSheet(f, cases, t.cases, t.questions, t.words);
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(InspectionAnswer, ParsesTheAllowedWordsOnly) {
    EXPECT_EQ(parse_answer("yes"), Answer::yes);
    EXPECT_EQ(parse_answer("no"), Answer::no);
    EXPECT_EQ(parse_answer("n/a"), Answer::not_applicable);
    EXPECT_FALSE(parse_answer("Yes").has_value());
    EXPECT_FALSE(parse_answer("maybe").has_value());
    EXPECT_EQ(to_string(Answer::not_applicable), "not applicable");
}

TEST(InspectionScoring, QuestionCountsAndScores) {
    const auto f = small_framework();
    const auto counts = count_answers(sheet_of(f, small_answers()));
    ASSERT_EQ(counts.size(), 3U);
    EXPECT_EQ(counts[0].yes, 3U);  // a1: 3 yes, 1 no -> 0.75
    EXPECT_EQ(counts[0].no, 1U);
    EXPECT_DOUBLE_EQ(counts[0].score(), 0.75);
    EXPECT_EQ(counts[1].not_applicable, 2U);  // a2: 1 yes, 1 no, 2 n/a -> 0.5
    EXPECT_DOUBLE_EQ(counts[1].score(), 0.5);
    EXPECT_DOUBLE_EQ(counts[2].score(), 1.0 / 3.0);  // b1: 1 yes, 2 no, 1 n/a
}

TEST(InspectionScoring, PooledThemeScoreLeavesOutNotApplicable) {
    const auto f = small_framework();
    const auto scores = score_themes(f, count_answers(sheet_of(f, small_answers())));
    // Theme A: yes 3 + 1 = 4 over applicable 4 + 2 = 6 -> 0.667 -> satisfactory.
    EXPECT_EQ(scores[0].done_well, 4U);
    EXPECT_EQ(scores[0].applicable, 6U);
    EXPECT_DOUBLE_EQ(scores[0].score, 4.0 / 6.0);
    EXPECT_EQ(scores[0].judgement, "satisfactory");
    EXPECT_EQ(scores[1].judgement, "poor");  // 1/3
    EXPECT_FALSE(scores[2].scored);
    EXPECT_TRUE(std::isnan(scores[2].score));
    EXPECT_EQ(scores[2].judgement, "");
}

TEST(InspectionScoring, LowestQuestionRule) {
    const auto f = small_framework(ThemeRule::lowest_question);
    const auto scores = score_themes(f, count_answers(sheet_of(f, small_answers())));
    EXPECT_DOUBLE_EQ(scores[0].score, 0.5);  // min(0.75, 0.5)
    EXPECT_EQ(scores[0].judgement, "unsatisfactory");
    // The counts are those of the question that sets the score (a2: 1 yes of 2), so
    // done_well / applicable is the score and an interval on them is the score's.
    EXPECT_EQ(scores[0].question, std::optional<std::size_t>(1));
    EXPECT_EQ(scores[0].done_well, 1U);
    EXPECT_EQ(scores[0].applicable, 2U);
    const auto pooled = small_framework();
    const auto pooled_scores =
        score_themes(pooled, count_answers(sheet_of(pooled, small_answers())));
    EXPECT_FALSE(pooled_scores[0].question);  // pooled: no one question sets the score
}

TEST(InspectionScoring, SubgroupMask) {
    const auto f = small_framework();
    const std::vector<std::uint8_t> first_two{1, 1, 0, 0};
    const auto counts = count_answers(sheet_of(f, small_answers()), first_two);
    EXPECT_EQ(counts[0].yes, 2U);
    EXPECT_EQ(counts[0].no, 0U);
    const auto scores = score_themes(f, counts);
    EXPECT_DOUBLE_EQ(scores[0].score, 3.0 / 4.0);  // a1 2/2, a2 1/2
    EXPECT_EQ(scores[0].judgement, "good");
    const std::vector<std::uint8_t> wrong_length{1, 0};
    EXPECT_THROW(count_answers(sheet_of(f, small_answers()), wrong_length), InputError);
}

TEST(InspectionScoring, NothingApplicableGivesNoScore) {
    const auto f = small_framework();
    Tidy t;
    t.add("c1", "b1", "n/a");
    const auto scores = score_themes(f, count_answers(sheet_of(f, t, {"c1"})));
    EXPECT_EQ(scores[1].applicable, 0U);
    EXPECT_TRUE(std::isnan(scores[1].score));
    EXPECT_EQ(scores[1].judgement, "");
}

TEST(InspectionBands, EdgesBelongToTheBandAbove) {
    const auto bands = fji_bands();
    EXPECT_EQ(judgement_for(0.75, bands), "good");
    EXPECT_EQ(judgement_for(0.7499, bands), "satisfactory");
    EXPECT_EQ(judgement_for(0.65, bands), "satisfactory");
    EXPECT_EQ(judgement_for(0.6499, bands), "unsatisfactory");
    EXPECT_EQ(judgement_for(0.0, bands), "poor");
    EXPECT_EQ(judgement_for(1.0, bands), "good");
    EXPECT_EQ(judgement_for(std::nan(""), bands), "");
}

TEST(InspectionBands, RejectsMalformedBands) {
    EXPECT_THROW(validate_bands(std::vector<Band>{}), InputError);
    EXPECT_THROW(validate_bands(std::vector<Band>{{0.5, "x"}, {0.6, "y"}, {0.0, "z"}}), InputError);
    EXPECT_THROW(validate_bands(std::vector<Band>{{0.5, "x"}}), InputError);  // no 0 floor
    EXPECT_THROW(validate_bands(std::vector<Band>{{1.5, "x"}, {0.0, "y"}}), InputError);
    EXPECT_THROW(validate_bands(std::vector<Band>{{0.5, ""}, {0.0, "y"}}), InputError);
}

TEST(InspectionFramework, RejectsDuplicatesAndEmptyScoredThemes) {
    Theme a{"a", "A", true, "", {{"q", ""}}};
    Theme a_again{"a", "A", true, "", {{"q", ""}}};
    const auto msg = message_of([&] { Framework("f", {a, a_again}, fji_bands()); });
    EXPECT_NE(msg.find("1 theme id(s) appear more than once"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 question id(s) appear more than once"), std::string::npos) << msg;
    Theme empty{"e", "E", true, "", {}};
    EXPECT_THROW(Framework("f", {empty}, fji_bands()), InputError);
    Theme judged{"g", "G", false, "", {}};
    EXPECT_THROW(Framework("f", {a, judged}, fji_bands()), InputError);  // no judged scale
    EXPECT_THROW(Framework("f", {}, fji_bands()), InputError);
}

TEST(InspectionValidation, EachRuleIsNamedWithItsCount) {
    const auto f = small_framework();
    Tidy t = small_answers();
    t.add("c9", "a1", "yes");    // unknown case
    t.add("c1", "zz", "yes");    // unknown question
    t.add("c1", "zz", "no");     // unknown question
    t.add("c2", "a1", "maybe");  // word outside the set
    t.add("c3", "a1", "no");     // duplicate
    const auto msg = message_of([&] {
        AnswerSheet(f, std::vector<std::string>{"c1", "c2", "c3", "c4", "c5", "c5"}, t.cases,
                    t.questions, t.words);
    });
    EXPECT_NE(msg.find("1 case id(s) appear more than once"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 answer(s) name a case that is not in the case list"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("2 answer(s) name a question"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 answer(s) are not one of"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 answer(s) repeat"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 case(s) have no answers"), std::string::npos) << msg;  // c5
    // No identifier or value from the data appears in the message.
    for (const char* value : {"c9", "zz", "maybe", "c5"})
        EXPECT_EQ(msg.find(value), std::string::npos) << value;
}

TEST(InspectionValidation, ColumnsMustAlign) {
    const auto f = small_framework();
    const std::vector<std::string> one{"c1"}, none{};
    EXPECT_THROW(AnswerSheet(f, one, one, none, none), InputError);
}

TEST(InspectionModel, JudgedThemesTakeTheInspectorsWord) {
    Inspection insp;
    insp.framework = small_framework();
    insp.cases = {{"c1", {}}, {"c2", {}}, {"c3", {}}, {"c4", {}}};
    const Tidy t = small_answers();
    insp.answers = make_answer_sheet(insp.framework, insp.cases, t.cases, t.questions, t.words);
    insp.judged["g"] = "ineffective";
    const auto judgements = insp.key_judgements();
    ASSERT_EQ(judgements.size(), 3U);
    EXPECT_EQ(judgements[0].word, "satisfactory");
    EXPECT_TRUE(judgements[0].computed);
    EXPECT_EQ(judgements[2].word, "ineffective");
    EXPECT_FALSE(judgements[2].computed);

    Inspection copy = insp;  // a value: changing the copy leaves the original alone
    copy.judged["g"] = "effective";
    EXPECT_EQ(insp.key_judgements()[2].word, "ineffective");

    copy.judged["g"] = "splendid";
    EXPECT_THROW((void)copy.theme_scores(), InputError);
    copy.judged.erase("g");
    copy.judged["a"] = "effective";  // scored theme
    EXPECT_THROW((void)copy.theme_scores(), InputError);
    copy.judged.clear();
    copy.judged["nope"] = "effective";
    EXPECT_THROW((void)copy.theme_scores(), InputError);
}

TEST(InspectionModel, ARecommendationNumberGivenTwiceIsRefused) {
    Inspection insp;
    insp.framework = small_framework();
    insp.recommendations = {{1, "The Board", "first", {}}, {2, "The Board", "second", {}}};
    EXPECT_NO_THROW(insp.validate());
    insp.recommendations.push_back({1, "The Head of Service", "third", {}});
    try {
        insp.validate();
        FAIL() << "recommendation 1 twice was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("recommendation number 1 is given to more than one"),
                  std::string::npos)
            << e.what();
    }
}

namespace {

OverallRule hmip_rule() {
    OverallRule rule;
    rule.points = {{"Outstanding", 3}, {"Good", 2}, {"Requires improvement", 1}, {"Inadequate", 0}};
    rule.bands = {
        {31, "Outstanding"}, {19, "Good"}, {7, "Requires improvement"}, {0, "Inadequate"}};
    rule.standards = 12;
    return rule;
}

OverallRating rate(int outstanding, int good, int ri, int inadequate) {
    std::vector<std::string> words;
    words.insert(words.end(), outstanding, "Outstanding");
    words.insert(words.end(), good, "Good");
    words.insert(words.end(), ri, "Requires improvement");
    words.insert(words.end(), inadequate, "Inadequate");
    return overall_rating(words, hmip_rule());
}

}  // namespace

TEST(OverallRating, BandEdges) {
    EXPECT_EQ(rate(0, 0, 0, 12).points, 0);
    EXPECT_EQ(rate(0, 0, 0, 12).rating, "Inadequate");
    EXPECT_EQ(rate(0, 0, 6, 6).rating, "Inadequate");            // 6
    EXPECT_EQ(rate(0, 0, 7, 5).rating, "Requires improvement");  // 7
    EXPECT_EQ(rate(0, 6, 6, 0).rating, "Requires improvement");  // 18
    EXPECT_EQ(rate(0, 7, 5, 0).rating, "Good");                  // 19
    EXPECT_EQ(rate(6, 6, 0, 0).points, 30);
    EXPECT_EQ(rate(6, 6, 0, 0).rating, "Good");         // 30
    EXPECT_EQ(rate(7, 5, 0, 0).rating, "Outstanding");  // 31
    EXPECT_EQ(rate(12, 0, 0, 0).points, 36);
}

TEST(OverallRating, RejectsWrongCountsAndWords) {
    EXPECT_THROW(rate(0, 11, 0, 0), InputError);
    std::vector<std::string> words(12, "Good");
    words[3] = "Splendid";
    EXPECT_THROW(overall_rating(words, hmip_rule()), InputError);
    OverallRule bad = hmip_rule();
    bad.bands.back().min_points = 1;
    EXPECT_THROW(overall_rating(std::vector<std::string>(12, "Good"), bad), InputError);
}

TEST(InspectionDocs, TheUserGuideExampleWorks) {  // docs/inspection.md, "From C++"
    namespace yi = yosmodel::inspection;
    yi::Framework fw(
        "mine", {yi::Theme{"rr", "Reducing reoffending", true, "", {{"rr_plan", "Plan good?"}}}},
        {{0.65, "satisfactory"}, {0.0, "unsatisfactory"}});
    std::vector<std::string> cases{"a", "b"}, answer_cases{"a", "b"},
        questions{"rr_plan", "rr_plan"}, words{"yes", "no"};
    yi::AnswerSheet sheet(fw, cases, answer_cases, questions, words);
    auto themes = yi::score_themes(fw, yi::count_answers(sheet));
    EXPECT_DOUBLE_EQ(themes[0].score, 0.5);
    EXPECT_EQ(themes[0].judgement, "unsatisfactory");
}
