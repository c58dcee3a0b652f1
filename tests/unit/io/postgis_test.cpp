// SPDX-License-Identifier: MIT
// PostGIS sources without a server: names, redaction and the options refused on the server.
#include "hotmap/error.hpp"
#include "hotmap/io/postgis.hpp"
#include "hotmap/io/read_incidents.hpp"

#include <gtest/gtest.h>

using namespace hotmap;

TEST(PostgisSource, RecognisesConnectionStrings)
{
    EXPECT_TRUE(io::is_postgis_source("PG:dbname=city"));
    EXPECT_FALSE(io::is_postgis_source("incidents.csv"));
    EXPECT_FALSE(io::is_postgis_source("data/PG:x.gpkg"));
}

TEST(PostgisSource, RedactsPasswords)
{
    EXPECT_EQ(io::redact_source("PG:host=db user=a password=s3cret dbname=city"), "PG:host=db user=a password=*** dbname=city");
    EXPECT_EQ(io::redact_source("PG:password='two words' dbname=city"), "PG:password=*** dbname=city");
    EXPECT_EQ(io::redact_source("PG:dbname=city password=x"), "PG:dbname=city password=***");
    EXPECT_EQ(io::redact_source("incidents password=x.csv"), "incidents password=x.csv"); // files are names, not secrets
}

TEST(PostgisSource, AggregationRefusesWhatTheServerCannotDo)
{
    io::IncidentSource src;
    IncidentFilter f;
    src.path = "incidents.csv";
    src.layer = "t";
    EXPECT_THROW(io::describe_postgis_table(src, f), ParameterError);
    src.path = "PG:dbname=none";
    src.layer.clear();
    EXPECT_THROW(io::describe_postgis_table(src, f), ParameterError); // --layer is required
    src.layer = "t";
    f.hour_from = 18;
    f.hour_to = 6;
    EXPECT_THROW(io::describe_postgis_table(src, f), ParameterError);
    f = IncidentFilter{};
    src.keep_rejects = true;
    EXPECT_THROW(io::describe_postgis_table(src, f), ParameterError);
}
