#!/usr/bin/env bash
# Every test: lint, typecheck, unit + integration (vitest), production build, e2e (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

step "chromium for e2e"
bash scripts/ensure-chromium.sh

step "python-gitlab for the demo GitLab's client test"
bash scripts/ensure-python-gitlab.sh

step "lint"
npm run --silent lint

step "typecheck"
npm run --silent typecheck

step "unit and integration tests"
npm run --silent test:unit

step "build"
npm run --silent build

step "e2e tests"
npm run --silent test:e2e
