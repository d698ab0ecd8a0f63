// Read-only views of plain columns as the core receives them: a name (for error messages) and a
// span over memory the caller owns. Nothing here copies or modifies the caller's data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <variant>

namespace yosmodel {

/// The element types a column may hold.
using AnySpan = std::variant<std::span<const std::int8_t>, std::span<const std::int16_t>,
                             std::span<const std::int32_t>, std::span<const std::int64_t>,
                             std::span<const std::uint8_t>, std::span<const std::uint16_t>,
                             std::span<const std::uint32_t>, std::span<const std::uint64_t>,
                             std::span<const float>, std::span<const double>>;

/// A named column of values (counts, codes) that the caller owns.
struct ColumnView {
    std::string name;
    AnySpan values;

    ColumnView(std::string column_name, AnySpan column_values)
        : name(std::move(column_name)), values(column_values) {}

    template <class T>
    ColumnView(std::string column_name, std::span<const T> column_values)
        : name(std::move(column_name)), values(column_values) {}

    [[nodiscard]] std::size_t size() const {
        return std::visit([](auto s) { return s.size(); }, values);
    }

    [[nodiscard]] bool is_floating() const {
        return std::holds_alternative<std::span<const float>>(values) ||
               std::holds_alternative<std::span<const double>>(values);
    }
};

/// A grouping key: integer codes in [0, cardinality), e.g. pandas Categorical codes.
struct KeyColumn {
    ColumnView codes;
    std::uint64_t cardinality;
};

}  // namespace yosmodel
