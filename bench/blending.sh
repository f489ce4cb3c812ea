#!/usr/bin/env bash
# A blended floor (several campaigns and inbound queues on one pool of agents, from a scenario file)
# against the same agents working its first campaign alone, in the simulator, seed by seed.
#   bench/blending.sh [scenario, default bench/scenarios/blended.yaml] [seeds, default "1 2 3"]
# Prints a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.BlendingBench "$@"
