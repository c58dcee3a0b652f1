// SPDX-License-Identifier: MIT
// Message catalogues: the embedded lang/*.txt files parsed once, lookups with English fallback,
// placeholders and language-specific number formatting.
#include "hotmap/report/i18n.hpp"

#include "hotmap/error.hpp"
#include "hotmap/report/i18n_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace hotmap::report {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// A malformed embedded file is a build defect, not a user error: logic_error.
Table parse(std::string_view lang, std::string_view text)
{
    Table t;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        ++line_no;
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        const std::size_t eq = line.find('=');
        const std::string where = "lang/" + std::string(lang) + ".txt:" + std::to_string(line_no);
        if (eq == std::string_view::npos) throw std::logic_error(where + ": expected 'key = text'");
        const std::string key(trim(line.substr(0, eq)));
        if (key.empty()) throw std::logic_error(where + ": empty key");
        std::string value;
        const std::string_view raw = trim(line.substr(eq + 1));
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
                value += '\n';
                ++i;
            } else {
                value += raw[i];
            }
        }
        if (!t.emplace(key, std::move(value)).second) throw std::logic_error(where + ": duplicate key '" + key + "'");
    }
    return t;
}

const std::map<std::string, Table, std::less<>>& tables()
{
    static const std::map<std::string, Table, std::less<>> all = [] {
        std::map<std::string, Table, std::less<>> m;
        for (const auto& c : detail::embedded_catalogs()) m.emplace(std::string(c.lang), parse(c.lang, c.text));
        return m;
    }();
    return all;
}

const Table& english() { return tables().at("en"); }

} // namespace

std::vector<std::string> languages()
{
    std::vector<std::string> v;
    for (const auto& c : detail::embedded_catalogs()) v.emplace_back(c.lang);
    return v;
}

Catalog::Catalog(const std::string& lang) : m_lang(lang)
{
    const auto& all = tables();
    const auto it = all.find(lang);
    if (it == all.end()) {
        std::string expected;
        for (const auto& l : languages()) expected += (expected.empty() ? "" : "|") + l;
        throw ParameterError("--lang '" + lang + "': expected " + expected);
    }
    m_table = &it->second;
}

Catalog Catalog::from_text(const std::string& lang, std::string_view text)
{
    Catalog c;
    c.m_lang = lang;
    auto t = std::make_shared<const Table>(parse(lang, text));
    c.m_table = t.get();
    c.m_own = std::move(t);
    return c;
}

std::string Catalog::tr(std::string_view key) const
{
    const auto& own = *static_cast<const Table*>(m_table);
    if (const auto it = own.find(key); it != own.end()) return it->second;
    const auto& en = english();
    if (const auto it = en.find(key); it != en.end()) return it->second;
    throw std::logic_error("report catalogue: no text for key '" + std::string(key) + "'");
}

std::string Catalog::tr(std::string_view key, const std::vector<std::string>& args) const
{
    const std::string t = tr(key);
    std::string out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '{') {
            const std::size_t close = t.find('}', i);
            if (close != std::string::npos && close > i + 1 &&
                t.find_first_not_of("0123456789", i + 1) == close) {
                const std::size_t n = std::stoul(t.substr(i + 1, close - i - 1));
                if (n < args.size()) {
                    out += args[n];
                    i = close;
                    continue;
                }
            }
        }
        out += t[i];
    }
    return out;
}

std::string Catalog::number(double v, int decimals) const
{
    if (!std::isfinite(v)) return "\u2013";
    decimals = std::clamp(decimals, 0, 15);
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    bool negative = !s.empty() && s.front() == '-';
    if (negative) s.erase(0, 1);
    // "-0.0" after rounding is zero
    if (s.find_first_not_of("0.") == std::string::npos) negative = false;
    const std::size_t dot = s.find('.');
    const std::string int_part = s.substr(0, dot);
    const std::string frac = dot == std::string::npos ? std::string() : s.substr(dot + 1);
    const bool fr = m_lang == "fr";
    const std::string group = fr ? "\u202f" : ",";
    std::string out = negative ? "-" : "";
    for (std::size_t i = 0; i < int_part.size(); ++i) {
        if (i > 0 && (int_part.size() - i) % 3 == 0) out += group;
        out += int_part[i];
    }
    if (!frac.empty()) out += (fr ? "," : ".") + frac;
    return out;
}

std::vector<std::string> Catalog::keys() const
{
    std::vector<std::string> k;
    for (const auto& [key, text] : *static_cast<const Table*>(m_table)) k.push_back(key);
    return k;
}

} // namespace hotmap::report
