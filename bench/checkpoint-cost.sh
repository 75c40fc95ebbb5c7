#!/usr/bin/env bash
# bench/checkpoint-cost.sh [SIZE] [INTERVALS]: what checkpointing costs `tagstream count` at full speed (issue 4's
# figure: at most 10 % of the throughput without checkpoints, with 1 M distinct tags). Counts the standard data set
# (`tagstream gen --size SIZE`, seed 42, Zipf 1.1 over 1 M tags; default 1G, kept in bench/data/ like
# `KEEP_DATA=1 bench/compare.sh`) as fast as it can be read, with batches of each INTERVAL (default "1s 10s"), with
# and without --checkpoint (a fresh folder per run), alternating the two RUNS times (default 3) so both see the same
# machine. Prints median wall time, CPU time and tags/s of each, the cost in % of throughput, and checks that both
# runs end with the same totals. The last batch's commit is waited for before the process exits, so it is included.
# "steady" is the rate between the first and the second-to-last batch (from the batches' times): counting at full speed
# with the table grown, without process start, the first batch's warm-up or the final commit; it needs 3 batches.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
size=${1:-1G}
intervals=${2:-1s 10s}
runs=${RUNS:-3}
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
[ -x /usr/bin/time ] || { echo "checkpoint-cost: install the Debian package 'time' first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tagstream-checkpoint-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q -nologo src/Tagstream.Cli > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
cli=(dotnet "$repo/src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll")

mkdir -p bench/data
data=bench/data/standard-$size.txt
if [ ! -s "$data" ]; then
  echo "== generating $data: tagstream gen --size $size (seed 42, Zipf 1.1, 1 M tags)"
  "${cli[@]}" gen --size "$size" --out "$data.partial"
  mv "$data.partial" "$data"
fi

# run MODE INTERVAL: prints "tags batches steady_tags_per_s"; the final totals go to $work/MODE.top.
run() {
  local mode=$1 interval=$2 state=()
  if [ "$mode" = checkpoints ]; then rm -rf "$work/state"; state=(--checkpoint "$work/state"); else state=(--no-checkpoint); fi
  /usr/bin/time -f '%e %U %S' -o "$work/time" "${cli[@]}" count --source replay --format protocol --file "$data" \
    --until-eof --output jsonl --top 20 --no-dashboard --interval "$interval" "${state[@]}" > "$work/out"
  python3 - "$work/out" "$work/$mode.top" <<'PY'
import json, sys
from datetime import datetime
batches = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
last = batches[-1]
open(sys.argv[2], "w").write(json.dumps(last["top"]))
steady = 0.0
if len(batches) >= 3:
    first, end = batches[0], batches[-2]
    seconds = (datetime.fromisoformat(end["time"]) - datetime.fromisoformat(first["time"])).total_seconds()
    steady = (end["total_tags"] - first["total_tags"]) / seconds
print(last["total_tags"], len(batches), steady)
PY
}

printf '%-9s %-12s %9s %9s %11s %8s %13s\n' interval mode "wall s" "CPU s" "M tags/s" batches "steady M/s"
for interval in $intervals; do
  for mode in none checkpoints; do : > "$work/$mode.runs"; done
  for ((i = 0; i < runs; i++)); do
    for mode in none checkpoints; do
      read -r tags batches steady < <(run "$mode" "$interval")
      read -r wall user sys < "$work/time"
      echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $tags $batches $steady" >> "$work/$mode.runs"
    done
    cmp -s "$work/none.top" "$work/checkpoints.top" || { echo "checkpoint-cost: the two modes ended with different totals" >&2; exit 1; }
  done
  for mode in none checkpoints; do
    sort -n "$work/$mode.runs" | awk -v m="$mode" -v iv="$interval" -v n="$runs" 'NR == int((n + 1) / 2) {
      printf "%-9s %-12s %9.2f %9.2f %11.2f %8d %13s\n", iv, m, $1, $2, $3 / $1 / 1e6, $4, ($5 > 0 ? sprintf("%.2f", $5 / 1e6) : "-") }'
    sort -n "$work/$mode.runs" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $1 }' > "$work/$mode.median"
  done
  awk -v a="$(cat "$work/none.median")" -v b="$(cat "$work/checkpoints.median")" -v iv="$interval" \
    'BEGIN { printf "%-9s cost of checkpointing: %.1f %% of throughput (median against median)\n", iv, (1 - a / b) * 100 }'
done
