#!/usr/bin/env bash
# The PostgreSQL pass of `npm test`, run by scripts/test/with-postgres.ts (which provides the server):
# every vitest file that touches a database (tests/test-db.ts or the PostgreSQL server itself; among
# them tests/integration/replicas.test.ts, two `npm start` replicas on a PostgreSQL of its own), the
# container image's standalone server on PostgreSQL, then the e2e suite against the same production
# build, its server on a PostgreSQL database of its own.
# Unit tests without a database are provider-independent and ran in the SQLite pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t files < <(grep -rlE --include='*.test.ts' 'useFreshDatabase|TEST_POSTGRES_URL_VARIABLE' app components lib scripts tests | sort)
echo "PostgreSQL pass: ${#files[@]} vitest files touch a database"
# The same shuffled order as the SQLite pass (scripts/test-all.sh exports the seed).
npx vitest run --sequence.shuffle --sequence.seed="${VITEST_SEED:-1419}" "${files[@]}"
node_modules/.bin/tsx scripts/test/standalone-smoke.ts
npm run --silent test:e2e
