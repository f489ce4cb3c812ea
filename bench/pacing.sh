#!/usr/bin/env bash
# Agent work minutes per hour at the abandon cap, for progressive, the VICIdial-style baseline and
# the predictive pacer, on the issue's standard population and two others, with the simulator
# (./pingdialer simulate: the dialer's own pacers and abandon governor, in virtual time).
#   bench/pacing.sh [hours per run, default 8] [seeds, default "1 2 3"]
# Prints Markdown tables (mean over the seeds; abandon rate in brackets).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
HOURS="${1:-8}"
SEEDS="${2:-1 2 3}"
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true package >&2
JAR=target/pingdialer.jar

table() { # title, extra simulate options...
  local title="$1"; shift
  echo
  echo "### $title"
  echo
  echo "| agents | progressive | VICIdial-style | predictive |"
  echo "|---:|---:|---:|---:|"
  for agents in 5 10 20 50; do
    local row="| $agents |"
    for mode in progressive vicidial predictive; do
      local sum_min=0 sum_ab=0 n=0
      for seed in $SEEDS; do
        local out
        out="$("$JAVA_HOME/bin/java" -jar "$JAR" simulate --mode "$mode" --agents "$agents" \
          --hours "$HOURS" --seed "$seed" --max-abandon 0.03 --json "$@")"
        sum_min="$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agentMinutesPerHour"])' | awk -v s="$sum_min" '{print s+$1}')"
        sum_ab="$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["abandonRate"])' | awk -v s="$sum_ab" '{print s+$1}')"
        n=$((n + 1))
      done
      row="$row $(awk -v m="$sum_min" -v a="$sum_ab" -v n="$n" 'BEGIN {printf "%.1f (%.2f %%)", m/n, 100*a/n}') |"
    done
    echo "$row"
  done
}

table "Standard: 20 % live after U(3,15) s, 10 % machines, talk log-normal mean 120 s (σ 0.8) + 10 s wrap"
table "10 % live answers (otherwise standard)" --live-rate 0.10
table "35 % live answers (otherwise standard)" --live-rate 0.35
table "60 s talk (otherwise standard)" --talk-mean 60s
table "300 s talk (otherwise standard)" --talk-mean 300s
