#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Start the local PostgreSQL 15 cluster (Debian's postgresql package) on loopback and make the
# test database: role and database hotmap_test (password hotmap_test), with PostGIS. Idempotent;
# run as root. Prints the connection string the PostGIS tests read from HOTMAP_TEST_PG.
set -euo pipefail
if ! command -v pg_ctlcluster > /dev/null || [ ! -d /usr/share/postgresql/15/extension ] ||
   ! ls /usr/share/postgresql/15/extension/postgis.control > /dev/null 2>&1; then
  echo "start-test-postgres: postgresql and postgresql-15-postgis-3 are not installed" >&2
  exit 1
fi
if ! pg_lsclusters -h | grep -q '^15 \+main'; then pg_createcluster 15 main > /dev/null; fi
pg_lsclusters -h | grep -q '^15 \+main .* online' || pg_ctlcluster 15 main start
psql_pg() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $*"; }
for _ in 1 2 3 4 5 6 7 8 9 10; do psql_pg "-c 'select 1'" > /dev/null 2>&1 && break; sleep 1; done
if [ "$(psql_pg "-c \"select 1 from pg_roles where rolname = 'hotmap_test'\"")" != 1 ]; then
  psql_pg "-c \"create role hotmap_test login password 'hotmap_test'\""
fi
if [ "$(psql_pg "-c \"select 1 from pg_database where datname = 'hotmap_test'\"")" != 1 ]; then
  psql_pg "-c 'create database hotmap_test owner hotmap_test'"
fi
psql_pg "-d hotmap_test -c 'create extension if not exists postgis'"
echo "PG:host=127.0.0.1 port=5432 dbname=hotmap_test user=hotmap_test password=hotmap_test"
