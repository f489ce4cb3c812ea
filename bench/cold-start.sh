#!/usr/bin/env bash
# A brand-new predictive campaign's first hours in the simulator (no warm-up: empty abandon
# windows, a pacer that has seen no call), per team size, mean and worst over the seeds.
#   bench/cold-start.sh [hours, default 1] [seeds, default 10] [sizes, default "5 10 20 50"]
# Prints a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.ColdStartBench "$@"
