// Bindings for the measures area (first time entrants, use of custody, rates per population,
// funnel limits, relative rate index, concentration, live cohort statuses): _core.measures.
// Arrays arrive as contiguous numpy arrays of the dtypes the Python layer prepared; results go
// back as numpy arrays without copying. The GIL is released around every kernel.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/measures/concentration.hpp"
#include "yosmodel/measures/first_outcomes.hpp"
#include "yosmodel/measures/funnel_limits.hpp"
#include "yosmodel/measures/live_status.hpp"
#include "yosmodel/measures/poisson_limits.hpp"
#include "yosmodel/measures/relative_rate.hpp"

namespace py = pybind11;
using yosmodel::bindings::to_numpy;
namespace measures = yosmodel::measures;

namespace {

template <class T>
using Array = py::array_t<T, py::array::c_style>;

template <class T>
std::span<const T> span_of(const Array<T>& a, const char* name) {
    if (a.ndim() != 1) throw yosmodel::InputError(std::string(name) + " must be one-dimensional");
    return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

void check_lengths(std::size_t a, std::size_t b, const char* what) {
    if (a != b) throw yosmodel::InputError(std::string(what) + " must have equal lengths");
}

std::vector<std::uint64_t> counts_of(std::span<const std::int64_t> values, const char* name) {
    std::vector<std::uint64_t> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] < 0) throw yosmodel::InputError(std::string(name) + " must be zero or more");
        out[i] = static_cast<std::uint64_t>(values[i]);
    }
    return out;
}

py::tuple poisson_limits(const Array<std::int64_t>& events, double level) {
    const auto counts = counts_of(span_of(events, "events"), "events");
    std::vector<double> lower(counts.size()), upper(counts.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const auto l = measures::poisson_limits(counts[i], level);
            lower[i] = l.lower;
            upper[i] = l.upper;
        }
    }
    return py::make_tuple(to_numpy(std::move(lower)), to_numpy(std::move(upper)));
}

py::tuple population_rate(const Array<std::int64_t>& events, const Array<double>& population,
                          double per, double level) {
    const auto counts = counts_of(span_of(events, "events"), "events");
    const auto pop = span_of(population, "population");
    check_lengths(counts.size(), pop.size(), "events and population");
    const auto n = counts.size();
    std::vector<double> rate(n), lower(n), upper(n);
    std::vector<std::uint8_t> defined(n);
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < n; ++i) {
            const auto r = measures::population_rate(counts[i], pop[i], per, level);
            rate[i] = r.rate;
            lower[i] = r.lower;
            upper[i] = r.upper;
            defined[i] = r.defined;
        }
    }
    return py::make_tuple(to_numpy(std::move(rate)), to_numpy(std::move(lower)),
                          to_numpy(std::move(upper)), to_numpy(std::move(defined)));
}

measures::EntrantRules rules_of(std::int64_t period_start, std::int64_t period_end,
                                std::optional<std::int64_t> history_start, std::int64_t youngest,
                                std::int64_t oldest) {
    measures::EntrantRules rules;
    rules.period_start = period_start;
    rules.period_end = period_end;
    rules.history_start = history_start;
    rules.youngest = youngest;
    rules.oldest = oldest;
    return rules;
}

py::dict first_time_entrants(const Array<std::int64_t>& person, const Array<std::int64_t>& date,
                             const Array<std::uint8_t>& substantive,
                             const Array<std::int64_t>& born, std::size_t persons,
                             std::int64_t period_start, std::int64_t period_end,
                             std::optional<std::int64_t> history_start, std::int64_t youngest,
                             std::int64_t oldest) {
    measures::OutcomeRecords records{span_of(person, "person_id"), span_of(date, "date"),
                                     span_of(substantive, "kind"), span_of(born, "date_of_birth"),
                                     persons};
    const auto rules = rules_of(period_start, period_end, history_start, youngest, oldest);
    measures::FirstTimeEntrants result;
    {
        py::gil_scoped_release release;
        result = measures::first_time_entrants(records, rules);
    }
    const auto& d = result.diagnostics;
    py::dict diagnostics;
    diagnostics["missing_person_id"] = d.missing_person;
    diagnostics["missing_date"] = d.missing_date;
    diagnostics["outcome_below_youngest_age"] = d.below_youngest_age;
    diagnostics["missing_date_of_birth"] = d.missing_date_of_birth;
    diagnostics["first_outcome_older_than_oldest_age"] = d.older_than_oldest;
    py::dict out;
    out["person"] = to_numpy(std::move(result.person));
    out["row"] = to_numpy(std::move(result.row));
    out["date"] = to_numpy(std::move(result.date));
    out["age"] = to_numpy(std::move(result.age));
    out["without_full_history"] = to_numpy(std::move(result.without_full_history));
    out["history_start"] = result.history_start;
    out["diagnostics"] = diagnostics;
    return out;
}

py::dict outcomes_in_period(const Array<std::int64_t>& date, const Array<std::uint8_t>& kind_class,
                            const Array<std::int64_t>& born, std::int64_t period_start,
                            std::int64_t period_end, std::int64_t youngest, std::int64_t oldest) {
    const auto rules = rules_of(period_start, period_end, period_start, youngest, oldest);
    measures::PeriodOutcomes result;
    const auto dates = span_of(date, "date");
    const auto classes = span_of(kind_class, "kind");
    const auto births = span_of(born, "date_of_birth");
    {
        py::gil_scoped_release release;
        result = measures::outcomes_in_period(dates, classes, births, rules);
    }
    py::dict diagnostics;
    diagnostics["missing_date"] = result.missing_date;
    diagnostics["missing_date_of_birth"] = result.missing_date_of_birth;
    diagnostics["outside_ages"] = result.outside_ages;
    py::dict out;
    out["row"] = to_numpy(std::move(result.row));
    out["diagnostics"] = diagnostics;
    return out;
}

py::tuple funnel_limits(double target, const Array<std::int64_t>& sizes, double level) {
    const auto counts = counts_of(span_of(sizes, "sizes"), "sizes");
    std::vector<double> lower(counts.size()), upper(counts.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const auto l = measures::funnel_limits(target, counts[i], level);
            lower[i] = l.lower;
            upper[i] = l.upper;
        }
    }
    return py::make_tuple(to_numpy(std::move(lower)), to_numpy(std::move(upper)));
}

py::dict relative_rate_index(const Array<std::int64_t>& events, const Array<double>& base,
                             const Array<std::int64_t>& reference_events,
                             const Array<double>& reference_base, double level,
                             measures::RateVariance variance) {
    const auto a = counts_of(span_of(events, "events"), "events");
    const auto b = counts_of(span_of(reference_events, "reference events"), "reference events");
    const auto n = span_of(base, "base");
    const auto m = span_of(reference_base, "reference base");
    check_lengths(a.size(), n.size(), "events and base");
    check_lengths(a.size(), b.size(), "events and reference events");
    check_lengths(a.size(), m.size(), "events and reference base");
    const auto rows = a.size();
    std::vector<double> rate(rows), reference_rate(rows), index(rows), lower(rows), upper(rows);
    std::vector<std::uint8_t> defined(rows);
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < rows; ++i) {
            const auto r = measures::relative_rate_index(a[i], n[i], b[i], m[i], level, variance);
            rate[i] = r.rate;
            reference_rate[i] = r.reference_rate;
            index[i] = r.index;
            lower[i] = r.lower;
            upper[i] = r.upper;
            defined[i] = r.defined;
        }
    }
    py::dict out;
    out["rate"] = to_numpy(std::move(rate));
    out["reference_rate"] = to_numpy(std::move(reference_rate));
    out["index"] = to_numpy(std::move(index));
    out["lower"] = to_numpy(std::move(lower));
    out["upper"] = to_numpy(std::move(upper));
    out["defined"] = to_numpy(std::move(defined));
    return out;
}

py::dict concentration(const Array<std::int64_t>& reoffences, const std::vector<double>& shares) {
    const auto counts = counts_of(span_of(reoffences, "reoffences"), "reoffences");
    measures::Concentration result;
    {
        py::gil_scoped_release release;
        result = measures::concentration(counts, shares);
    }
    py::dict out;
    out["children"] = result.children;
    out["reoffences"] = result.reoffences;
    out["shares"] = to_numpy(std::move(result.shares));
    out["lorenz_x"] = to_numpy(std::move(result.lorenz_x));
    out["lorenz_y"] = to_numpy(std::move(result.lorenz_y));
    out["gini"] = result.gini;
    return out;
}

py::tuple live_statuses(const Array<std::int64_t>& follow_up_end,
                        const Array<std::int64_t>& waiting_end,
                        const Array<std::int64_t>& reoffences, std::int64_t as_of) {
    const auto counts = counts_of(span_of(reoffences, "reoffences"), "reoffences");
    const auto ends = span_of(follow_up_end, "follow_up_end");
    const auto waits = span_of(waiting_end, "waiting_end");
    measures::LiveStatuses result;
    {
        py::gil_scoped_release release;
        result = measures::live_statuses(ends, waits, counts, as_of);
    }
    std::vector<std::uint8_t> codes(result.status.size());
    for (std::size_t i = 0; i < codes.size(); ++i)
        codes[i] = static_cast<std::uint8_t>(result.status[i]);
    return py::make_tuple(to_numpy(std::move(codes)), to_numpy(std::move(result.days_left)));
}

}  // namespace

void register_measures(py::module_& m) {
    m.doc() =
        "first time entrants, use of custody, rates per population, funnel limits, "
        "relative rate index, concentration and live cohort statuses";
    py::enum_<measures::RateVariance>(m, "RateVariance")
        .value("proportion", measures::RateVariance::proportion)
        .value("poisson", measures::RateVariance::poisson);
    py::enum_<measures::ChildStatus>(m, "ChildStatus")
        .value("reoffended", measures::ChildStatus::reoffended)
        .value("in_follow_up", measures::ChildStatus::in_follow_up)
        .value("awaiting_proof", measures::ChildStatus::awaiting_proof)
        .value("not_reoffended", measures::ChildStatus::not_reoffended);
    m.def("poisson_limits", &poisson_limits, py::arg("events"), py::arg("level"));
    m.def("population_rate", &population_rate, py::arg("events"), py::arg("population"),
          py::arg("per"), py::arg("level"));
    m.def("first_time_entrants", &first_time_entrants, py::arg("person"), py::arg("date"),
          py::arg("substantive"), py::arg("born"), py::arg("persons"), py::kw_only(),
          py::arg("period_start"), py::arg("period_end"), py::arg("history_start"),
          py::arg("youngest"), py::arg("oldest"));
    m.def("outcomes_in_period", &outcomes_in_period, py::arg("date"), py::arg("kind_class"),
          py::arg("born"), py::kw_only(), py::arg("period_start"), py::arg("period_end"),
          py::arg("youngest"), py::arg("oldest"));
    m.def("funnel_limits", &funnel_limits, py::arg("target"), py::arg("sizes"), py::arg("level"));
    m.def("relative_rate_index", &relative_rate_index, py::arg("events"), py::arg("base"),
          py::arg("reference_events"), py::arg("reference_base"), py::arg("level"),
          py::arg("variance"));
    m.def("concentration", &concentration, py::arg("reoffences"), py::arg("shares"));
    m.def("live_statuses", &live_statuses, py::arg("follow_up_end"), py::arg("waiting_end"),
          py::arg("reoffences"), py::arg("as_of"));
}
