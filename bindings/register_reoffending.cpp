// Bindings for the reoffending area (_core.reoffending): the grouping kernel and its partial
// tables, finalized rates, the cohort builder and the calendar functions it rests on. Arrays
// arrive already encoded by the Python layer (codes, dense person ids, kind codes, datetime64
// ticks); results are bound classes whose array attributes are numpy views of their storage.
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "arguments.hpp"
#include "enum_names.hpp"
#include "numpy_columns.hpp"
#include "yosmodel/core/dates.hpp"
#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/cohort.hpp"
#include "yosmodel/reoffending/disposal_kind.hpp"
#include "yosmodel/reoffending/margins.hpp"
#include "yosmodel/reoffending/rates.hpp"

namespace py = pybind11;
namespace yr = yosmodel::reoffending;
using yosmodel::bindings::argument;
using yosmodel::bindings::column_view;
using yosmodel::bindings::def_array;
using yosmodel::bindings::span_of;
using yosmodel::bindings::to_numpy;
using yosmodel::bindings::view_of;
using yr::PartialTable;

namespace {

using NamedArray = std::tuple<std::string, py::array>;
using NamedKey = std::tuple<std::string, py::array, std::uint64_t>;
using NamedDates = std::tuple<std::string, py::array, yr::DateUnit>;

// -- grouped counts ---------------------------------------------------------------------------

// The partial table and how many rows the max_reoffences rule set aside.
std::tuple<PartialTable, std::size_t> aggregate(const std::vector<NamedKey>& keys,
                                                const NamedArray& reoffences,
                                                const std::optional<NamedArray>& previous_offences,
                                                unsigned threads, std::uint32_t max_reoffences) {
    std::vector<yosmodel::KeyColumn> key_columns;
    for (const auto& [name, codes, cardinality] : keys)
        key_columns.push_back({column_view(name, codes), cardinality});
    const auto reoffences_view = column_view(std::get<0>(reoffences), std::get<1>(reoffences));
    std::optional<yosmodel::ColumnView> previous_view;
    if (previous_offences)
        previous_view =
            column_view(std::get<0>(*previous_offences), std::get<1>(*previous_offences));
    py::gil_scoped_release release;
    yr::SetAsideRows set_aside;
    auto table = yr::aggregate(key_columns, reoffences_view, previous_view,
                               {.threads = threads, .max_reoffences = max_reoffences}, &set_aside);
    return {std::move(table), set_aside.reoffences_above_maximum};
}

yr::Rates finalize(const PartialTable& table, const py::object& level_argument,
                   const py::object& method_argument) {
    if (py::isinstance<py::bool_>(level_argument))
        throw yosmodel::DtypeError("level must be a number, not a bool");
    const auto level = argument<double>(level_argument, "level", "a number");
    const auto method = argument<yosmodel::stats::IntervalMethod>(method_argument, "method",
                                                                  "the name of an interval method");
    py::gil_scoped_release release;
    return yr::finalize(table, level, method);
}

PartialTable merged(const PartialTable& a, const py::object& b) {
    return merge(a, argument<const PartialTable&>(b, "other", "a PartialTable"));
}

py::bytes to_bytes(const PartialTable& table) {
    return py::bytes(table.serialize());
}

PartialTable from_bytes(const py::object& data) {
    if (!py::isinstance<py::bytes>(data))
        throw yosmodel::DtypeError("a partial table is read from bytes (to_bytes or pickle)");
    return PartialTable::deserialize(static_cast<std::string_view>(data.cast<py::bytes>()));
}

void bind_partial_table(py::module_& m) {
    py::class_<PartialTable>(
        m, "PartialTable",
        "Counts per non-empty group (offenders, reoffenders, reoffences, previous offences). "
        "Partials over the same keys merge by addition and pickle as versioned bytes.")
        .def(py::init([](const py::object& cardinalities) {
                 return PartialTable(yosmodel::KeySpace(argument<std::vector<std::uint64_t>>(
                     cardinalities, "cardinalities", "a list of whole numbers")));
             }),
             py::arg("cardinalities"), "An empty partial table over keys of these cardinalities.")
        .def_property_readonly("cardinalities",
                               [](const PartialTable& t) { return t.key_space().cardinalities(); })
        .def_property_readonly(
            "groups",
            [](const PartialTable& t) { return to_numpy(std::vector<std::uint64_t>(t.groups())); })
        .def("__len__", &PartialTable::size)
        .def("merge", &merged, py::arg("other").none(true),  // refused below, by name
             "A new partial table with the counts of both.")
        // Anything else is not added (Python then tries its __radd__, then says so), rather
        // than pybind11's dump of the values it was given.
        .def("__add__",
             [](const PartialTable& a, const py::object& b) -> py::object {
                 if (!py::isinstance<PartialTable>(b))
                     return py::reinterpret_borrow<py::object>(py::handle(Py_NotImplemented));
                 return py::cast(merge(a, b.cast<const PartialTable&>()));
             })
        .def(py::self == py::self)
        .def("with_margins", &yr::with_margins,
             "The groups plus every 'All' total, over keys one code wider (the last code is All).")
        .def("finalize", &finalize, py::arg("level") = 0.95, py::arg("method") = "wilson",
             "Rates, means and intervals of every group (a Rates).")
        .def("to_bytes", &to_bytes)
        .def_static("from_bytes", &from_bytes, py::arg("data"))
        .def(py::pickle([](const PartialTable& t) { return py::make_tuple(to_bytes(t)); },
                        [](const py::object& state) {
                            if (!py::isinstance<py::tuple>(state) || py::len(state) != 1)
                                throw yosmodel::CorruptDataError("not a pickled PartialTable");
                            return from_bytes(state.cast<py::tuple>()[0]);
                        }));

    py::class_<yr::Rates> rates(m, "Rates",
                                "Finalized measures, one entry per non-empty group, in the "
                                "partial table's order (sorted by the keys).");
    rates.def_property_readonly(
        "key_codes",
        [](py::object self) {
            py::list out;
            for (const auto& codes : self.cast<const yr::Rates&>().key_codes)
                out.append(view_of(codes.data(), codes.size(), self));
            return out;
        },
        "One array of codes per key.");
    def_array(rates, "offenders", &yr::Rates::offenders, "People in the group.");
    def_array(rates, "reoffenders", &yr::Rates::reoffenders, "People who reoffended.");
    def_array(rates, "reoffences", &yr::Rates::reoffences, "Proven reoffences.");
    def_array(rates, "previous_offences", &yr::Rates::previous_offences, "Sum of them.");
    def_array(rates, "binary_rate", &yr::Rates::binary_rate, "reoffenders / offenders.");
    def_array(rates, "binary_rate_lower", &yr::Rates::binary_rate_lower, "Its lower bound.");
    def_array(rates, "binary_rate_upper", &yr::Rates::binary_rate_upper, "Its upper bound.");
    def_array(rates, "frequency_rate", &yr::Rates::frequency_rate, "reoffences / offenders.");
    def_array(rates, "reoffences_per_reoffender", &yr::Rates::reoffences_per_reoffender,
              "reoffences / reoffenders (NaN without reoffenders).");
    def_array(rates, "previous_offences_mean", &yr::Rates::previous_offences_mean,
              "previous offences / offenders.");
    rates.def("__len__", &yr::Rates::rows);

    m.def("aggregate", &aggregate, py::arg("keys"), py::arg("reoffences"),
          py::arg("previous_offences") = std::nullopt, py::kw_only(), py::arg("threads") = 0,
          py::arg("max_reoffences") = yr::default_max_reoffences,
          "Counts per group and the rows set aside above max_reoffences. keys: [(name, codes, "
          "cardinality)], counts: (name, array).");
    m.attr("default_max_reoffences") = yr::default_max_reoffences;
    m.attr("highest_max_reoffences") = yr::highest_max_reoffences;
}

// -- cohorts ----------------------------------------------------------------------------------

// A diagnostics count: its Python name, the core's field, and whether it means a record was
// set aside (strict=True refuses those) rather than information. The one list of the rules.
template <class Diagnostics>
struct Rule {
    const char* name;
    std::size_t Diagnostics::*count;
    bool set_aside;
    const char* doc;
};

const Rule<yr::DisposalDiagnostics> disposal_rules[] = {
    {"rows", &yr::DisposalDiagnostics::rows, false, "disposal rows read"},
    {"missing_person_id", &yr::DisposalDiagnostics::missing_person, true, "no person id"},
    {"unknown_person", &yr::DisposalDiagnostics::unknown_person, true,
     "person id outside the declared person space"},
    {"missing_date", &yr::DisposalDiagnostics::missing_date, true, "no date"},
    {"implausible_date", &yr::DisposalDiagnostics::implausible_date, true,
     "date outside the plausible range"},
    {"unknown_kind", &yr::DisposalDiagnostics::unknown_kind, true, "kind not in the vocabulary"},
    {"duplicate_rows", &yr::DisposalDiagnostics::duplicate_rows, true,
     "exact repeats of an earlier row"},
    {"qualifying_in_period", &yr::DisposalDiagnostics::qualifying_in_period, false,
     "valid qualifying rows in the period"},
};

const Rule<yr::OffenceDiagnostics> offence_rules[] = {
    {"rows", &yr::OffenceDiagnostics::rows, false, "offence rows read"},
    {"missing_person_id", &yr::OffenceDiagnostics::missing_person, true, "no person id"},
    {"missing_offence_date", &yr::OffenceDiagnostics::missing_offence_date, true,
     "no offence date"},
    {"missing_proven_date", &yr::OffenceDiagnostics::missing_proven_date, true, "no proven date"},
    {"implausible_offence_date", &yr::OffenceDiagnostics::implausible_offence_date, true,
     "offence date outside the plausible range"},
    {"implausible_proven_date", &yr::OffenceDiagnostics::implausible_proven_date, true,
     "proven date outside the plausible range"},
    {"proven_before_committed", &yr::OffenceDiagnostics::proven_before_committed, true,
     "proven before it was committed"},
    {"invalid_counts_flag", &yr::OffenceDiagnostics::invalid_counts_flag, true,
     "a counts flag other than 0 or 1"},
    {"duplicate_rows", &yr::OffenceDiagnostics::duplicate_rows, true,
     "exact repeats of an earlier row"},
    {"outside_cohort", &yr::OffenceDiagnostics::outside_cohort, false,
     "valid rows of people not in the cohort"},
    {"not_counting", &yr::OffenceDiagnostics::not_counting, false,
     "valid rows of cohort members flagged as not counting"},
};

template <class Diagnostics, std::size_t N>
void bind_diagnostics(py::module_& m, const char* name, const char* doc,
                      const Rule<Diagnostics> (&rules)[N]) {
    py::class_<Diagnostics> cls(m, name, doc);
    py::list names, set_aside;
    for (const auto& rule : rules) {
        const auto count = rule.count;
        cls.def_property_readonly(
            rule.name, [count](const Diagnostics& d) { return d.*count; }, rule.doc);
        names.append(rule.name);
        if (rule.set_aside) set_aside.append(rule.name);
    }
    cls.attr("rules") = py::tuple(names);
    cls.attr("set_aside") = py::tuple(set_aside);
    cls.def(
        "to_dict",
        [&rules](const Diagnostics& d) {
            py::dict out;
            for (const auto& rule : rules)
                out[rule.name] = d.*(rule.count);
            return out;
        },
        "Every count by its rule's name.");
}

yosmodel::ColumnView view(const NamedArray& a) {
    return column_view(std::get<0>(a), std::get<1>(a));
}

std::optional<yosmodel::ColumnView> view(const std::optional<NamedArray>& a) {
    if (!a) return std::nullopt;
    return view(*a);
}

yr::DateColumn dates(const NamedDates& a) {
    return {column_view(std::get<0>(a), std::get<1>(a)), std::get<2>(a)};
}

yr::Cohort build(const NamedArray& disposal_person, const NamedDates& disposal_date,
                 const NamedArray& disposal_kind, const NamedArray& offence_person,
                 const NamedDates& offence_date, const NamedDates& proven_date,
                 std::int64_t person_first, std::uint64_t persons, std::int64_t period_start,
                 std::int64_t period_end, const std::vector<bool>& qualifying,
                 std::int64_t earliest_plausible, std::int64_t latest_plausible,
                 const std::optional<NamedArray>& disposal_identity,
                 const std::optional<NamedArray>& counts,
                 const std::optional<NamedArray>& offence_identity,
                 std::optional<std::int64_t> missing_id, int follow_up_months, int waiting_months,
                 unsigned threads) {
    const yr::DisposalColumns d{view(disposal_person), dates(disposal_date), view(disposal_kind),
                                view(disposal_identity)};
    const yr::OffenceColumns o{view(offence_person), dates(offence_date), dates(proven_date),
                               view(counts), view(offence_identity)};
    yr::CohortRules rules;
    rules.period_start = period_start;
    rules.period_end = period_end;
    rules.follow_up_months = follow_up_months;
    rules.waiting_months = waiting_months;
    rules.qualifying = qualifying;
    rules.earliest_plausible = earliest_plausible;
    rules.latest_plausible = latest_plausible;
    py::gil_scoped_release release;
    return yr::build_cohort(d, o, yr::PersonSpace{person_first, persons, missing_id}, rules,
                            {.threads = threads});
}

void bind_cohort(py::module_& m) {
    yosmodel::bindings::bind_enum<yr::DateUnit>(m, "DateUnit", "date unit",
                                                "How many of a date column's integers make a day.")
        .value("days", yr::DateUnit::days)
        .value("seconds", yr::DateUnit::seconds)
        .value("milliseconds", yr::DateUnit::milliseconds)
        .value("microseconds", yr::DateUnit::microseconds)
        .value("nanoseconds", yr::DateUnit::nanoseconds);

    auto kinds = yosmodel::bindings::bind_enum<yr::DisposalKind>(
        m, "DisposalKind", "disposal kind",
        "The kinds of disposal a cohort is built from, in code order (the one list of them).");
    for (const yr::DisposalKind kind : yr::disposal_kinds)
        kinds.value(std::string(yr::disposal_kind_name(kind)).c_str(), kind);
    m.def("qualifies_for_cohort", &yr::qualifies_for_cohort, py::arg("kind"),
          "Whether the kind starts a cohort membership in the published definition.");

    bind_diagnostics(m, "DisposalDiagnostics", "Disposal rows set aside, by the first rule broken.",
                     disposal_rules);
    bind_diagnostics(m, "OffenceDiagnostics", "Offence rows set aside, by the first rule broken.",
                     offence_rules);

    py::class_<yr::Cohort> cohort(m, "Cohort", "One entry per cohort member, sorted by person.");
    def_array(cohort, "person", &yr::Cohort::person, "Dense person id.");
    def_array(cohort, "index_row", &yr::Cohort::index_row, "Row of the index disposal.");
    def_array(cohort, "index_date", &yr::Cohort::index_date, "Day number of the index date.");
    def_array(cohort, "index_kind", &yr::Cohort::index_kind, "Kind code of the index disposal.");
    def_array(cohort, "follow_up_end", &yr::Cohort::follow_up_end, "Last day of follow-up.");
    def_array(cohort, "waiting_end", &yr::Cohort::waiting_end, "Last day of the waiting period.");
    def_array(cohort, "reoffences", &yr::Cohort::reoffences, "Proven reoffences.");
    def_array(cohort, "days_to_first_reoffence", &yr::Cohort::days_to_first_reoffence,
              "Days from the index date to the first reoffence (-1 when none).");
    def_array(cohort, "previous_offences", &yr::Cohort::previous_offences,
              "Counting offences proven before the index date.");
    cohort.def_readonly("disposal_diagnostics", &yr::Cohort::disposal_diagnostics)
        .def_readonly("offence_diagnostics", &yr::Cohort::offence_diagnostics)
        .def("__len__", &yr::Cohort::size);

    m.def("build_cohort", &build, py::kw_only(), py::arg("disposal_person"),
          py::arg("disposal_date"), py::arg("disposal_kind"), py::arg("offence_person"),
          py::arg("offence_date"), py::arg("proven_date"), py::arg("person_first"),
          py::arg("persons"), py::arg("period_start"), py::arg("period_end"), py::arg("qualifying"),
          py::arg("earliest_plausible"), py::arg("latest_plausible"),
          py::arg("disposal_identity") = std::nullopt, py::arg("counts") = std::nullopt,
          py::arg("offence_identity") = std::nullopt, py::arg("missing_id") = std::nullopt,
          py::arg("follow_up_months") = 12, py::arg("waiting_months") = 6, py::arg("threads") = 0,
          "The proven reoffending cohort from encoded disposal and offence columns "
          "(dates: (name, ticks, DateUnit)).");
}

// -- calendar ---------------------------------------------------------------------------------

// Element-wise over int64 day numbers (the Python layer masks missing ones).
py::array_t<std::int64_t> add_months(const py::array& days, std::int64_t months) {
    const auto src = span_of<std::int64_t>("days", days);
    std::vector<std::int64_t> out(src.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = yosmodel::dates::add_months(src[i], months);
    }
    return to_numpy(std::move(out));
}

py::array_t<std::int64_t> age_in_years(const py::array& born, const py::array& on) {
    const auto b = span_of<std::int64_t>("dates of birth", born);
    const auto o = span_of<std::int64_t>("index dates", on);
    if (b.size() != o.size())
        throw yosmodel::InputError("dates of birth and index dates must be of equal length");
    std::vector<std::int64_t> out(b.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = yosmodel::dates::age_in_years(b[i], o[i]);
    }
    return to_numpy(std::move(out));
}

}  // namespace

void register_reoffending(py::module_& m) {
    bind_partial_table(m);
    bind_cohort(m);
    m.def(
        "add_months", &add_months, py::arg("days"), py::arg("months"),
        "Day numbers plus calendar months (a missing day of the month becomes the month's last).");
    m.def("age_in_years", &age_in_years, py::arg("born"), py::arg("on"),
          "Whole years of age on day `on` of people born on day `born`.");
}
