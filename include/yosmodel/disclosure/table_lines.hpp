// The additive structure of a table with margins: every "line" along one dimension (the cells
// that share all other coordinates) whose "All" total is in the table gives one equation,
// total = sum of the line's cells. Disclosure control reasons about these equations.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/key_space.hpp"

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

namespace detail {

inline std::uint64_t code_at(const ColumnView& column, std::size_t row) {
    return std::visit(
        [row](auto values) -> std::uint64_t {
            using T = typename decltype(values)::value_type;
            if constexpr (std::is_floating_point_v<T>) {
                return std::numeric_limits<std::uint64_t>::max();  // refused before use
            } else {
                return static_cast<std::uint64_t>(values[row]);  // negatives become huge
            }
        },
        column.values);
}

}  // namespace detail

/// Finds the lines of a table of `rows` cells. Throws InputError when a code is out of range or
/// two rows have the same coordinates, DtypeError for non-integer codes.
inline TableLines find_lines(std::span<const TableDimension> dimensions, std::size_t rows) {
    std::vector<std::uint64_t> wide;
    for (const auto& d : dimensions) {
        if (d.codes.is_floating())
            throw DtypeError("key column '" + d.codes.name +
                             "' must hold integer codes, not floating-point values");
        if (d.codes.size() != rows)
            throw InputError("key column '" + d.codes.name + "' has " +
                             std::to_string(d.codes.size()) + " rows but the table has " +
                             std::to_string(rows) + "; every column must have the same length");
        if (d.categories == std::numeric_limits<std::uint64_t>::max())
            throw InputError("key column '" + d.codes.name + "' has too many categories");
        wide.push_back(d.categories + 1);
    }
    const KeySpace space(wide);  // throws when the coordinates do not fit 64 bits

    // Composite id of every cell; its digits are the codes, most significant first.
    std::vector<std::uint64_t> ids(rows, 0);
    for (std::size_t k = 0; k < dimensions.size(); ++k) {
        std::size_t bad = 0;
        for (std::size_t i = 0; i < rows; ++i) {
            const std::uint64_t code = detail::code_at(dimensions[k].codes, i);
            bad += code > dimensions[k].categories;
            ids[i] = ids[i] * wide[k] + std::min(code, dimensions[k].categories);
        }
        if (bad)
            throw InputError("key column '" + dimensions[k].codes.name +
                             "': " + std::to_string(bad) +
                             (bad == 1 ? " row has a code" : " rows have codes") + " outside [0, " +
                             std::to_string(dimensions[k].categories) +
                             "]; codes index the categories, and the last code marks a total");
    }
    std::vector<std::size_t> order(rows);
    for (std::size_t i = 0; i < rows; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return ids[a] < ids[b]; });
    std::size_t repeated = 0;
    for (std::size_t r = 1; r < rows; ++r)
        repeated += ids[order[r]] == ids[order[r - 1]];
    if (repeated)
        throw InputError(std::to_string(repeated) +
                         (repeated == 1 ? " row repeats" : " rows repeat") +
                         " the key combination of an earlier row; a table has one row per cell");

    TableLines out;
    out.cells = rows;
    out.lines_of_cell.resize(rows);
    out.is_total.assign(rows, false);
    std::uint64_t stride = 1;
    std::vector<std::uint64_t> strides(dimensions.size());
    for (std::size_t k = dimensions.size(); k-- > 0;) {
        strides[k] = stride;
        stride *= wide[k];
    }
    out.radix = wide;
    out.strides = strides;
    out.ids = ids;
    for (auto cell : order)
        out.by_id.emplace_back(ids[cell], cell);
    if (space.size() <= std::max<std::uint64_t>(std::uint64_t{1} << 20, 16 * std::uint64_t{rows})) {
        out.dense.assign(space.size(), static_cast<std::size_t>(-1));
        for (std::size_t i = 0; i < rows; ++i)
            out.dense[ids[i]] = i;
    }
    out.members.resize(dimensions.size());
    out.line_of.assign(dimensions.size(), std::vector<std::size_t>(rows, no_line));
    out.equation.assign(dimensions.size(), std::vector<std::size_t>(rows, no_line));
    for (std::size_t k = 0; k < dimensions.size(); ++k) {
        const std::uint64_t total_code = dimensions[k].categories;
        // The line of a cell along k: its id with digit k cleared. Sorting by it groups lines.
        std::vector<std::pair<std::uint64_t, std::size_t>> keyed(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            const std::uint64_t digit = (ids[i] / strides[k]) % wide[k];
            keyed[i] = {ids[i] - digit * strides[k], i};
            if (digit == total_code) out.is_total[i] = true;
        }
        std::sort(keyed.begin(), keyed.end());
        for (std::size_t begin = 0; begin < rows;) {
            std::size_t end = begin;
            while (end < rows && keyed[end].first == keyed[begin].first)
                ++end;
            TableLine line{k, rows, {}};
            std::vector<std::size_t> members;
            for (std::size_t r = begin; r < end; ++r)
                members.push_back(keyed[r].second);
            std::sort(members.begin(), members.end(),
                      [&](auto a, auto b) { return ids[a] < ids[b]; });
            for (auto cell : members)
                out.line_of[k][cell] = out.members[k].size();
            out.members[k].push_back(members);
            for (std::size_t r = begin; r < end; ++r) {
                const std::size_t cell = keyed[r].second;
                if ((ids[cell] / strides[k]) % wide[k] == total_code)
                    line.total = cell;
                else
                    line.parts.push_back(cell);
            }
            if (line.total != rows) {  // a line without its total gives no equation
                std::sort(line.parts.begin(), line.parts.end());
                const std::size_t index = out.lines.size();
                for (auto cell : members)
                    out.equation[k][cell] = index;
                out.lines_of_cell[line.total].push_back(index);
                for (auto cell : line.parts)
                    out.lines_of_cell[cell].push_back(index);
                out.lines.push_back(std::move(line));
            }
            begin = end;
        }
    }
    return out;
}

}  // namespace yosmodel::disclosure
