#!/usr/bin/env bash
# Soak: the call engine holds N calls in flight for M minutes; heap, threads and fds every 30 s.
#   bench/soak.sh [calls in flight, default 100] [minutes, default 10]
# Starts its own lab stack (rootfs runtime) under target/soak-stack; prints a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -Xmx512m -Dpingdialer.projectDir="$PWD" -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.SoakBench "$@"
