#!/usr/bin/env bash
# The main job on the embedded default: build, train the example Fashion-MNIST CCT pair once
# (deterministic, ~10 min on 2 cores), then search how to merge it. The search's events go to
# the embedded local Cassandra node (started on first use, left running for later runs and
# `automerge status`; stop it with `java -jar target/automerge.jar cassandra stop`).
# Run it again to resume an interrupted search.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/install-deps.sh
mvn -B -q -DskipTests package
mvn -B -q -f ops/cassandra/pom.xml package      # the embedded node's Cassandra 5 jars, at build time
[ -f examples/fashion-cct/others/model.safetensors ] || java -jar target/automerge.jar examples examples --only fashion-cct
java -jar target/automerge.jar search conf/searches/fashion-demo.yaml "$@"
