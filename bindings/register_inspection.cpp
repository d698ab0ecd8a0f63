// Bindings for inspections: a framework built from plain tuples (the Python layer reads the
// JSON), an answer sheet from tidy string columns, and scoring results as numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "numpy_columns.hpp"
#include "yosmodel/inspection/inspection.hpp"
#include "yosmodel/inspection/overall_rating.hpp"

namespace py = pybind11;
namespace yi = yosmodel::inspection;
using yosmodel::bindings::to_numpy;

namespace {

using QuestionSpec = std::tuple<std::string, std::string>;
using ThemeSpec =
    std::tuple<std::string, std::string, bool, std::string, std::vector<QuestionSpec>>;

yi::ThemeRule parse_rule(const std::string& name) {
    if (name == "pooled") return yi::ThemeRule::pooled;
    if (name == "lowest_question") return yi::ThemeRule::lowest_question;
    throw yosmodel::InputError("unknown theme rule; use pooled or lowest_question");
}

yi::Framework make_framework(std::string id, const std::vector<ThemeSpec>& themes,
                             const std::vector<std::tuple<double, std::string>>& bands,
                             const std::string& rule, std::vector<std::string> judged_scale) {
    std::vector<yi::Theme> core_themes;
    for (const auto& [theme_id, name, scored, expectations, questions] : themes) {
        yi::Theme t{theme_id, name, scored, expectations, {}};
        for (const auto& [question_id, text] : questions)
            t.questions.push_back({question_id, text});
        core_themes.push_back(std::move(t));
    }
    std::vector<yi::Band> core_bands;
    for (const auto& [min_score, word] : bands)
        core_bands.push_back({min_score, word});
    return yi::Framework(std::move(id), std::move(core_themes), std::move(core_bands),
                         parse_rule(rule), std::move(judged_scale));
}

yi::AnswerSheet make_sheet(const yi::Framework& framework, const std::vector<std::string>& cases,
                           const std::vector<std::string>& answer_cases,
                           const std::vector<std::string>& answer_questions,
                           const std::vector<std::string>& answer_words) {
    py::gil_scoped_release release;
    return yi::AnswerSheet(framework, cases, answer_cases, answer_questions, answer_words);
}

py::dict question_counts(const yi::AnswerSheet& sheet,
                         std::optional<py::array_t<std::uint8_t, py::array::c_style>> mask) {
    std::vector<yi::QuestionCounts> counts;
    if (mask) {
        if (mask->ndim() != 1) throw yosmodel::InputError("the subgroup mask must be 1-D");
        const std::span<const std::uint8_t> include(mask->data(),
                                                    static_cast<std::size_t>(mask->shape(0)));
        if (include.empty() && sheet.case_count() != 0)
            throw yosmodel::InputError("the case subgroup mask must have one entry per case");
        py::gil_scoped_release release;
        counts = yi::count_answers(sheet, include);
    } else {
        py::gil_scoped_release release;
        counts = yi::count_answers(sheet);
    }
    std::vector<std::int64_t> yes, no, na;
    for (const auto& c : counts) {
        yes.push_back(static_cast<std::int64_t>(c.yes));
        no.push_back(static_cast<std::int64_t>(c.no));
        na.push_back(static_cast<std::int64_t>(c.not_applicable));
    }
    py::dict out;
    out["yes"] = to_numpy(std::move(yes));
    out["no"] = to_numpy(std::move(no));
    out["not_applicable"] = to_numpy(std::move(na));
    return out;
}

py::dict score_themes(const yi::Framework& framework, const std::vector<std::int64_t>& yes,
                      const std::vector<std::int64_t>& no,
                      const std::vector<std::int64_t>& not_applicable) {
    if (yes.size() != no.size() || yes.size() != not_applicable.size())
        throw yosmodel::InputError("yes, no and not_applicable must have the same length");
    std::vector<yi::QuestionCounts> counts(yes.size());
    for (std::size_t i = 0; i < yes.size(); ++i) {
        if (yes[i] < 0 || no[i] < 0 || not_applicable[i] < 0)
            throw yosmodel::InputError("answer counts must be zero or more");
        counts[i] = {static_cast<std::uint64_t>(yes[i]), static_cast<std::uint64_t>(no[i]),
                     static_cast<std::uint64_t>(not_applicable[i])};
    }
    const auto scores = yi::score_themes(framework, counts);
    std::vector<std::int64_t> applicable, done_well;
    std::vector<double> score;
    std::vector<std::uint8_t> scored;
    py::list judgement;
    for (const auto& s : scores) {
        applicable.push_back(static_cast<std::int64_t>(s.applicable));
        done_well.push_back(static_cast<std::int64_t>(s.done_well));
        score.push_back(s.score);
        scored.push_back(s.scored);
        judgement.append(s.judgement);
    }
    py::dict out;
    out["scored"] = to_numpy(std::move(scored));
    out["applicable"] = to_numpy(std::move(applicable));
    out["done_well"] = to_numpy(std::move(done_well));
    out["score"] = to_numpy(std::move(score));
    out["judgement"] = judgement;
    return out;
}

py::tuple overall_rating(const std::vector<std::string>& ratings,
                         const std::vector<std::tuple<std::string, long>>& points,
                         const std::vector<std::tuple<long, std::string>>& bands,
                         std::size_t standards) {
    yi::OverallRule rule;
    for (const auto& [word, p] : points)
        rule.points[word] = p;
    for (const auto& [min_points, word] : bands)
        rule.bands.push_back({min_points, word});
    rule.standards = standards;
    const auto r = yi::overall_rating(ratings, rule);
    return py::make_tuple(r.points, r.rating);
}

}  // namespace

void register_inspection(py::module_& m) {
    py::class_<yi::Framework>(m, "InspectionFramework")
        .def(py::init(&make_framework), py::arg("id"), py::arg("themes"), py::arg("bands"),
             py::arg("rule"), py::arg("judged_scale"))
        .def_property_readonly("id", &yi::Framework::id)
        .def_property_readonly("question_ids",
                               [](const yi::Framework& f) {
                                   std::vector<std::string> ids;
                                   for (std::size_t q = 0; q < f.question_count(); ++q)
                                       ids.push_back(f.question_id(q));
                                   return ids;
                               })
        .def("judgement_for", [](const yi::Framework& f,
                                 double score) { return yi::judgement_for(score, f.bands()); })
        .def("validate_judgements", [](const yi::Framework& f,
                                       const std::map<std::string, std::string>& judged) {
            boost::container::flat_map<std::string, std::string> set(judged.begin(), judged.end());
            yi::validate_judgements(f, set);
        });
    py::class_<yi::AnswerSheet>(m, "AnswerSheet")
        .def(py::init(&make_sheet), py::arg("framework"), py::arg("case_ids"),
             py::arg("answer_case_ids"), py::arg("answer_question_ids"), py::arg("answers"))
        .def_property_readonly("case_count", &yi::AnswerSheet::case_count)
        .def("question_counts", &question_counts, py::arg("mask") = py::none());
    m.def("score_themes", &score_themes, py::arg("framework"), py::arg("yes"), py::arg("no"),
          py::arg("not_applicable"));
    m.def("overall_rating", &overall_rating, py::arg("ratings"), py::arg("points"),
          py::arg("bands"), py::arg("standards"));
}
