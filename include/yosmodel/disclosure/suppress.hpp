// Disclosure control for published tables of counts about children: primary suppression of
// small counts, linked suppression of counts about the same few people, and secondary
// suppression so that no suppressed count can be worked back from the table's "All" totals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "yosmodel/core/column.hpp"
#include "yosmodel/core/detail/config.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/disclosure/table_lines.hpp"

namespace yosmodel::disclosure {

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
            for (auto s : column)
                n += s == rule;
        return n;
    }
};

/// The most keys secondary suppression searches over (a box has 2^keys corners).
inline constexpr std::size_t max_secondary_keys = 20;

/// Decides which counts of a table to withhold. `dimensions` give each row's coordinates (a
/// dimension's last code marks an "All" total along it); `counts` are the count columns, all of
/// one length. Throws InputError or DtypeError naming the column and rule, never a value.
SuppressionResult suppress(std::span<const TableDimension> dimensions,
                           std::span<const ColumnView> counts, const DisclosureRules& rules);

}  // namespace yosmodel::disclosure

#ifdef YOSMODEL_HEADER_ONLY
#include "yosmodel/disclosure/detail/suppress-inl.hpp"
#endif
