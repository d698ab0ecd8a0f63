// The framework reader: JSON parsing (escapes, nesting limit, line and column in errors), the
// schema's types and required fields with the field named, and the rules between fields
// (unique ids named, the overall rule counting exactly the counted themes).
#include <gtest/gtest.h>

#include <string>

#include "yosmodel/inspection/framework_reader.hpp"

using namespace yosmodel;
using namespace yosmodel::inspection;

namespace {

// A small valid framework; `themes` and `extra` are spliced in to break one thing at a time.
std::string document(const std::string& themes =
                         R"([{"id": "a", "name": "A", "questions": [{"id": "a1", "text": "Q"}]},
                             {"id": "g", "scored": false}])",
                     const std::string& extra = "") {
    return R"({"schema": "yosmodel.framework", "schema_version": 1, "id": "small",
               "name": "Small \u00e9", "judged_scale": ["fine", "poor"],
               "bands": [{"min_score": 0.5, "judgement": "fine", "basis": "assumed"},
                         {"min_score": 0, "judgement": "poor"}],
               "themes": )" +
           themes + extra + "}";
}

std::string message_of(const std::string& text) {
    try {
        read_framework(text);
    } catch (const FrameworkError& e) {
        return e.what();
    }
    return "no error";
}

bool says(const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
}

}  // namespace

TEST(FrameworkReader, ReadsAValidDocument) {
    const Framework f = read_framework(document());
    EXPECT_EQ(f.id(), "small");
    EXPECT_EQ(f.name, "Small \xc3\xa9");  // the \u escape decoded to UTF-8
    ASSERT_EQ(f.themes().size(), 2U);
    EXPECT_TRUE(f.themes()[0].scored);
    EXPECT_FALSE(f.themes()[1].scored);
    EXPECT_EQ(f.themes()[1].name, "g");  // the name defaults to the id
    EXPECT_EQ(f.bands()[0].basis, "assumed");
    EXPECT_EQ(f.question_count(), 1U);
    EXPECT_EQ(f.rule(), ThemeRule::pooled);
    EXPECT_EQ(f.overall_basis(), OverallBasis::none);
}

TEST(FrameworkReader, WrongTypesAreRefusedNamingTheField) {
    // "scored": "false" must not be read as true.
    const auto scored = message_of(document(R"([{"id": "a", "scored": "false"}])"));
    EXPECT_TRUE(says(scored, "themes[0].scored must be true or false, not a string")) << scored;
    // A judged scale given as a string must not become its letters.
    std::string text = document();
    text.replace(text.find(R"(["fine", "poor"])"), 16, R"("fine")");
    const auto scale = message_of(text);
    EXPECT_TRUE(says(scale, "judged_scale must be a list, not a string")) << scale;
    const auto band = message_of(document(R"([{"id": "a", "questions": [{"id": 3}]}])"));
    EXPECT_TRUE(says(band, "themes[0].questions[0].id must be a string, not a number")) << band;
    const auto version = message_of(R"({"schema": "yosmodel.framework", "schema_version": 1.5})");
    EXPECT_TRUE(says(version, "schema_version must be a whole number")) << version;
}

TEST(FrameworkReader, RequiredFieldsAreNamed) {
    EXPECT_TRUE(says(message_of(R"({"schema": "yosmodel.framework", "schema_version": 1,
                                     "id": "x", "bands": []})"),
                     "missing the required key 'themes'"));
    EXPECT_TRUE(says(message_of(document(R"([{"name": "no id"}])")),
                     "themes[0] is missing the required key 'id'"));
    EXPECT_TRUE(says(message_of(R"({"schema": "other", "schema_version": 1})"),
                     "not a framework document"));
    EXPECT_TRUE(says(message_of(R"({"schema": "yosmodel.framework", "schema_version": 2})"),
                     "upgrade yosmodel"));
}

TEST(FrameworkReader, RepeatedIdsAreNamed) {
    const auto msg = message_of(document(
        R"([{"id": "a", "questions": [{"id": "q1"}]}, {"id": "a", "questions": [{"id": "q1"}]}])"));
    EXPECT_TRUE(says(msg, "1 theme id(s) appear more than once ('a')")) << msg;
    EXPECT_TRUE(says(msg, "1 question id(s) appear more than once ('q1')")) << msg;
}

TEST(FrameworkReader, DeepNestingIsRefusedWithoutRecursingFurther) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const auto msg = message_of(deep);
    EXPECT_TRUE(says(msg, "nested more than 64 levels deep")) << msg;
    EXPECT_TRUE(says(message_of(document("", "")), "line")) << "an empty value says where";
}

TEST(FrameworkReader, BadJsonSaysWhere) {
    const auto msg = message_of("{\n  \"schema\": tru\n}");
    EXPECT_TRUE(says(msg, "line 2, column 13")) << msg;
    EXPECT_TRUE(says(message_of(R"({"a": "\ud800"})"), "unpaired surrogate"));
    EXPECT_TRUE(says(message_of(R"({"a": 1} x)"), "unexpected text after the document"));
    EXPECT_TRUE(says(message_of("\"open"), "not closed"));
}

TEST(FrameworkReader, OverallRuleCountsTheCountedThemes) {
    const std::string themes =
        R"([{"id": "a", "questions": [{"id": "a1"}]}, {"id": "b", "questions": [{"id": "b1"}]},
            {"id": "r", "scored": false, "counted": false}])";
    const std::string rule = R"(, "overall": {"standards": 2, "points": {"fine": 1, "poor": 0},
                                "bands": [{"min_points": 2, "rating": "fine"},
                                          {"min_points": 0, "rating": "poor"}]})";
    const Framework f = read_framework(document(themes, rule));
    EXPECT_EQ(f.overall_basis(), OverallBasis::rule);
    const std::vector<std::string> counted{"fine", "fine"}, all{"fine", "fine", "poor"},
        wrong{"fine"};
    EXPECT_EQ(overall_rating(f, counted).rating, "fine");
    EXPECT_EQ(overall_rating(f, all).rating, "fine");  // the separately rated word is left out
    EXPECT_EQ(overall_rating(f, all).points, 2);
    EXPECT_THROW(overall_rating(f, wrong), InputError);
    std::string three = rule;
    three.replace(three.find("\"standards\": 2"), 14, "\"standards\": 3");
    EXPECT_TRUE(says(message_of(document(themes, three)),
                     "counts 3 standards but the framework "
                     "has 2 counted theme(s)"));
}

TEST(FrameworkReader, InspectorsSetTheOverallRating) {
    const Framework f = read_framework(document(R"([{"id": "a", "questions": [{"id": "a1"}]}])",
                                                R"(, "overall_set_by": "inspectors")"));
    EXPECT_EQ(f.overall_basis(), OverallBasis::inspectors);
    const std::vector<std::string> one{"fine"};
    EXPECT_THROW(overall_rating(f, one), FrameworkError);
    EXPECT_TRUE(says(message_of(document(R"([{"id": "a", "questions": [{"id": "a1"}]}])",
                                         R"(, "overall_set_by": "chance")")),
                     "overall_set_by must be"));
}
