// How concentrated a cohort's reoffending is: the share of all reoffences
// committed by the most prolific fraction of children, and the Lorenz curve and
// Gini coefficient of the same counts. Fractions fall between children, so the
// curve is interpolated linearly between them (the answer does not depend on
// how tied children are ordered).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::measures {

struct Concentration {
    std::uint64_t children = 0;    ///< children the shares are taken over
    std::uint64_t reoffences = 0;  ///< their reoffences
    /// shares[i]: the share of reoffences committed by the most prolific
    /// fractions[i] of children
    std::vector<double> shares;
    /// The Lorenz curve: after the i least prolific children (i = 0..children),
    /// their share of the children (x) and of the reoffences (y).
    std::vector<double> lorenz_x;
    std::vector<double> lorenz_y;
    double gini = 0.0;
};

/// `counts`: reoffences per child (the children to take the shares over). With
/// no reoffences at all the shares are undefined (NaN), and so is the Gini
/// coefficient.
[[nodiscard]] Concentration concentration(std::span<const std::uint64_t> counts,
                                          std::span<const double> fractions);

}  // namespace yosmodel::measures

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/measures/detail/concentration-inl.hpp"
#endif
