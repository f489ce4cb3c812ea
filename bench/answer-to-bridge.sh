#!/usr/bin/env bash
# Answer->bridge latency and calls/s of the call engine vs a raw ARI client, same stack, same run.
#   bench/answer-to-bridge.sh [calls per run, default 400] [in-flight levels, default 10,50] [rounds, default 3]
# Starts its own lab stack (rootfs runtime) under target/bench-stack; prints a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -Dpingdialer.projectDir="$PWD" -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.AnswerToBridgeBench "$@"
