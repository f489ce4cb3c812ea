#!/usr/bin/env bash
# Agent work minutes per hour at the abandon cap, for progressive, the VICIdial-style baseline and
# the predictive pacer, on the issue's standard population and two others, with the simulator
# (./pingdialer simulate: the dialer's own pacers and abandon governor, in virtual time).
#   bench/pacing.sh [hours per run, default 8] [seeds, default "1 2 3"] [warm-up, default 1h]
# Each run first simulates the warm-up (not measured: the pacer learns and the governor's 24 h
# window fills, as on any day but a campaign's first), then the measured hours.
# Prints Markdown tables (mean over the seeds; abandon rate in brackets), then the standard
# population again without warm-up (a campaign's first day) and with the predictive pacer steering
# to 2.5 % instead of the governor's 2 % target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
HOURS="${1:-8}"
SEEDS="${2:-1 2 3}"
WARMUP="${3:-1h}"
export JAVA_HOME="${PINGDIALER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true package >&2
JAR=target/pingdialer.jar

# A number field of the simulator's JSON (key and value on one line), without a JSON tool.
json_number() { sed -n "s/.*\"$1\" *: *\([-0-9.eE+]*\).*/\1/p" | head -n 1; }

table() { # title, warm-up, modes, extra simulate options...
  local title="$1" warmup="$2" modes="$3"; shift 3
  echo
  echo "### $title"
  echo
  local header="| agents |" rule="|---:|"
  for mode in $modes; do
    case "$mode" in
      progressive) header="$header progressive |" ;;
      vicidial) header="$header VICIdial-style |" ;;
      predictive) header="$header predictive |" ;;
    esac
    rule="$rule---:|"
  done
  echo "$header"
  echo "$rule"
  for agents in 5 10 20 50; do
    local row="| $agents |"
    for mode in $modes; do
      local sum_min=0 sum_ab=0 n=0
      for seed in $SEEDS; do
        local out
        out="$("$JAVA_HOME/bin/java" -jar "$JAR" simulate --mode "$mode" --agents "$agents" \
          --hours "$HOURS" --warm-up "$warmup" --seed "$seed" --max-abandon 0.03 --json "$@")"
        sum_min="$(echo "$out" | json_number agentMinutesPerHour | awk -v s="$sum_min" '{print s+$1}')"
        sum_ab="$(echo "$out" | json_number abandonRate | awk -v s="$sum_ab" '{print s+$1}')"
        n=$((n + 1))
      done
      row="$row $(awk -v m="$sum_min" -v a="$sum_ab" -v n="$n" 'BEGIN {printf "%.1f (%.2f %%)", m/n, 100*a/n}') |"
    done
    echo "$row"
  done
}

ALL="progressive vicidial predictive"
table "Standard: 20 % live after U(3,15) s, 10 % machines, talk log-normal mean 120 s (σ 0.8) + 10 s wrap" "$WARMUP" "$ALL"
table "10 % live answers (otherwise standard)" "$WARMUP" "$ALL" --live-rate 0.10
table "35 % live answers (otherwise standard)" "$WARMUP" "$ALL" --live-rate 0.35
table "60 s talk (otherwise standard)" "$WARMUP" "$ALL" --talk-mean 60s
table "300 s talk (otherwise standard)" "$WARMUP" "$ALL" --talk-mean 300s
table "Standard, no warm-up (a campaign's first day: the 24 h window starts empty)" 0s "vicidial predictive"
table "Standard, predictive pacer steering to 2.5 % (between the governor's target and cap)" "$WARMUP" predictive --pacer-target 0.025
