// What an inspection report says besides its numbers: findings per theme, recommendations with
// their addressees, and the inspectors' judgement of a judged theme (governance).
#pragma once

#include <boost/container/small_vector.hpp>
#include <string>

namespace yosmodel::inspection {

enum class FindingKind {
    key_finding,       // a headline finding for the theme
    explanation,       // why the score is what it is
    notable_practice,  // an example of notable practice
    quote,             // a comment from a young person or a parent
};

enum class FindingTone { strength, area_for_improvement, neutral };

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
