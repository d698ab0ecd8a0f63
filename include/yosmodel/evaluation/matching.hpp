// Nearest-neighbour matching of participants to a comparison pool on the logit of the propensity
// score, within a caliper, with or without replacement, optionally only within exact-match
// strata (sex, youth justice service). The pool is sorted once; each participant's nearest
// neighbours are found by binary search. Ties and the greedy order are broken at random by a seed
// (not by row order, which would always favour the same people): the same rows and seed always
// give the same match, whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::evaluation {

struct MatchOptions {
    /// Largest allowed |logit difference| (not in SDs: see pooled_standard_deviation);
    /// infinity for no caliper.
    double caliper = std::numeric_limits<double>::infinity();
    bool replacement = true;  ///< a comparison person may be matched to several participants
    std::uint64_t seed = 0;   ///< breaks ties (and sets the greedy order without replacement)
    unsigned threads = 0;     ///< 0: every core; results do not depend on it
};

/// One nearest neighbour per participant.
struct Matches {
    std::vector<std::int64_t> comparison;  ///< index into the pool, or -1 when none in caliper
    std::vector<double> distance;          ///< |logit difference|; NaN when unmatched
    std::size_t matched = 0;               ///< participants with a comparison
};

/// The pooled standard deviation sqrt((s1^2 + s2^2) / 2) of two groups' logits: the unit of the
/// caliper (Austin 2011 recommends 0.2 of it).
double pooled_standard_deviation(std::span<const double> first, std::span<const double> second);

/// Matches each participant to its nearest pool member on the logit (within its stratum, when
/// strata are given; both strata spans empty or both full). Among pool members at the same
/// distance one is chosen at random by the seed. Without replacement, participants are matched
/// greedily in a random order set by the seed, each pool member at most once.
Matches match_nearest(std::span<const double> treated_logits, std::span<const double> pool_logits,
                      const MatchOptions& options = {},
                      std::span<const std::int64_t> treated_strata = {},
                      std::span<const std::int64_t> pool_strata = {});

/// Each pool member's weight in the matched comparison group: how many participants it matches.
std::vector<double> comparison_weights(const Matches& matches, std::size_t pool_size);

}  // namespace yosmodel::evaluation

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/evaluation/detail/matching-inl.hpp"
#endif
