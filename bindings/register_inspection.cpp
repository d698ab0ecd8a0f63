// Bindings for inspections: the C++ model types as Python classes (a framework read from its
// JSON text, findings, recommendations, the inspection and its scores), the enums' word lists,
// and the readiness check.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "yosmodel/inspection/framework_reader.hpp"
#include "yosmodel/inspection/inspection.hpp"
#include "yosmodel/inspection/readiness.hpp"

#include "arguments.hpp"

namespace py = pybind11;
namespace yi = yosmodel::inspection;
namespace yb = yosmodel::bindings;

namespace {

template <std::size_t N>
py::tuple names_of(const std::array<std::string_view, N>& names) {
    py::tuple out(N);
    for (std::size_t i = 0; i < N; ++i)
        out[i] = py::str(names[i].data(), names[i].size());
    return out;
}

std::span<const std::uint8_t> mask_span(
    const std::optional<py::array_t<std::uint8_t, py::array::c_style>>& mask, std::size_t cases) {
    if (!mask) return {};
    if (mask->ndim() != 1 || static_cast<std::size_t>(mask->shape(0)) != cases)
        throw yosmodel::InputError("the case subgroup mask must have one entry per case");
    return {mask->data(), cases};
}

yi::Finding make_finding(std::string theme, std::string text, const std::string& kind,
                         const std::string& tone) {
    const auto k = yi::parse_finding_kind(kind);
    const auto t = yi::parse_finding_tone(tone);
    if (!k)
        throw yosmodel::InputError(
            "a finding's kind must be one of key_finding, explanation, notable_practice, quote");
    if (!t)
        throw yosmodel::InputError(
            "a finding's tone must be one of strength, area_for_improvement, neutral");
    return {std::move(theme), *k, *t, std::move(text)};
}

yi::Recommendation make_recommendation(int number, std::string addressee, std::string text,
                                       const std::vector<std::string>& themes) {
    yi::Recommendation r{number, std::move(addressee), std::move(text), {}};
    r.themes.assign(themes.begin(), themes.end());
    return r;
}

// The constructors users call take Python objects and convert each one here: pybind11's own
// "incompatible function arguments" error would print every value given, a finding's free text
// (which may quote a child) among them.
yi::Finding finding_from_python(const py::object& theme, const py::object& text,
                                const py::object& kind, const py::object& tone) {
    return make_finding(
        yb::text_argument(theme, "a finding's theme"), yb::text_argument(text, "a finding's text"),
        yb::text_argument(kind, "a finding's kind"), yb::text_argument(tone, "a finding's tone"));
}

std::vector<std::string> theme_ids(const py::object& themes) {
    // A str is a sequence of letters (each would be taken for a theme id).
    if (py::isinstance<py::str>(themes) || py::isinstance<py::bytes>(themes) ||
        !py::isinstance<py::iterable>(themes))
        throw yosmodel::DtypeError("a recommendation's themes must be a list of theme ids");
    std::vector<std::string> ids;
    for (const py::handle id : themes)
        ids.push_back(yb::text_argument(id, "a recommendation's theme"));
    return ids;
}

yi::Recommendation recommendation_from_python(const py::object& number, const py::object& addressee,
                                              const py::object& text, const py::object& themes) {
    // bool is an int to Python: True would be recommendation 1.
    const char* whole = "a whole number from 1 to 2^31-1";
    if (PyBool_Check(number.ptr()) || !PyIndex_Check(number.ptr()))
        throw yosmodel::DtypeError(
            std::string("a recommendation's number must be ") + whole + ", not " +
            std::string(py::str(py::type::handle_of(number).attr("__name__"))));
    const auto n = yb::argument<long long>(number, "a recommendation's number", whole);
    if (n < 1 || n > std::numeric_limits<int>::max())
        throw yosmodel::InputError(std::string("a recommendation's number must be ") + whole);
    return make_recommendation(
        static_cast<int>(n), yb::text_argument(addressee, "a recommendation's addressee"),
        yb::text_argument(text, "a recommendation's text"), theme_ids(themes));
}

py::object overall_dict(const yi::Framework& f) {
    if (!f.overall()) return py::none();
    const auto& rule = *f.overall();
    py::dict points;
    for (const auto& [word, p] : rule.points)
        points[py::str(word)] = p;
    py::list bands;
    for (const auto& b : rule.bands) {
        py::dict band;
        band["min_points"] = b.min_points;
        band["rating"] = b.rating;
        bands.append(band);
    }
    py::dict out;
    out["standards"] = rule.standards;
    out["points"] = points;
    out["bands"] = bands;
    out["basis"] = rule.basis;
    return out;
}

yi::Inspection make_inspection(const yi::Framework& framework,
                               const std::vector<std::string>& case_ids,
                               const std::vector<std::string>& answer_cases,
                               const std::vector<std::string>& answer_questions,
                               const std::vector<std::string>& answer_words,
                               const std::map<std::string, std::string>& judgements,
                               std::vector<yi::Finding> findings,
                               std::vector<yi::Recommendation> recommendations, std::string service,
                               std::string published, std::string overall) {
    yi::Inspection insp;
    insp.framework = framework;
    insp.service = std::move(service);
    insp.published = std::move(published);
    insp.judged = {judgements.begin(), judgements.end()};
    insp.findings = std::move(findings);
    insp.recommendations = std::move(recommendations);
    insp.overall = std::move(overall);
    insp.cases.reserve(case_ids.size());
    for (const auto& id : case_ids)
        insp.cases.push_back({id, {}});
    {
        py::gil_scoped_release release;
        insp.answers = yi::make_answer_sheet(insp.framework, insp.cases, answer_cases,
                                             answer_questions, answer_words);
    }
    insp.validate();
    return insp;
}

}  // namespace

void register_inspection(py::module_& m) {
    // Framework errors reach Python as yosmodel.FrameworkError (module.cpp translates every core
    // error and puts the class here too).
    m.attr("THEME_RULES") = names_of(yi::theme_rule_names);
    m.attr("ANSWER_WORDS") = names_of(yi::answer_names);
    m.attr("FINDING_KINDS") = names_of(yi::finding_kind_names);
    m.attr("FINDING_TONES") = names_of(yi::finding_tone_names);
    m.attr("OVERALL_BASES") = names_of(yi::overall_basis_names);
    m.attr("FRAMEWORK_SCHEMA") = py::str(yi::framework_schema.data());
    m.attr("FRAMEWORK_SCHEMA_VERSION") = yi::framework_schema_version;

    py::class_<yi::Question>(m, "Question")
        .def_readonly("id", &yi::Question::id)
        .def_readonly("text", &yi::Question::text)
        .def("__repr__", [](const yi::Question& q) { return "<Question " + q.id + ">"; });

    py::class_<yi::Theme>(m, "Theme")
        .def_readonly("id", &yi::Theme::id)
        .def_readonly("name", &yi::Theme::name)
        .def_readonly("scored", &yi::Theme::scored)
        .def_readonly("expectations", &yi::Theme::expectations)
        .def_property_readonly("domain",
                               [](const yi::Theme& t) -> py::object {
                                   if (t.domain.empty()) return py::none();
                                   return py::str(t.domain);
                               })
        .def_readonly("counted", &yi::Theme::counted,
                      "False for a standard rated separately (not in the overall rating)")
        .def_property_readonly("questions",
                               [](const yi::Theme& t) {
                                   py::tuple out(t.questions.size());
                                   for (std::size_t i = 0; i < t.questions.size(); ++i)
                                       out[i] = py::cast(t.questions[i]);
                                   return out;
                               })
        .def("__repr__", [](const yi::Theme& t) { return "<Theme " + t.id + ">"; });

    py::class_<yi::Framework>(m, "Framework")
        .def(py::init([](std::string_view text) { return yi::read_framework(text); }),
             py::arg("json_text"), "Reads and validates a framework document's JSON text.")
        .def_property_readonly("id", &yi::Framework::id)
        .def_readonly("name", &yi::Framework::name)
        .def_readonly("source", &yi::Framework::source)
        .def_property_readonly(
            "subgroups", [](const yi::Framework& f) { return py::tuple(py::cast(f.subgroups)); })
        .def_property_readonly(
            "theme_rule", [](const yi::Framework& f) { return std::string(to_string(f.rule())); })
        .def_property_readonly("themes",
                               [](const yi::Framework& f) {
                                   py::tuple out(f.themes().size());
                                   for (std::size_t i = 0; i < f.themes().size(); ++i)
                                       out[i] = py::cast(f.themes()[i]);
                                   return out;
                               })
        .def_property_readonly("bands",
                               [](const yi::Framework& f) {
                                   py::tuple out(f.bands().size());
                                   for (std::size_t i = 0; i < f.bands().size(); ++i)
                                       out[i] = py::make_tuple(f.bands()[i].min_score,
                                                               f.bands()[i].judgement);
                                   return out;
                               })
        .def_property_readonly("band_bases",
                               [](const yi::Framework& f) {
                                   std::vector<std::string> out;
                                   for (const auto& b : f.bands())
                                       out.push_back(b.basis);
                                   return out;
                               })
        .def_property_readonly(
            "judged_scale",
            [](const yi::Framework& f) { return py::tuple(py::cast(f.judged_scale())); })
        .def_property_readonly("overall", &overall_dict)
        .def_property_readonly(
            "overall_basis",
            [](const yi::Framework& f) {
                return std::string(
                    yi::overall_basis_names[static_cast<std::size_t>(f.overall_basis())]);
            })
        .def_property_readonly("question_ids",
                               [](const yi::Framework& f) {
                                   std::vector<std::string> ids;
                                   for (std::size_t q = 0; q < f.question_count(); ++q)
                                       ids.push_back(f.question_id(q));
                                   return ids;
                               })
        .def(
            "judgement_for",
            [](const yi::Framework& f, double score) {
                return yi::judgement_for(score, f.bands());
            },
            py::arg("score"))
        .def(
            "rate_overall",
            [](const yi::Framework& f, const std::vector<std::string>& ratings) {
                const auto r = yi::overall_rating(f, ratings);
                return py::make_tuple(r.points, r.rating);
            },
            py::arg("ratings"));

    py::class_<yi::Finding>(m, "Finding",
                            "What inspectors found in a theme: Finding(theme, text, kind=..., "
                            "tone=...). kind: key_finding, explanation, notable_practice or "
                            "quote; tone: strength, area_for_improvement or neutral.")
        .def(py::init(&finding_from_python), py::arg("theme"), py::arg("text"),
             py::arg("kind") = py::str("key_finding"), py::arg("tone") = py::str("neutral"))
        .def_readonly("theme", &yi::Finding::theme)
        .def_readonly("text", &yi::Finding::text)
        .def_property_readonly("kind",
                               [](const yi::Finding& f) { return std::string(to_string(f.kind)); })
        .def_property_readonly("tone",
                               [](const yi::Finding& f) { return std::string(to_string(f.tone)); })
        .def("__eq__",
             [](const yi::Finding& a, const yi::Finding& b) {
                 return a.theme == b.theme && a.kind == b.kind && a.tone == b.tone &&
                        a.text == b.text;
             })
        .def("__hash__",
             [](const yi::Finding& f) {
                 return py::hash(py::make_tuple(f.theme, f.text, static_cast<int>(f.kind),
                                                static_cast<int>(f.tone)));
             })
        .def(py::pickle(
            [](const yi::Finding& f) {
                return py::make_tuple(f.theme, f.text, std::string(to_string(f.kind)),
                                      std::string(to_string(f.tone)));
            },
            [](const py::tuple& t) {
                return make_finding(t[0].cast<std::string>(), t[1].cast<std::string>(),
                                    t[2].cast<std::string>(), t[3].cast<std::string>());
            }));

    py::class_<yi::Recommendation>(
        m, "Recommendation",
        "A numbered recommendation, who it is addressed to, and the themes it concerns: "
        "Recommendation(number, addressee, text, themes=()).")
        .def(py::init(&recommendation_from_python), py::arg("number"), py::arg("addressee"),
             py::arg("text"), py::arg("themes") = py::tuple())
        .def_readonly("number", &yi::Recommendation::number)
        .def_readonly("addressee", &yi::Recommendation::addressee)
        .def_readonly("text", &yi::Recommendation::text)
        .def_property_readonly("themes",
                               [](const yi::Recommendation& r) {
                                   py::tuple out(r.themes.size());
                                   for (std::size_t i = 0; i < r.themes.size(); ++i)
                                       out[i] = py::str(r.themes[i]);
                                   return out;
                               })
        .def("__eq__",
             [](const yi::Recommendation& a, const yi::Recommendation& b) {
                 return a.number == b.number && a.addressee == b.addressee && a.text == b.text &&
                        a.themes == b.themes;
             })
        .def("__hash__",
             [](const yi::Recommendation& r) {
                 return py::hash(py::make_tuple(r.number, r.addressee, r.text));
             })
        .def(py::pickle(
            [](const yi::Recommendation& r) {
                return py::make_tuple(r.number, r.addressee, r.text,
                                      std::vector<std::string>(r.themes.begin(), r.themes.end()));
            },
            [](const py::tuple& t) {
                return make_recommendation(t[0].cast<int>(), t[1].cast<std::string>(),
                                           t[2].cast<std::string>(),
                                           t[3].cast<std::vector<std::string>>());
            }));

    py::class_<yi::QuestionCounts>(m, "QuestionCounts")
        .def_readonly("yes", &yi::QuestionCounts::yes)
        .def_readonly("no", &yi::QuestionCounts::no)
        .def_readonly("not_applicable", &yi::QuestionCounts::not_applicable)
        .def_property_readonly("score", &yi::QuestionCounts::score);

    py::class_<yi::ThemeScore>(m, "ThemeScore")
        .def_readonly("scored", &yi::ThemeScore::scored)
        .def_readonly("applicable", &yi::ThemeScore::applicable)
        .def_readonly("done_well", &yi::ThemeScore::done_well)
        .def_readonly("score", &yi::ThemeScore::score)
        .def_readonly("judgement", &yi::ThemeScore::judgement)
        .def_readonly("question", &yi::ThemeScore::question);

    py::class_<yi::Inspection>(m, "Inspection")
        .def(py::init(&make_inspection), py::kw_only(), py::arg("framework"), py::arg("case_ids"),
             py::arg("answer_case_ids"), py::arg("answer_question_ids"), py::arg("answers"),
             py::arg("judgements"), py::arg("findings"), py::arg("recommendations"),
             py::arg("service") = "", py::arg("published") = "", py::arg("overall") = "")
        .def_readonly("framework", &yi::Inspection::framework)
        .def_readonly("findings", &yi::Inspection::findings)
        .def_readonly("recommendations", &yi::Inspection::recommendations)
        .def_property_readonly("judgements",
                               [](const yi::Inspection& i) {
                                   return std::map<std::string, std::string>(i.judged.begin(),
                                                                             i.judged.end());
                               })
        .def_readonly("overall", &yi::Inspection::overall)
        .def_property_readonly("case_count",
                               [](const yi::Inspection& i) { return i.answers.case_count(); })
        .def(
            "question_counts",
            [](const yi::Inspection& i,
               std::optional<py::array_t<std::uint8_t, py::array::c_style>> mask) {
                const auto include = mask_span(mask, i.answers.case_count());
                py::gil_scoped_release release;
                return yi::count_answers(i.answers, include);
            },
            py::arg("mask") = py::none())
        .def(
            "theme_scores",
            [](const yi::Inspection& i,
               std::optional<py::array_t<std::uint8_t, py::array::c_style>> mask) {
                const auto include = mask_span(mask, i.answers.case_count());
                return i.theme_scores(include);
            },
            py::arg("mask") = py::none())
        .def("overall_rating", [](const yi::Inspection& i) {
            const auto r = i.overall_rating();
            return py::make_tuple(r.points, r.rating);
        });

    py::class_<yi::Readiness>(m, "Readiness")
        .def_readonly("ratings", &yi::Readiness::ratings)
        .def_readonly("theme_counts", &yi::Readiness::theme_counts)
        .def_readonly("theme_unrated", &yi::Readiness::theme_unrated)
        .def_readonly("overall_ratings", &yi::Readiness::overall_ratings)
        .def_readonly("overall_counts", &yi::Readiness::overall_counts)
        .def_readonly("overall_unrated", &yi::Readiness::overall_unrated)
        .def_readonly("simulations", &yi::Readiness::simulations)
        .def_readonly("sample_size", &yi::Readiness::sample_size);
    m.def(
        "simulate_readiness",
        [](const yi::Inspection& audit, std::size_t sample_size, std::uint64_t simulations,
           std::uint64_t seed, unsigned threads) {
            py::gil_scoped_release release;
            return yi::simulate_readiness(audit, sample_size, simulations, seed, threads);
        },
        py::kw_only(), py::arg("audit"), py::arg("sample_size"), py::arg("simulations"),
        py::arg("seed"), py::arg("threads") = 0U);
    m.def(
        "band_edge",
        [](std::uint64_t yes, std::uint64_t no, const yi::Framework& framework) {
            const auto e = yi::band_edge({yes, no, 0}, framework.bands());
            return py::make_tuple(e.judgement, e.cases_to_next, e.cases_to_drop);
        },
        py::kw_only(), py::arg("yes"), py::arg("no"), py::arg("framework"));
}
