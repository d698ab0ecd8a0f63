// Scores: per question (yes, no, not applicable; score = yes / (yes + no)) and per theme (the
// framework's rule over its questions), with the judgement from the framework's bands. A case
// subgroup (custody, girls, high risk of harm) is scored by passing its mask.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/answer_sheet.hpp"
#include "yosmodel/inspection/framework.hpp"

namespace yosmodel::inspection {

struct QuestionCounts {
    std::uint64_t yes = 0;
    std::uint64_t no = 0;
    std::uint64_t not_applicable = 0;

    [[nodiscard]] std::uint64_t applicable() const { return yes + no; }
    /// yes / (yes + no); NaN when no case had the question apply.
    [[nodiscard]] double score() const {
        return applicable() ? static_cast<double>(yes) / static_cast<double>(applicable())
                            : std::numeric_limits<double>::quiet_NaN();
    }
};

struct ThemeScore {
    bool scored = true;
    // The answers the score is made of, so that done_well / applicable is the score and an
    // interval on them is the score's: yes + no and yes across the theme's questions (pooled
    // rule), or those of the question that sets the score (lowest_question rule; pooled counts
    // beside a lowest-question score gave an interval that did not contain the score).
    std::uint64_t applicable = 0;
    std::uint64_t done_well = 0;
    double score = std::numeric_limits<double>::quiet_NaN();
    std::string judgement;  // empty when nothing applicable was assessed (or judged, unset)
    // The framework index of the question that sets the score under the lowest_question rule
    // (the first in framework order where scores tie), for disclosure control to know which
    // counts the score gives back; empty under the pooled rule or with nothing applicable.
    std::optional<std::size_t> question;
};

/// Counts the answers to each question, in framework order, over the cases where `include` is
/// true (every case when `include` is empty).
inline std::vector<QuestionCounts> count_answers(const AnswerSheet& sheet,
                                                 std::span<const std::uint8_t> include = {}) {
    if (!include.empty() && include.size() != sheet.case_count())
        throw InputError("the case subgroup mask must have one entry per case");
    std::vector<QuestionCounts> counts(sheet.question_count());
    for (std::size_t c = 0; c < sheet.case_count(); ++c) {
        if (!include.empty() && !include[c]) continue;
        for (std::size_t q = 0; q < sheet.question_count(); ++q) {
            const auto answer = sheet.at(c, q);
            if (!answer) continue;
            switch (*answer) {
                case Answer::yes:
                    ++counts[q].yes;
                    break;
                case Answer::no:
                    ++counts[q].no;
                    break;
                case Answer::not_applicable:
                    ++counts[q].not_applicable;
                    break;
            }
        }
    }
    return counts;
}

/// One score per theme, in framework order. Judged themes carry no score; their judgement is
/// set later from the inspectors' words.
inline std::vector<ThemeScore> score_themes(const Framework& framework,
                                            std::span<const QuestionCounts> counts) {
    if (counts.size() != framework.question_count())
        throw InputError("question counts must have one entry per framework question");
    std::vector<ThemeScore> scores(framework.themes().size());
    const bool pooled = framework.rule() == ThemeRule::pooled;
    for (std::size_t q = 0; q < counts.size(); ++q) {
        ThemeScore& s = scores[framework.theme_of(q)];
        if (pooled) {
            s.done_well += counts[q].yes;
            s.applicable += counts[q].applicable();
        } else if (counts[q].applicable() &&
                   (!s.question || counts[q].score() < counts[*s.question].score())) {
            // Strictly lower: equal fractions divide to the same double, so a tie keeps the
            // first question.
            s.question = q;
            s.done_well = counts[q].yes;
            s.applicable = counts[q].applicable();
        }
    }
    for (std::size_t t = 0; t < scores.size(); ++t) {
        ThemeScore& s = scores[t];
        s.scored = framework.themes()[t].scored;
        if (!s.scored || s.applicable == 0) continue;
        s.score = static_cast<double>(s.done_well) / static_cast<double>(s.applicable);
        s.judgement = judgement_for(s.score, framework.bands());
    }
    return scores;
}

}  // namespace yosmodel::inspection
