// SPDX-License-Identifier: MIT
// The message catalogue of the report and of legend labels: one file per language
// (lang/en.txt, lang/fr.txt, embedded in the library at build time), so another language is a
// file, not code.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::report {

/// Languages with a catalogue ("en", "fr").
std::vector<std::string> languages();

/// A catalogue: key -> text. Texts may hold {0}, {1}... placeholders.
class Catalog {
public:
    /// Throws ParameterError for an unknown language ("--lang 'de': expected en|fr").
    explicit Catalog(const std::string& lang);
    const std::string& lang() const noexcept { return m_lang; }
    /// The text for `key`; a key missing from this language falls back to English, and a key
    /// missing from English is a programming error (throws std::logic_error naming it).
    std::string tr(std::string_view key) const;
    /// tr(key) with {0}, {1}, ... replaced by args.
    std::string tr(std::string_view key, const std::vector<std::string>& args) const;
    /// Numbers formatted for the language: "1,234.5" (en) / "1 234,5" (fr, narrow no-break space).
    std::string number(double v, int decimals) const;
    std::vector<std::string> keys() const;

    /// (Added) A catalogue parsed from `text` in the lang/*.txt format (see lang/en.txt) instead
    /// of an embedded file: for tests and for trying a new language before it is built in.
    /// Keys it lacks fall back to English. Throws std::logic_error for a malformed line or a
    /// duplicate key (naming lang/<lang>.txt:<line>).
    static Catalog from_text(const std::string& lang, std::string_view text);

private:
    Catalog() = default;
    std::string m_lang;
    const void* m_table = nullptr;
    std::shared_ptr<const void> m_own; ///< the table of a from_text() catalogue
};

} // namespace hotmap::report
