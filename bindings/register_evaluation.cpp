// Bindings for intervention evaluation: the propensity model, matching, balance and effects.
// Arrays arrive as the Python layer built them (float64 row-major design, uint8 flags, float64
// logits and weights); nothing here copies them.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/evaluation/balance.hpp"
#include "yosmodel/evaluation/design_matrix.hpp"
#include "yosmodel/evaluation/effect.hpp"
#include "yosmodel/evaluation/logistic_regression.hpp"
#include "yosmodel/evaluation/matching.hpp"

namespace py = pybind11;
namespace ev = yosmodel::evaluation;
using yosmodel::bindings::to_numpy;

namespace {

using Matrix = py::array_t<double, py::array::c_style>;
using Doubles = py::array_t<double, py::array::c_style>;
using Flags = py::array_t<std::uint8_t, py::array::c_style>;
using Codes = py::array_t<std::int64_t, py::array::c_style>;

template <class T>
std::span<const T> span_of(const py::array_t<T, py::array::c_style>& a, const char* name) {
    if (a.ndim() != 1) throw yosmodel::InputError(std::string(name) + " must be one-dimensional");
    return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

ev::DesignMatrix design_of(const Matrix& design, std::vector<std::string> names) {
    if (design.ndim() != 2) throw yosmodel::InputError("the design matrix must be two-dimensional");
    return ev::DesignMatrix(design.data(), static_cast<std::size_t>(design.shape(0)),
                            static_cast<std::size_t>(design.shape(1)), std::move(names));
}

std::vector<double> to_vector(const Eigen::VectorXd& v) {
    return {v.data(), v.data() + v.size()};
}

py::dict fit_logistic(const Matrix& design, const Flags& outcome, std::vector<std::string> names,
                      bool intercept, unsigned max_iterations, double tolerance, unsigned threads) {
    const auto x = design_of(design, std::move(names));
    const auto y = span_of(outcome, "the outcome");
    ev::LogisticFit fit;
    {
        py::gil_scoped_release release;
        fit = ev::fit_logistic(x, y,
                               {.intercept = intercept,
                                .max_iterations = max_iterations,
                                .tolerance = tolerance,
                                .threads = threads});
    }
    py::dict out;
    out["names"] = fit.names;
    out["coefficients"] = to_numpy(to_vector(fit.coefficients));
    out["standard_errors"] = to_numpy(to_vector(fit.standard_errors));
    out["logits"] = to_numpy(std::move(fit.logits));
    out["deviance"] = fit.deviance;
    out["iterations"] = fit.iterations;
    return out;
}

py::tuple match_nearest(const Doubles& treated_logits, const Doubles& pool_logits, double caliper,
                        bool replacement, std::uint64_t seed,
                        const std::optional<Codes>& treated_strata,
                        const std::optional<Codes>& pool_strata, unsigned threads) {
    const auto t = span_of(treated_logits, "participant logits");
    const auto c = span_of(pool_logits, "pool logits");
    std::span<const std::int64_t> ts, cs;
    if (treated_strata) ts = span_of(*treated_strata, "participant strata");
    if (pool_strata) cs = span_of(*pool_strata, "pool strata");
    ev::Matches m;
    {
        py::gil_scoped_release release;
        m = ev::match_nearest(
            t, c,
            {.caliper = caliper, .replacement = replacement, .seed = seed, .threads = threads}, ts,
            cs);
    }
    return py::make_tuple(to_numpy(std::move(m.comparison)), to_numpy(std::move(m.distance)));
}

double pooled_standard_deviation(const Doubles& first, const Doubles& second) {
    return ev::pooled_standard_deviation(span_of(first, "logits"), span_of(second, "logits"));
}

py::dict standardised_differences(const Matrix& design, const Flags& treated,
                                  const Doubles& weights, std::vector<std::string> names) {
    const auto x = design_of(design, std::move(names));
    const auto t = span_of(treated, "participation flags");
    const auto w = span_of(weights, "matched weights");
    ev::Balance b;
    {
        py::gil_scoped_release release;
        b = ev::standardised_differences(x, t, w);
    }
    py::dict out;
    out["names"] = b.names;
    out["before"] = to_numpy(std::move(b.before));
    out["after"] = to_numpy(std::move(b.after));
    out["participant_mean_after"] = to_numpy(std::move(b.participant_mean_after));
    out["comparison_mean_after"] = to_numpy(std::move(b.comparison_mean_after));
    return out;
}

py::dict mean_dict(const ev::WeightedMean& m) {
    py::dict d;
    d["n"] = m.n;
    d["weight"] = m.weight;
    d["mean"] = m.mean;
    d["standard_error"] = m.standard_error;
    d["lower"] = m.lower;
    d["upper"] = m.upper;
    return d;
}

py::dict weighted_difference(const Doubles& values, const Flags& treated, const Doubles& weights,
                             double level) {
    const auto v = span_of(values, "outcome");
    const auto t = span_of(treated, "participation flags");
    const auto w = span_of(weights, "matched weights");
    ev::EffectEstimate e;
    {
        py::gil_scoped_release release;
        e = ev::weighted_difference(v, t, w, level);
    }
    py::dict out;
    out["participants"] = mean_dict(e.participants);
    out["comparison"] = mean_dict(e.comparison);
    out["difference"] = e.difference;
    out["standard_error"] = e.standard_error;
    out["degrees_of_freedom"] = e.degrees_of_freedom;
    out["lower"] = e.lower;
    out["upper"] = e.upper;
    out["p_value"] = e.p_value;
    return out;
}

}  // namespace

void register_evaluation(py::module_& m) {
    m.def("fit_logistic", &fit_logistic, py::arg("design"), py::arg("outcome"), py::arg("names"),
          py::arg("intercept") = true, py::arg("max_iterations") = 50, py::arg("tolerance") = 1e-10,
          py::arg("threads") = 0);
    m.def("match_nearest", &match_nearest, py::arg("treated_logits"), py::arg("pool_logits"),
          py::arg("caliper"), py::arg("replacement"), py::arg("seed"),
          py::arg("treated_strata") = py::none(), py::arg("pool_strata") = py::none(),
          py::arg("threads") = 0);
    m.def("pooled_standard_deviation", &pooled_standard_deviation, py::arg("first"),
          py::arg("second"));
    m.def("standardised_differences", &standardised_differences, py::arg("design"),
          py::arg("treated"), py::arg("weights"), py::arg("names"));
    m.def("weighted_difference", &weighted_difference, py::arg("values"), py::arg("treated"),
          py::arg("weights"), py::arg("level"));
}
