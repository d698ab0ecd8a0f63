// Bindings for the interval and test functions, vectorised over int64 arrays of equal length
// (the Python layer broadcasts and validates dtypes first).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/stats/difference.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace py = pybind11;
using yosmodel::bindings::to_numpy;
using Counts = py::array_t<std::int64_t, py::array::c_style>;

namespace {

std::uint64_t count_at(const Counts& a, py::ssize_t i, const char* name) {
    const std::int64_t v = a.at(i);
    if (v < 0) throw yosmodel::InputError(std::string(name) + " must be zero or more");
    return static_cast<std::uint64_t>(v);
}

void check_same_length(std::initializer_list<const Counts*> arrays) {
    for (const auto* a : arrays)
        if (a->ndim() != 1 || a->shape(0) != (*arrays.begin())->shape(0))
            throw yosmodel::InputError("count arrays must be one-dimensional and of equal length");
}

py::tuple proportion_interval(const Counts& successes, const Counts& trials, double level,
                              const std::string& method_name) {
    check_same_length({&successes, &trials});
    const auto method = yosmodel::stats::parse_interval_method(method_name);
    const auto n = successes.shape(0);
    std::vector<double> lower(n), upper(n);
    for (py::ssize_t i = 0; i < n; ++i) {
        const auto iv = yosmodel::stats::proportion_interval(
            count_at(successes, i, "successes"), count_at(trials, i, "trials"), level, method);
        lower[i] = iv.lower;
        upper[i] = iv.upper;
    }
    return py::make_tuple(to_numpy(std::move(lower)), to_numpy(std::move(upper)));
}

py::tuple difference_interval(const Counts& x1, const Counts& n1, const Counts& x2,
                              const Counts& n2, double level) {
    check_same_length({&x1, &n1, &x2, &n2});
    const auto n = x1.shape(0);
    std::vector<double> estimate(n), lower(n), upper(n);
    for (py::ssize_t i = 0; i < n; ++i) {
        const auto d = yosmodel::stats::newcombe_difference(
            count_at(x1, i, "x1"), count_at(n1, i, "n1"), count_at(x2, i, "x2"),
            count_at(n2, i, "n2"), level);
        estimate[i] = d.estimate;
        lower[i] = d.lower;
        upper[i] = d.upper;
    }
    return py::make_tuple(to_numpy(std::move(estimate)), to_numpy(std::move(lower)),
                          to_numpy(std::move(upper)));
}

py::tuple two_proportion_ztest(const Counts& x1, const Counts& n1, const Counts& x2,
                               const Counts& n2) {
    check_same_length({&x1, &n1, &x2, &n2});
    const auto n = x1.shape(0);
    std::vector<double> z(n), p(n);
    std::vector<std::uint8_t> defined(n);
    for (py::ssize_t i = 0; i < n; ++i) {
        const auto t =
            yosmodel::stats::two_proportion_ztest(count_at(x1, i, "x1"), count_at(n1, i, "n1"),
                                                  count_at(x2, i, "x2"), count_at(n2, i, "n2"));
        z[i] = t.z;
        p[i] = t.p_value;
        defined[i] = t.defined;
    }
    return py::make_tuple(to_numpy(std::move(z)), to_numpy(std::move(p)),
                          to_numpy(std::move(defined)));
}

}  // namespace

void register_stats(py::module_& m) {
    m.def("proportion_interval", &proportion_interval, py::arg("successes"), py::arg("trials"),
          py::arg("level"), py::arg("method"));
    m.def("difference_interval", &difference_interval, py::arg("x1"), py::arg("n1"), py::arg("x2"),
          py::arg("n2"), py::arg("level"));
    m.def("two_proportion_ztest", &two_proportion_ztest, py::arg("x1"), py::arg("n1"),
          py::arg("x2"), py::arg("n2"));
    m.def("normal_critical_value", &yosmodel::stats::normal_critical_value, py::arg("level"));
}
