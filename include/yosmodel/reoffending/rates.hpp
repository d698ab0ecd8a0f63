// Finalising a partial table into the published measures, once, from merged counts:
// binary rate (with its interval), frequency rate, reoffences per reoffender and mean previous
// offences, one row per non-empty group in key order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/partial_table.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace yosmodel::reoffending {

struct Rates {
    std::vector<std::vector<std::uint64_t>> key_codes;  ///< [key][row]
    std::vector<std::uint64_t> offenders, reoffenders, reoffences, previous_offences;
    std::vector<double> binary_rate, binary_rate_lower, binary_rate_upper;
    std::vector<double> frequency_rate;             ///< reoffences / offenders
    std::vector<double> reoffences_per_reoffender;  ///< NaN where there are no reoffenders
    std::vector<double> previous_offences_mean;     ///< previous offences / offenders

    [[nodiscard]] std::size_t rows() const { return offenders.size(); }
};

/// The measures of every non-empty group of `table`, with binary-rate intervals by `method` at
/// `level`. Throws InputError when level is not in (0, 1).
Rates finalize(const PartialTable& table, double level = 0.95,
               stats::IntervalMethod method = stats::IntervalMethod::wilson);

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/rates-inl.hpp"
#endif
