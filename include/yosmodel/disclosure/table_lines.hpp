// The additive structure of a table with margins: every "line" along one dimension (the cells
// that share all other coordinates) whose "All" total is in the table gives one equation,
// total = sum of the line's cells. Disclosure control reasons about these equations.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"

namespace yosmodel::disclosure {

/// One dimension of a table: codes in [0, categories) name a category, and the code
/// `categories` itself marks the row as the "All" total along this dimension.
struct TableDimension {
    ColumnView codes;
    std::uint64_t categories;
};

/// One equation of the table: cell `total` = sum of cells `parts` (cells absent from the table
/// are zero). `dimension` is the dimension the line runs along.
struct TableLine {
    std::size_t dimension;
    std::size_t total;
    std::vector<std::size_t> parts;
};

inline constexpr std::size_t no_line = static_cast<std::size_t>(-1);

struct TableLines {
    std::size_t cells = 0;
    std::vector<TableLine> lines;                         ///< by dimension, then in key order
    std::vector<std::vector<std::size_t>> lines_of_cell;  ///< indices into `lines`
    std::vector<bool> is_total;                           ///< a total along some dimension

    // Coordinates, for searching the table by position.
    std::vector<std::uint64_t> radix;    ///< per dimension: categories + 1 (the total)
    std::vector<std::uint64_t> strides;  ///< of the composite id, per dimension
    std::vector<std::uint64_t> ids;      ///< composite id of each cell
    std::vector<std::pair<std::uint64_t, std::size_t>> by_id;  ///< (id, cell), sorted
    std::vector<std::size_t> dense;  ///< cell of each id when the space is small, else empty
    /// members[d][line_of[d][cell]]: every cell on the cell's line along d (itself and any
    /// total included), in code order; equation[d][cell]: that line's index in `lines`, or
    /// no_line when the line's total is not in the table.
    std::vector<std::vector<std::vector<std::size_t>>> members;
    std::vector<std::vector<std::size_t>> line_of;
    std::vector<std::vector<std::size_t>> equation;

    [[nodiscard]] const std::vector<std::size_t>& neighbours(std::size_t cell,
                                                             std::size_t d) const {
        return members[d][line_of[d][cell]];
    }

    [[nodiscard]] std::uint64_t code(std::size_t cell, std::size_t d) const {
        return (ids[cell] / strides[d]) % radix[d];
    }
    /// The cell with composite id `id`, or no_line when the table has no such row.
    [[nodiscard]] std::size_t cell_of(std::uint64_t id) const {
        if (!dense.empty()) return id < dense.size() ? dense[id] : static_cast<std::size_t>(-1);
        const auto it =
            std::lower_bound(by_id.begin(), by_id.end(), std::make_pair(id, std::size_t{0}));
        return it != by_id.end() && it->first == id ? it->second : no_line;
    }
};

/// Finds the lines of a table of `rows` cells. Throws InputError when a code is out of range or
/// two rows have the same coordinates, DtypeError for non-integer codes.
TableLines find_lines(std::span<const TableDimension> dimensions, std::size_t rows);

}  // namespace yosmodel::disclosure

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/disclosure/detail/table_lines-inl.hpp"
#endif
