// Finding the equations of a table (declared in disclosure/table_lines.hpp).
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
#include "yosmodel/disclosure/table_lines.hpp"

namespace yosmodel::disclosure {

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

YOSMODEL_INLINE TableLines find_lines(std::span<const TableDimension> dimensions,
                                      std::size_t rows) {
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
