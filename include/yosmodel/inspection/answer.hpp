// An inspector's answer to one question about one case: yes (done well enough), no, or not
// applicable. Not-applicable answers count towards neither a question's nor a theme's score.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace yosmodel::inspection {

enum class Answer : std::uint8_t { yes, no, not_applicable };

/// The canonical words, in enum order (the one list: bindings and Python take it from here).
inline constexpr auto answer_names =
    std::to_array<std::string_view>({"yes", "no", "not applicable"});

/// The answer a word names, or nothing when the word is not in the allowed set. Accepted:
/// "yes", "no", "not applicable", "not_applicable", "n/a", "na" (lower case; the Python layer
/// folds case and trims spaces first).
inline std::optional<Answer> parse_answer(std::string_view word) {
    if (word == "yes") return Answer::yes;
    if (word == "no") return Answer::no;
    if (word == "not applicable" || word == "not_applicable" || word == "n/a" || word == "na")
        return Answer::not_applicable;
    return std::nullopt;
}

/// The canonical word for an answer, as files and tables write it.
constexpr std::string_view to_string(Answer answer) {
    switch (answer) {
        case Answer::yes:
            return "yes";
        case Answer::no:
            return "no";
        case Answer::not_applicable:
            return "not applicable";
    }
    return "not applicable";
}

}  // namespace yosmodel::inspection
