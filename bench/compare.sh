#!/usr/bin/env bash
# bench/compare.sh [SIZE]: counts the standard data set (`tagstream gen`: seed 42, Zipf 1.1 over 1 M tags,
# 1-5 tags per post; SIZE such as 20M or 1G, default 1G) with Tagstream and with the tools people would use
# instead, each RUNS times (default 3), prints tags/s (median), peak RSS and the ratio to Tagstream, and fails
# (exit 1) unless every tool's top 20 equals Tagstream's: same hashtags, same totals, same order (total
# descending, then hashtag ascending by UTF-8 bytes, DESIGN.md's top-N order).
#
# Environment: RUNS (default 3); KEEP_DATA=1 keeps the generated files in bench/data/ (git-ignored) and reuses
# them next time; HARNESS=0 skips the in-process figure of bench/Tagstream.Benchmarks --throughput; MID_SIZE
# (default 240M, 0 for none) adds rows on a mid-size file of the same data (Tagstream and DuckDB, checked against
# each other), whose ratio to the first row says how much of the large file's rate a smaller file keeps;
# COLD=1 (root only) drops the page cache (sync; echo 3 > /proc/sys/vm/drop_caches) before every run of every
# tool, so each reads its file from disk, and adds two rows to judge it by: read-dd (the file read with dd, no
# counting: its seconds are the disk's) and tagstream-warm (the file counted from the page cache).
# Every timing is wall time of whole processes, process start included (dotnet's start costs ~0.1-0.3 s,
# which matters for small files). Peak RSS is /usr/bin/time's "Maximum resident set size": for a
# pipeline that is its largest single process, for the feed mode the counter's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
size=${1:-1G}
runs=${RUNS:-3}
mid_size=${MID_SIZE:-240M}
cold=${COLD:-0}
if [ "$cold" = 1 ] && [ "$(id -u)" -ne 0 ]; then
  echo "compare: COLD=1 drops the page cache, which only root can do" >&2
  exit 2
fi
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# What the baselines need, from Debian's packages when missing (root only; otherwise say what to install).
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v mawk > /dev/null || missing+=(mawk)
command -v python3 > /dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  else
    echo "compare: install these Debian packages first: ${missing[*]}" >&2
    exit 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tagstream-compare.XXXXXX")
feed_pid=
cleanup() {
  if [ -n "$feed_pid" ]; then kill "$feed_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Tagstream as it is shipped to run on this machine: published, so compiled ahead of time (ReadyToRun).
echo "== building (Release) and publishing tagstream"
dotnet publish -c Release -v q -nologo -o "$work/tagstream" src/Tagstream.Cli > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
dotnet build -c Release -v q -nologo bench/NaiveCount > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
dotnet build -c Release -v q -nologo bench/DuckDbCount > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
harness=${HARNESS:-1}
if [ "$harness" = 1 ]; then
  dotnet build -c Release -v q -nologo bench/Tagstream.Benchmarks > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
fi
cli=(dotnet "$work/tagstream/Tagstream.Cli.dll")
naive=(dotnet "$repo/bench/NaiveCount/bin/Release/net10.0/NaiveCount.dll")
duckdb=(dotnet "$repo/bench/DuckDbCount/bin/Release/net10.0/DuckDbCount.dll")

# standard_file SIZE: the path of the standard data set of SIZE, generated unless kept from an earlier run.
standard_file() {
  local file
  if [ "${KEEP_DATA:-0}" = 1 ]; then
    mkdir -p bench/data
    file=bench/data/standard-$1.txt
  else
    file=$work/standard-$1.txt
  fi
  if [ ! -s "$file" ]; then
    echo "== generating $file: tagstream gen --size $1 (seed 42, Zipf 1.1, 1 M tags)" >&2
    "${cli[@]}" gen --size "$1" --out "$file.partial"
    mv "$file.partial" "$file"
  fi
  echo "$file"
}
data=$(standard_file "$size")
mid_data=
if [ "$mid_size" != 0 ]; then mid_data=$(standard_file "$mid_size"); fi

# Options that exist only once checkpoints are wired into `count`: without them this build has no
# checkpointing in `count`, so the file modes already run without it and mode (c) cannot run.
count_help=$("${cli[@]}" count --help)
no_checkpoint=()
checkpoint_extra=()
has_checkpoint=0
if grep -q -- '--no-checkpoint' <<< "$count_help"; then no_checkpoint=(--no-checkpoint); fi
if grep -q -- '--checkpoint ' <<< "$count_help"; then has_checkpoint=1; fi
# And `count` serves its web dashboard by default once that is wired in: not wanted here, and its fixed port
# would collide with another counter on the machine.
if grep -q -- '--no-dashboard' <<< "$count_help"; then no_checkpoint+=(--no-dashboard); checkpoint_extra=(--no-dashboard); fi

# The last JSON line of `count --output jsonl` as "total hashtag" lines in the order printed; the number of
# tags counted goes to $work/tags.
jsonl_top() {
  python3 -c '
import json, sys
last = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        last = line
result = json.loads(last)
open(sys.argv[2], "w").write(str(result["total_tags"]))
for entry in result["top"]:
    sys.stdout.write("%d %s\n" % (entry["total"], entry["hashtag"]))
' "$1" "$work/tags"
}

# before_run: with COLD=1, empties the page cache (after writing dirty pages, which it cannot drop) unless the row
# asked for a warm file (warm=1), which is then read into the cache.
warm=0
before_run() {
  if [ "$cold" != 1 ]; then return; fi
  if [ "$warm" = 1 ]; then
    cat "$data" > /dev/null
  else
    sync
    echo 3 > /proc/sys/vm/drop_caches
  fi
}

# The data set the next rows count and the name its agreement is kept under: every row's top 20 (and, for jsonl,
# its number of tags) must equal those of the first run of the data set's first row.
dataset=main
# measure NAME KIND COMMAND...: runs COMMAND RUNS times with stdout to $work/out; KIND says how to read the
# top 20 from it (jsonl, "total hashtag" lines, or none: a row that counts nothing, like read-dd); checks each run's
# top 20 against the data set's first.
agreed=1
measure() {
  local name=$1 kind=$2
  shift 2
  local run start end
  for ((run = 1; run <= runs; run++)); do
    before_run
    start=$(date +%s%N)
    if ! /usr/bin/time -v -o "$work/time" "$@" > "$work/out" 2> "$work/err"; then
      echo "compare: $name failed:" >&2
      tail -n 20 "$work/err" >&2
      exit 1
    fi
    end=$(date +%s%N)
    record_run "$name" "$kind" "$start" "$end"
  done
}

# record_run NAME KIND START_NS END_NS: the top-20 check and the figures of one run (peak RSS and CPU time from
# /usr/bin/time's report in $work/time).
record_run() {
  local name=$1 kind=$2 start=$3 end=$4 rss cpu tags expected=$work/expected.$dataset
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time")
  if [ "$kind" = none ]; then
    tags=$(cat "$expected.tags")
    echo "$name run: $(awk -v s="$start" -v e="$end" -v c="$cpu" 'BEGIN { printf "%.2f s, %.2f s CPU", (e - s) / 1e9, c }'), $((rss / 1024)) MiB"
    echo "$name $tags $start $end $rss $cpu" >> "$work/runs"
    return
  fi
  if [ "$kind" = jsonl ]; then
    jsonl_top "$work/out" > "$work/top.raw"
  else
    awk 'NF == 2 { print $1, $2 }' "$work/out" > "$work/top.raw"
  fi
  sort -k1,1nr -k2,2 "$work/top.raw" | head -n 20 > "$work/top"
  if [ ! -s "$expected" ]; then
    cp "$work/top" "$expected"
    cp "$work/tags" "$expected.tags"
  fi
  tags=$(cat "$expected.tags")
  if [ "$kind" = jsonl ] && [ "$(cat "$work/tags")" != "$tags" ]; then
    echo "compare: $name counted $(cat "$work/tags") tags, Tagstream's first run $tags" >&2
    agreed=0
  fi
  if ! cmp -s "$work/top.raw" "$work/top"; then
    echo "compare: $name printed its top 20 out of order (total desc, hashtag asc by bytes):" >&2
    diff "$work/top" "$work/top.raw" >&2 || true
    agreed=0
  fi
  if ! cmp -s "$work/top" "$expected"; then
    echo "compare: $name's top 20 differs from Tagstream's (< Tagstream, > $name):" >&2
    diff "$expected" "$work/top" >&2 || true
    agreed=0
  fi
  echo "$name run: $(awk -v t="$tags" -v s="$start" -v e="$end" -v c="$cpu" 'BEGIN { printf "%.2f s, %.2f M tags/s, %.2f s CPU", (e - s) / 1e9, t / ((e - s) / 1e9) / 1e6, c }'), $((rss / 1024)) MiB"
  echo "$name $tags $start $end $rss $cpu" >> "$work/runs"
}

# The feed mode: `tagstream feed` replays the file over loopback TCP into `tagstream count --connect`.
# The clock starts before the feed is launched, so both processes' start is included.
measure_feed() {
  local name=$1 run start end port
  for ((run = 1; run <= runs; run++)); do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    before_run
    start=$(date +%s%N)
    "${cli[@]}" feed --source replay --format protocol --file "$data" --speed max --quiet --port "$port" > "$work/feed.log" 2>&1 &
    feed_pid=$!
    until grep -qs 'Waiting for connection' "$work/feed.log"; do
      kill -0 "$feed_pid" 2> /dev/null || { echo "compare: the feed exited:" >&2; cat "$work/feed.log" >&2; exit 1; }
      sleep 0.02
    done
    if ! /usr/bin/time -v -o "$work/time" "${cli[@]}" count --connect "127.0.0.1:$port" --until-eof --output jsonl --top 20 "${no_checkpoint[@]}" > "$work/out" 2> "$work/err"; then
      echo "compare: $name failed:" >&2
      tail -n 20 "$work/err" >&2
      exit 1
    fi
    end=$(date +%s%N)
    wait "$feed_pid" || { echo "compare: the feed failed:" >&2; tail -n 20 "$work/feed.log" >&2; exit 1; }
    feed_pid=
    record_run "$name" jsonl "$start" "$end"
  done
}

echo "== $(nproc) cores; $(uptime | sed 's/.*load/load/')"
count_file=("${cli[@]}" count --source replay --format protocol --file "$data" --until-eof --output jsonl --top 20)
measure "tagstream" jsonl "${count_file[@]}" "${no_checkpoint[@]}"
measure "tagstream-workers-1" jsonl "${count_file[@]}" "${no_checkpoint[@]}" --workers 1
measure "tagstream-workers-2" jsonl "${count_file[@]}" "${no_checkpoint[@]}" --workers 2
measure_feed "tagstream-feed-tcp"
if [ "$has_checkpoint" = 1 ]; then
  mkdir -p "$work/checkpoint"
  # A fresh checkpoint folder per run, or the second run would recover the first one's totals.
  measure "tagstream-checkpoints" jsonl bash -c 'rm -rf "$1"; mkdir "$1"; shift; exec "$@"' _ "$work/checkpoint" "${count_file[@]}" "${checkpoint_extra[@]}" --checkpoint "$work/checkpoint"
else
  echo "tagstream-checkpoints: skipped, this build's count has no --checkpoint option"
fi
measure "naive-csharp" lines "${naive[@]}" "$data"
measure "duckdb" lines "${duckdb[@]}" "$data"
measure "python-counter" lines python3 -c '
import collections, heapq, sys
counts = collections.Counter()
with open(sys.argv[1], "rb") as f:
    for line in f:
        counts.update(line.split())
top = heapq.nsmallest(20, counts.items(), key=lambda kv: (-kv[1], kv[0]))
sys.stdout.buffer.write(b"".join(b"%d %s\n" % (n, tag) for tag, n in top))
' "$data"
measure "mawk" lines bash -c 'mawk "{ for (i = 1; i <= NF; i++) c[\$i]++ } END { for (t in c) print c[t], t }" "$1" | sort -k1,1nr -k2,2 | head -n 20' _ "$data"
# The issue's pipeline, with `sort -k1,1nr -k2,2` for its last sort: `sort -rn` would break ties by
# hashtag descending and could cut a different tag at rank 20.
measure "sort-uniq" lines bash -c 'tr -s " " "\n" < "$1" | sort | uniq -c | sort -k1,1nr -k2,2 | head -n 20' _ "$data"
if [ "$cold" = 1 ]; then
  measure "read-dd" none dd if="$data" of=/dev/null bs=4M
  warm=1
  measure "tagstream-warm" jsonl "${count_file[@]}" "${no_checkpoint[@]}"
  warm=0
fi
if [ -n "$mid_data" ]; then
  dataset=mid
  measure "tagstream-$mid_size" jsonl "${cli[@]}" count --source replay --format protocol --file "$mid_data" --until-eof --output jsonl --top 20 "${no_checkpoint[@]}"
  measure "duckdb-$mid_size" lines "${duckdb[@]}" "$mid_data"
fi

echo
echo "== $data: $(stat -c %s "$data") bytes, $(cat "$work/expected.main.tags") tags; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
if [ -n "$mid_data" ]; then
  echo "   rows ending in -$mid_size: $mid_data, $(stat -c %s "$mid_data") bytes, $(cat "$work/expected.mid.tags") tags"
fi
if [ "$cold" = 1 ]; then
  echo "   COLD=1: the page cache was dropped before every run of every row but tagstream-warm; read-dd counts nothing (its
   tags/s is the file's tags over its read time)"
fi
echo "   medians of $runs runs; seconds: wall time of whole processes, start included; CPU s: user + system of the
   measured processes (for the feed mode, the counter only); RSS: peak; ratio = Tagstream's tags/s / the tool's"
awk -v runs="$runs" '
  { name = $1; if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    k = ++count[name]; secs[name, k] = ($4 - $3) / 1e9; rss[name, k] = $5; cpu[name, k] = $6; tags[name] = $2 }
  function median(array, name, c,    i, j, v, t) {
    for (i = 1; i <= c; i++) v[i] = array[name, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((c + 1) / 2)]
  }
  END {
    printf "%-22s %10s %9s %8s %14s %8s %10s\n", "tool", "M tags/s", "seconds", "CPU s", "M tags/CPU-s", "RSS MiB", "ratio"
    for (i = 1; i <= n; i++) {
      name = order[i]; s = median(secs, name, count[name]); r = tags[name] / s
      if (i == 1) reference = r
      c = median(cpu, name, count[name])
      printf "%-22s %10.2f %9.2f %8.2f %14.2f %8.0f %9.2fx\n", name, r / 1e6, s, c, tags[name] / c / 1e6, median(rss, name, count[name]) / 1024, reference / r
    }
  }' "$work/runs"

if [ "$harness" = 1 ]; then
  echo
  echo "== in-process (bench/Tagstream.Benchmarks --throughput: the file from memory into HashtagCounter, no process start, no I/O)"
  dotnet "$repo/bench/Tagstream.Benchmarks/bin/Release/net10.0/Tagstream.Benchmarks.dll" --throughput "$data" --workers 1,2 --repeat "$runs" | grep -E '^workers=|MB in'
fi

echo
if [ "$agreed" = 1 ]; then
  echo "every top 20 agreed with Tagstream's ($(wc -l < "$work/expected.main") hashtags, same totals, same order)"
else
  echo "top 20 MISMATCH: see above" >&2
  exit 1
fi
