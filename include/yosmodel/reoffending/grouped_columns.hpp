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

struct AggregateOptions {
    unsigned threads = 0;  ///< 0: every core
    /// Key spaces up to this many groups are counted in a directly indexed table; wider ones go
    /// through the hash grouper.
    std::uint64_t direct_table_limit = std::uint64_t{1} << 18;
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
/// fractions and values above 2^32 - 1 are counted in the kernel's own pass and reported after
/// it (InputError naming the column, the rule and the number of rows).
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
/// at different rows; nothing is copied.
PartialTable aggregate_grouped(std::span<const GroupedKey> keys, const CountColumn& reoffences,
                               const CountColumn* previous_offences = nullptr,
                               const AggregateOptions& options = {});

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/grouped_columns-inl.hpp"
#endif
