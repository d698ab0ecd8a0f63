// Bindings for the cohort builder and the calendar functions it rests on. Arrays arrive already
// encoded by the Python layer (dense person ids, kind codes, datetime64 ticks); results go back as
// numpy arrays without copying.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/core/dates.hpp"
#include "yosmodel/reoffending/cohort.hpp"

namespace py = pybind11;
using yosmodel::bindings::column_view;
using yosmodel::bindings::to_numpy;
using namespace yosmodel::reoffending;

namespace {

using NamedArray = std::tuple<std::string, py::array>;
using NamedDates = std::tuple<std::string, py::array, std::int64_t>;  // name, ticks, ticks per day
using Days = py::array_t<std::int64_t, py::array::c_style>;

yosmodel::ColumnView view(const NamedArray& a) {
    return column_view(std::get<0>(a), std::get<1>(a));
}

std::optional<yosmodel::ColumnView> view(const std::optional<NamedArray>& a) {
    if (!a) return std::nullopt;
    return view(*a);
}

DateColumn dates(const NamedDates& a) {
    return {column_view(std::get<0>(a), std::get<1>(a)), static_cast<DateUnit>(std::get<2>(a))};
}

py::dict diagnostics(const DisposalDiagnostics& d) {
    py::dict out;
    out["rows"] = d.rows;
    out["missing_person_id"] = d.missing_person;
    out["unknown_person"] = d.unknown_person;
    out["missing_date"] = d.missing_date;
    out["implausible_date"] = d.implausible_date;
    out["unknown_kind"] = d.unknown_kind;
    out["duplicate_rows"] = d.duplicate_rows;
    out["qualifying_in_period"] = d.qualifying_in_period;
    return out;
}

py::dict diagnostics(const OffenceDiagnostics& o) {
    py::dict out;
    out["rows"] = o.rows;
    out["missing_person_id"] = o.missing_person;
    out["missing_offence_date"] = o.missing_offence_date;
    out["missing_proven_date"] = o.missing_proven_date;
    out["implausible_offence_date"] = o.implausible_offence_date;
    out["implausible_proven_date"] = o.implausible_proven_date;
    out["proven_before_committed"] = o.proven_before_committed;
    out["invalid_counts_flag"] = o.invalid_counts_flag;
    out["duplicate_rows"] = o.duplicate_rows;
    out["outside_cohort"] = o.outside_cohort;
    out["not_counting"] = o.not_counting;
    return out;
}

py::dict build(const NamedArray& disposal_person, const NamedDates& disposal_date,
               const NamedArray& disposal_kind, const std::optional<NamedArray>& disposal_identity,
               const NamedArray& offence_person, const NamedDates& offence_date,
               const NamedDates& proven_date, const std::optional<NamedArray>& counts,
               const std::optional<NamedArray>& offence_identity, std::int64_t person_first,
               std::uint64_t persons, std::optional<std::int64_t> missing_id,
               std::int64_t period_start, std::int64_t period_end, int follow_up_months,
               int waiting_months, const std::vector<bool>& qualifying,
               std::int64_t earliest_plausible, std::int64_t latest_plausible, unsigned threads) {
    const DisposalColumns d{view(disposal_person), dates(disposal_date), view(disposal_kind),
                            view(disposal_identity)};
    const OffenceColumns o{view(offence_person), dates(offence_date), dates(proven_date),
                           view(counts), view(offence_identity)};
    CohortRules rules;
    rules.period_start = period_start;
    rules.period_end = period_end;
    rules.follow_up_months = follow_up_months;
    rules.waiting_months = waiting_months;
    rules.qualifying = qualifying;
    rules.earliest_plausible = earliest_plausible;
    rules.latest_plausible = latest_plausible;
    Cohort cohort;
    {
        py::gil_scoped_release release;
        cohort = build_cohort(d, o, PersonSpace{person_first, persons, missing_id}, rules,
                              {.threads = threads});
    }
    py::dict out;
    out["person"] = to_numpy(std::move(cohort.person));
    out["index_row"] = to_numpy(std::move(cohort.index_row));
    out["index_date"] = to_numpy(std::move(cohort.index_date));
    out["index_kind"] = to_numpy(std::move(cohort.index_kind));
    out["follow_up_end"] = to_numpy(std::move(cohort.follow_up_end));
    out["waiting_end"] = to_numpy(std::move(cohort.waiting_end));
    out["reoffences"] = to_numpy(std::move(cohort.reoffences));
    out["days_to_first_reoffence"] = to_numpy(std::move(cohort.days_to_first_reoffence));
    out["previous_offences"] = to_numpy(std::move(cohort.previous_offences));
    out["disposal_diagnostics"] = diagnostics(cohort.disposal_diagnostics);
    out["offence_diagnostics"] = diagnostics(cohort.offence_diagnostics);
    return out;
}

// Element-wise calendar functions over int64 day numbers (the Python layer masks missing ones).
py::array_t<std::int64_t> add_months(const Days& days, std::int64_t months) {
    if (days.ndim() != 1) throw yosmodel::InputError("days must be one-dimensional");
    std::vector<std::int64_t> out(static_cast<std::size_t>(days.shape(0)));
    const std::int64_t* src = days.data();
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = yosmodel::dates::add_months(src[i], months);
    }
    return to_numpy(std::move(out));
}

py::array_t<std::int64_t> age_in_years(const Days& born, const Days& on) {
    if (born.ndim() != 1 || on.ndim() != 1 || born.shape(0) != on.shape(0))
        throw yosmodel::InputError(
            "dates of birth and index dates must be one-dimensional and "
            "of equal length");
    std::vector<std::int64_t> out(static_cast<std::size_t>(born.shape(0)));
    const std::int64_t* b = born.data();
    const std::int64_t* o = on.data();
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = yosmodel::dates::age_in_years(b[i], o[i]);
    }
    return to_numpy(std::move(out));
}

}  // namespace

void register_cohort(py::module_& m) {
    m.def("build_cohort", &build, py::arg("disposal_person"), py::arg("disposal_date"),
          py::arg("disposal_kind"), py::arg("disposal_identity"), py::arg("offence_person"),
          py::arg("offence_date"), py::arg("proven_date"), py::arg("counts"),
          py::arg("offence_identity"), py::arg("person_first"), py::arg("persons"),
          py::arg("missing_id"), py::arg("period_start"), py::arg("period_end"),
          py::arg("follow_up_months"), py::arg("waiting_months"), py::arg("qualifying"),
          py::arg("earliest_plausible"), py::arg("latest_plausible"), py::arg("threads"),
          "The proven reoffending cohort from encoded disposal and offence columns.");
    m.def(
        "add_months", &add_months, py::arg("days"), py::arg("months"),
        "Day numbers plus calendar months (a missing day of the month becomes the month's last).");
    m.def("age_in_years", &age_in_years, py::arg("born"), py::arg("on"),
          "Whole years of age on day `on` of people born on day `born`.");
}
