// For the framework fuzz target: writes a Framework back as a framework document, and compares
// two frameworks field by field. A framework the reader accepted, written out and read again,
// must come back equal: the reader neither loses nor invents anything it decoded (a NUL from
// \u0000, a character past U+FFFF, a score's last bit).
#pragma once

#include <charconv>
#include <cstdio>
#include <string>
#include <system_error>

#include "yosmodel/inspection/framework.hpp"

namespace yosmodel::fuzz {

inline void write_string(std::string& out, const std::string& s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", c);
            out += escape;
        } else {
            out += ch;  // UTF-8 passes through as it was read
        }
    }
    out += '"';
}

inline void write_words(std::string& out, const std::vector<std::string>& words) {
    out += '[';
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += ',';
        write_string(out, words[i]);
    }
    out += ']';
}

inline void write_number(std::string& out, double x) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);  // shortest exact
    if (ec != std::errc{}) __builtin_trap();
    out.append(buffer, end);
}

inline std::string framework_document(const inspection::Framework& f) {
    std::string out = R"({"schema":"yosmodel.framework","schema_version":1,"id":)";
    write_string(out, f.id());
    out += ",\"name\":";
    write_string(out, f.name);
    out += ",\"source\":";
    write_string(out, f.source);
    out += ",\"theme_rule\":\"";
    out += inspection::to_string(f.rule());
    out += "\",\"judged_scale\":";
    write_words(out, f.judged_scale());
    out += ",\"subgroups\":";
    write_words(out, f.subgroups);
    out += ",\"bands\":[";
    for (std::size_t i = 0; i < f.bands().size(); ++i) {
        const auto& band = f.bands()[i];
        out += i ? ",{\"min_score\":" : "{\"min_score\":";
        write_number(out, band.min_score);
        out += ",\"judgement\":";
        write_string(out, band.judgement);
        out += ",\"basis\":";
        write_string(out, band.basis);
        out += '}';
    }
    out += "],\"themes\":[";
    for (std::size_t t = 0; t < f.themes().size(); ++t) {
        const auto& theme = f.themes()[t];
        out += t ? ",{\"id\":" : "{\"id\":";
        write_string(out, theme.id);
        out += ",\"name\":";
        write_string(out, theme.name);
        out += theme.scored ? ",\"scored\":true" : ",\"scored\":false";
        out += theme.counted ? ",\"counted\":true" : ",\"counted\":false";
        out += ",\"expectations\":";
        write_string(out, theme.expectations);
        out += ",\"domain\":";
        write_string(out, theme.domain);
        out += ",\"questions\":[";
        for (std::size_t q = 0; q < theme.questions.size(); ++q) {
            out += q ? ",{\"id\":" : "{\"id\":";
            write_string(out, theme.questions[q].id);
            out += ",\"text\":";
            write_string(out, theme.questions[q].text);
            out += '}';
        }
        out += "]}";
    }
    out += ']';
    if (const auto& rule = f.overall()) {
        out += ",\"overall\":{\"standards\":" + std::to_string(rule->standards) + ",\"points\":{";
        bool first = true;
        for (const auto& [word, points] : rule->points) {
            if (!first) out += ',';
            first = false;
            write_string(out, word);
            out += ':' + std::to_string(points);
        }
        out += "},\"bands\":[";
        for (std::size_t i = 0; i < rule->bands.size(); ++i) {
            out += i ? ",{\"min_points\":" : "{\"min_points\":";
            out += std::to_string(rule->bands[i].min_points) + ",\"rating\":";
            write_string(out, rule->bands[i].rating);
            out += '}';
        }
        out += "],\"basis\":";
        write_string(out, rule->basis);
        out += '}';
    }
    if (f.overall_basis() == inspection::OverallBasis::inspectors)
        out += ",\"overall_set_by\":\"inspectors\"";
    out += '}';
    return out;
}

inline bool same_framework(const inspection::Framework& a, const inspection::Framework& b) {
    if (a.id() != b.id() || a.name != b.name || a.source != b.source || a.rule() != b.rule() ||
        a.judged_scale() != b.judged_scale() || a.subgroups != b.subgroups ||
        a.overall_basis() != b.overall_basis() || a.bands().size() != b.bands().size() ||
        a.themes().size() != b.themes().size() ||
        a.overall().has_value() != b.overall().has_value())
        return false;
    for (std::size_t i = 0; i < a.bands().size(); ++i) {
        const auto &x = a.bands()[i], &y = b.bands()[i];
        if (x.min_score != y.min_score || x.judgement != y.judgement || x.basis != y.basis)
            return false;
    }
    for (std::size_t t = 0; t < a.themes().size(); ++t) {
        const auto &x = a.themes()[t], &y = b.themes()[t];
        if (x.id != y.id || x.name != y.name || x.scored != y.scored || x.counted != y.counted ||
            x.expectations != y.expectations || x.domain != y.domain ||
            x.questions.size() != y.questions.size())
            return false;
        for (std::size_t q = 0; q < x.questions.size(); ++q)
            if (x.questions[q].id != y.questions[q].id ||
                x.questions[q].text != y.questions[q].text)
                return false;
    }
    if (const auto& x = a.overall()) {
        const auto& y = *b.overall();
        if (x->standards != y.standards || x->points != y.points || x->basis != y.basis ||
            x->bands.size() != y.bands.size())
            return false;
        for (std::size_t i = 0; i < x->bands.size(); ++i)
            if (x->bands[i].min_points != y.bands[i].min_points ||
                x->bands[i].rating != y.bands[i].rating)
                return false;
    }
    return true;
}

}  // namespace yosmodel::fuzz
