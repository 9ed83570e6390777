#!/usr/bin/env bash
# Mutation testing of the model with Stryker.NET 5.1 (not in CI: about 30 minutes for the two model files on 2 cores).
#
#   scripts/mutation.sh                      # the decision tables, the model, interventions and alliance clauses
#   scripts/mutation.sh Engine/Simulation.cs # any files of src/MarketSim.Core, relative to it
#   scripts/mutation.sh --core               # every Core file except the SIMD ones (hours)
#
# Mutants are run against tests/MarketSim.Core.Tests only, without the tests tagged Category=Slow (child processes,
# 200 000-agent runs), which no mutant in this process can change. Stryker swaps the mutated MarketSim.Core.dll into
# the test project's bin folder, so it works on a copy of the tree in output/mutation/<UTC time>/tree: building and
# testing in the repository meanwhile neither disturbs it nor runs against a mutant. The report lands in
# output/mutation/<UTC time>/reports/mutation-report.html; the score per file is also printed at the end.
# How to read it: docs/testing.md.
# STRYKER_CONCURRENCY (default 1) sets the parallel test runners: the machine is usually shared.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-stryker >/dev/null || dotnet tool install -g dotnet-stryker --version 5.1.0

files=("$@")
if [ ${#files[@]} -eq 0 ]; then files=(Engine/DecisionTables.cs Model/MarketModel.cs Model/CompiledIntervention.cs "Model/Alliances/*.cs"); fi
if [ "${files[0]}" = "--core" ]; then files=("**/*.cs" "!Engine/Simulation.Reevaluation.cs"); fi
args=()
for f in "${files[@]}"; do
  if [[ $f == !* ]]; then args+=(--mutate "!**/${f#!}"); else args+=(--mutate "**/$f"); fi
done

out="$root/output/mutation/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out/tree"
git ls-files -co --exclude-standard -z | grep -zv '^tests/duckdb/' | xargs -0 cp --parents -t "$out/tree"
cd "$out/tree/tests/MarketSim.Core.Tests"
dotnet stryker --project MarketSim.Core.csproj "${args[@]}" \
  --concurrency "${STRYKER_CONCURRENCY:-1}" --test-case-filter "Category!=Slow" \
  --reporter html --reporter json --reporter cleartext --reporter progress \
  --skip-version-check --output "$out"
echo "report: $out/reports/mutation-report.html"
