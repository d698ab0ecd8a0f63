// An inspection framework: themes (or standards), the questions asked of each inspected case,
// the judgement bands, how a theme's score is formed, and how (or whether) an overall rating is
// derived. Frameworks are data: read_framework (framework_reader.hpp) builds one from a JSON
// file (docs/frameworks.md), and this constructor is the one place every rule is checked.
#pragma once

#include <algorithm>
#include <array>
#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/bands.hpp"
#include "yosmodel/inspection/overall_rating.hpp"

namespace yosmodel::inspection {

/// One question asked of every inspected case ("was the plan reviewed often enough?").
struct Question {
    std::string id;
    std::string text;
};

/// A theme (FJI 2016) or standard (HMIP 2018). A scored theme is computed from case answers;
/// a judged one (governance) is set by inspectors from interviews and documents. A theme that
/// is rated separately (HMIP 2018 resettlement) is not counted in the overall rating.
// clang-tidy 14 follows the noexcept move of Boost's small_vector into its growth path and finds
// a std::length_error there; a move never grows (inline elements are moved into an inline buffer
// of the same capacity, heap ones are stolen), so the implicit noexcept move cannot throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Theme {
    std::string id;
    std::string name;
    bool scored = true;
    std::string expectations;  // "what we expect to see"
    boost::container::small_vector<Question, 8> questions;
    std::string domain = {};  // a grouping label (HMIP domains)
    bool counted = true;      // counted in the overall rating
};

/// How a scored theme's score is formed from its questions. The one list of rules: the
/// bindings and the framework reader take their names from theme_rule_names.
enum class ThemeRule {
    pooled,           // done-well answers over applicable answers, across all its questions
    lowest_question,  // the lowest question score (HMIP 2018: a standard follows its weakest
                      // key question)
};

inline constexpr auto theme_rule_names =
    std::to_array<std::string_view>({"pooled", "lowest_question"});

constexpr std::string_view to_string(ThemeRule rule) {
    return theme_rule_names[static_cast<std::size_t>(rule)];
}

inline std::optional<ThemeRule> parse_theme_rule(std::string_view name) {
    for (std::size_t i = 0; i < std::size(theme_rule_names); ++i)
        if (theme_rule_names[i] == name) return static_cast<ThemeRule>(i);
    return std::nullopt;
}

/// Who sets the overall rating: a published rule over the counted standards, inspectors (the
/// 2025 framework publishes no rule), or nobody (FJI 2016 has no overall rating).
enum class OverallBasis { none, rule, inspectors };

inline constexpr auto overall_basis_names =
    std::to_array<std::string_view>({"none", "rule", "inspectors"});

namespace detail {

// A few ids are named in a message (ids are the framework's code list, not personal data);
// past that a count says how many more.
constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string some_ids(const std::vector<std::string>& ids) {
    std::string out;
    const std::size_t shown = std::min<std::size_t>(ids.size(), 5);
    for (std::size_t i = 0; i < shown; ++i)
        out += (i ? ", '" : "'") + ids[i] + "'";
    if (ids.size() > shown) out += " and " + std::to_string(ids.size() - shown) + " more";
    return out;
}

}  // namespace detail

class Framework {
public:
    Framework() = default;

    /// Validates: theme and question ids unique and non-empty, scored themes have questions,
    /// judged themes have none, bands well formed, judged themes have a scale to draw on, an
    /// overall rule counts exactly the counted themes and uses words of the scales. Every broken
    /// rule is reported at once in one FrameworkError naming the ids concerned.
    Framework(std::string id, std::vector<Theme> themes, std::vector<Band> bands,
              ThemeRule rule = ThemeRule::pooled, std::vector<std::string> judged_scale = {},
              std::optional<OverallRule> overall = std::nullopt,
              OverallBasis overall_basis = OverallBasis::none)
        : id_(std::move(id)),
          themes_(std::move(themes)),
          bands_(std::move(bands)),
          rule_(rule),
          judged_scale_(std::move(judged_scale)),
          overall_(std::move(overall)),
          overall_basis_(overall_ && overall_basis == OverallBasis::none ? OverallBasis::rule
                                                                         : overall_basis) {
        if (id_.empty()) throw FrameworkError("the framework's 'id' is empty");
        if (themes_.empty()) throw FrameworkError("a framework needs at least one theme");
        validate_bands(bands_);
        std::vector<std::string> duplicate_themes;
        std::vector<std::string> duplicate_questions;
        std::vector<std::string> no_questions;
        std::vector<std::string> judged_with_questions;
        std::size_t empty_ids = 0;
        std::vector<std::string> padded_ids;
        // Answers and cases name themes and questions by id, read without the spaces around
        // them: an id with its own would never be matched.
        const auto padded = [](const std::string& id) {
            return !id.empty() && (detail::is_space(id.front()) || detail::is_space(id.back()));
        };
        std::size_t judged = 0;
        std::size_t counted = 0;
        for (std::size_t t = 0; t < themes_.size(); ++t) {
            const Theme& theme = themes_[t];
            if (theme.id.empty()) ++empty_ids;
            if (padded(theme.id)) padded_ids.push_back(theme.id);
            if (!theme_index_.emplace(theme.id, t).second) duplicate_themes.push_back(theme.id);
            if (theme.scored && theme.questions.empty()) no_questions.push_back(theme.id);
            if (theme.counted) ++counted;
            if (!theme.scored) {
                ++judged;
                if (!theme.questions.empty()) judged_with_questions.push_back(theme.id);
            }
            for (const Question& q : theme.questions) {
                if (q.id.empty()) ++empty_ids;
                if (padded(q.id)) padded_ids.push_back(q.id);
                if (!question_index_.emplace(q.id, question_theme_.size()).second) {
                    duplicate_questions.push_back(q.id);
                    continue;
                }
                question_theme_.push_back(t);
                question_ids_.push_back(q.id);
            }
        }
        std::string broken;
        const auto rule_broken = [&](const std::vector<std::string>& ids, const char* what) {
            if (!ids.empty())
                broken += "; " + std::to_string(ids.size()) + " " + what + " (" +
                          detail::some_ids(ids) + ")";
        };
        if (empty_ids)
            broken += "; " + std::to_string(empty_ids) + " theme or question id(s) are empty";
        rule_broken(padded_ids, "theme or question id(s) begin or end with a space");
        rule_broken(duplicate_themes, "theme id(s) appear more than once");
        rule_broken(duplicate_questions, "question id(s) appear more than once");
        rule_broken(no_questions, "scored theme(s) have no questions");
        rule_broken(judged_with_questions,
                    "judged theme(s) have questions (only scored themes are answered case by "
                    "case)");
        if (judged && judged_scale_.empty())
            broken += "; judged themes need a judged scale (the words inspectors may use)";
        if (overall_) {
            validate_overall_rule(*overall_);
            if (overall_->standards != counted)
                broken += "; the overall rule counts " + std::to_string(overall_->standards) +
                          " standards but the framework has " + std::to_string(counted) +
                          " counted theme(s)";
            std::vector<std::string> unpriced;
            for (const Band& band : bands_)
                if (!overall_->points.contains(band.judgement)) unpriced.push_back(band.judgement);
            for (const std::string& word : judged_scale_)
                if (!overall_->points.contains(word)) unpriced.push_back(word);
            rule_broken(unpriced, "rating word(s) have no points in the overall rule");
        } else if (overall_basis_ == OverallBasis::rule) {
            broken += "; an overall rating from a rule needs the rule";
        }
        if (!broken.empty())
            throw FrameworkError("the framework is not valid: " + broken.substr(2));
    }

    [[nodiscard]] const std::string& id() const { return id_; }
    [[nodiscard]] const std::vector<Theme>& themes() const { return themes_; }
    [[nodiscard]] const std::vector<Band>& bands() const { return bands_; }
    [[nodiscard]] ThemeRule rule() const { return rule_; }
    [[nodiscard]] const std::vector<std::string>& judged_scale() const { return judged_scale_; }
    [[nodiscard]] const std::optional<OverallRule>& overall() const { return overall_; }
    [[nodiscard]] OverallBasis overall_basis() const { return overall_basis_; }

    /// Title and provenance, as the file gives them (empty when it gives none).
    std::string name;
    std::string source;
    /// The case attributes the framework's reports break scores down by (sentence type, sex,
    /// ...). Only declared attributes are published: a name or notes column never is.
    std::vector<std::string> subgroups;

    /// Questions in framework order (theme by theme), with the theme each belongs to.
    [[nodiscard]] std::size_t question_count() const { return question_ids_.size(); }
    [[nodiscard]] const std::string& question_id(std::size_t q) const {
        return question_ids_.at(q);
    }
    [[nodiscard]] std::size_t theme_of(std::size_t q) const { return question_theme_.at(q); }

    [[nodiscard]] std::optional<std::size_t> question_index(const std::string& id) const {
        const auto it = question_index_.find(id);
        if (it == question_index_.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::optional<std::size_t> theme_index(const std::string& id) const {
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
    std::optional<OverallRule> overall_;
    OverallBasis overall_basis_ = OverallBasis::none;
    boost::container::flat_map<std::string, std::size_t> theme_index_;
    boost::container::flat_map<std::string, std::size_t> question_index_;
    std::vector<std::size_t> question_theme_;
    std::vector<std::string> question_ids_;
};

/// The overall rating from one rating word per counted theme, or one per theme (framework
/// order; the words of themes rated separately are then left out). Throws FrameworkError when
/// the framework derives no overall rating (none, or set by inspectors).
inline OverallRating overall_rating(const Framework& framework,
                                    std::span<const std::string> ratings) {
    if (framework.overall_basis() == OverallBasis::inspectors)
        throw FrameworkError("framework '" + framework.id() +
                             "' publishes no rule for the overall rating: inspectors set it");
    if (!framework.overall())
        throw FrameworkError("framework '" + framework.id() + "' has no overall rating rule");
    const auto& themes = framework.themes();
    if (ratings.size() == themes.size() && ratings.size() != framework.overall()->standards) {
        std::vector<std::string> counted;
        for (std::size_t t = 0; t < themes.size(); ++t)
            if (themes[t].counted) counted.push_back(ratings[t]);
        return overall_rating(counted, *framework.overall());
    }
    if (ratings.size() != framework.overall()->standards)
        throw InputError("the overall rating needs one rating for each of the " +
                         std::to_string(framework.overall()->standards) +
                         " counted standards, or one for each of all " +
                         std::to_string(themes.size()) + "; got " + std::to_string(ratings.size()));
    return overall_rating(ratings, *framework.overall());
}

}  // namespace yosmodel::inspection
