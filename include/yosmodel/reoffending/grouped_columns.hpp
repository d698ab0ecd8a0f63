// The grouping kernel's entry for columns as analysts' tables hand them over: keys already turned
// into codes by the grouper (core/grouper.hpp), counts of any integer or floating-point width,
// nullable, in one or more chunks (Arrow record batches, Parquet row groups), read in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/detail/config.hpp"

#include "yosmodel/core/arrow.hpp"
#include "yosmodel/core/column.hpp"
#include "yosmodel/core/grouper.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

/// The plausible maximum of proven reoffences for one person (the `max_reoffences` rule): a row
/// above it is a data error (a code or a total typed into the count column, a join gone wrong),
/// not a person, and is set aside rather than counted. 1,000 is a parameter, not a sourced
/// figure: it would need nearly three proven offences every day of a 12-month follow-up.
inline constexpr std::uint32_t default_max_reoffences = 1'000;
/// The largest `max_reoffences` accepted: higher limits no longer tell a person from an error.
inline constexpr std::uint32_t highest_max_reoffences = 1'000'000;

struct AggregateOptions {
    unsigned threads = 0;  ///< 0: every core
    /// Key spaces up to this many groups are counted in a directly indexed table; wider ones go
    /// through the hash grouper.
    std::uint64_t direct_table_limit = std::uint64_t{1} << 18;
    /// Rows with more reoffences than this are set aside (see default_max_reoffences); between
    /// 1 and highest_max_reoffences.
    std::uint32_t max_reoffences = default_max_reoffences;
};

/// Rows the kernel set aside, by rule, so that the caller can say so (never silently).
struct SetAsideRows {
    /// Reoffences above AggregateOptions::max_reoffences (values above 2^32 - 1 included).
    std::size_t reoffences_above_maximum = 0;

    friend bool operator==(const SetAsideRows&, const SetAsideRows&) = default;
};

/// Rows [first_row, first_row + values.size()) of a count column; a row whose bit in `validity`
/// (Arrow layout, starting at bit `validity_offset`) is 0 is missing.
struct CountSegment {
    std::size_t first_row = 0;
    ColumnView values;
    const std::uint8_t* validity = nullptr;
    std::int64_t validity_offset = 0;
};

/// A count column (reoffences, previous offences) in segments. Missing values, negative values,
/// fractions and previous offences above 2^32 - 1 are counted in the kernel's own pass and
/// reported after it (InputError naming the column, the rule and the number of rows);
/// reoffences above the plausible maximum are set aside (SetAsideRows).
struct CountColumn {
    std::string name;
    std::vector<CountSegment> segments;
    std::size_t rows = 0;
    std::shared_ptr<const void> storage;  ///< keeps Arrow arrays alive
};

/// A count column over an imported Arrow column (integers of any width, floats). Throws
/// DtypeError for any other type (strings, dates, booleans, dictionaries).
CountColumn count_column(const arrow::Column& column);

/// A count column over one numeric array the caller owns.
CountColumn count_column(const ColumnView& values);

/// A key given as codes the caller already has (pandas Categorical codes, a numpy array of
/// codes) with `cardinality` categories: read in place, codes outside [0, cardinality) reported.
GroupedKey key_from_codes(const ColumnView& codes, std::uint64_t cardinality);

/// Counts offenders, reoffenders, reoffences and previous offences per group of `keys` (the
/// first key most significant), exactly as `aggregate` does. Columns may be cut into segments
/// at different rows; nothing is copied. Rows above `options.max_reoffences` are left out of
/// every count and tallied in `*set_aside`; without `set_aside`, any such row is an InputError
/// (naming the rule and the count), so that no caller drops rows without knowing.
PartialTable aggregate_grouped(std::span<const GroupedKey> keys, const CountColumn& reoffences,
                               const CountColumn* previous_offences = nullptr,
                               const AggregateOptions& options = {},
                               SetAsideRows* set_aside = nullptr);

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/grouped_columns-inl.hpp"
#endif
