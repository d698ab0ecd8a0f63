// What an inspection report says besides its numbers: findings per theme, recommendations with
// their addressees, and the inspectors' judgement of a judged theme (governance).
#pragma once

#include <array>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace yosmodel::inspection {

enum class FindingKind {
    key_finding,       // a headline finding for the theme
    explanation,       // why the score is what it is
    notable_practice,  // an example of notable practice
    quote,             // a comment from a young person or a parent
};

enum class FindingTone { strength, area_for_improvement, neutral };

// The one list of each enum's words, in enum order: files, bindings and Python take them here.
inline constexpr auto finding_kind_names =
    std::to_array<std::string_view>({"key_finding", "explanation", "notable_practice", "quote"});
inline constexpr auto finding_tone_names =
    std::to_array<std::string_view>({"strength", "area_for_improvement", "neutral"});

constexpr std::string_view to_string(FindingKind kind) {
    return finding_kind_names[static_cast<std::size_t>(kind)];
}
constexpr std::string_view to_string(FindingTone tone) {
    return finding_tone_names[static_cast<std::size_t>(tone)];
}

inline std::optional<FindingKind> parse_finding_kind(std::string_view word) {
    for (std::size_t i = 0; i < std::size(finding_kind_names); ++i)
        if (finding_kind_names[i] == word) return static_cast<FindingKind>(i);
    return std::nullopt;
}
inline std::optional<FindingTone> parse_finding_tone(std::string_view word) {
    for (std::size_t i = 0; i < std::size(finding_tone_names); ++i)
        if (finding_tone_names[i] == word) return static_cast<FindingTone>(i);
    return std::nullopt;
}

struct Finding {
    std::string theme;  // theme id
    FindingKind kind = FindingKind::key_finding;
    FindingTone tone = FindingTone::neutral;
    std::string text;
};

struct Recommendation {
    int number = 0;
    std::string addressee;  // who must act: "the local authority chief executive", ...
    std::string text;
    boost::container::small_vector<std::string, 4> themes;  // theme ids it answers to
};

/// The judgement of one theme: computed from the bands for a scored theme, set by inspectors
/// (from interviews and documents) for a judged one.
struct Judgement {
    std::string theme;  // theme id
    std::string word;
    bool computed = true;
};

}  // namespace yosmodel::inspection
