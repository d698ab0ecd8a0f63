// The definitions of stats/difference.hpp: Newcombe's interval and the two-proportion z-test.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "yosmodel/core/error.hpp"
#include "yosmodel/stats/difference.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::stats {

namespace detail {
inline void check_pair(std::uint64_t x, std::uint64_t n) {
    if (x > n) throw InputError("successes exceed trials; a proportion cannot be above 1");
}
}  // namespace detail

YOSMODEL_INLINE Difference newcombe_difference(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                                               std::uint64_t n2, double level) {
    detail::check_pair(x1, n1);
    detail::check_pair(x2, n2);
    const double z = normal_critical_value(level);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (n1 == 0 || n2 == 0) return {nan, nan, nan};
    const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
    const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
    const Interval a = wilson(static_cast<double>(x1), static_cast<double>(n1), z);
    const Interval b = wilson(static_cast<double>(x2), static_cast<double>(n2), z);
    const double d = p1 - p2;
    return {d, d - std::sqrt((p1 - a.lower) * (p1 - a.lower) + (b.upper - p2) * (b.upper - p2)),
            d + std::sqrt((a.upper - p1) * (a.upper - p1) + (p2 - b.lower) * (p2 - b.lower))};
}

YOSMODEL_INLINE ZTest two_proportion_ztest(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                                           std::uint64_t n2) {
    detail::check_pair(x1, n1);
    detail::check_pair(x2, n2);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (n1 == 0 || n2 == 0 || x1 + x2 == 0 || x1 + x2 == n1 + n2) return {nan, nan, false};
    const double pooled = static_cast<double>(x1 + x2) / static_cast<double>(n1 + n2);
    const double se = std::sqrt(pooled * (1 - pooled) *
                                (1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2)));
    const double z = (static_cast<double>(x1) / static_cast<double>(n1) -
                      static_cast<double>(x2) / static_cast<double>(n2)) /
                     se;
    return {z, std::erfc(std::fabs(z) / std::sqrt(2.0)), true};
}

}  // namespace yosmodel::stats
