#!/usr/bin/env bash
# Campaign report on the embedded H2 database: build time and each rendering's time and size.
#   bench/report.sh [leads, default 200000] [attempts, default 20000] [database dir to reuse]
# Fills a fresh database under target/ through the real stores (seeded), best of 3, Markdown row:
# | leads | attempts | build ms | json / csv / html ms | json / csv / html chars |
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -Xmx512m -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.ReportBench "${1:-200000}" "${2:-20000}" ${3:+"$3"}
