// libFuzzer target for the framework reader (read_framework: JSON text -> Framework). Framework
// files are written by hand and passed around, so any text must either be refused with a
// yosmodel::Error naming what is wrong, or give a framework that keeps its rules: only strict
// JSON is accepted (the Python side reads the same text with json.loads and must see the same
// document), ids are unique and indexed consistently, bands give their own words, an overall
// rule rates its counted themes, and the framework written out and read again comes back equal.
// Anything else thrown, a crash, a sanitizer report or a timeout is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "framework_json.hpp"
#include "strict_json.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/detail/json.hpp"
#include "yosmodel/inspection/framework_reader.hpp"

namespace {

using yosmodel::inspection::Framework;

[[noreturn]] void finding(const char* what) {
    std::fprintf(stderr, "framework_reader_fuzz: %s\n", what);
    std::abort();
}

void check_ids(const Framework& f) {
    std::set<std::string> themes, questions;
    std::size_t counted_questions = 0;
    for (std::size_t t = 0; t < f.themes().size(); ++t) {
        const auto& theme = f.themes()[t];
        if (theme.id.empty() || !themes.insert(theme.id).second)
            finding("a theme id is empty or repeated");
        if (f.theme_index(theme.id) != t) finding("theme_index does not find its theme");
        if (theme.scored == theme.questions.empty())
            finding("a scored theme without questions or a judged theme with some");
        for (const auto& q : theme.questions) {
            if (q.id.empty() || !questions.insert(q.id).second)
                finding("a question id is empty or repeated");
            const auto index = f.question_index(q.id);
            if (!index || f.question_id(*index) != q.id || f.theme_of(*index) != t)
                finding("question_index, question_id and theme_of disagree");
            ++counted_questions;
        }
    }
    if (f.question_count() != counted_questions) finding("question_count is not the questions");
}

void check_bands(const Framework& f) {
    const auto& bands = f.bands();
    for (const auto& band : bands)
        if (yosmodel::inspection::judgement_for(band.min_score, bands) != band.judgement)
            finding("a band's own minimum score does not get its word");
    if (yosmodel::inspection::judgement_for(0.0, bands).empty() ||
        yosmodel::inspection::judgement_for(1.0, bands).empty())
        finding("a score in [0, 1] gets no judgement");
}

// Every counted theme rated with the top band's word (which the rule must price): the rule
// gives a rating, worth exactly that many points.
void check_overall(const Framework& f) {
    const auto& rule = f.overall();
    if (!rule) return;
    const std::string& word = f.bands().front().judgement;
    const auto price = rule->points.find(word);
    if (price == rule->points.end()) finding("a band word has no points in the overall rule");
    const std::vector<std::string> ratings(rule->standards, word);
    const auto rating = yosmodel::inspection::overall_rating(f, ratings);
    if (rating.rating.empty() ||
        rating.points != price->second * static_cast<long>(rule->standards))
        finding("the overall rule's points or rating are wrong");
}

// Everything after a successful read must hold without any exception: one there is a finding
// too, not a refusal.
void check_accepted(std::string_view text, const Framework& f) {
    if (!yosmodel::fuzz::StrictJson::accepts(text, yosmodel::inspection::detail::json_max_depth))
        finding("accepted text that is not strict JSON (or repeats a key)");
    check_ids(f);
    check_bands(f);
    check_overall(f);
    const std::string written = yosmodel::fuzz::framework_document(f);
    if (!yosmodel::fuzz::same_framework(f, yosmodel::inspection::read_framework(written)))
        finding("the framework written out and read again is not the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<Framework> framework;
    try {
        framework = yosmodel::inspection::read_framework(text);
    } catch (const yosmodel::Error&) {
        return 0;  // refused with a message: the expected outcome for a broken file
    } catch (const std::exception& e) {
        std::fprintf(stderr, "framework_reader_fuzz: not a yosmodel error: %s\n", e.what());
        std::abort();
    } catch (...) {
        finding("threw something that is not an exception");
    }
    try {
        check_accepted(text, *framework);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "framework_reader_fuzz: an accepted framework failed: %s\n", e.what());
        std::abort();
    }
    return 0;
}
