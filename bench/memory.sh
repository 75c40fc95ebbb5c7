#!/usr/bin/env bash
# bench/memory.sh [SIZE]: memory per distinct tag of `tagstream count`, from outside the process.
# Counts two files of the same SIZE (default 100M) generated with `tagstream gen`: one over 1 M tags with a flat
# popularity (--zipf 0.3, so nearly every tag of the vocabulary occurs), one over a tiny vocabulary (--vocabulary
# 100). Both peak RSS (/usr/bin/time -v) include the runtime, the read buffers and the batch machinery alike; their
# difference divided by the distinct tags, minus the tags' average UTF-8 length, is the cost of a distinct tag
# beyond its own bytes (target of issue 6: at most 80 bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100M}
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d "${TMPDIR:-/tmp}/tagstream-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

dotnet build -c Release -v q -nologo src/Tagstream.Cli > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
cli=(dotnet "$PWD/src/Tagstream.Cli/bin/Release/net10.0/Tagstream.Cli.dll")
no_checkpoint=()
count_help=$("${cli[@]}" count --help)
if grep -q -- '--no-checkpoint' <<< "$count_help"; then no_checkpoint+=(--no-checkpoint); fi
if grep -q -- '--no-dashboard' <<< "$count_help"; then no_checkpoint+=(--no-dashboard); fi

"${cli[@]}" gen --size "$size" --zipf 0.3 --vocabulary 1000000 --out "$work/many.txt"
"${cli[@]}" gen --size "$size" --vocabulary 100 --out "$work/few.txt"

# count FILE: prints "peak_rss_kib distinct_tags".
count() {
  /usr/bin/time -v -o "$work/time" "${cli[@]}" count --source replay --format protocol --file "$1" --until-eof --output jsonl --top 20 "${no_checkpoint[@]}" > "$work/out"
  echo "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time") $(tail -n 1 "$work/out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["distinct_tags"])')"
}

for workers in 1 2; do
  read -r many_rss many_distinct < <(no_checkpoint+=(--workers "$workers"); count "$work/many.txt")
  read -r few_rss few_distinct < <(no_checkpoint+=(--workers "$workers"); count "$work/few.txt")
  # The average UTF-8 length of the distinct tags (mawk's length() counts bytes).
  average=$(mawk '{ for (i = 1; i <= NF; i++) if (!($i in s)) { s[$i] = 1; n++; b += length($i) } } END { printf "%.1f", b / n }' "$work/many.txt")
  awk -v mr="$many_rss" -v md="$many_distinct" -v fr="$few_rss" -v fd="$few_distinct" -v avg="$average" -v w="$workers" 'BEGIN {
    per = (mr - fr) * 1024 / (md - fd)
    printf "workers=%d: %d distinct: peak RSS %.0f MiB; %d distinct: %.0f MiB; %.1f bytes per distinct tag, %.1f beyond its %.1f UTF-8 bytes\n",
      w, md, mr / 1024, fd, fr / 1024, per, per - avg, avg }'
done
