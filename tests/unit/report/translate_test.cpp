// SPDX-License-Identifier: MIT
#include "hotmap/report/translate.hpp"

#include <gtest/gtest.h>

using namespace hotmap::report;

TEST(TranslateLabel, EnglishUnchanged)
{
    const Catalog en("en");
    EXPECT_EQ(translate_label("3.6 - 15.0 incidents per km²", en), "3.6 - 15.0 incidents per km²");
}

TEST(TranslateLabel, FrenchEntriesPatternsPhrasesAndDecimals)
{
    const Catalog fr("fr");
    EXPECT_EQ(translate_label("Not significant", fr), "Non significatif");
    EXPECT_EQ(translate_label("Persistent Hot Spot", fr), fr.tr("pattern.4"));
    EXPECT_EQ(translate_label("Hot spot, 99% confidence", fr), "Point chaud, confiance 99\u00a0%");
    EXPECT_EQ(translate_label("Significant decrease, 95% confidence", fr), "Baisse significative, confiance 95\u00a0%");
    EXPECT_EQ(translate_label("new site (40 m)", fr), "nouveau site (40\u00a0m)");
    EXPECT_EQ(translate_label("3.6 - 15.0 incidents per km²", fr), "3,6 - 15,0 incidents par km²");
    EXPECT_EQ(translate_label("4 - 5 incidents per cell", fr), "4 - 5 incidents par cellule");
    EXPECT_EQ(translate_label("1 incident per cell", fr), "1 incident par cellule");
    EXPECT_EQ(translate_label("0 - 20 % of incidents covered", fr), "0 - 20 % des incidents couverts");
    EXPECT_EQ(translate_label("19.4 - 30.5 uncovered incidents per km²", fr), "19,4 - 30,5 incidents non couverts par km²");
    // an unknown label keeps its words (numbers in the language's form)
    EXPECT_EQ(translate_label("Lamp 2.5", fr), "Lamp 2,5");
}

TEST(TranslateLabel, QmlAttributesOnlyAndEscaped)
{
    const Catalog fr("fr");
    const std::string qml = "<category value=\"1\" label=\"area within a facility&apos;s service radius\" symbol=\"0\"/>\n"
                            "<range lower=\"3.5\" upper=\"15.25\" label=\"3.5 - 15.3 incidents per km²\"/>";
    const std::string out = translate_qml_labels(qml, fr);
    EXPECT_NE(out.find("label=\"zone à portée d&apos;une installation\""), std::string::npos) << out;
    EXPECT_NE(out.find("lower=\"3.5\" upper=\"15.25\""), std::string::npos) << out; // bounds untouched
    EXPECT_NE(out.find("label=\"3,5 - 15,3 incidents par km²\""), std::string::npos) << out;
    EXPECT_EQ(translate_qml_labels(qml, Catalog("en")), qml);
}
