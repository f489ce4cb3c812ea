#!/usr/bin/env bash
# Lead import into the embedded H2 database vs parsing the same numbers with libphonenumber alone.
#   bench/lead-import.sh [rows, default 1000000] [max heap, default 512m] [warm|cold, default warm]
#                        [rounds, default 3 when warm; cold is always 1]
# warm: the import path first imports 50,000 rows into a scratch database, as the parse-only pass
# first parses 50,000 numbers (neither side's timing holds the JIT compiler's first work); cold:
# the import as a one-off CLI run sees it.
# Generates target/bench-import/leads-ROWS.csv (bought-data look: mixed writings, 1 % duplicates),
# times the parse-only pass and the whole import in one JVM, alternating for the rounds, and prints
# a Markdown table row with the medians and each round's ratio.
# BENCH_JAVA_OPTS adds JVM options, e.g. BENCH_JAVA_OPTS=-XX:StartFlightRecording=settings=profile,filename=x.jfr
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -Xmx"${2:-512m}" -DPINGDIALER_LOG_LEVEL=WARN \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.pingdialer.bench.LeadImportBench "${1:-1000000}" "${3:-warm}" ${4:+"$4"}
