// An inspection: the service inspected, its framework, the sampled cases and their answers,
// the inspectors' judgements of judged themes, findings and recommendations. A value: copy it,
// compare scores of subgroups, nothing global.
#pragma once

#include <algorithm>
#include <boost/container/flat_map.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/answer_sheet.hpp"
#include "yosmodel/inspection/case.hpp"
#include "yosmodel/inspection/framework.hpp"
#include "yosmodel/inspection/report_content.hpp"
#include "yosmodel/inspection/scoring.hpp"

namespace yosmodel::inspection {

/// Checks inspectors' judgements against the framework: each names a judged theme, at most
/// once, with a word of the judged scale.
inline void validate_judgements(const Framework& framework,
                                const boost::container::flat_map<std::string, std::string>& set) {
    std::size_t unknown = 0;
    std::size_t scored = 0;
    std::size_t off_scale = 0;
    for (const auto& [theme_id, word] : set) {
        const auto t = framework.theme_index(theme_id);
        if (!t) {
            ++unknown;
            continue;
        }
        if (framework.themes()[*t].scored) ++scored;
        const auto& scale = framework.judged_scale();
        if (std::find(scale.begin(), scale.end(), word) == scale.end()) ++off_scale;
    }
    std::string broken;
    if (unknown)
        broken += "; " + std::to_string(unknown) +
                  " judgement(s) name a theme the "
                  "framework does not have";
    if (scored)
        broken += "; " + std::to_string(scored) +
                  " judgement(s) are for scored themes, "
                  "whose judgement is computed";
    if (off_scale)
        broken += "; " + std::to_string(off_scale) +
                  " judgement(s) use a word outside "
                  "the framework's judged scale";
    if (!broken.empty()) throw InputError("the judgements are not valid: " + broken.substr(2));
}

struct Inspection {
    std::string service;    // "Lewisham Youth Offending Service"
    std::string published;  // ISO date or month, as the report gives it
    Framework framework;
    std::vector<Case> cases;
    AnswerSheet answers;
    boost::container::flat_map<std::string, std::string> judged;  // theme id -> inspectors' word
    std::vector<Finding> findings;
    std::vector<Recommendation> recommendations;
    std::string overall;  // the inspectors' overall rating, where the framework has no rule

    /// Checks everything that refers to the framework: judgements (validate_judgements), the
    /// themes of findings and recommendations, and an inspectors' overall word (only where the
    /// framework says inspectors set it, and from its judged scale or band words).
    void validate() const {
        validate_judgements(framework, judged);
        std::vector<std::string> stray;
        for (const Finding& f : findings)
            if (!framework.theme_index(f.theme)) stray.push_back(f.theme);
        for (const Recommendation& r : recommendations)
            for (const std::string& t : r.themes)
                if (!framework.theme_index(t)) stray.push_back(t);
        if (!stray.empty())
            throw FrameworkError(std::to_string(stray.size()) +
                                 " finding(s) or recommendation theme(s) name a theme the "
                                 "framework does not have (" +
                                 detail::some_ids(stray) + ")");
        // A report lists recommendations by number, and a reader cites them so: two of one
        // number would be one citation of two texts.
        std::vector<int> numbers;
        for (const Recommendation& r : recommendations)
            numbers.push_back(r.number);
        std::sort(numbers.begin(), numbers.end());
        const auto twice = std::adjacent_find(numbers.begin(), numbers.end());
        if (twice != numbers.end())
            throw InputError("recommendation number " + std::to_string(*twice) +
                             " is given to more than one recommendation; number each once");
        if (overall.empty()) return;
        if (framework.overall_basis() != OverallBasis::inspectors)
            throw FrameworkError(
                "an overall rating word is given, but framework '" + framework.id() + "' " +
                (framework.overall() ? "computes it from its rule" : "has no overall rating"));
        const auto& scale = framework.judged_scale();
        bool known = std::find(scale.begin(), scale.end(), overall) != scale.end();
        for (const Band& b : framework.bands())
            known = known || b.judgement == overall;
        if (!known)
            throw FrameworkError("the overall rating must be one of the framework's rating words");
    }

    /// The overall rating: the framework's rule over the key judgements, or the inspectors'
    /// word (points 0) where the framework publishes no rule. Throws FrameworkError when there
    /// is none, and InputError when a counted theme has no rating yet.
    [[nodiscard]] OverallRating overall_rating() const {
        validate();
        if (framework.overall_basis() == OverallBasis::inspectors) {
            if (overall.empty())
                throw FrameworkError("framework '" + framework.id() +
                                     "' publishes no rule for the overall rating: inspectors "
                                     "set it (give it as the inspection's overall rating)");
            return {0, overall};
        }
        std::vector<std::string> words;
        std::size_t unrated = 0;
        const auto judgements = key_judgements();
        for (std::size_t t = 0; t < judgements.size(); ++t) {
            if (!framework.themes()[t].counted) continue;
            if (judgements[t].word.empty()) ++unrated;
            words.push_back(judgements[t].word);
        }
        if (unrated)
            throw InputError(std::to_string(unrated) +
                             " counted standard(s) have no rating yet (no applicable answers, "
                             "or no inspectors' judgement)");
        return inspection::overall_rating(framework, words);
    }

    /// Theme scores over the cases where `include` is true (all when empty), judged themes
    /// carrying the inspectors' word.
    [[nodiscard]] std::vector<ThemeScore> theme_scores(
        std::span<const std::uint8_t> include = {}) const {
        validate_judgements(framework, judged);
        const auto counts = count_answers(answers, include);
        auto scores = score_themes(framework, counts);
        for (std::size_t t = 0; t < scores.size(); ++t) {
            const auto it = judged.find(framework.themes()[t].id);
            if (!scores[t].scored && it != judged.end()) scores[t].judgement = it->second;
        }
        return scores;
    }

    /// The key judgements table: one judgement per theme, in framework order.
    [[nodiscard]] std::vector<Judgement> key_judgements() const {
        const auto scores = theme_scores();
        std::vector<Judgement> out;
        out.reserve(scores.size());
        for (std::size_t t = 0; t < scores.size(); ++t)
            out.push_back({framework.themes()[t].id, scores[t].judgement, scores[t].scored});
        return out;
    }
};

/// Builds an inspection's answer sheet from its cases and a tidy answer table.
inline AnswerSheet make_answer_sheet(const Framework& framework, std::span<const Case> cases,
                                     std::span<const std::string> answer_case_ids,
                                     std::span<const std::string> answer_question_ids,
                                     std::span<const std::string> answer_words) {
    std::vector<std::string> ids;
    ids.reserve(cases.size());
    for (const auto& c : cases)
        ids.push_back(c.id);
    return {framework, ids, answer_case_ids, answer_question_ids, answer_words};
}

}  // namespace yosmodel::inspection
