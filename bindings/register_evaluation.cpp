// Bindings for the evaluation area (_core.evaluation): the propensity model, matching, balance
// and effects. Arrays arrive as the Python layer built them (float64 row-major design, uint8
// flags, float64 logits and weights, int64 strata) and are viewed, never copied; results are
// bound classes whose array attributes are numpy views of their storage.
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
using yosmodel::bindings::def_array;
using yosmodel::bindings::matrix_of;
using yosmodel::bindings::span_of;
using yosmodel::bindings::view_of;

namespace {

ev::DesignMatrix design_of(const py::array& design, std::vector<std::string> names) {
    const auto m = matrix_of<double>("the design matrix", design);
    return ev::DesignMatrix(m.data, m.rows, m.columns, std::move(names));
}

ev::LogisticFit fit_logistic(const py::array& design, const py::array& outcome,
                             std::vector<std::string> names, bool intercept,
                             unsigned max_iterations, double tolerance, unsigned threads) {
    const auto x = design_of(design, std::move(names));
    const auto y = span_of<std::uint8_t>("the outcome", outcome);
    py::gil_scoped_release release;
    return ev::fit_logistic(x, y,
                            {.intercept = intercept,
                             .max_iterations = max_iterations,
                             .tolerance = tolerance,
                             .threads = threads});
}

ev::Matches match_nearest(const py::array& treated_logits, const py::array& pool_logits,
                          double caliper, bool replacement, std::uint64_t seed,
                          const std::optional<py::array>& treated_strata,
                          const std::optional<py::array>& pool_strata, unsigned threads) {
    const auto t = span_of<double>("participant logits", treated_logits);
    const auto c = span_of<double>("pool logits", pool_logits);
    std::span<const std::int64_t> ts, cs;
    if (treated_strata) ts = span_of<std::int64_t>("participant strata", *treated_strata);
    if (pool_strata) cs = span_of<std::int64_t>("pool strata", *pool_strata);
    py::gil_scoped_release release;
    return ev::match_nearest(
        t, c, {.caliper = caliper, .replacement = replacement, .seed = seed, .threads = threads},
        ts, cs);
}

double pooled_standard_deviation(const py::array& first, const py::array& second) {
    const auto a = span_of<double>("logits", first);
    const auto b = span_of<double>("logits", second);
    py::gil_scoped_release release;
    return ev::pooled_standard_deviation(a, b);
}

ev::Balance standardised_differences(const py::array& design, const py::array& treated,
                                     const py::array& weights, std::vector<std::string> names) {
    const auto x = design_of(design, std::move(names));
    const auto t = span_of<std::uint8_t>("participation flags", treated);
    const auto w = span_of<double>("matched weights", weights);
    py::gil_scoped_release release;
    return ev::standardised_differences(x, t, w);
}

ev::EffectEstimate weighted_difference(const py::array& values, const py::array& treated,
                                       const py::array& weights, double level) {
    const auto v = span_of<double>("outcome", values);
    const auto t = span_of<std::uint8_t>("participation flags", treated);
    const auto w = span_of<double>("matched weights", weights);
    py::gil_scoped_release release;
    return ev::weighted_difference(v, t, w, level);
}

void bind_results(py::module_& m) {
    py::class_<ev::LogisticFit> fit(m, "LogisticFit", "A fitted logistic regression.");
    fit.def_readonly("names", &ev::LogisticFit::names, "'(intercept)' when fitted, then terms.")
        .def_property_readonly(
            "coefficients",
            [](py::object self) {
                const auto& v = self.cast<const ev::LogisticFit&>().coefficients;
                return view_of(v.data(), static_cast<std::size_t>(v.size()), self);
            },
            "Log-odds per unit of each term.")
        .def_property_readonly(
            "standard_errors",
            [](py::object self) {
                const auto& v = self.cast<const ev::LogisticFit&>().standard_errors;
                return view_of(v.data(), static_cast<std::size_t>(v.size()), self);
            },
            "From the inverse of the observed information.")
        .def_readonly("deviance", &ev::LogisticFit::deviance, "-2 log-likelihood.")
        .def_readonly("iterations", &ev::LogisticFit::iterations);
    def_array(fit, "logits", &ev::LogisticFit::logits, "Linear predictor of every row.");

    py::class_<ev::Matches> matches(m, "Matches", "Each participant's nearest comparison.");
    def_array(matches, "comparison", &ev::Matches::comparison,
              "Index into the pool, or -1 when none is within the caliper.");
    def_array(matches, "distance", &ev::Matches::distance, "|logit difference| (NaN: none).");
    matches.def_readonly("matched", &ev::Matches::matched, "Participants with a comparison.");

    py::class_<ev::Balance> balance(m, "Balance", "Standardised differences per covariate.");
    balance.def_readonly("names", &ev::Balance::names);
    def_array(balance, "before", &ev::Balance::before, "Before matching.");
    def_array(balance, "after", &ev::Balance::after, "After matching (weighted).");
    def_array(balance, "participant_mean_after", &ev::Balance::participant_mean_after, "");
    def_array(balance, "comparison_mean_after", &ev::Balance::comparison_mean_after, "");

    py::class_<ev::WeightedMean>(m, "WeightedMean", "A group's weighted mean outcome.")
        .def_readonly("n", &ev::WeightedMean::n, "People with a positive weight and a value.")
        .def_readonly("weight", &ev::WeightedMean::weight, "Sum of their weights.")
        .def_readonly("mean", &ev::WeightedMean::mean)
        .def_readonly("standard_error", &ev::WeightedMean::standard_error)
        .def_readonly("lower", &ev::WeightedMean::lower, "t interval, n - 1 df.")
        .def_readonly("upper", &ev::WeightedMean::upper);

    py::class_<ev::EffectEstimate>(m, "EffectEstimate", "Participants minus comparison.")
        .def_readonly("participants", &ev::EffectEstimate::participants)
        .def_readonly("comparison", &ev::EffectEstimate::comparison)
        .def_readonly("difference", &ev::EffectEstimate::difference)
        .def_readonly("standard_error", &ev::EffectEstimate::standard_error)
        .def_readonly("degrees_of_freedom", &ev::EffectEstimate::degrees_of_freedom,
                      "Welch-Satterthwaite.")
        .def_readonly("lower", &ev::EffectEstimate::lower)
        .def_readonly("upper", &ev::EffectEstimate::upper)
        .def_readonly("p_value", &ev::EffectEstimate::p_value, "Two-sided; NaN when SE is 0.");
}

}  // namespace

void register_evaluation(py::module_& m) {
    bind_results(m);
    m.def("fit_logistic", &fit_logistic, py::arg("design"), py::arg("outcome"), py::arg("names"),
          py::kw_only(), py::arg("intercept") = true, py::arg("max_iterations") = 50,
          py::arg("tolerance") = 1e-10, py::arg("threads") = 0);
    m.def("match_nearest", &match_nearest, py::arg("treated_logits"), py::arg("pool_logits"),
          py::kw_only(), py::arg("caliper"), py::arg("replacement"), py::arg("seed"),
          py::arg("treated_strata") = std::nullopt, py::arg("pool_strata") = std::nullopt,
          py::arg("threads") = 0);
    m.def("pooled_standard_deviation", &pooled_standard_deviation, py::arg("first"),
          py::arg("second"));
    m.def("standardised_differences", &standardised_differences, py::arg("design"),
          py::arg("treated"), py::arg("weights"), py::arg("names"));
    m.def("weighted_difference", &weighted_difference, py::arg("values"), py::arg("treated"),
          py::arg("weights"), py::arg("level"));
}
