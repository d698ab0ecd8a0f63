// The grouping kernel: a person-level cohort (reoffences and, optionally, previous offences per
// person, plus key columns of small integer codes) to a PartialTable of counts per group.
//
// Two phases per chunk of rows: first the chunk's composite group ids and counts are decoded into
// small buffers (which stay in cache), then the counts are added into the worker's own table.
// Each worker owns a partial table; partials merge by addition, so the result is exact and the
// same for every thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"  // AggregateOptions, the kernel
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

/// Counts offenders, reoffenders, reoffences and previous offences per group of `keys`.
/// Throws InputError or DtypeError (naming the column and rule, never a value) on bad input;
/// the caller's columns are only read. Rows above `options.max_reoffences` are set aside and
/// tallied in `*set_aside` (an InputError without it), as in `aggregate_grouped`.
PartialTable aggregate(std::span<const KeyColumn> keys, const ColumnView& reoffences,
                       const std::optional<ColumnView>& previous_offences = std::nullopt,
                       const AggregateOptions& options = {}, SetAsideRows* set_aside = nullptr);

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/aggregate-inl.hpp"
#endif
