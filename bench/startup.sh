#!/usr/bin/env bash
# bench/startup.sh [ROUNDS] DIR...: the start-up of `tagstream count` on a one-line file, for each build DIR (a folder
# holding Tagstream.Cli.dll, such as the output of `dotnet publish -c Release -o DIR src/Tagstream.Cli` or of
# `dotnet build -c Release`), measured by hyperfine (Debian package `hyperfine`) 10 times per round, the builds taking
# turns round after round (default 4 rounds) so that a change in the machine's load falls on all of them alike. Prints
# per round and build the median and the fastest run, the mean user and system CPU, and the one-minute load average.
set -euo pipefail
rounds=4
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
if [ "$#" -eq 0 ]; then
  echo "usage: bench/startup.sh [ROUNDS] DIR..." >&2
  exit 2
fi
command -v hyperfine > /dev/null || { echo "startup: install the Debian package hyperfine first" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d "${TMPDIR:-/tmp}/tagstream-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "one two three" > "$work/one-line.txt"
for ((round = 1; round <= rounds; round++)); do
  for dir in "$@"; do
    hyperfine -N -w 2 -r 10 --export-json "$work/result.json" \
      "dotnet $dir/Tagstream.Cli.dll count --source replay --format protocol --file $work/one-line.txt --until-eof --output jsonl --no-checkpoint --no-dashboard" > /dev/null
    python3 - "$work/result.json" "$dir" "$round" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, statistics, sys
result = json.load(open(sys.argv[1]))["results"][0]
print("round %s  %-40s median %4.0f ms  fastest %4.0f ms  user %4.0f ms  system %4.0f ms  load %s" % (
    sys.argv[3], sys.argv[2], statistics.median(result["times"]) * 1e3, result["min"] * 1e3,
    result["user"] * 1e3, result["system"] * 1e3, sys.argv[4]))
PY
  done
done
