#!/usr/bin/env bash
# The test command of README.md: installs what the tests need and runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/install-deps.sh
mvn -B verify "$@"
