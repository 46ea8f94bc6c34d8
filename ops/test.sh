#!/usr/bin/env bash
# The test command of README.md: installs what the tests need and runs them all.
# The persistence tests start their own Cassandra 5 node (target/it-cassandra, free ports)
# and stop it; the trap below makes sure nothing is left running even if Maven is killed.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/install-deps.sh --browser                       # chromium: the dashboard's headless browser test
mvn -B -q -f ops/cassandra/pom.xml package          # Cassandra 5 jars into target/cassandra/lib

stop_test_nodes() {
  pkill -f "cassandra.storagedir=$PWD/target/it-cassandra" 2>/dev/null || true
}
trap stop_test_nodes EXIT
mvn -B verify "$@"
