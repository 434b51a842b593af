#!/usr/bin/env bash
# The PostgreSQL test pass needs the PostgreSQL 15 server binaries (not a running server: the tests
# start a throwaway one). The machine image has them; install Debian's postgresql-15 when missing.
set -euo pipefail
BIN="${ASK_CI_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ -x "$BIN/initdb" ] && [ -x "$BIN/pg_ctl" ]; then
  exit 0
fi
echo "ask-ci: PostgreSQL server binaries not found in $BIN; installing Debian's postgresql-15…"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ask-ci: cannot install postgresql-15: not root and no sudo. Run: apt-get install -y postgresql-15 (or set ASK_CI_PG_BIN)." >&2
    exit 1
  fi
fi
# The package's own cluster would start a server on 5432; the tests want none of it.
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null; }; then
  echo "ask-ci: installing postgresql-15 failed. Install it yourself or set ASK_CI_PG_BIN to its bin directory." >&2
  exit 1
fi
$SUDO pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
echo "ask-ci: PostgreSQL server binaries installed in $BIN"
