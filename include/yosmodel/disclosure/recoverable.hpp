// The attacker's view of a suppressed table: which suppressed cells are fixed exactly by the
// published cells and the table's equations (each total = sum of its line). A suppressed cell is
// recoverable iff its unit vector lies in the row space of the equations restricted to the
// suppressed cells, i.e. iff every solution of the homogeneous system leaves it at zero.
#pragma once

#include <cstddef>
#include <vector>

#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/disclosure/table_lines.hpp"

namespace yosmodel::disclosure {

/// The suppressed cells (`suppressed[cell]`) whose value follows exactly from the published
/// cells, in ascending order. Works one connected group of suppressed cells at a time.
std::vector<std::size_t> recoverable_cells(const TableLines& table,
                                           const std::vector<bool>& suppressed);

}  // namespace yosmodel::disclosure

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/disclosure/detail/recoverable-inl.hpp"
#endif
