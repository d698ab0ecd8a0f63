// Nearest-neighbour matching on the logit (declared in evaluation/matching.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/detail/parallel.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/evaluation/detail/random_key.hpp"
#include "yosmodel/evaluation/matching.hpp"

namespace yosmodel::evaluation {

namespace detail {

inline void check_logits(std::span<const double> logits, const char* group) {
    const auto bad =
        std::count_if(logits.begin(), logits.end(), [](double v) { return !std::isfinite(v); });
    if (bad != 0)
        throw InputError(std::string(group) + " logits: " + std::to_string(bad) +
                         " value(s) are missing or infinite");
}

/// The pool sorted by (stratum, logit, random key): equal scores sit in a random order.
struct SortedPool {
    std::vector<std::int64_t> stratum;
    std::vector<double> logit;
    std::vector<std::uint32_t> index;  ///< position in the caller's pool

    /// [first, last) of the sorted pool that is in `s`.
    [[nodiscard]] std::pair<std::size_t, std::size_t> segment(std::int64_t s) const {
        const auto [a, b] = std::equal_range(stratum.begin(), stratum.end(), s);
        return {static_cast<std::size_t>(a - stratum.begin()),
                static_cast<std::size_t>(b - stratum.begin())};
    }
};

inline SortedPool sort_pool(std::span<const double> logits, std::span<const std::int64_t> strata,
                            std::uint64_t seed) {
    struct Entry {
        std::int64_t stratum;
        double logit;
        std::uint64_t key;
        std::uint32_t index;
    };
    std::vector<Entry> entries(logits.size());
    for (std::size_t j = 0; j < logits.size(); ++j)
        entries[j] = {strata.empty() ? 0 : strata[j], logits[j], random_key(seed, 1, j),
                      static_cast<std::uint32_t>(j)};
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        if (a.stratum != b.stratum) return a.stratum < b.stratum;
        if (a.logit != b.logit) return a.logit < b.logit;
        if (a.key != b.key) return a.key < b.key;
        return a.index < b.index;
    });
    SortedPool pool;
    pool.stratum.resize(entries.size());
    pool.logit.resize(entries.size());
    pool.index.resize(entries.size());
    for (std::size_t k = 0; k < entries.size(); ++k) {
        pool.stratum[k] = entries[k].stratum;
        pool.logit[k] = entries[k].logit;
        pool.index[k] = entries[k].index;
    }
    return pool;
}

inline constexpr std::size_t no_match = std::numeric_limits<std::size_t>::max();

/// The first position in [first, last) of the sorted pool whose logit is not below `value`.
inline std::size_t lower_position(const SortedPool& pool, std::size_t first, std::size_t last,
                                  double value) {
    const auto begin = pool.logit.begin();
    return static_cast<std::size_t>(std::lower_bound(begin + static_cast<std::ptrdiff_t>(first),
                                                     begin + static_cast<std::ptrdiff_t>(last),
                                                     value) -
                                    begin);
}

/// The first position in [first, last) whose logit is above `value`.
inline std::size_t upper_position(const SortedPool& pool, std::size_t first, std::size_t last,
                                  double value) {
    const auto begin = pool.logit.begin();
    return static_cast<std::size_t>(std::upper_bound(begin + static_cast<std::ptrdiff_t>(first),
                                                     begin + static_cast<std::ptrdiff_t>(last),
                                                     value) -
                                    begin);
}

/// The sorted position of the pool member nearest to `logit` in `stratum` (no_match when none
/// is within the caliper) and its distance. Every member at the best distance, a run of equal
/// scores on either side, is equally likely: `tie_key` picks one.
inline std::pair<std::size_t, double> nearest_with_ties(const SortedPool& pool, double logit,
                                                        std::int64_t stratum, double caliper,
                                                        std::uint64_t tie_key) {
    const auto [lo, hi] = pool.segment(stratum);
    const std::size_t pos = lower_position(pool, lo, hi, logit);
    const double left = pos > lo ? logit - pool.logit[pos - 1] : HUGE_VAL;
    const double right = pos < hi ? pool.logit[pos] - logit : HUGE_VAL;
    const double best = std::min(left, right);
    if (std::isinf(best) || !(best <= caliper)) return {no_match, best};
    const std::size_t first =
        left == best ? lower_position(pool, lo, pos, pool.logit[pos - 1]) : pos;
    const std::size_t last = right == best ? upper_position(pool, pos, hi, pool.logit[pos]) : pos;
    return {first + tie_key % (last - first), best};
}

/// "Next unused position" links with path halving: a used position points past itself.
class UnusedLinks {
public:
    explicit UnusedLinks(std::size_t n) : link_(n + 1) {
        std::iota(link_.begin(), link_.end(), std::size_t{0});
    }
    /// The first unused position at or after k (n when none).
    std::size_t find(std::size_t k) {
        while (link_[k] != k) {
            link_[k] = link_[link_[k]];
            k = link_[k];
        }
        return k;
    }
    void use(std::size_t k) { link_[k] = k + 1; }

private:
    std::vector<std::size_t> link_;
};

}  // namespace detail

YOSMODEL_INLINE double pooled_standard_deviation(std::span<const double> first,
                                                 std::span<const double> second) {
    const auto variance = [](std::span<const double> v) {
        if (v.size() < 2) return 0.0;
        const double mean =
            std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
        double ss = 0;
        for (const double x : v)
            ss += (x - mean) * (x - mean);
        return ss / static_cast<double>(v.size() - 1);
    };
    return std::sqrt((variance(first) + variance(second)) / 2.0);
}

YOSMODEL_INLINE Matches match_nearest(std::span<const double> treated_logits,
                                      std::span<const double> pool_logits,
                                      const MatchOptions& options,
                                      std::span<const std::int64_t> treated_strata,
                                      std::span<const std::int64_t> pool_strata) {
    detail::check_logits(treated_logits, "participant");
    detail::check_logits(pool_logits, "comparison pool");
    if (!(options.caliper > 0))
        throw InputError("the caliper must be greater than zero (infinity for no caliper)");
    if (treated_strata.size() != (treated_strata.empty() ? 0 : treated_logits.size()) ||
        pool_strata.size() != (pool_strata.empty() ? 0 : pool_logits.size()) ||
        treated_strata.empty() != pool_strata.empty())
        throw InputError(
            "exact-match strata must be given for every participant and every "
            "pool member, or for none");
    if (pool_logits.size() >= std::numeric_limits<std::uint32_t>::max())
        throw InputError("the comparison pool is too large (at most 4294967294 rows)");

    const detail::SortedPool pool = detail::sort_pool(pool_logits, pool_strata, options.seed);
    const std::size_t n = treated_logits.size();
    Matches out;
    out.comparison.assign(n, -1);
    out.distance.assign(n, std::numeric_limits<double>::quiet_NaN());
    const auto stratum_of = [&](std::size_t i) {
        return treated_strata.empty() ? std::int64_t{0} : treated_strata[i];
    };

    if (options.replacement) {
        const auto match_range = [&](unsigned, std::size_t first, std::size_t last) {
            for (std::size_t i = first; i < last; ++i) {
                const auto [position, distance] = detail::nearest_with_ties(
                    pool, treated_logits[i], stratum_of(i), options.caliper,
                    detail::random_key(options.seed, 2, i));
                if (position == detail::no_match) continue;
                out.comparison[i] = pool.index[position];
                out.distance[i] = distance;
            }
        };
        parallel_ranges(n, resolve_threads(options.threads), 1024, match_range);
    } else {
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::vector<std::uint64_t> key(n);
        for (std::size_t i = 0; i < n; ++i)
            key[i] = detail::random_key(options.seed, 3, i);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return key[a] != key[b] ? key[a] < key[b] : a < b;
        });
        const std::size_t size = pool.logit.size();
        // Unused positions found going right (k) and going left (mirrored: size - 1 - k).
        detail::UnusedLinks rightward(size);
        detail::UnusedLinks leftward(size);
        for (const std::size_t i : order) {
            const double t = treated_logits[i];
            const auto [lo, hi] = pool.segment(stratum_of(i));
            const std::size_t pos = detail::lower_position(pool, lo, hi, t);
            const std::size_t r = rightward.find(pos);
            std::size_t l = size;  // none
            if (pos > 0) {
                const std::size_t mirrored = leftward.find(size - pos);
                if (mirrored < size) l = size - 1 - mirrored;
            }
            const double right = r < hi ? pool.logit[r] - t : HUGE_VAL;
            const double left = (l < size && l >= lo) ? t - pool.logit[l] : HUGE_VAL;
            const double best = std::min(left, right);
            if (std::isinf(best) || !(best <= options.caliper)) continue;  // none left
            std::size_t pick = r;
            if (left < right ||
                (left == right && (detail::random_key(options.seed, 4, i) & 1U) != 0))
                pick = l;
            rightward.use(pick);
            leftward.use(size - 1 - pick);
            out.comparison[i] = pool.index[pick];
            out.distance[i] = best;
        }
    }
    out.matched = static_cast<std::size_t>(
        std::count_if(out.comparison.begin(), out.comparison.end(), [](auto c) { return c >= 0; }));
    return out;
}

YOSMODEL_INLINE std::vector<double> comparison_weights(const Matches& matches,
                                                       std::size_t pool_size) {
    std::vector<double> weights(pool_size, 0.0);
    for (const auto c : matches.comparison)
        if (c >= 0) weights[static_cast<std::size_t>(c)] += 1.0;
    return weights;
}

}  // namespace yosmodel::evaluation
