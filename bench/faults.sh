#!/usr/bin/env bash
# The fault harness with more seeds than CI runs: kill -9 of the counter and of the feed at seeded random moments,
# under CPU starvation at nice 10, plus the chosen moments (docs/reliability.md). Usage: bench/faults.sh [SEEDS]
# (20 by default). Prints the machine's load before and after, and each test's outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-20}"
echo "load before: $(uptime)"
TAGSTREAM_FAULT_SEEDS="$seeds" dotnet test tests/Tagstream.Tests --filter "FullyQualifiedName~FaultHarnessTests" \
  --blame-hang-timeout 10m --logger "console;verbosity=normal"
echo "load after: $(uptime)"
