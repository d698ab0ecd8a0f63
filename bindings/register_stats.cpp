// Bindings for the stats area (_core.stats): the interval methods (the one list of them) and
// the interval and test functions, vectorised over int64 arrays of equal length (the Python
// layer broadcasts and converts first).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "enum_names.hpp"
#include "numpy_columns.hpp"
#include "yosmodel/stats/difference.hpp"
#include "yosmodel/stats/proportion_interval.hpp"

namespace py = pybind11;
namespace ys = yosmodel::stats;
using yosmodel::bindings::span_of;
using yosmodel::bindings::to_numpy;
using Counts = std::span<const std::int64_t>;

namespace {

std::uint64_t count_at(Counts a, std::size_t i, const char* name) {
    if (a[i] < 0) throw yosmodel::InputError(std::string(name) + " must be zero or more");
    return static_cast<std::uint64_t>(a[i]);
}

// The named int64 count arrays, checked to be of one length.
template <std::size_t N>
std::array<Counts, N> counts_of(const std::array<const char*, N>& names,
                                const std::array<const py::array*, N>& arrays) {
    std::array<Counts, N> out;
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = span_of<std::int64_t>(names[i], *arrays[i]);
        if (out[i].size() != out[0].size())
            throw yosmodel::InputError("count arrays must be of equal length");
    }
    return out;
}

py::tuple proportion_interval(const py::array& successes, const py::array& trials, double level,
                              ys::IntervalMethod method) {
    const auto [x, n] = counts_of<2>({"successes", "trials"}, {&successes, &trials});
    std::vector<double> lower(x.size()), upper(x.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const auto iv = ys::proportion_interval(count_at(x, i, "successes"),
                                                    count_at(n, i, "trials"), level, method);
            lower[i] = iv.lower;
            upper[i] = iv.upper;
        }
    }
    return py::make_tuple(to_numpy(std::move(lower)), to_numpy(std::move(upper)));
}

py::tuple difference_interval(const py::array& x1, const py::array& n1, const py::array& x2,
                              const py::array& n2, double level) {
    const auto [a, b, c, d] = counts_of<4>({"x1", "n1", "x2", "n2"}, {&x1, &n1, &x2, &n2});
    std::vector<double> estimate(a.size()), lower(a.size()), upper(a.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const auto diff =
                ys::newcombe_difference(count_at(a, i, "x1"), count_at(b, i, "n1"),
                                        count_at(c, i, "x2"), count_at(d, i, "n2"), level);
            estimate[i] = diff.estimate;
            lower[i] = diff.lower;
            upper[i] = diff.upper;
        }
    }
    return py::make_tuple(to_numpy(std::move(estimate)), to_numpy(std::move(lower)),
                          to_numpy(std::move(upper)));
}

py::tuple two_proportion_ztest(const py::array& x1, const py::array& n1, const py::array& x2,
                               const py::array& n2) {
    const auto [a, b, c, d] = counts_of<4>({"x1", "n1", "x2", "n2"}, {&x1, &n1, &x2, &n2});
    std::vector<double> z(a.size()), p(a.size());
    std::vector<std::uint8_t> defined(a.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const auto t = ys::two_proportion_ztest(count_at(a, i, "x1"), count_at(b, i, "n1"),
                                                    count_at(c, i, "x2"), count_at(d, i, "n2"));
            z[i] = t.z;
            p[i] = t.p_value;
            defined[i] = t.defined;
        }
    }
    return py::make_tuple(to_numpy(std::move(z)), to_numpy(std::move(p)),
                          to_numpy(std::move(defined)));
}

}  // namespace

void register_stats(py::module_& m) {
    yosmodel::bindings::bind_enum<ys::IntervalMethod>(
        m, "IntervalMethod", "interval method",
        "Confidence interval methods for one proportion (wilson is the default).")
        .value("wilson", ys::IntervalMethod::wilson)
        .value("clopper_pearson", ys::IntervalMethod::clopper_pearson)
        .value("jeffreys", ys::IntervalMethod::jeffreys)
        .value("agresti_coull", ys::IntervalMethod::agresti_coull)
        .value("wald", ys::IntervalMethod::wald);
    m.def("proportion_interval", &proportion_interval, py::arg("successes"), py::arg("trials"),
          py::arg("level"), py::arg("method"), "(lower, upper) for successes / trials.");
    m.def("difference_interval", &difference_interval, py::arg("x1"), py::arg("n1"), py::arg("x2"),
          py::arg("n2"), py::arg("level"),
          "(estimate, lower, upper) of x1/n1 - x2/n2 (Newcombe's hybrid score).");
    m.def("two_proportion_ztest", &two_proportion_ztest, py::arg("x1"), py::arg("n1"),
          py::arg("x2"), py::arg("n2"), "(z, p, defined) of the pooled two-proportion z-test.");
    m.def("normal_critical_value", &ys::normal_critical_value, py::arg("level"));
}
