// Bindings for the grouping kernel and its partial tables.
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/margins.hpp"
#include "yosmodel/reoffending/rates.hpp"

namespace py = pybind11;
using yosmodel::bindings::column_view;
using yosmodel::bindings::to_numpy;
using yosmodel::reoffending::PartialTable;

namespace {

using NamedArray = std::tuple<std::string, py::array>;
using NamedKey = std::tuple<std::string, py::array, std::uint64_t>;

PartialTable aggregate(const std::vector<NamedKey>& keys, const NamedArray& reoffences,
                       const std::optional<NamedArray>& previous_offences, unsigned threads) {
    std::vector<yosmodel::KeyColumn> key_columns;
    for (const auto& [name, codes, cardinality] : keys)
        key_columns.push_back({column_view(name, codes), cardinality});
    const auto reoffences_view = column_view(std::get<0>(reoffences), std::get<1>(reoffences));
    std::optional<yosmodel::ColumnView> previous_view;
    if (previous_offences)
        previous_view =
            column_view(std::get<0>(*previous_offences), std::get<1>(*previous_offences));
    py::gil_scoped_release release;
    return yosmodel::reoffending::aggregate(key_columns, reoffences_view, previous_view,
                                            {.threads = threads});
}

py::dict finalize(const PartialTable& table, double level, const std::string& method) {
    auto rates = yosmodel::reoffending::finalize(table, level,
                                                 yosmodel::stats::parse_interval_method(method));
    py::list key_codes;
    for (auto& codes : rates.key_codes)
        key_codes.append(to_numpy(std::move(codes)));
    py::dict out;
    out["key_codes"] = key_codes;
    out["offenders"] = to_numpy(std::move(rates.offenders));
    out["reoffenders"] = to_numpy(std::move(rates.reoffenders));
    out["reoffences"] = to_numpy(std::move(rates.reoffences));
    out["previous_offences"] = to_numpy(std::move(rates.previous_offences));
    out["binary_rate"] = to_numpy(std::move(rates.binary_rate));
    out["binary_rate_lower"] = to_numpy(std::move(rates.binary_rate_lower));
    out["binary_rate_upper"] = to_numpy(std::move(rates.binary_rate_upper));
    out["frequency_rate"] = to_numpy(std::move(rates.frequency_rate));
    out["reoffences_per_reoffender"] = to_numpy(std::move(rates.reoffences_per_reoffender));
    out["previous_offences_mean"] = to_numpy(std::move(rates.previous_offences_mean));
    return out;
}

py::bytes to_bytes(const PartialTable& table) {
    return py::bytes(table.serialize());
}

PartialTable from_bytes(const py::bytes& bytes) {
    return PartialTable::deserialize(static_cast<std::string_view>(bytes));
}

}  // namespace

void register_reoffending(py::module_& m) {
    py::class_<PartialTable>(
        m, "PartialTable",
        "Counts per non-empty group (offenders, reoffenders, reoffences, previous offences). "
        "Partials over the same keys merge by addition and pickle as versioned bytes.")
        .def(py::init([](const std::vector<std::uint64_t>& cardinalities) {
                 return PartialTable(yosmodel::KeySpace(cardinalities));
             }),
             py::arg("cardinalities"), "An empty partial table over keys of these cardinalities.")
        .def_property_readonly("cardinalities",
                               [](const PartialTable& t) { return t.key_space().cardinalities(); })
        .def_property_readonly(
            "groups",
            [](const PartialTable& t) { return to_numpy(std::vector<std::uint64_t>(t.groups())); })
        .def("__len__", &PartialTable::size)
        .def(
            "merge", [](const PartialTable& a, const PartialTable& b) { return merge(a, b); },
            "A new partial table with the counts of both.")
        .def("__add__", [](const PartialTable& a, const PartialTable& b) { return merge(a, b); })
        .def(py::self == py::self)
        .def("with_margins", &yosmodel::reoffending::with_margins,
             "The groups plus every 'All' total, over keys one code wider (the last code is All).")
        .def("finalize", &finalize, py::arg("level") = 0.95, py::arg("method") = "wilson")
        .def("to_bytes", &to_bytes)
        .def_static("from_bytes", &from_bytes)
        .def(py::pickle([](const PartialTable& t) { return py::make_tuple(to_bytes(t)); },
                        [](const py::tuple& state) {
                            if (state.size() != 1)
                                throw yosmodel::InputError("not a pickled PartialTable");
                            return from_bytes(state[0].cast<py::bytes>());
                        }));

    m.def("aggregate", &aggregate, py::arg("keys"), py::arg("reoffences"),
          py::arg("previous_offences") = std::nullopt, py::arg("threads") = 0,
          "Counts per group. keys: [(name, codes, cardinality)], counts: (name, array).");
}
