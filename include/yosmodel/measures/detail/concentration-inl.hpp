// The definitions declared in measures/concentration.hpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/measures/concentration.hpp"

namespace yosmodel::measures {

YOSMODEL_INLINE Concentration concentration(std::span<const std::uint64_t> counts,
                                            std::span<const double> fractions) {
    for (double f : fractions)
        if (!(f >= 0.0 && f <= 1.0)) throw InputError("shares must be fractions between 0 and 1");
    Concentration out;
    std::vector<std::uint64_t> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    out.children = n;
    std::vector<double> cumulative(n + 1, 0.0);  // ascending: the i least prolific
    for (std::size_t i = 0; i < n; ++i)
        cumulative[i + 1] = cumulative[i] + static_cast<double>(sorted[i]);
    const double total = cumulative[n];
    for (std::uint64_t c : sorted)
        out.reoffences += c;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.lorenz_x.resize(n + 1);
    out.lorenz_y.resize(n + 1);
    double area = 0.0;
    for (std::size_t i = 0; i <= n; ++i) {
        out.lorenz_x[i] = n == 0 ? 0.0 : static_cast<double>(i) / static_cast<double>(n);
        out.lorenz_y[i] = total > 0.0 ? cumulative[i] / total : nan;
        if (i > 0 && total > 0.0)
            area += (out.lorenz_y[i] + out.lorenz_y[i - 1]) / (2.0 * static_cast<double>(n));
    }
    out.gini = total > 0.0 ? 1.0 - 2.0 * area : nan;
    for (double f : fractions) {
        if (total == 0.0) {
            out.shares.push_back(nan);
            continue;
        }
        // The top fraction f is everything above the least prolific 1 - f.
        const double position = (1.0 - f) * static_cast<double>(n);
        const auto below = static_cast<std::size_t>(position);
        double least = cumulative[std::min(below, n)];
        if (below < n)
            least += (position - static_cast<double>(below)) * static_cast<double>(sorted[below]);
        out.shares.push_back((total - least) / total);
    }
    return out;
}

}  // namespace yosmodel::measures
