// The HMI Probation (2018 on) overall rating: each standard's rating word is worth points, the
// points are summed over the standards, and the sum falls in a band (0-6 Inadequate, 7-18
// Requires improvement, 19-30 Good, 31-36 Outstanding over 12 standards). The rule is data.
#pragma once

#include <algorithm>
#include <boost/container/flat_map.hpp>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel::inspection {

struct PointsBand {
    long min_points;
    std::string rating;
};

// clang-tidy 14 follows the noexcept move assignment of Boost's flat_map into the branch for
// allocators that compare unequal, which may throw std::length_error; the default allocator is
// always equal, so that branch is never taken and the implicit noexcept move cannot throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct OverallRule {
    boost::container::flat_map<std::string, long> points;  // rating word -> points
    std::vector<PointsBand> bands;                         // highest minimum first, last at 0
    std::size_t standards = 0;                             // how many ratings make a whole
    std::string basis;  // "source" (published) or "assumed": reports say which
};

struct OverallRating {
    long points = 0;
    std::string rating;
};

inline void validate_overall_rule(const OverallRule& rule) {
    if (rule.points.empty() || rule.bands.empty() || rule.standards == 0)
        throw FrameworkError("an overall rule needs points per rating, bands and a standard count");
    for (std::size_t i = 1; i < rule.bands.size(); ++i)
        if (!(rule.bands[i].min_points < rule.bands[i - 1].min_points))
            throw FrameworkError("overall bands must run from the highest minimum to the lowest");
    if (rule.bands.back().min_points != 0)
        throw FrameworkError("the lowest overall band must start at 0 points");
    long most = 0;
    for (const auto& [word, points] : rule.points) {
        if (points < 0) throw FrameworkError("points per rating must be zero or more");
        most = std::max(most, points);
    }
    // A rating sums one word per standard: the largest sum must fit, or it would wrap.
    if (rule.standards > static_cast<std::size_t>(std::numeric_limits<long>::max()) ||
        most > std::numeric_limits<long>::max() / static_cast<long>(rule.standards))
        throw FrameworkError("points per rating are too large: " + std::to_string(rule.standards) +
                             " standards at the most points would not fit in a total");
    // A band no sum of ratings reaches would never be awarded: a misprinted minimum, or a
    // standard count that is not the rule's.
    const long reachable = most * static_cast<long>(rule.standards);
    for (std::size_t i = 0; i < rule.bands.size(); ++i) {
        const PointsBand& band = rule.bands[i];
        if (band.rating.empty()) throw FrameworkError("every overall band needs a rating word");
        for (std::size_t j = 0; j < i; ++j)
            if (rule.bands[j].rating == band.rating)
                throw FrameworkError("the overall rating '" + band.rating +
                                     "' is given to more than one band");
        if (band.min_points > reachable)
            throw FrameworkError("the overall band '" + band.rating + "' starts at " +
                                 std::to_string(band.min_points) + " points, but " +
                                 std::to_string(rule.standards) + " standards sum to " +
                                 std::to_string(reachable) + " at most");
    }
}

/// Sums the points of `standard_ratings` (one word per standard) and finds the overall band.
/// Throws InputError when the number of ratings is not the rule's or words are unknown.
inline OverallRating overall_rating(std::span<const std::string> standard_ratings,
                                    const OverallRule& rule) {
    validate_overall_rule(rule);
    if (standard_ratings.size() != rule.standards)
        throw InputError("the overall rating needs one rating for each of the " +
                         std::to_string(rule.standards) + " standards; got " +
                         std::to_string(standard_ratings.size()));
    OverallRating result;
    std::size_t unknown = 0;
    for (const auto& word : standard_ratings) {
        const auto it = rule.points.find(word);
        if (it == rule.points.end())
            ++unknown;
        else
            result.points += it->second;
    }
    if (unknown)
        throw InputError(std::to_string(unknown) +
                         " standard rating(s) are not words of the "
                         "framework's rating scale");
    for (const auto& band : rule.bands)
        if (result.points >= band.min_points) {
            result.rating = band.rating;
            break;
        }
    return result;
}

}  // namespace yosmodel::inspection
