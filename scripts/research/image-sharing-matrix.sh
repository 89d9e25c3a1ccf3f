#!/usr/bin/env bash
# RESEARCH ONLY (issue 6). Runs image-sharing-bench.sh for every option with N ranges, ROUNDS times,
# the options in a rotated order each round so that the baseline is measured in the same run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${N:-10} ROUNDS=${ROUNDS:-3}
opts=(a a-file b c-copy c-xfs c-btrfs d-share)
for r in $(seq 1 "$ROUNDS"); do
  for i in "${!opts[@]}"; do
    o=${opts[$(( (i + r - 1) % ${#opts[@]} ))]}
    SYSDF=$([ "$r" = 1 ] && echo 1 || echo 0) "$HERE/image-sharing-bench.sh" "$o" "$N" "$r"
  done
done
