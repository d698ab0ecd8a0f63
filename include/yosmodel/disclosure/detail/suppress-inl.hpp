// Primary and secondary suppression (declared in disclosure/suppress.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/disclosure/recoverable.hpp"
#include "yosmodel/disclosure/suppress.hpp"
#include "yosmodel/disclosure/table_lines.hpp"

namespace yosmodel::disclosure {

namespace detail {

// A table's count column as 64-bit counts; throws naming the column and how many rows break
// which rule (never a value).
inline std::vector<std::uint64_t> table_counts(const ColumnView& column) {
    std::vector<std::uint64_t> out(column.size());
    std::size_t missing = 0;
    std::size_t negative = 0;
    std::size_t fractional = 0;
    std::visit(
        [&](auto values) {
            using T = typename decltype(values)::value_type;
            for (std::size_t i = 0; i < values.size(); ++i) {
                const T v = values[i];
                if constexpr (std::is_floating_point_v<T>) {
                    constexpr double exact_limit = 9007199254740992.0;  // 2^53
                    if (std::isnan(v)) {
                        ++missing;
                    } else if (v < 0) {
                        ++negative;
                    } else if (v > exact_limit || v != std::floor(v)) {
                        ++fractional;
                    } else {
                        out[i] = static_cast<std::uint64_t>(v);
                    }
                } else {
                    if constexpr (std::is_signed_v<T>) {
                        if (v < 0) {
                            ++negative;
                            continue;
                        }
                    }
                    // Non-negative here; widen through the unsigned type of the same size.
                    out[i] = static_cast<std::uint64_t>(static_cast<std::make_unsigned_t<T>>(v));
                }
            }
        },
        column.values);
    const auto fail = [&](std::size_t rows, const char* rule) {
        throw InputError("count column '" + column.name + "': " + std::to_string(rows) +
                         (rows == 1 ? " row is " : " rows are ") + rule);
    };
    if (missing) fail(missing, "missing (NaN); suppress a table whose counts are all present");
    if (negative) fail(negative, "negative; counts must be zero or more");
    if (fractional) fail(fractional, "not whole numbers; counts must be integers");
    return out;
}

// What a candidate box costs, compared lexicographically: new zero counts (a zero partner gives
// an attacker an exact bound), cells that lose their rates (not yet withheld in any count),
// counts newly withheld, and their sum.
struct BoxCost {
    std::uint64_t zeros = 0, new_cells = 0, new_counts = 0, value = 0;

    BoxCost& operator+=(const BoxCost& o) {
        zeros += o.zeros;
        new_cells += o.new_cells;
        new_counts += o.new_counts;
        value += o.value;
        return *this;
    }
    // clang-tidy 14 reports the 0 in the synthesised comparison as a null pointer constant.
    // NOLINTNEXTLINE(modernize-use-nullptr)
    friend auto operator<=>(const BoxCost&, const BoxCost&) = default;
};

// Secondary suppression by boxes ("hypercube method"): each withheld count is made a corner of
// a box of withheld counts, two values in every dimension, 2^D corners in all. Moving the
// corners by +t and -t (signs alternating between categories; a total moves with its category)
// keeps every total of the table, so no corner can be worked out however the published cells
// are combined. The cheapest box is chosen; where none exists (a table without full margins)
// the count falls back to line-by-line partners checked by exact linear algebra.
class SecondarySuppression {
public:
    SecondarySuppression(const TableLines& table,
                         const std::vector<std::vector<std::uint64_t>>& values,
                         std::vector<std::vector<Suppression>>& state)
        : table_(table), values_(values), state_(state) {}

    void run() {
        bool unboxed = false;
        for (std::size_t c = 0; c < state_.size(); ++c)
            for (std::size_t cell = 0; cell < table_.cells; ++cell)
                if (state_[c][cell] == Suppression::primary ||
                    state_[c][cell] == Suppression::linked)
                    unboxed |= !protect_with_box(c, cell);
        if (!unboxed) return;
        for (;;) {
            fix_single_suppressions();
            bool changed = false;
            for (std::size_t c = 0; c < state_.size(); ++c)
                changed |= fix_one_recoverable(c);
            if (!changed) return;
        }
    }

private:
    static constexpr std::size_t search_limit = 512;  // boxes tried per withheld count

    [[nodiscard]] bool withheld(std::size_t column, std::size_t cell) const {
        return state_[column][cell] != Suppression::published;
    }

    [[nodiscard]] bool withheld_elsewhere(std::size_t column, std::size_t cell) const {
        for (std::size_t c = 0; c < state_.size(); ++c)
            if (c != column && withheld(c, cell)) return true;
        return false;
    }

    [[nodiscard]] BoxCost corner_cost(std::size_t column, std::size_t cell) const {
        if (withheld(column, cell)) return {};
        const std::uint64_t v = values_[column][cell];
        return {v == 0, !withheld_elsewhere(column, cell), 1, v};
    }

    // Withholds the corners of the cheapest box through `cell`; false if there is none.
    bool protect_with_box(std::size_t column, std::size_t cell) {
        const std::size_t dims = table_.radix.size();
        if (dims == 0) return true;  // one cell, no totals: nothing to work back from
        // Per dimension, the codes the box may take besides the cell's own: the other cells of
        // its line (empty means the dimension is degenerate: no equation runs along it).
        std::vector<std::vector<std::uint64_t>> alternatives(dims);
        std::size_t boxes = 1;
        for (std::size_t d = 0; d < dims; ++d) {
            if (table_.equation[d][cell] == no_line) continue;
            std::vector<std::pair<BoxCost, std::uint64_t>> ranked;
            for (auto other : table_.neighbours(cell, d))
                if (other != cell)
                    ranked.emplace_back(corner_cost(column, other), table_.code(other, d));
            std::stable_sort(ranked.begin(), ranked.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& r : ranked)
                alternatives[d].push_back(r.second);
            if (alternatives[d].empty()) return false;
            boxes *= alternatives[d].size();
        }
        const auto full = alternatives;
        // Wide tables: keep the cheapest alternatives of the widest dimension until the search
        // fits its budget (the corners next to the cell dominate a box's cost).
        while (boxes > search_limit) {
            auto widest =
                std::max_element(alternatives.begin(), alternatives.end(),
                                 [](const auto& a, const auto& b) { return a.size() < b.size(); });
            boxes = boxes / widest->size() * ((widest->size() + 1) / 2);
            widest->resize((widest->size() + 1) / 2);
        }
        // The box through the totals exists whenever the table has all its margins: keep it.
        for (std::size_t d = 0; d < dims; ++d) {
            const std::uint64_t total = table_.radix[d] - 1;
            auto& a = alternatives[d];
            if (a.empty() || std::find(a.begin(), a.end(), total) != a.end()) continue;
            if (std::find(full[d].begin(), full[d].end(), total) == full[d].end()) continue;
            boxes = boxes / a.size() * (a.size() + 1);
            a.push_back(total);
        }

        std::vector<std::size_t> varying;  // dimensions the box spans
        for (std::size_t d = 0; d < dims; ++d)
            if (!alternatives[d].empty()) varying.push_back(d);
        const std::size_t corners = std::size_t{1} << varying.size();
        std::vector<std::size_t> pick(varying.size(), 0);
        std::vector<std::size_t> box(corners);
        std::vector<std::size_t> best_box;
        std::optional<BoxCost> best;
        for (std::size_t tried = 0; tried < boxes; ++tried) {
            BoxCost cost;
            bool valid = true;
            box[0] = cell;
            for (std::size_t mask = 1; mask < corners && valid; ++mask) {
                std::uint64_t id = table_.ids[cell];
                for (std::size_t v = 0; v < varying.size(); ++v) {
                    if (!((mask >> v) & 1U)) continue;
                    const std::size_t d = varying[v];
                    id = id - table_.code(cell, d) * table_.strides[d] +
                         alternatives[d][pick[v]] * table_.strides[d];
                }
                const std::size_t corner = table_.cell_of(id);
                valid = corner != no_line && degenerate_ok(corner, alternatives);
                if (!valid) break;
                box[mask] = corner;
                cost += corner_cost(column, corner);
                if (best && !(cost < *best)) valid = false;  // costs only grow: prune
            }
            if (valid && (!best || cost < *best)) {
                best = cost;
                best_box = box;
                if (cost == BoxCost{}) break;  // already withheld: nothing cheaper
            }
            // Next combination (mixed radix over the varying dimensions).
            for (std::size_t v = 0; v < varying.size(); ++v) {
                if (++pick[v] < alternatives[varying[v]].size()) break;
                pick[v] = 0;
            }
        }
        if (!best || !degenerate_ok(cell, alternatives)) return false;
        for (auto corner : best_box)
            if (!withheld(column, corner)) state_[column][corner] = Suppression::secondary;
        return true;
    }

    // A box may stay flat along a dimension only where no corner has an equation along it.
    [[nodiscard]] bool degenerate_ok(
        std::size_t corner, const std::vector<std::vector<std::uint64_t>>& alternatives) const {
        for (std::size_t d = 0; d < alternatives.size(); ++d)
            if (alternatives[d].empty() && table_.equation[d][corner] != no_line) return false;
        return true;
    }

    // Fallback. Smaller is better: a cell already withheld in another column, then a non-zero
    // count, then the smallest count, then a cell off the totals, then table order.
    [[nodiscard]] auto preference(std::size_t column, std::size_t cell) const {
        const std::uint64_t v = values_[column][cell];
        return std::make_tuple(!withheld_elsewhere(column, cell), v == 0, v,
                               bool(table_.is_total[cell]), cell);
    }

    [[nodiscard]] std::optional<std::size_t> best_partner(std::size_t column,
                                                          const TableLine& line) const {
        std::optional<std::size_t> best;
        const auto consider = [&](std::size_t cell) {
            if (withheld(column, cell)) return;
            if (!best || preference(column, cell) < preference(column, *best)) best = cell;
        };
        consider(line.total);
        for (auto cell : line.parts)
            consider(cell);
        return best;
    }

    [[nodiscard]] std::size_t withheld_in(std::size_t column, const TableLine& line) const {
        std::size_t n = withheld(column, line.total);
        for (auto cell : line.parts)
            n += withheld(column, cell);
        return n;
    }

    // A line with exactly one withheld count gives it away (total minus the rest): withhold
    // the best other cell of that line, to a fixed point.
    void fix_single_suppressions() {
        for (bool changed = true; changed;) {
            changed = false;
            for (const auto& line : table_.lines)
                for (std::size_t c = 0; c < state_.size(); ++c) {
                    if (withheld_in(c, line) != 1) continue;
                    if (const auto partner = best_partner(c, line)) {
                        state_[c][*partner] = Suppression::secondary;
                        changed = true;
                    }
                }
        }
    }

    // Lines alone are not enough in general (two protected groups of cells joined by one
    // withheld cell give it away), so check exactly and withhold one more cell where needed.
    bool fix_one_recoverable(std::size_t column) {
        std::vector<bool> suppressed(table_.cells);
        for (std::size_t i = 0; i < table_.cells; ++i)
            suppressed[i] = withheld(column, i);
        for (const auto cell : recoverable_cells(table_, suppressed)) {
            std::optional<std::size_t> best;
            for (const auto l : table_.lines_of_cell[cell]) {
                const auto partner = best_partner(column, table_.lines[l]);
                if (partner && (!best || preference(column, *partner) < preference(column, *best)))
                    best = partner;
            }
            if (best) {
                state_[column][*best] = Suppression::secondary;
                return true;
            }
        }
        return false;
    }

    const TableLines& table_;
    const std::vector<std::vector<std::uint64_t>>& values_;
    std::vector<std::vector<Suppression>>& state_;
};

}  // namespace detail

YOSMODEL_INLINE SuppressionResult suppress(std::span<const TableDimension> dimensions,
                                           std::span<const ColumnView> counts,
                                           const DisclosureRules& rules) {
    if (counts.empty()) throw InputError("name at least one count column to suppress");
    if (rules.threshold < 1) throw InputError("threshold must be at least 1");
    // A box of secondary suppression has a corner for every subset of the keys it spans:
    // counted before anything is allocated (40 keys would ask for 2^40 corners).
    if (rules.secondary && dimensions.size() > max_secondary_keys)
        throw LimitError("secondary suppression over " + std::to_string(dimensions.size()) +
                         " keys is refused (a box has 2^keys corners; the limit is " +
                         std::to_string(max_secondary_keys) +
                         " keys): suppress a table over fewer keys");
    const std::size_t rows = counts[0].size();
    std::vector<std::vector<std::uint64_t>> values(counts.size(), std::vector<std::uint64_t>(rows));
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (counts[c].size() != rows)
            throw InputError("count column '" + counts[c].name + "' has " +
                             std::to_string(counts[c].size()) + " rows but '" + counts[0].name +
                             "' has " + std::to_string(rows) +
                             "; every column must have the same length");
        values[c] = detail::table_counts(counts[c]);
    }
    const TableLines table = find_lines(dimensions, rows);

    SuppressionResult result;
    result.cells.assign(counts.size(), std::vector<Suppression>(rows, Suppression::published));
    auto& state = result.cells;
    const auto small = [&](std::uint64_t v) {
        return v < rules.threshold && (v > 0 || rules.zero_is_small);
    };
    for (std::size_t i = 0; i < rows; ++i) {
        bool earlier_small = false;
        for (std::size_t c = 0; c < counts.size(); ++c) {
            if (small(values[c][i]))
                state[c][i] = Suppression::primary;
            else if (earlier_small)
                state[c][i] = Suppression::linked;
            earlier_small |= rules.nested && state[c][i] != Suppression::published;
        }
    }
    if (rules.secondary) detail::SecondarySuppression(table, values, state).run();
    return result;
}

}  // namespace yosmodel::disclosure
