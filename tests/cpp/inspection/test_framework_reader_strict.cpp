// What the framework fuzz target (tests/fuzz/framework_reader_fuzz.cpp) found, one test each:
// the reader accepted JSON that Python's json.loads reads differently or refuses (a leading
// zero, "1.", bytes that are not UTF-8, a key given twice), "overall_set_by": "rule" without a
// rule passed as no rule, and an overall rule whose points overflow a long when summed.
#include <gtest/gtest.h>

#include <string>

#include "yosmodel/inspection/framework_reader.hpp"

using namespace yosmodel;
using namespace yosmodel::inspection;

namespace {

// A small valid framework with one spot (`@`) where each test puts what it breaks.
std::string with(const std::string& name_value, const std::string& extra = "") {
    return R"({"schema": "yosmodel.framework", "schema_version": 1, "id": "small", "name": )" +
           name_value + extra + R"(, "judged_scale": ["fine", "poor"],
               "bands": [{"min_score": 0.5, "judgement": "fine"}, {"min_score": 0, "judgement": "poor"}],
               "themes": [{"id": "a", "questions": [{"id": "a1"}]}, {"id": "g", "scored": false}]})";
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

TEST(FrameworkReaderStrict, NumbersFollowJsonsGrammar) {
    // Python's json.loads refuses each of these after the C++ reader had accepted them.
    const auto zero = message_of(R"({"schema": "yosmodel.framework", "schema_version": 01})");
    EXPECT_TRUE(says(zero, "column 52: a number has a leading zero")) << zero;
    std::string text = with("\"n\"");
    text.replace(text.find("0.5"), 3, "1.");
    EXPECT_TRUE(says(message_of(text), "a number needs a digit after '.'")) << message_of(text);
    text = with("\"n\"");
    text.replace(text.find("0.5"), 3, "5e");
    EXPECT_TRUE(says(message_of(text), "a digit in its exponent")) << message_of(text);
    EXPECT_TRUE(says(message_of(R"({"a": -})"), "a digit after '-'"));
    // JSON's own forms still read, to the same value.
    text = with("\"n\"");
    text.replace(text.find("0.5"), 3, "5E-1");
    text.replace(text.find("\"min_score\": 0,"), 15, "\"min_score\": -0.0e+0,");
    const Framework f = read_framework(text);
    EXPECT_EQ(f.bands()[0].min_score, 0.5);
    EXPECT_EQ(f.bands()[1].min_score, 0.0);
}

TEST(FrameworkReaderStrict, TextThatIsNotUtf8IsRefusedWhereItIs) {
    // "Small é" saved as Windows-1252: the lone byte 0xE9.
    const auto latin1 = message_of(with("\"Small \xE9\""));
    EXPECT_TRUE(says(latin1, "line 1, column 85: a string is not valid UTF-8")) << latin1;
    for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF5\x80\x80\x80", "\xE2\x82", "\x80",
                            "\xF4\x90\x80\x80", "\xE0\x80\xAF"})
        EXPECT_TRUE(says(message_of(with("\"" + std::string(bad) + "\"")), "not valid UTF-8"))
            << "bytes of " << std::string(bad).size();
    // Well-formed UTF-8 of two, three and four bytes is kept as it is.
    const Framework f = read_framework(with("\"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\""));
    EXPECT_EQ(f.name, "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(FrameworkReaderStrict, AKeyGivenTwiceIsRefusedNamingIt) {
    // The reader used the first "id", Python's json.loads the last: pickling a framework (which
    // goes through the Python document) gave back another one.
    const auto twice = message_of(with("\"n\"", R"(, "id": "other")"));
    EXPECT_TRUE(says(twice, "the key 'id' appears twice in one object")) << twice;
    EXPECT_TRUE(says(twice, "line 1, column 83")) << twice;  // where the second one is
    // Keys are compared as decoded: "\u0069d" is "id".
    EXPECT_TRUE(says(message_of(with("\"n\"", R"(, "\u0069d": "other")")), "appears twice"));
    // Nested objects are checked too.
    EXPECT_TRUE(says(message_of(R"({"a": [{"b": 1, "c": 2, "b": 3}]})"), "the key 'b' appears"));
}

TEST(FrameworkReaderStrict, ByteOrderMarkAndNulSayWhatTheyAre) {
    const auto bom = message_of("\xEF\xBB\xBF" + with("\"n\""));
    EXPECT_TRUE(says(bom, "byte-order mark")) << bom;
    // A NUL written as \u0000 is a character like any other; a raw NUL byte is refused.
    EXPECT_EQ(read_framework(with(R"("a\u0000b")")).name, std::string("a\0b", 3));
    EXPECT_TRUE(says(message_of(with(std::string("\"a\0b\"", 5))), "a control character"));
}

TEST(FrameworkReaderStrict, RuleWithoutARuleIsRefused) {
    // Passed as "no overall rating" before; the documented meaning is "derived by the rule".
    const auto msg = message_of(with("\"n\"", R"(, "overall_set_by": "rule")"));
    EXPECT_TRUE(says(msg, "an overall rating from a rule needs the rule")) << msg;
}

TEST(FrameworkReaderStrict, OverallPointsThatWouldOverflowAreRefused) {
    // 1,100 counted standards worth 2^53 points each sum past a long's 2^63: refused when the
    // framework is read, not wrapped when a rating is summed.
    std::string themes;
    for (int t = 0; t < 1100; ++t)
        themes += (t ? ", " : "") + std::string(R"({"id": "s)") + std::to_string(t) +
                  R"(", "scored": false})";
    const std::string text = R"({"schema": "yosmodel.framework", "schema_version": 1, "id": "x",
        "judged_scale": ["fine", "poor"],
        "bands": [{"min_score": 0.5, "judgement": "fine"}, {"min_score": 0, "judgement": "poor"}],
        "overall": {"standards": 1100, "points": {"fine": 9007199254740992, "poor": 0},
                    "bands": [{"min_points": 1, "rating": "fine"}, {"min_points": 0, "rating": "poor"}]},
        "themes": [)" + themes +
                             "]}";
    const auto msg = message_of(text);
    EXPECT_TRUE(says(msg, "points per rating are too large")) << msg;
    // The same rule over 1,000 standards (2^53 * 1000 fits) is read and rated.
    std::string fewer = text;
    fewer.replace(fewer.find("\"standards\": 1100"), 17, "\"standards\": 1000");
    fewer.replace(fewer.find(R"(, {"id": "s1000")"), std::string::npos, "]}");
    const Framework f = read_framework(fewer);
    const std::vector<std::string> all_fine(1000, "fine");
    EXPECT_EQ(overall_rating(f, all_fine).points, 9007199254740992L * 1000);
}

TEST(FrameworkReaderStrict, AnIdWithSpacesAroundItIsRefused) {
    // Answers name questions without the spaces around their ids: "a1 " would never be matched,
    // and every answer to it would be set aside as an unknown question.
    std::string text = with("\"n\"");
    text.replace(text.find("\"a1\""), 4, "\"a1 \"");
    auto msg = message_of(text);
    EXPECT_TRUE(says(msg, "1 theme or question id(s) begin or end with a space ('a1 ')")) << msg;
    text = with("\"n\"");
    text.replace(text.find("{\"id\": \"g\""), 10, "{\"id\": \"\\tg\"");
    msg = message_of(text);
    EXPECT_TRUE(says(msg, "begin or end with a space")) << msg;
    // A space inside an id is the framework's own spelling, and reads.
    text = with("\"n\"");
    text.replace(text.find("\"a1\""), 4, "\"a 1\"");
    EXPECT_EQ(read_framework(text).themes()[0].questions[0].id, "a 1");
}

TEST(FrameworkReaderStrict, ABandWordGivenTwiceIsRefused) {
    std::string text = with("\"n\"");
    text.replace(
        text.find(R"({"min_score": 0, "judgement": "poor"})"), 37,
        R"({"min_score": 0.2, "judgement": "poor"}, {"min_score": 0, "judgement": "poor"})");
    const auto msg = message_of(text);
    EXPECT_TRUE(says(msg, "the judgement band word 'poor' is given to more than one band")) << msg;
}

TEST(FrameworkReaderStrict, AnOverallBandNoRatingsReachAndARatingGivenTwiceAreRefused) {
    const auto framework = [](const std::string& bands) {
        return R"({"schema": "yosmodel.framework", "schema_version": 1, "id": "x",
            "judged_scale": ["fine", "poor"],
            "bands": [{"min_score": 0.5, "judgement": "fine"}, {"min_score": 0, "judgement": "poor"}],
            "overall": {"standards": 2, "points": {"fine": 3, "poor": 0}, "bands": [)" +
               bands + R"(]},
            "themes": [{"id": "s1", "scored": false}, {"id": "s2", "scored": false}]})";
    };
    // Two standards at 3 points sum to 6 at most: a band from 7 is never awarded.
    auto msg = message_of(framework(
        R"({"min_points": 7, "rating": "Outstanding"}, {"min_points": 0, "rating": "poor"})"));
    EXPECT_TRUE(says(msg,
                     "the overall band 'Outstanding' starts at 7 points, but 2 standards "
                     "sum to 6 at most"))
        << msg;
    msg = message_of(framework(
        R"({"min_points": 4, "rating": "Good"}, {"min_points": 2, "rating": "Good"}, {"min_points": 0, "rating": "poor"})"));
    EXPECT_TRUE(says(msg, "the overall rating 'Good' is given to more than one band")) << msg;
    // The top of the scale is reachable: a band from 6 reads, and all "fine" is awarded it.
    const Framework f = read_framework(framework(
        R"({"min_points": 6, "rating": "Outstanding"}, {"min_points": 0, "rating": "poor"})"));
    EXPECT_EQ(overall_rating(f, std::vector<std::string>{"fine", "fine"}).rating, "Outstanding");
}
