// Bindings for the disclosure area (_core.disclosure): the suppression codes (the one list of
// them) and the suppression decisions, one array of codes per count column.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "enum_names.hpp"
#include "numpy_columns.hpp"
#include "yosmodel/disclosure/suppress.hpp"

namespace py = pybind11;
namespace yd = yosmodel::disclosure;
using yosmodel::bindings::column_view;
using yosmodel::bindings::to_numpy;

namespace {

using NamedArray = std::tuple<std::string, py::array>;
using NamedDimension = std::tuple<std::string, py::array, std::uint64_t>;

py::list suppress(const std::vector<NamedDimension>& dimensions,
                  const std::vector<NamedArray>& counts, std::uint64_t threshold,
                  bool zero_is_small, bool nested, bool secondary) {
    std::vector<yd::TableDimension> dimension_views;
    for (const auto& [name, codes, categories] : dimensions)
        dimension_views.push_back({column_view(name, codes), categories});
    std::vector<yosmodel::ColumnView> count_views;
    for (const auto& [name, values] : counts)
        count_views.push_back(column_view(name, values));
    const yd::DisclosureRules rules{threshold, zero_is_small, nested, secondary};
    yd::SuppressionResult result;
    {
        py::gil_scoped_release release;
        result = yd::suppress(dimension_views, count_views, rules);
    }
    py::list out;
    for (auto& column : result.cells) {
        std::vector<std::uint8_t> codes(column.size());
        for (std::size_t i = 0; i < column.size(); ++i)
            codes[i] = static_cast<std::uint8_t>(column[i]);
        out.append(to_numpy(std::move(codes)));
    }
    return out;
}

}  // namespace

void register_disclosure(py::module_& m) {
    yosmodel::bindings::bind_enum<yd::Suppression>(m, "Suppression", "suppression code",
                                                   "Why a count is withheld (or not).")
        .value("published", yd::Suppression::published)
        .value("primary", yd::Suppression::primary, "below the threshold")
        .value("linked", yd::Suppression::linked,
               "a later count of a cell whose earlier count is primary")
        .value("secondary", yd::Suppression::secondary,
               "withheld so that another withheld count cannot be worked back");
    m.def("suppress", &suppress, py::arg("dimensions"), py::arg("counts"), py::kw_only(),
          py::arg("threshold"), py::arg("zero_is_small"), py::arg("nested"), py::arg("secondary"),
          "Suppression codes (Suppression values as uint8), one array per count column. "
          "dimensions: [(name, codes, categories)] where code == categories marks an 'All' "
          "total; counts: [(name, array)].");
}
