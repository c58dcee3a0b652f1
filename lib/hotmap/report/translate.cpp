// SPDX-License-Identifier: MIT
#include "hotmap/report/translate.hpp"

#include <algorithm>
#include <regex>
#include <utility>
#include <vector>

namespace hotmap::report {
namespace {

std::string xml_unescape(std::string s)
{
    const std::pair<const char*, const char*> ents[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
    for (const auto& [e, c] : ents) {
        for (std::size_t p = 0; (p = s.find(e, p)) != std::string::npos; p += std::char_traits<char>::length(c))
            s.replace(p, std::char_traits<char>::length(e), c);
    }
    return s;
}

std::string xml_escape(const std::string& s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&apos;"; break;
        default: o.push_back(c);
        }
    }
    return o;
}

/// Unit and meaning phrases inside composite labels, longest first.
const std::vector<std::string>& phrase_keys()
{
    static const std::vector<std::string> k = {"label.p.pct_weight_new_sites", "label.p.uncovered_per_km2", "label.p.pct_covered",
                                               "label.p.density",              "label.p.per_km2",           "label.p.per_km2_ascii",
                                               "label.p.per_cell",             "label.p.per_cell_one",      "label.p.transparent"};
    return k;
}

} // namespace

std::string translate_label(const std::string& label, const Catalog& cat)
{
    if (cat.lang() == "en") return label;
    static const Catalog en("en");
    // a whole label that is a catalogue entry
    for (const std::string& key : en.keys())
        if (key.rfind("label.p.", 0) != 0 && en.tr(key) == label) return cat.tr(key);
    // class patterns with a number
    static const std::vector<std::pair<std::regex, std::string>> patterns = {
        {std::regex(R"(^Hot spot, ([0-9]+)% confidence$)"), "label.hot_conf"},
        {std::regex(R"(^Cold spot, ([0-9]+)% confidence$)"), "label.cold_conf"},
        {std::regex(R"(^Significant increase, ([0-9]+)% confidence$)"), "label.increase_conf"},
        {std::regex(R"(^Significant decrease, ([0-9]+)% confidence$)"), "label.decrease_conf"},
        {std::regex(R"(^new site \(([0-9.]+) m\)$)"), "label.new_site"},
        {std::regex(R"(^suppressed \(1 to ([0-9]+) incidents, or protecting one\)$)"), "label.suppressed"},
    };
    std::smatch m;
    for (const auto& [re, key] : patterns)
        if (std::regex_match(label, m, re)) return cat.tr(key, {m[1].str()});
    // decimal separators of the numbers, then the phrases
    std::string out = label;
    const std::string sep = cat.number(0.5, 1).substr(1, cat.number(0.5, 1).size() - 2);
    if (sep != ".") out = std::regex_replace(out, std::regex(R"(([0-9])\.([0-9]))"), "$1" + sep + "$2");
    for (const std::string& key : phrase_keys()) {
        const std::string from = en.tr(key), to = cat.tr(key);
        for (std::size_t p = 0; (p = out.find(from, p)) != std::string::npos; p += to.size()) out.replace(p, from.size(), to);
    }
    return out;
}

std::string translate_qml_labels(const std::string& qml, const Catalog& cat)
{
    if (cat.lang() == "en") return qml;
    static const std::regex attr(R"re(label="([^"]*)")re");
    std::string out;
    auto it = std::sregex_iterator(qml.begin(), qml.end(), attr);
    std::size_t last = 0;
    for (; it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        out.append(qml, last, static_cast<std::size_t>(m.position(0)) - last);
        out += "label=\"" + xml_escape(translate_label(xml_unescape(m[1].str()), cat)) + "\"";
        last = static_cast<std::size_t>(m.position(0) + m.length(0));
    }
    out.append(qml, last, std::string::npos);
    return out;
}

} // namespace hotmap::report
