// The answers for an inspected sample: one cell per case and question of the framework, built
// from a tidy table (case id, question id, answer word) and checked as a whole, so a bad table
// never loads in part.
#pragma once

#include <boost/container/flat_map.hpp>
#include <boost/container/flat_set.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/answer.hpp"
#include "yosmodel/inspection/framework.hpp"

namespace yosmodel::inspection {

class AnswerSheet {
public:
    AnswerSheet() = default;

    /// Checks every rule and, when any is broken, throws one InputError that names each broken
    /// rule with its count: case ids repeated in the case list, answers for cases not in it,
    /// unknown question ids, words outside the allowed answers, a case answering a question
    /// twice, and cases with no answers at all. A case may leave a question unanswered.
    AnswerSheet(const Framework& framework, std::span<const std::string> case_ids,
                std::span<const std::string> answer_case_ids,
                std::span<const std::string> answer_question_ids,
                std::span<const std::string> answer_words)
        : cases_(case_ids.size()),
          questions_(framework.question_count()),
          cells_(cases_ * questions_, missing) {
        if (answer_case_ids.size() != answer_question_ids.size() ||
            answer_case_ids.size() != answer_words.size())
            throw InputError(
                "the answer columns (case id, question id, answer) must have the "
                "same length");
        boost::container::flat_map<std::string, std::size_t> case_index;
        case_index.reserve(case_ids.size());
        std::size_t duplicate_cases = 0;
        std::vector<std::uint8_t> repeated(cases_, 0);  // a repeat is reported once, as a repeat
        for (std::size_t c = 0; c < case_ids.size(); ++c)
            if (!case_index.emplace(case_ids[c], c).second) {
                ++duplicate_cases;
                repeated[c] = 1;
            }

        std::size_t unknown_cases = 0;
        std::size_t unknown_questions = 0;
        std::size_t bad_words = 0;
        std::size_t duplicates = 0;
        for (std::size_t row = 0; row < answer_case_ids.size(); ++row) {
            const auto c = case_index.find(answer_case_ids[row]);
            const auto q = framework.question_index(answer_question_ids[row]);
            const auto a = parse_answer(answer_words[row]);
            if (c == case_index.end()) ++unknown_cases;
            if (!q) ++unknown_questions;
            if (!a) ++bad_words;
            if (c == case_index.end() || !q || !a) continue;
            std::uint8_t& cell = cells_[c->second * questions_ + *q];
            if (cell != missing)
                ++duplicates;
            else
                cell = static_cast<std::uint8_t>(*a);
        }
        std::size_t unanswered_cases = 0;
        for (std::size_t c = 0; c < cases_; ++c) {
            bool any = false;
            for (std::size_t q = 0; q < questions_ && !any; ++q)
                any = cells_[c * questions_ + q] != missing;
            if (!any && !repeated[c]) ++unanswered_cases;
        }
        std::string broken;
        const auto rule_broken = [&](std::size_t count, const char* what) {
            if (count) broken += "; " + std::to_string(count) + " " + what;
        };
        rule_broken(duplicate_cases, "case id(s) appear more than once in the case list");
        rule_broken(unknown_cases, "answer(s) name a case that is not in the case list");
        rule_broken(unknown_questions, "answer(s) name a question the framework does not have");
        rule_broken(bad_words, "answer(s) are not one of yes, no, not applicable");
        rule_broken(duplicates, "answer(s) repeat a case and question already answered");
        rule_broken(unanswered_cases, "case(s) have no answers");
        if (!broken.empty()) throw InputError("the answers were not loaded: " + broken.substr(2));
    }

    [[nodiscard]] std::size_t case_count() const { return cases_; }
    [[nodiscard]] std::size_t question_count() const { return questions_; }

    /// The answer of case `c` to question `q` (framework order), or nothing if unanswered.
    [[nodiscard]] std::optional<Answer> at(std::size_t c, std::size_t q) const {
        const std::uint8_t cell = cells_.at(c * questions_ + q);
        if (cell == missing) return std::nullopt;
        return static_cast<Answer>(cell);
    }

private:
    static constexpr std::uint8_t missing = 0xFF;
    std::size_t cases_ = 0;
    std::size_t questions_ = 0;
    std::vector<std::uint8_t> cells_;  // case-major
};

}  // namespace yosmodel::inspection
