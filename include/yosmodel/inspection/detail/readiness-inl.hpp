// Readiness resampling's definitions (declared in yosmodel/inspection/readiness.hpp): compiled
// once by src/inspection/readiness.cpp, or inline under YOSMODEL_HEADER_ONLY.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/readiness.hpp"

namespace yosmodel::inspection {

namespace detail {

/// SplitMix64: a tiny, well-mixed generator; each simulation gets its own stream, started at a
/// point of the cycle hashed from (seed, simulation index).
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t state) : state_(state) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n), without modulo bias (rejection of the short last block).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t threshold = (0 - n) % n;
        for (;;) {
            const std::uint64_t x = next();
            if (x >= threshold) return x % n;
        }
    }

private:
    std::uint64_t state_;
};

}  // namespace detail

YOSMODEL_INLINE Readiness simulate_readiness(const Inspection& audit, std::size_t sample_size,
                                             std::uint64_t simulations, std::uint64_t seed,
                                             unsigned threads) {
    audit.validate();
    const Framework& fw = audit.framework;
    const std::size_t cases = audit.answers.case_count();
    const std::size_t questions = fw.question_count();
    const std::size_t themes = fw.themes().size();
    if (cases == 0) throw InputError("readiness needs an audit with at least one case");
    if (sample_size == 0 || sample_size > 100000)
        throw LimitError("readiness: sample_size must be between 1 and 100000 cases");
    if (simulations == 0 || simulations > 10000000)
        throw LimitError("readiness: simulations must be between 1 and 10000000");

    Readiness out;
    out.simulations = simulations;
    out.sample_size = sample_size;
    for (const Band& b : fw.bands())
        out.ratings.push_back(b.judgement);
    for (const std::string& w : fw.judged_scale())
        if (std::find(out.ratings.begin(), out.ratings.end(), w) == out.ratings.end())
            out.ratings.push_back(w);
    const auto rating_of = [&](const std::string& word) -> std::optional<std::size_t> {
        for (std::size_t r = 0; r < out.ratings.size(); ++r)
            if (out.ratings[r] == word) return r;
        return std::nullopt;
    };
    const bool rule = fw.overall_basis() == OverallBasis::rule && fw.overall().has_value();
    if (rule)
        for (const PointsBand& b : fw.overall()->bands)
            out.overall_ratings.push_back(b.rating);

    // Judged themes keep the audit's (inspectors') word; scored themes are resampled.
    std::vector<std::string> judged_word(themes);
    for (std::size_t t = 0; t < themes; ++t)
        if (!fw.themes()[t].scored) {
            const auto it = audit.judged.find(fw.themes()[t].id);
            if (it != audit.judged.end()) judged_word[t] = it->second;
        }
    // Answers as small codes, case-major: 0 yes, 1 no, 2 not applicable, 3 unanswered.
    std::vector<std::uint8_t> code(cases * questions, 3);
    for (std::size_t c = 0; c < cases; ++c)
        for (std::size_t q = 0; q < questions; ++q)
            if (const auto a = audit.answers.at(c, q))
                code[c * questions + q] = static_cast<std::uint8_t>(*a);

    struct Tally {
        std::vector<std::uint64_t> theme;  // themes x ratings
        std::vector<std::uint64_t> unrated;
        std::vector<std::uint64_t> overall;
        std::uint64_t overall_unrated = 0;
    };
    const std::size_t width = out.ratings.size();
    const unsigned workers = resolve_threads(threads);
    std::vector<Tally> tallies(workers);
    const auto simulate_range = [&](unsigned w, std::size_t first, std::size_t last) {
        Tally& tally = tallies[w];
        tally.theme.assign(themes * width, 0);
        tally.unrated.assign(themes, 0);
        tally.overall.assign(out.overall_ratings.size(), 0);
        std::vector<QuestionCounts> counts(questions);
        std::vector<std::string> words(themes);
        std::vector<std::string> counted;
        for (std::size_t s = first; s < last; ++s) {
            // A stream per simulation, from a hashed point of the cycle: streams
            // of neighbouring simulations must not overlap.
            detail::SplitMix64 rng(detail::SplitMix64(detail::SplitMix64(seed).next() + s).next());
            std::fill(counts.begin(), counts.end(), QuestionCounts{});
            for (std::size_t k = 0; k < sample_size; ++k) {
                const auto c = static_cast<std::size_t>(rng.below(cases));
                const std::uint8_t* row = code.data() + c * questions;
                for (std::size_t q = 0; q < questions; ++q) {
                    switch (row[q]) {
                        case 0:
                            ++counts[q].yes;
                            break;
                        case 1:
                            ++counts[q].no;
                            break;
                        case 2:
                            ++counts[q].not_applicable;
                            break;
                        default:
                            break;
                    }
                }
            }
            const auto scores = score_themes(fw, counts);
            bool overall_known = true;
            counted.clear();
            for (std::size_t t = 0; t < themes; ++t) {
                words[t] = fw.themes()[t].scored ? scores[t].judgement : judged_word[t];
                if (words[t].empty()) {
                    ++tally.unrated[t];
                    if (fw.themes()[t].counted) overall_known = false;
                } else {
                    // validate() has checked every judged word is on the scale.
                    if (const auto r = rating_of(words[t])) ++tally.theme[t * width + *r];
                }
                if (fw.themes()[t].counted) counted.push_back(words[t]);
            }
            if (!rule) continue;
            if (!overall_known) {
                ++tally.overall_unrated;
                continue;
            }
            const auto overall = overall_rating(counted, *fw.overall());
            for (std::size_t r = 0; r < out.overall_ratings.size(); ++r)
                if (out.overall_ratings[r] == overall.rating) ++tally.overall[r];
        }
    };
    parallel_ranges(static_cast<std::size_t>(simulations), workers, 256, simulate_range);
    out.theme_counts.assign(themes, std::vector<std::uint64_t>(width, 0));
    out.theme_unrated.assign(themes, 0);
    out.overall_counts.assign(out.overall_ratings.size(), 0);
    for (const Tally& tally : tallies) {
        if (tally.theme.empty()) continue;  // a worker with no range
        for (std::size_t t = 0; t < themes; ++t) {
            for (std::size_t r = 0; r < width; ++r)
                out.theme_counts[t][r] += tally.theme[t * width + r];
            out.theme_unrated[t] += tally.unrated[t];
        }
        for (std::size_t r = 0; r < out.overall_counts.size(); ++r)
            out.overall_counts[r] += tally.overall[r];
        out.overall_unrated += tally.overall_unrated;
    }
    return out;
}

YOSMODEL_INLINE BandEdge band_edge(const QuestionCounts& counts, const std::vector<Band>& bands) {
    BandEdge edge;
    const std::uint64_t applicable = counts.applicable();
    if (!applicable) return edge;
    const auto judgement_at = [&](std::uint64_t yes) {
        return judgement_for(static_cast<double>(yes) / static_cast<double>(applicable), bands);
    };
    edge.judgement = judgement_at(counts.yes);
    for (std::uint64_t k = 1; k <= counts.no; ++k)
        if (judgement_at(counts.yes + k) != edge.judgement) {
            edge.cases_to_next = static_cast<long>(k);
            break;
        }
    for (std::uint64_t k = 1; k <= counts.yes; ++k)
        if (judgement_at(counts.yes - k) != edge.judgement) {
            edge.cases_to_drop = static_cast<long>(k);
            break;
        }
    return edge;
}

}  // namespace yosmodel::inspection
