// Margins ("All" totals) of a partial table, computed by merging counts, never by averaging
// rates. The result is a partial table over a key space one wider in every key: code
// `cardinality` of a key stands for "All" of that key, so it sorts after the key's categories.
#pragma once

#include <cstdint>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/partial_table.hpp"

namespace yosmodel::reoffending {

/// The most cells (groups times their totals) margins may build: about 1.3 GB of work space.
inline constexpr std::uint64_t max_margin_cells = std::uint64_t{1} << 25;

/// Every group of `table` plus every total along any set of keys: with keys (a, b), the groups
/// (a, b), the totals (a, All) and (All, b), and the grand total (All, All). With no keys the
/// table is returned as it is (its one group is the total).
/// Throws InputError over more than 20 keys, or when the widened key space passes 2^64 groups,
/// and LimitError (before allocating) when groups x 2^keys passes max_margin_cells.
PartialTable with_margins(const PartialTable& table);

}  // namespace yosmodel::reoffending

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/reoffending/detail/margins-inl.hpp"
#endif
