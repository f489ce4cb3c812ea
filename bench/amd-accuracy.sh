#!/usr/bin/env bash
# Answering-machine detection accuracy and time to verdict on the AMD persona mix.
#   bench/amd-accuracy.sh [calls, default 100]
# Runs AmdIT's accuracy test (its own lab stack, real Asterisk) on a list of that many leads drawn
# from asterisk-config/personas/amd-mix.yaml, 10 calls at a time, and prints the Markdown table it
# writes to target/amd-accuracy.md. The test fails (exit 1) below its floor (90 % per class).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rm -f target/amd-accuracy.md
status=0
mvn -B -q --no-transfer-progress verify -Dspotless.check.skip=true -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='AmdIT#amdAccuracy*' \
  -Damd.leads="${1:-100}" >target/amd-accuracy.log 2>&1 || status=$?
if [[ -f target/amd-accuracy.md ]]; then cat target/amd-accuracy.md; fi
if [[ $status -ne 0 ]]; then echo "failed: see target/amd-accuracy.log" >&2; fi
exit $status
