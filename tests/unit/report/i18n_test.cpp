// SPDX-License-Identifier: MIT
// The report catalogues: both languages have the same keys and placeholders, unknown
// languages are refused, missing keys fall back to English, numbers are formatted per language.
#include "hotmap/report/i18n.hpp"

#include "hotmap/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>
#include <stdexcept>

using hotmap::report::Catalog;

namespace {
std::set<std::string> placeholders(const std::string& text)
{
    static const std::regex re("\\{[0-9]+\\}");
    std::set<std::string> s;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) s.insert(it->str());
    return s;
}
} // namespace

TEST(I18nCatalog, LanguagesAndUnknownLanguage)
{
    EXPECT_EQ(hotmap::report::languages(), (std::vector<std::string>{"en", "fr"}));
    try {
        Catalog c("de");
        FAIL() << "no error";
    } catch (const hotmap::ParameterError& e) {
        EXPECT_STREQ(e.what(), "--lang 'de': expected en|fr");
    }
    EXPECT_EQ(Catalog("fr").lang(), "fr");
}

TEST(I18nCatalog, SameKeysAndPlaceholdersInEveryLanguage)
{
    const Catalog en("en");
    ASSERT_GT(en.keys().size(), 200u);
    for (const auto& lang : hotmap::report::languages()) {
        const Catalog c(lang);
        EXPECT_EQ(c.keys(), en.keys()) << lang;
        for (const auto& k : en.keys()) {
            EXPECT_EQ(placeholders(c.tr(k)), placeholders(en.tr(k))) << lang << " " << k;
            EXPECT_FALSE(c.tr(k).empty()) << lang << " " << k;
        }
    }
}

TEST(I18nCatalog, TextsAndPlaceholders)
{
    const Catalog en("en"), fr("fr");
    EXPECT_EQ(en.tr("report.title"), "Incident analysis report");
    EXPECT_EQ(fr.tr("report.title"), "Rapport d'analyse des incidents");
    EXPECT_EQ(en.tr("report.generated", {"0.1.0", "2026-01-05"}), "Made by hotmap 0.1.0 on 2026-01-05");
    EXPECT_EQ(fr.tr("report.generated", {"0.1.0", "5 janvier 2026"}), "Réalisé avec hotmap 0.1.0 le 5 janvier 2026");
    EXPECT_EQ(en.tr("gi.bin.3"), "Hot spot, 99% confidence");
    EXPECT_EQ(fr.tr("gi.bin.3"), "Point chaud, confiance 99\u00a0%");
    EXPECT_EQ(fr.tr("gi.bin.0"), "Non significatif");
    EXPECT_EQ(en.tr("pattern.1"), "New Hot Spot");
    EXPECT_EQ(fr.tr("pattern.1"), "Nouveau point chaud");
    EXPECT_EQ(en.tr("pattern.-8"), "Historical Cold Spot");
    EXPECT_EQ(en.tr("pattern.0"), "No Pattern Detected");
    EXPECT_EQ(fr.tr("weekday.1"), "lundi");
    EXPECT_EQ(fr.tr("weekday.7"), "dimanche");
    EXPECT_EQ(en.tr("month.12"), "December");
    EXPECT_EQ(fr.tr("month.8"), "août");
    EXPECT_EQ(fr.tr("unit.per_km2"), "incidents par km²");
    // every pattern and bin has a text
    for (int k = -8; k <= 8; ++k) EXPECT_NO_THROW(fr.tr("pattern." + std::to_string(k)));
    for (int k = -3; k <= 3; ++k) EXPECT_NO_THROW(fr.tr("gi.bin." + std::to_string(k)));
    // missing args leave the placeholder; extra args are ignored
    EXPECT_EQ(en.tr("unit.km", {}), "{0} km");
    EXPECT_EQ(en.tr("unit.km", {"3", "x"}), "3 km");
    EXPECT_THROW(en.tr("no.such.key"), std::logic_error);
}

TEST(I18nCatalog, FallsBackToEnglish)
{
    const Catalog c = Catalog::from_text("xx", "# test\nreport.title = Titre\nmulti = a\\nb\n");
    EXPECT_EQ(c.lang(), "xx");
    EXPECT_EQ(c.tr("report.title"), "Titre");
    EXPECT_EQ(c.tr("multi"), "a\nb");
    EXPECT_EQ(c.tr("section.summary"), "Summary"); // not in the file: English
    EXPECT_THROW(c.tr("no.such.key"), std::logic_error);
    EXPECT_THROW(Catalog::from_text("xx", "a = 1\na = 2\n"), std::logic_error);
    EXPECT_THROW(Catalog::from_text("xx", "no equals sign\n"), std::logic_error);
}

TEST(I18nCatalog, NumberFormatting)
{
    const Catalog en("en"), fr("fr");
    EXPECT_EQ(en.number(1234.5, 1), "1,234.5");
    EXPECT_EQ(fr.number(1234.5, 1), "1\u202f234,5");
    EXPECT_EQ(en.number(1234567, 0), "1,234,567");
    EXPECT_EQ(fr.number(1234567.891, 2), "1\u202f234\u202f567,89");
    EXPECT_EQ(en.number(999, 0), "999");
    EXPECT_EQ(en.number(-1234.25, 1), "-1,234.2"); // %.1f rounds half to even in binary
    EXPECT_EQ(en.number(-0.04, 1), "0.0");
    EXPECT_EQ(fr.number(0.5, 2), "0,50");
    EXPECT_EQ(en.number(std::nan(""), 1), "\u2013");
}
