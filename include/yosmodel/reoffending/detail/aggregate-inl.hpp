// The grouping kernel's entry for plain columns (declared in reoffending/aggregate.hpp): codes and
// counts the caller already has, checked and handed to the one kernel, aggregate_grouped
// (reoffending/detail/grouped_columns-inl.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/detail/group_ids.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/key_space.hpp"
#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/counts.hpp"
#include "yosmodel/reoffending/grouped_columns.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

YOSMODEL_INLINE PartialTable aggregate(std::span<const KeyColumn> keys,
                                       const ColumnView& reoffences,
                                       const std::optional<ColumnView>& previous_offences,
                                       const AggregateOptions& options, SetAsideRows* set_aside) {
    const std::size_t rows = reoffences.size();
    check_key_columns(keys, rows);
    if (previous_offences && previous_offences->size() != rows)
        throw InputError("column '" + previous_offences->name + "' has " +
                         std::to_string(previous_offences->size()) + " rows but '" +
                         reoffences.name + "' has " + std::to_string(rows) +
                         "; every column must have the same length");
    // One kernel: plain codes are grouped keys read in place, plain counts one segment each.
    std::vector<GroupedKey> grouped;
    grouped.reserve(keys.size());
    for (const auto& key : keys)
        grouped.push_back(key_from_codes(key.codes, key.cardinality));
    const CountColumn counts = count_column(reoffences);
    if (!previous_offences) return aggregate_grouped(grouped, counts, nullptr, options, set_aside);
    const CountColumn previous = count_column(*previous_offences);
    return aggregate_grouped(grouped, counts, &previous, options, set_aside);
}

}  // namespace yosmodel::reoffending
