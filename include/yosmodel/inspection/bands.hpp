// Judgement bands: a framework's scale that turns a score (a share in [0, 1]) into a word such
// as "good" or "unsatisfactory". Bands are data, read from the framework file.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel::inspection {

/// Scores at or above `min_score` (and below the next band up) get `judgement`.
struct Band {
    double min_score;
    std::string judgement;
    std::string basis = {};  // "source" (published) or "assumed": reports say which
};

/// Checks that bands run from the highest to the lowest, strictly, within [0, 1], that the
/// lowest starts at 0 so every score gets a word, and that no word names two bands.
inline void validate_bands(std::span<const Band> bands) {
    if (bands.empty()) throw FrameworkError("a scored framework needs at least one judgement band");
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const double m = bands[i].min_score;
        if (!(m >= 0.0 && m <= 1.0))
            throw FrameworkError("judgement band minimum scores must lie in [0, 1]");
        if (bands[i].judgement.empty()) throw FrameworkError("every judgement band needs a word");
        // One word, one band: a report lists each word's range, and two ranges of one word
        // would read as two judgements.
        for (std::size_t j = 0; j < i; ++j)
            if (bands[j].judgement == bands[i].judgement)
                throw FrameworkError("the judgement band word '" + bands[i].judgement +
                                     "' is given to more than one band");
        if (i > 0 && !(m < bands[i - 1].min_score))
            throw FrameworkError(
                "judgement bands must be listed from the highest minimum score to "
                "the lowest, each strictly lower than the one before");
    }
    if (bands.back().min_score != 0.0)
        throw FrameworkError(
            "the lowest judgement band must start at 0 so that every score gets a "
            "judgement");
}

/// The judgement for `score`; an empty string when the score is undefined (NaN: nothing
/// applicable was assessed). Bands must have passed validate_bands.
inline std::string judgement_for(double score, std::span<const Band> bands) {
    if (std::isnan(score)) return {};
    for (const auto& band : bands)
        if (score >= band.min_score) return band.judgement;
    return bands.empty() ? std::string{} : bands.back().judgement;
}

}  // namespace yosmodel::inspection
