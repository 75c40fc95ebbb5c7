#!/usr/bin/env bash
# bench/soak.sh [MINUTES]: the steady-state check (not in CI). `tagstream feed --source synthetic` at a fixed
# rate with a growing vocabulary (new tags keep appearing) into `tagstream count` over loopback TCP, for MINUTES
# (default 10). Each minute it prints the counter's RSS (/proc/PID/status VmRSS, VmHWM), its CPU time
# (/proc/PID/stat), the tags and distinct tags of its last batch, and its batch lag: how late each jsonl batch
# closed against the interval (the largest gap between consecutive batch times minus the interval). At the end,
# GC figures per minute from dotnet-counters (System.Runtime meter: GC pause time, collections per generation,
# heap size), when dotnet-counters is on PATH or installs from NuGet; without it the GC columns are missing.
#
# Environment: RATE posts/s (default 20000, ~60 k tags/s), VOCABULARY distinct tags (default 5000000),
# INTERVAL (default 1s).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
rate=${RATE:-20000}
vocabulary=${VOCABULARY:-5000000}
interval=${INTERVAL:-1s}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d "${TMPDIR:-/tmp}/tagstream-soak.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release -v q -nologo src/Tagstream.Cli > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
cli=(dotnet "$PWD/src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll")

counters=$(command -v dotnet-counters || true)
if [ -z "$counters" ] && dotnet tool install dotnet-counters --version 10.0.750501 --tool-path "$work/tools" > "$work/tool.log" 2>&1; then
  counters=$work/tools/dotnet-counters
fi
[ -n "$counters" ] || echo "soak: dotnet-counters unavailable (see $work/tool.log): no GC figures" >&2

no_checkpoint=()
count_help=$("${cli[@]}" count --help)
if grep -q -- '--no-checkpoint' <<< "$count_help"; then no_checkpoint+=(--no-checkpoint); fi
if grep -q -- '--no-dashboard' <<< "$count_help"; then no_checkpoint+=(--no-dashboard); fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${cli[@]}" feed --source synthetic --rate "$rate" --vocabulary "$vocabulary" --quiet --port "$port" > "$work/feed.log" 2>&1 &
pids+=($!)
until grep -qs 'Waiting for connection' "$work/feed.log"; do
  kill -0 "${pids[0]}" 2> /dev/null || { cat "$work/feed.log" >&2; exit 1; }
  sleep 0.1
done
"${cli[@]}" count --connect "127.0.0.1:$port" --interval "$interval" --output jsonl "${no_checkpoint[@]}" > "$work/batches.jsonl" 2> "$work/count.err" &
counter=$!
pids+=("$counter")
if [ -n "$counters" ]; then
  "$counters" collect --process-id "$counter" --refresh-interval 60 --format csv --output "$work/gc.csv" \
    --counters System.Runtime --duration "$(printf '00:00:%02d:05' "$minutes")" < /dev/null > "$work/counters.log" 2>&1 &
  pids+=($!)
fi

interval_seconds=$(python3 -c 'import sys; t = sys.argv[1]; print(float(t[:-2]) / 1000 if t.endswith("ms") else float(t.rstrip("s")))' "$interval")
ticks=$(getconf CLK_TCK)
echo "soak: feed --rate $rate posts/s --vocabulary $vocabulary into count --interval $interval, $minutes min; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
printf '%6s %10s %10s %9s %12s %12s %14s %10s\n' minute "RSS MiB" "peak MiB" "CPU s" "total tags" distinct "tags/s (min)" "max lag ms"
seen=0
previous_tags=0
for ((minute = 1; minute <= minutes; minute++)); do
  sleep 60
  kill -0 "$counter" 2> /dev/null || { echo "soak: the counter exited:" >&2; tail -n 20 "$work/count.err" >&2; exit 1; }
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$counter/status")
  hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$counter/status")
  # Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name.
  cpu=$(sed 's/.*) //' "/proc/$counter/stat" | awk -v t="$ticks" '{ printf "%.1f", ($12 + $13) / t }')
  lines=$(wc -l < "$work/batches.jsonl")
  # The batches of this minute: totals of the last one, and the largest lateness between consecutive batch times.
  read -r total distinct lag < <(sed -n "$((seen > 0 ? seen : 1)),${lines}p" "$work/batches.jsonl" | python3 -c '
import json, sys, datetime
interval = float(sys.argv[1])
times, last = [], None
for line in sys.stdin:
    if line.strip():
        last = json.loads(line)
        whole, _, fraction = last["time"].rstrip("Z").partition(".")
        times.append(datetime.datetime.fromisoformat(whole) + datetime.timedelta(seconds=float("0." + (fraction or "0"))))
lag = max([(b - a).total_seconds() - interval for a, b in zip(times, times[1:])] or [0.0])
print(last["total_tags"] if last else 0, last["distinct_tags"] if last else 0, round(lag * 1000))
' "$interval_seconds")
  seen=$lines
  printf '%6d %10d %10d %9s %12d %12d %14d %10d\n' "$minute" $((rss / 1024)) $((hwm / 1024)) "$cpu" "$total" "$distinct" $(((total - previous_tags) / 60)) "$lag"
  previous_tags=$total
done

if [ -n "$counters" ]; then
  wait "${pids[2]}" 2> /dev/null || true
  echo
  echo "GC per minute of the counter (dotnet-counters, System.Runtime meter):"
  python3 - "$work/gc.csv" << 'EOF'
import csv, sys
rows = {}
for row in csv.DictReader(open(sys.argv[1])):
    name, value = row["Counter Name"], row["Mean/Increment"]
    rows.setdefault(row["Timestamp"], {})[name] = float(value or 0)
print("%-20s %12s %6s %6s %6s %12s %14s" % ("time", "GC pause ms", "gen0", "gen1", "gen2", "heap MiB", "allocated MiB"))
for stamp, values in rows.items():
    def pick(prefix):
        return sum(v for k, v in values.items() if k.startswith(prefix))
    print("%-20s %12.1f %6d %6d %6d %12.1f %14.1f" % (
        stamp, pick("dotnet.gc.pause.time") * 1000,
        pick("dotnet.gc.collections ({collection} / 60 sec)[gc.heap.generation=gen0]"),
        pick("dotnet.gc.collections ({collection} / 60 sec)[gc.heap.generation=gen1]"),
        pick("dotnet.gc.collections ({collection} / 60 sec)[gc.heap.generation=gen2]"),
        pick("dotnet.gc.last_collection.heap.size") / 2**20,
        pick("dotnet.gc.heap.total_allocated") / 2**20))
EOF
fi
echo "soak: done; $(uptime | sed 's/.*load/load/')"
