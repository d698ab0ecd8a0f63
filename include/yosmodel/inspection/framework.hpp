// An inspection framework: themes (or standards), the questions asked of each inspected case,
// the judgement bands, and how a theme's score is formed. Frameworks are data: the Python
// package reads them from JSON files (docs/frameworks.md) and hands the core plain values.
#pragma once

#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/bands.hpp"

namespace yosmodel::inspection {

/// One question asked of every inspected case ("was the plan reviewed often enough?").
struct Question {
    std::string id;
    std::string text;
};

/// A theme (FJI 2016) or standard (HMIP 2018). A scored theme is computed from case answers;
/// a judged one (governance) is set by inspectors from interviews and documents.
struct Theme {
    std::string id;
    std::string name;
    bool scored = true;
    std::string expectations;  // "what we expect to see"
    boost::container::small_vector<Question, 8> questions;
};

/// How a scored theme's score is formed from its questions.
enum class ThemeRule {
    pooled,           // done-well answers over applicable answers, across all its questions
    lowest_question,  // the lowest question score (HMIP 2018: a standard follows its weakest
                      // key question)
};

class Framework {
public:
    Framework() = default;

    /// Validates: theme and question ids unique and non-empty, scored themes have questions,
    /// judged themes have none, bands well formed, judged themes have a scale to draw on.
    Framework(std::string id, std::vector<Theme> themes, std::vector<Band> bands,
              ThemeRule rule = ThemeRule::pooled, std::vector<std::string> judged_scale = {})
        : id_(std::move(id)),
          themes_(std::move(themes)),
          bands_(std::move(bands)),
          rule_(rule),
          judged_scale_(std::move(judged_scale)) {
        if (themes_.empty()) throw InputError("a framework needs at least one theme");
        validate_bands(bands_);
        boost::container::flat_map<std::string, std::size_t> theme_ids;
        std::size_t duplicate_themes = 0, duplicate_questions = 0, empty_ids = 0;
        std::size_t scored_without_questions = 0, judged_with_questions = 0, judged = 0;
        for (std::size_t t = 0; t < themes_.size(); ++t) {
            const Theme& theme = themes_[t];
            if (theme.id.empty()) ++empty_ids;
            if (!theme_ids.emplace(theme.id, t).second) ++duplicate_themes;
            if (theme.scored && theme.questions.empty()) ++scored_without_questions;
            if (!theme.scored) {
                ++judged;
                if (!theme.questions.empty()) ++judged_with_questions;
            }
            for (const Question& q : theme.questions) {
                if (q.id.empty()) ++empty_ids;
                if (!question_index_.emplace(q.id, question_theme_.size()).second) {
                    ++duplicate_questions;
                    continue;
                }
                question_theme_.push_back(t);
                question_ids_.push_back(q.id);
            }
        }
        theme_index_ = std::move(theme_ids);
        std::string broken;
        const auto rule_broken = [&](std::size_t count, const char* what) {
            if (count) broken += "; " + std::to_string(count) + " " + what;
        };
        rule_broken(empty_ids, "theme or question id(s) are empty");
        rule_broken(duplicate_themes, "theme id(s) appear more than once");
        rule_broken(duplicate_questions, "question id(s) appear more than once");
        rule_broken(scored_without_questions, "scored theme(s) have no questions");
        rule_broken(judged_with_questions,
                    "judged theme(s) have questions (only scored themes "
                    "are answered case by case)");
        if (judged && judged_scale_.empty())
            broken += "; judged themes need a judged scale (the words inspectors may use)";
        if (!broken.empty()) throw InputError("the framework is not valid: " + broken.substr(2));
    }

    const std::string& id() const { return id_; }
    const std::vector<Theme>& themes() const { return themes_; }
    const std::vector<Band>& bands() const { return bands_; }
    ThemeRule rule() const { return rule_; }
    const std::vector<std::string>& judged_scale() const { return judged_scale_; }

    /// Questions in framework order (theme by theme), with the theme each belongs to.
    std::size_t question_count() const { return question_ids_.size(); }
    const std::string& question_id(std::size_t q) const { return question_ids_.at(q); }
    std::size_t theme_of(std::size_t q) const { return question_theme_.at(q); }

    std::optional<std::size_t> question_index(const std::string& id) const {
        const auto it = question_index_.find(id);
        if (it == question_index_.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::size_t> theme_index(const std::string& id) const {
        const auto it = theme_index_.find(id);
        if (it == theme_index_.end()) return std::nullopt;
        return it->second;
    }

private:
    std::string id_;
    std::vector<Theme> themes_;
    std::vector<Band> bands_;
    ThemeRule rule_ = ThemeRule::pooled;
    std::vector<std::string> judged_scale_;
    boost::container::flat_map<std::string, std::size_t> theme_index_;
    boost::container::flat_map<std::string, std::size_t> question_index_;
    std::vector<std::size_t> question_theme_;
    std::vector<std::string> question_ids_;
};

}  // namespace yosmodel::inspection
