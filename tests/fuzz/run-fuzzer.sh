#!/bin/bash
# tests/fuzz/run-fuzzer.sh TARGET SEED-CORPUS SECONDS
# Runs a libFuzzer target for SECONDS from the seed corpus (read only; new
# inputs go to a scratch folder), prints the executions, fails on a finding.
set -euo pipefail
target=$1 seeds=$2 seconds=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pas-fuzz-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
log="$scratch/log"
status=0
"$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$scratch/" "$scratch" "$seeds" > "$log" 2>&1 || status=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^INFO: seed corpus|^#[0-9]+.*DONE' "$log" || true
if [ $status -ne 0 ]; then
  tail -60 "$log"
  for crash in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$scratch"/oom-*; do
    [ -e "$crash" ] || continue
    mkdir -p "${PAS_FUZZ_FINDINGS:-/tmp/pas-fuzz-findings}"
    cp "$crash" "${PAS_FUZZ_FINDINGS:-/tmp/pas-fuzz-findings}/$(basename "$target")-$(basename "$crash")"
    echo "finding kept: ${PAS_FUZZ_FINDINGS:-/tmp/pas-fuzz-findings}/$(basename "$target")-$(basename "$crash")"
  done
fi
# libFuzzer exits 77 on a finding, which meson would count as a skip.
[ $status -eq 0 ] || exit 1
exit 0
