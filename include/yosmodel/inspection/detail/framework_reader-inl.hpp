// The framework reader's definitions (declared in yosmodel/inspection/framework_reader.hpp):
// compiled once by src/inspection/framework_reader.cpp, or inline under YOSMODEL_HEADER_ONLY.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"
#include "yosmodel/inspection/detail/json.hpp"
#include "yosmodel/inspection/framework.hpp"
#include "yosmodel/inspection/framework_reader.hpp"

namespace yosmodel::inspection {

namespace detail {

class FrameworkFields {
public:
    using Kind = JsonValue::Kind;

    [[noreturn]] static void wrong(const std::string& path, const char* wanted,
                                   const JsonValue& got) {
        throw FrameworkError("the framework is not valid: " + path + " must be " + wanted +
                             ", not " + json_kind_name(got.kind));
    }

    static const JsonValue& object(const JsonValue& v, const std::string& path) {
        if (v.kind != Kind::object) wrong(path, "an object", v);
        return v;
    }

    static const JsonValue* field(const JsonValue& obj, std::string_view key,
                                  const std::string& path, bool required) {
        const JsonValue* v = obj.find(key);
        if (!v && required)
            throw FrameworkError("the framework is not valid: " + path +
                                 " is missing the "
                                 "required key '" +
                                 std::string(key) + "'");
        return v;
    }

    static std::string text(const JsonValue& obj, std::string_view key, const std::string& path,
                            bool required = false, std::string fallback = {}) {
        const JsonValue* v = field(obj, key, path, required);
        if (!v) return fallback;
        if (v->kind != Kind::string) wrong(join(path, key), "a string", *v);
        return v->string;
    }

    static bool flag(const JsonValue& obj, std::string_view key, const std::string& path,
                     bool fallback) {
        const JsonValue* v = field(obj, key, path, false);
        if (!v) return fallback;
        if (v->kind != Kind::boolean) wrong(join(path, key), "true or false", *v);
        return v->boolean;
    }

    static double number(const JsonValue& obj, std::string_view key, const std::string& path) {
        const JsonValue* v = field(obj, key, path, true);
        if (v->kind != Kind::number) wrong(join(path, key), "a number", *v);
        return v->number;
    }

    static std::int64_t whole(const JsonValue& v, const std::string& path) {
        // 2^53 bounds every integer a double holds exactly; far beyond any count here.
        if (v.kind != Kind::number || !v.integral || std::fabs(v.number) > 9007199254740992.0)
            wrong(path, "a whole number", v);
        return static_cast<std::int64_t>(v.number);
    }

    static const std::vector<JsonValue>& list(const JsonValue& obj, std::string_view key,
                                              const std::string& path, bool required) {
        static const std::vector<JsonValue> none;
        const JsonValue* v = field(obj, key, path, required);
        if (!v) return none;
        if (v->kind != Kind::array) wrong(join(path, key), "a list", *v);
        return v->items;
    }

    static std::vector<std::string> words(const JsonValue& obj, std::string_view key,
                                          const std::string& path) {
        std::vector<std::string> out;
        const auto& items = list(obj, key, path, false);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (items[i].kind != Kind::string) wrong(at(join(path, key), i), "a string", items[i]);
            out.push_back(items[i].string);
        }
        return out;
    }

    static std::string join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    static std::string at(const std::string& path, std::size_t i) {
        return path + "[" + std::to_string(i) + "]";
    }
};

inline OverallRule read_overall(const JsonValue& v) {
    using F = FrameworkFields;
    const std::string path = "overall";
    F::object(v, path);
    OverallRule rule;
    const std::int64_t standards =
        F::whole(*F::field(v, "standards", path, true), "overall.standards");
    if (standards < 1)
        throw FrameworkError("the framework is not valid: overall.standards must be 1 or more");
    rule.standards = static_cast<std::size_t>(standards);
    const JsonValue& points = F::object(*F::field(v, "points", path, true), "overall.points");
    for (const auto& [word, p] : points.members)
        rule.points[word] = static_cast<long>(F::whole(p, "overall.points." + word));
    const auto& bands = F::list(v, "bands", path, true);
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const std::string where = F::at("overall.bands", i);
        F::object(bands[i], where);
        rule.bands.push_back(
            {static_cast<long>(
                 F::whole(*F::field(bands[i], "min_points", where, true), where + ".min_points")),
             F::text(bands[i], "rating", where, true)});
    }
    rule.basis = F::text(v, "basis", path);
    return rule;
}

}  // namespace detail

YOSMODEL_INLINE Framework read_framework(std::string_view json_text) {
    using F = detail::FrameworkFields;
    const detail::JsonValue document = detail::parse_json(json_text);
    if (document.kind != detail::JsonValue::Kind::object)
        F::wrong("the framework document", "an object", document);
    const std::string schema = F::text(document, "schema", "the framework", true);
    if (schema != framework_schema)
        throw FrameworkError("not a framework document: 'schema' must be '" +
                             std::string(framework_schema) + "'");
    const std::int64_t version =
        F::whole(*F::field(document, "schema_version", "the framework", true), "schema_version");
    if (version < 1)
        throw FrameworkError("the framework is not valid: schema_version must be 1 or more");
    if (version > framework_schema_version)
        throw FrameworkError("the framework uses schema version " + std::to_string(version) +
                             "; this yosmodel reads up to version " +
                             std::to_string(framework_schema_version) + ": upgrade yosmodel");

    const std::string rule_name = F::text(document, "theme_rule", "", false, "pooled");
    const auto rule = parse_theme_rule(rule_name);
    if (!rule)
        throw FrameworkError(
            "the framework is not valid: theme_rule must be one of pooled, "
            "lowest_question");

    std::vector<Band> bands;
    const auto& band_items = F::list(document, "bands", "the framework", true);
    for (std::size_t i = 0; i < band_items.size(); ++i) {
        const std::string where = F::at("bands", i);
        F::object(band_items[i], where);
        bands.push_back({F::number(band_items[i], "min_score", where),
                         F::text(band_items[i], "judgement", where, true),
                         F::text(band_items[i], "basis", where)});
    }

    std::vector<Theme> themes;
    const auto& theme_items = F::list(document, "themes", "the framework", true);
    for (std::size_t t = 0; t < theme_items.size(); ++t) {
        const std::string where = F::at("themes", t);
        const auto& item = F::object(theme_items[t], where);
        Theme theme;
        theme.id = F::text(item, "id", where, true);
        theme.name = F::text(item, "name", where, false, theme.id);
        theme.scored = F::flag(item, "scored", where, true);
        theme.expectations = F::text(item, "expectations", where);
        theme.domain = F::text(item, "domain", where);
        theme.counted = F::flag(item, "counted", where, true);
        const auto& questions = F::list(item, "questions", where, false);
        for (std::size_t q = 0; q < questions.size(); ++q) {
            const std::string qwhere = F::at(where + ".questions", q);
            F::object(questions[q], qwhere);
            theme.questions.push_back(
                {F::text(questions[q], "id", qwhere, true), F::text(questions[q], "text", qwhere)});
        }
        themes.push_back(std::move(theme));
    }

    std::optional<OverallRule> overall;
    if (const auto* v = document.find("overall"); v && v->kind != detail::JsonValue::Kind::null)
        overall = detail::read_overall(*v);
    OverallBasis basis = overall ? OverallBasis::rule : OverallBasis::none;
    const std::string set_by = F::text(document, "overall_set_by", "");
    if (set_by == "inspectors") {
        if (overall)
            throw FrameworkError(
                "the framework is not valid: overall_set_by is 'inspectors' "
                "but an overall rule is given");
        basis = OverallBasis::inspectors;
    } else if (set_by == "rule") {
        basis = OverallBasis::rule;  // without the rule, the Framework constructor refuses it
    } else if (!set_by.empty()) {
        throw FrameworkError(
            "the framework is not valid: overall_set_by must be 'rule' or "
            "'inspectors'");
    }

    Framework framework(F::text(document, "id", "the framework", true), std::move(themes),
                        std::move(bands), *rule, F::words(document, "judged_scale", ""),
                        std::move(overall), basis);
    framework.name = F::text(document, "name", "", false, framework.id());
    framework.source = F::text(document, "source", "");
    framework.subgroups = F::words(document, "subgroups", "");
    return framework;
}

}  // namespace yosmodel::inspection
