#!/usr/bin/env bash
# bench/feed-log.sh [POSTS]: what `tagstream feed --log DIR` costs at full speed. Runs the synthetic feed at full
# speed (`--limit POSTS`, default 10000000, seed 42, 1 M tags) into a plain client that discards the lines
# (`cat < /dev/tcp/...`), RUNS times (default 3) without and with --log, alternating, and prints the median wall
# time and posts/s of each and the ratio. Wall time is from the feed's start to its exit: process start and the
# vocabulary (about the same in both) included, and the plain client's 1 s hello timeout, so the ratio understates
# the log's share a little. The log folder is deleted before every run, so every run writes a whole new log.
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-10000000}
runs=${RUNS:-3}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q -nologo src/Tagstream.Cli > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
cli=(dotnet "$PWD/src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll")
port=$((20000 + RANDOM % 20000))

run_once() { # $1: label; rest: extra feed options. Prints seconds.
  local label=$1; shift
  rm -rf "$work/log" "$work/feed.out"
  local start end
  start=$(date +%s.%N)
  "${cli[@]}" feed --limit "$posts" --quiet --port "$port" "$@" > "$work/feed.out" 2>&1 &
  local feed=$!
  until grep -qs 'Waiting for connection' "$work/feed.out"; do
    kill -0 "$feed" 2> /dev/null || { cat "$work/feed.out" >&2; exit 1; }
    sleep 0.02
  done
  cat < "/dev/tcp/127.0.0.1/$port" > /dev/null
  wait "$feed"
  end=$(date +%s.%N)
  grep -q "^Sent .* posts" "$work/feed.out" || { cat "$work/feed.out" >&2; exit 1; }
  echo "$end - $start" | bc
  if [ "$label" = log ]; then du -sb "$work/log" | cut -f1 > "$work/log.bytes"; fi
}

declare -a plain logged
for ((i = 0; i < runs; i++)); do
  plain+=("$(run_once plain)")
  logged+=("$(run_once log --log "$work/log")")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
p=$(median "${plain[@]}")
l=$(median "${logged[@]}")
echo "posts: $posts, runs: $runs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "without --log: ${plain[*]} s; median $p s = $(echo "$posts / $p" | bc) posts/s"
echo "with --log:    ${logged[*]} s; median $l s = $(echo "$posts / $l" | bc) posts/s; log $(cat "$work/log.bytes") bytes"
echo "with / without: $(echo "scale=3; $p / $l" | bc)"
