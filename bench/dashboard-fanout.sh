#!/usr/bin/env bash
# Dashboard fan-out: the counter's throughput with CLIENTS open Server-Sent Events connections against none.
# Runs `tagstream feed` (seeded synthetic, unlimited rate) and `tagstream count` on it over loopback (1 s batches,
# JSON lines) for SECONDS, once without clients and once with bench/SseLoad holding CLIENTS streams open on the
# counter's dashboard, alternating ROUNDS times, and prints the
# median tags per second over the steady batches of each run (the first 8 and the last are left out: warm-up,
# clients connecting, shutdown), and the counter process's CPU time per counted tag over the steady part (from
# /proc/PID/stat and /metrics): on a busy machine wall-clock rates swing with other load, CPU per tag much less.
# Results go to docs/performance.md, "Dashboard fan-out".
#   bench/dashboard-fanout.sh [CLIENTS=1000] [SECONDS=30] [ROUNDS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-1000}
seconds=${2:-30}
rounds=${3:-2}
port=${DASHBOARD_PORT:-4190}
feed_port=${FEED_PORT:-9890}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release -v q src/Tagstream.Cli >/dev/null
dotnet build -c Release -v q bench/SseLoad >/dev/null
cli=src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll
load=bench/SseLoad/bin/Release/net10.0/SseLoad.dll

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name { printf "%d", $2 }'; }

stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

run() {
  local n=$1 out="$work/count-$1.jsonl"
  dotnet "$cli" feed --seed 42 --quiet --port "$feed_port" >/dev/null 2>"$work/feed.err" &
  local feed=$!
  dotnet "$cli" count --connect "127.0.0.1:$feed_port" --interval 1s --output jsonl \
    --dashboard-url "http://127.0.0.1:$port" >"$out" 2>"$work/count.err" &
  local counter=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
  local loader=
  if [ "$n" -gt 0 ]; then
    dotnet "$load" "http://127.0.0.1:$port" "$n" >"$work/load.txt" &
    loader=$!
    until grep -q connected "$work/load.txt" 2>/dev/null; do sleep 0.1; done
  fi
  sleep 8
  local cpu0 tags0 cpu1 tags1
  cpu0=$(cpu_ticks "$counter"); tags0=$(metric tagstream_tags_total)
  sleep "$seconds"
  cpu1=$(cpu_ticks "$counter"); tags1=$(metric tagstream_tags_total)
  local streams
  streams=$(curl -s "http://127.0.0.1:$port/metrics" | awk '$1 == "tagstream_dashboard_clients" { print $2 }')
  stop "$counter"
  stop "$feed"
  if [ -n "$loader" ]; then stop "$loader"; fi
  grep -o '"tags":[0-9]*' "$out" | cut -d: -f2 | sed '1,8d;$d' | sort -n \
    | awk -v n="$n" -v s="$streams" -v cpu=$((cpu1 - cpu0)) -v tags=$((tags1 - tags0)) -v hz="$(getconf CLK_TCK)" \
      '{ v[NR] = $1 } END { printf "clients %5d (open streams %s): median %.2f M tags/s over %d batches (min %.2f, max %.2f); counter CPU %.1f ns per tag\n", n, s, v[int((NR + 1) / 2)] / 1e6, NR, v[1] / 1e6, v[NR] / 1e6, cpu / hz * 1e9 / tags }'
}

for _ in $(seq "$rounds"); do
  run 0
  run "$clients"
done
