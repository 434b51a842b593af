#!/usr/bin/env bash
# The demo GitLab is tested with python-gitlab too (an independent GitLab client). PyPI is out of
# reach, so it comes from Debian (python3-gitlab). Best effort: without it that one test is skipped.
set -uo pipefail
if /usr/bin/python3 -c "import gitlab" >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ask-ci: python3-gitlab missing (not root, no sudo): the python-gitlab test will be skipped. Run: apt-get install -y python3-gitlab" >&2
    exit 0
  fi
fi
echo "ask-ci: installing Debian's python3-gitlab for the demo GitLab's client test…"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-gitlab >/dev/null; }; then
  echo "ask-ci: installing python3-gitlab failed: the python-gitlab test will be skipped." >&2
fi
exit 0
