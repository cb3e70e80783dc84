#!/usr/bin/env bash
# Regenerates expected/*.json: what Prisma's engine (the oracle in
# ../shared/prisma-oracle, Prisma 7.10's schema engine) writes into
# _prisma_migrations when it applies the fixture folders here. The committed
# files are what history_rows_test.cpp compares soulstone's rows with, so the
# test needs neither node nor the oracle.
#
#   tests/migrate/data/regenerate-expected.sh postgresql://postgres@127.0.0.1:5432
#
# The URL names a server where the user may create and drop databases.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
oracle="$here/../../../../shared/prisma-oracle/oracle"
server="${1:?usage: $0 POSTGRES_SERVER_URL}"

export PGOPTIONS="-c client_min_messages=warning"
for fixture in shop broken; do
  db="soulstone_expected_$fixture"
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  # broken fails on purpose (exit 1); its failure row is what we record.
  "$oracle" apply --migrations "$here/$fixture" --url "$server/$db" >/dev/null 2>&1 || true
  psql -qAt "$server/$db" -f "$here/describe_history.sql" | python3 -m json.tool --indent 2 \
    > "$here/expected/prisma_$fixture.json"
  psql -q "$server/postgres" -c "DROP DATABASE $db"
done
echo "wrote $here/expected/prisma_shop.json and prisma_broken.json"
