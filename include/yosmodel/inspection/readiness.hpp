// Readiness: how a service's own audit of its cases would fare in an inspection. The audited
// cases are resampled (with replacement) into many inspection samples of the size an
// inspectorate would draw; each sample is scored exactly as an inspection is, and the ratings
// are tallied per theme and overall. Each simulation draws from its own seeded stream, so the
// result is the same whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/inspection/inspection.hpp"
#include "yosmodel/inspection/scoring.hpp"

namespace yosmodel::inspection {

struct Readiness {
    std::vector<std::string> ratings;  // the band words, highest first, then other judged words
    /// Simulations that gave each rating, per theme (framework order) and rating; a judged
    /// theme keeps the audit's word (the inspectors' judgement) in every simulation.
    std::vector<std::vector<std::uint64_t>> theme_counts;
    std::vector<std::uint64_t> theme_unrated;  // simulations with nothing applicable to score
    std::vector<std::string> overall_ratings;  // the overall rule's words, highest first
    std::vector<std::uint64_t> overall_counts;
    std::uint64_t overall_unrated = 0;  // a counted theme had no rating in that simulation
    std::uint64_t simulations = 0;
    std::size_t sample_size = 0;
};

/// Resamples `audit`'s cases into `simulations` samples of `sample_size` cases each (with
/// replacement) and tallies the ratings. Throws LimitError for sizes out of range (1 to 100000
/// cases, 1 to 10^7 simulations) and InputError for an audit without cases.
Readiness simulate_readiness(const Inspection& audit, std::size_t sample_size,
                             std::uint64_t simulations, std::uint64_t seed, unsigned threads = 0);

/// How far one question's score sits from the edges of its band, in cases: how many of its
/// "no" answers would have to be "yes" to reach the band above, and how many "yes" answers
/// turned "no" would drop it to the band below (each -1 when there is no such band or no count
/// of cases reaches it).
struct BandEdge {
    std::string judgement;  // the band the score falls in now ("" when nothing applies)
    long cases_to_next = -1;
    long cases_to_drop = -1;
};

BandEdge band_edge(const QuestionCounts& counts, const std::vector<Band>& bands);

}  // namespace yosmodel::inspection

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/inspection/detail/readiness-inl.hpp"
#endif
