#!/usr/bin/env bash
# Regenerates src/Tagstream/PublicAPI.Unshipped.txt: every public symbol of the library that
# PublicAPI.Shipped.txt does not declare, as the public API analyzer names it (RS0016). Run it after a change to
# the public surface, read the diff (that is the point), commit it.
set -euo pipefail
cd "$(dirname "$0")/../src/Tagstream"
printf '#nullable enable\n' > PublicAPI.Unshipped.txt
symbols=$(dotnet build --no-incremental -p:TreatWarningsAsErrors=false 2>&1 \
  | grep -o "RS0016: Symbol '.*' is not part of the declared public API" \
  | sed -e "s/^RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" | LC_ALL=C sort -u || true)
printf '%s\n' "$symbols" >> PublicAPI.Unshipped.txt
