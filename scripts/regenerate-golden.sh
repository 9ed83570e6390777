#!/usr/bin/env bash
# Regenerates tests/golden/golden.sha256, the pinned checksums of the golden run (tests/golden/golden.yaml), after a
# change that alters the model's output or the Parquet encoding on purpose. Commit the new file saying why it changed.
set -euo pipefail
cd "$(dirname "$0")/.."
MARKETSIM_REGENERATE_GOLDEN=1 dotnet test tests/MarketSim.Cli.Tests --filter "FullyQualifiedName~GoldenRunTests"
git --no-pager diff --stat -- tests/golden/golden.sha256
cat tests/golden/golden.sha256
