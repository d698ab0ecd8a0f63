// Disclosure control for published tables of counts about children: primary suppression of
// small counts, linked suppression of counts about the same few people, and secondary
// suppression so that no suppressed count can be worked back from the table's "All" totals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/reoffending/count_column.hpp"
#include "yosmodel/stats/recoverable.hpp"
#include "yosmodel/stats/table_lines.hpp"

namespace yosmodel::stats {

/// Why a count is withheld (or not).
enum class Suppression : std::uint8_t {
    published = 0,
    primary = 1,    ///< below the threshold (or zero, when zero counts as small)
    linked = 2,     ///< a later count of a cell whose earlier count is primary (nested counts)
    secondary = 3,  ///< withheld so that another withheld count cannot be worked back
};

struct DisclosureRules {
    std::uint64_t threshold = 10;  ///< counts below this are small
    bool zero_is_small = false;
    /// The counts are nested, population first (offenders, then reoffenders among them, then
    /// their reoffences): a small count withholds the counts after it in the same cell.
    bool nested = true;
    bool secondary = true;
};

/// The decision for every count: cells[column][row].
struct SuppressionResult {
    std::vector<std::vector<Suppression>> cells;

    [[nodiscard]] std::size_t count(Suppression rule) const {
        std::size_t n = 0;
        for (const auto& column : cells)
            for (auto s : column) n += s == rule;
        return n;
    }
};

namespace detail {

// Secondary suppression over one table: each count column is its own additive table, but the
// columns share cells, so a partner already withheld in another column is preferred (the cell
// has lost its rates already).
class SecondarySuppression {
public:
    SecondarySuppression(const TableLines& table, const std::vector<std::vector<std::uint64_t>>& values,
                         std::vector<std::vector<Suppression>>& state)
        : table_(table), values_(values), state_(state) {}

    void run() {
        for (;;) {
            fix_single_suppressions();
            bool changed = false;
            for (std::size_t c = 0; c < state_.size(); ++c) changed |= fix_one_recoverable(c);
            if (!changed) return;
        }
    }

private:
    [[nodiscard]] bool withheld(std::size_t column, std::size_t cell) const {
        return state_[column][cell] != Suppression::published;
    }

    [[nodiscard]] bool withheld_elsewhere(std::size_t column, std::size_t cell) const {
        for (std::size_t c = 0; c < state_.size(); ++c)
            if (c != column && withheld(c, cell)) return true;
        return false;
    }

    // Smaller is better: a cell already withheld in another column, then a non-zero count (a
    // zero partner would give an attacker an exact bound), then the smallest count, then a cell
    // over a total, then table order. Deterministic.
    [[nodiscard]] auto preference(std::size_t column, std::size_t cell) const {
        const std::uint64_t v = values_[column][cell];
        return std::make_tuple(!withheld_elsewhere(column, cell), v == 0, v,
                               bool(table_.is_total[cell]), cell);
    }

    // The best published cell of `line` in `column`, if any.
    [[nodiscard]] std::optional<std::size_t> best_partner(std::size_t column,
                                                          const TableLine& line) const {
        std::optional<std::size_t> best;
        const auto consider = [&](std::size_t cell) {
            if (withheld(column, cell)) return;
            if (!best || preference(column, cell) < preference(column, *best)) best = cell;
        };
        consider(line.total);
        for (auto cell : line.parts) consider(cell);
        return best;
    }

    [[nodiscard]] std::size_t withheld_in(std::size_t column, const TableLine& line) const {
        std::size_t n = withheld(column, line.total);
        for (auto cell : line.parts) n += withheld(column, cell);
        return n;
    }

    // The usual heuristic, to a fixed point: a line with exactly one withheld count would give
    // it away (total minus the rest), so withhold the best other cell of that line.
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

    // One line per cell is not enough in general (two protected groups of cells joined by one
    // withheld cell give it away), so check exactly and withhold one more cell where needed.
    bool fix_one_recoverable(std::size_t column) {
        std::vector<bool> suppressed(table_.cells);
        for (std::size_t i = 0; i < table_.cells; ++i) suppressed[i] = withheld(column, i);
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
            // Every cell on this cell's lines is withheld already; try the next one.
        }
        return false;
    }

    const TableLines& table_;
    const std::vector<std::vector<std::uint64_t>>& values_;
    std::vector<std::vector<Suppression>>& state_;
};

}  // namespace detail

/// Decides which counts of a table to withhold. `dimensions` give each row's coordinates (a
/// dimension's last code marks an "All" total along it); `counts` are the count columns, all of
/// one length. Throws InputError or DtypeError naming the column and rule, never a value.
inline SuppressionResult suppress(std::span<const TableDimension> dimensions,
                                  std::span<const ColumnView> counts, const DisclosureRules& rules) {
    if (counts.empty()) throw InputError("name at least one count column to suppress");
    if (rules.threshold < 1) throw InputError("threshold must be at least 1");
    const std::size_t rows = counts[0].size();
    std::vector<std::vector<std::uint64_t>> values(counts.size(), std::vector<std::uint64_t>(rows));
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (counts[c].size() != rows)
            throw InputError("count column '" + counts[c].name + "' has " +
                             std::to_string(counts[c].size()) + " rows but '" + counts[0].name +
                             "' has " + std::to_string(rows) +
                             "; every column must have the same length");
        reoffending::CountViolations violations;
        reoffending::read_counts(counts[c], 0, rows, values[c].data(), violations);
        violations.raise_if_any(counts[c].name);
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

}  // namespace yosmodel::stats
