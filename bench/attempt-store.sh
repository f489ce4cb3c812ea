#!/usr/bin/env bash
# The durable-write floor: JVM CPU per call of storing its attempt and its result in the embedded
# database, as the call engine does, without any call or ARI.
#   bench/attempt-store.sh [calls per round, default 3000] [rounds, default 5]
# Prints a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -Dpingdialer.projectDir="$PWD" -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.AttemptStoreBench "$@"
