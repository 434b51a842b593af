#!/usr/bin/env bash
# Every test: lint, typecheck, unit + integration (vitest), production build, e2e (Playwright), on
# SQLite; then the database tests and e2e again on a throwaway PostgreSQL 15 (docs/database.md).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

step "chromium for e2e, PostgreSQL server binaries"
bash scripts/ensure-chromium.sh
bash scripts/ensure-postgres.sh

step "python-gitlab for the demo GitLab's client test"
bash scripts/ensure-python-gitlab.sh

step "lint"
npm run --silent lint

step "typecheck"
npm run --silent typecheck

# Tests run in a shuffled order (files, and tests within a file) so one that leans on another's state
# fails here rather than on the day someone reorders them (docs/testing.md, "Order independence").
# The seed is fixed, so a red run is reproducible and not a matter of luck; vitest prints it. Another
# order: VITEST_SEED=<n> npm test, or npx vitest run --sequence.shuffle --sequence.seed=<n> <files>.
export VITEST_SEED="${VITEST_SEED:-1419}"
step "unit and integration tests (SQLite), shuffled with seed $VITEST_SEED"
npx vitest run --sequence.shuffle --sequence.seed="$VITEST_SEED"

# One build serves both: Next's standalone output (the container image's) is an extra copy of the
# traced files beside the normal build, which `npm start` and e2e use (a few seconds; a second
# `next build` would cost minutes on two cores; docs/deploy.md "What is tested here").
step "build (with the container image's standalone output)"
ASK_CI_STANDALONE=1 npm run --silent build

step "standalone server as in the container image (SQLite)"
node_modules/.bin/tsx scripts/test/standalone-smoke.ts

step "e2e tests (SQLite)"
npm run --silent test:e2e

step "database tests and e2e tests (PostgreSQL 15)"
node_modules/.bin/tsx scripts/test/with-postgres.ts -- bash scripts/test/postgres-pass.sh
