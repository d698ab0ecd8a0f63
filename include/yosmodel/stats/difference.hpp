// Comparing two proportions (a service's rate against a comparator's): Newcombe's hybrid score
// interval for the difference (method 10 of Newcombe 1998) and the pooled two-proportion z-test.
#pragma once

#include <cstdint>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::stats {

struct Difference {
    double estimate;  ///< p1 - p2
    double lower;
    double upper;
};

/// Newcombe's hybrid score interval for p1 - p2, built from the two Wilson intervals.
/// A group with zero trials gives NaN.
Difference newcombe_difference(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                               std::uint64_t n2, double level = 0.95);

struct ZTest {
    double z;
    double p_value;  ///< two-sided
    bool defined;    ///< false when the pooled proportion is 0 or 1 (z and p are then NaN)
};

/// Two-sided z-test of p1 = p2 with the pooled proportion in the standard error.
ZTest two_proportion_ztest(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2, std::uint64_t n2);

}  // namespace yosmodel::stats

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/stats/detail/difference-inl.hpp"
#endif
