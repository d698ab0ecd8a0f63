// Margins ("All" totals) by merging counts (declared in reoffending/margins.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/core/key_space.hpp"
#include "yosmodel/reoffending/margins.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

YOSMODEL_INLINE PartialTable with_margins(const PartialTable& table) {
    const auto& cards = table.key_space().cardinalities();
    const std::size_t keys = cards.size();
    if (keys == 0) return table;
    if (keys > 20)
        throw InputError("margins over more than 20 keys are not supported (2^keys totals)");
    std::vector<std::uint64_t> wide(cards);
    for (auto& c : wide) {
        // One more code for the total; a key of 2^64 - 1 codes (only damaged bytes hold one)
        // would wrap to 0 and be refused as a key of no codes.
        if (c == std::numeric_limits<std::uint64_t>::max())
            throw LimitError("a key has 2^64 - 1 codes: no room for its total");
        ++c;
    }
    const KeySpace wide_space(wide);  // throws if the widened space passes 2^64 groups

    // Each group contributes to 2^keys cells: itself and each of its totals. Counted before
    // anything is allocated: 1,000 groups over 20 keys would ask for 42 GB.
    const std::uint64_t subsets = std::uint64_t{1} << keys;
    if (table.size() > max_margin_cells / subsets)
        throw LimitError("margins over " + std::to_string(keys) + " keys would make " +
                         std::to_string(table.size()) + " groups x 2^" + std::to_string(keys) +
                         " totals, more than the " + std::to_string(max_margin_cells) +
                         " cells allowed; ask for margins over fewer keys");
    std::vector<std::pair<std::uint64_t, GroupCounts>> cells;
    cells.reserve(table.size() * subsets);
    std::vector<std::uint64_t> codes(keys);
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t k = 0; k < keys; ++k)
            codes[k] = table.key_space().code(table.groups()[i], k);
        for (std::uint64_t subset = 0; subset < subsets; ++subset) {
            std::uint64_t id = 0;
            for (std::size_t k = 0; k < keys; ++k)
                id = id * wide[k] + (((subset >> k) & 1U) ? cards[k] : codes[k]);
            cells.emplace_back(id, table.counts()[i]);
        }
    }
    std::sort(cells.begin(), cells.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::uint64_t> groups;
    std::vector<GroupCounts> counts;
    for (const auto& [id, c] : cells) {
        if (!groups.empty() && groups.back() == id) {
            counts.back() += c;
        } else {
            groups.push_back(id);
            counts.push_back(c);
        }
    }
    return {wide_space, std::move(groups), std::move(counts)};
}

}  // namespace yosmodel::reoffending
