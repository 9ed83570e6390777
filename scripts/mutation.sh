#!/usr/bin/env bash
# Mutation testing of the model with Stryker.NET 5.1 (not in CI: from minutes for a small file to over an hour for
# the engine's or the validator's files on 2 cores).
#
#   scripts/mutation.sh                      # the decision tables, the model, interventions and alliance clauses
#   scripts/mutation.sh Engine/Simulation.cs # any files of src/MarketSim.Core, relative to it
#   scripts/mutation.sh "Engine/Simulation.cs{4410..4620}"   # the mutants within those characters of the file only
#   scripts/mutation.sh --core               # every Core file except the SIMD ones (hours)
#   scripts/mutation.sh --scenarios          # Scenarios/*.cs, against the ScenarioFiles tests
#   scripts/mutation.sh --layer Analysis     # every file of src/MarketSim.Analysis, against its own test project
#   scripts/mutation.sh --layer Compare Totals.cs "Comparison.cs{100..900}"  # files of that layer, relative to it
#
# --layer takes one of the layers around the model: Analysis, Compare, Calibration, Output (the first two arguments;
# the files after it are relative to src/MarketSim.<layer>, all of them if none). Its mutants run against
# tests/MarketSim.<layer>.Tests only (STRYKER_TEST_PROJECTS overrides), with a per-layer test filter (below).
#
# Mutants are run against tests/MarketSim.Core.Tests (for --scenarios against tests/MarketSim.ScenarioFiles.Tests,
# which exercise the validator through the loader; for --core against both; STRYKER_TEST_PROJECTS overrides the list),
# without the tests tagged Category=Slow (child processes, 200 000-agent runs), which no mutant in this process can
# change, and Category=Fuzz (the loader's fuzzers: most of the ScenarioFiles tests' time, rerun for every mutant the
# loader reaches, for "never throws", which the other tests check case by case). Stryker swaps the mutated
# MarketSim.Core.dll into the test project's bin folder, so it works on a copy of the tree in
# output/mutation/<UTC time>/tree: building and testing in the repository meanwhile neither disturbs it nor runs
# against a mutant. The report lands in output/mutation/<UTC time>/reports/mutation-report.html; the score per file is
# also printed at the end. How to read it: docs/testing.md.
# STRYKER_CONCURRENCY (default 1) sets the parallel test runners: the machine is usually shared.
# STRYKER_CONFIGURATION (default Release) is the build configuration of the mutated tree: the engine's vector code
# runs several times slower unoptimised, and every mutant reruns the tests that cover it.
# STRYKER_ADDITIONAL_TIMEOUT (ms, default Stryker's 5000) is added to 1.5 x a test's normal time before a mutant counts as
# killed by timeout: on a loaded machine every test is slower than in Stryker's first run, and a larger margin keeps
# that from passing for a detection.
# STRYKER_TEST_FILTER replaces the test filter (default: the configuration's, plus, for a layer, the tests named in
# layer_filter below: each takes tens of seconds and does its work in child processes of marketsim, which
# Stryker's per-test coverage does not see, so no mutant is ever run against them).
# STRYKER_COVERAGE (default perTest) is Stryker's coverage analysis; 'all' captures coverage once for the whole suite
# and runs every test on each covered mutant.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-stryker >/dev/null || dotnet tool install -g dotnet-stryker --version 5.1.0

# The tests a layer's run leaves out (see STRYKER_TEST_FILTER above), as parts of their full names.
layer_filter() {
  local skip=()
  case $layer in
    # (the sweep-and-analyze CLI tests: SummaryFileAnalysisTests runs the same code in this process)
    Analysis) skip=(SensitivityCliTests AnalyzeOutputsTests) ;;
    Compare) skip=(CompareAttribute_ CompareCommandTests.Compare_ Help_ListsCompare ReportPathTests.Report_NamesTheCalibrationFile) ;;
    Calibration) skip=(Tests.Cli_) ;;
    Output) skip=() ;;
  esac
  for t in "${skip[@]}"; do filter+="&FullyQualifiedName!~$t"; done
}

project=MarketSim.Core
filter=
if [ "${1:-}" = "--layer" ]; then
  layer=${2:-}
  case $layer in
    Analysis | Compare | Calibration | Output) ;;
    *) echo "mutation.sh: --layer takes Analysis, Compare, Calibration or Output, not '$layer'" >&2; exit 2 ;;
  esac
  shift 2
  project=MarketSim.$layer
  [ $# -gt 0 ] || set -- "**/*.cs"
  layer_filter
fi
files=("$@")
if [ "$project" != MarketSim.Core ]; then tests=("$project.Tests")
elif [ ${#files[@]} -eq 0 ]; then files=(Engine/DecisionTables.cs Model/MarketModel.cs Model/CompiledIntervention.cs "Model/Alliances/*.cs"); fi
[ "$project" != MarketSim.Core ] || tests=(MarketSim.Core.Tests)
if [ "${files[0]}" = "--core" ]; then files=("**/*.cs" "!Engine/Simulation.Reevaluation.cs"); tests+=(MarketSim.ScenarioFiles.Tests); fi
# The scenario files' own tests only: every Core engine test loads a scenario, so with them each validator mutant would
# rerun the engine tests too, for nothing the loader tests do not check.
if [ "${files[0]}" = "--scenarios" ]; then files=("Scenarios/*.cs"); tests=(MarketSim.ScenarioFiles.Tests); fi
if [ -n "${STRYKER_TEST_PROJECTS:-}" ]; then read -r -a tests <<<"$STRYKER_TEST_PROJECTS"; fi
args=()
for f in "${files[@]}"; do
  if [[ $f == !* ]]; then args+=(--mutate "!**/${f#!}"); else args+=(--mutate "**/$f"); fi
done

out="$root/output/mutation/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out/tree"
git ls-files -co --exclude-standard -z | grep -zv '^tests/duckdb/' | xargs -0 cp --parents -t "$out/tree"
# The DuckDB readers (tests/duckdb, with its node_modules) by a link: the layers' tests read written files back with them.
ln -s "$root/tests/duckdb" "$out/tree/tests/duckdb"
for t in "${tests[@]}"; do args+=(--test-project "$out/tree/tests/$t/$t.csproj"); done
# Stryker places the mutants of every Core file in the mutated assembly, also of files --mutate leaves out (it drops
# them from the report only: stryker-mutator/stryker-net#3573), so the engine's hot loops ran instrumented in every
# run and coverage capture took a quarter of an hour whatever was selected. In the copy, every file outside the
# selection starts with "// Stryker disable all", which keeps its mutants out of the code altogether.
(
  cd "$out/tree/src/$project"
  shopt -s globstar nullglob
  declare -A selected=()
  # (a pattern may end in Stryker's character spans, {FROM..TO}: the file is selected, the spans limit its mutants)
  for f in "${files[@]}"; do [[ $f == !* ]] || for m in ${f%%\{*}; do selected[$m]=1; done; done
  for f in "${files[@]}"; do [[ $f == !* && $f != *\{* ]] && for m in ${f#!}; do unset "selected[$m]"; done; done
  [ ${#selected[@]} -gt 0 ] || { echo "mutation.sh: no file of src/$project matches ${files[*]}" >&2; exit 2; }
  for m in **/*.cs; do
    [[ $m == obj/* || $m == bin/* || -n ${selected[$m]:-} ]] && continue
    # (a "restore" further down would switch mutation back on for the rest of the file)
    sed -i -e '/^[[:space:]]*\/\/ Stryker restore/d' -e '1i // Stryker disable all : outside this run'"'"'s selection (scripts/mutation.sh)' "$m"
  done
  echo "mutating ${#selected[@]} files: ${!selected[*]}"
)
# The checked-in configuration (scripts/stryker-config.json: coverage analysis, timeouts, filter, reporters, the 80 %
# threshold); Stryker 5.1 takes the coverage analysis from a configuration file only, so the environment's overrides
# are written into a copy of it, and the command line's options override the rest.
sed -e "s/\"coverage-analysis\": \"perTest\"/\"coverage-analysis\": \"${STRYKER_COVERAGE:-perTest}\"/" \
    -e "s/\"additional-timeout\": 5000/\"additional-timeout\": ${STRYKER_ADDITIONAL_TIMEOUT:-5000}/" \
    "$root/scripts/stryker-config.json" >"$out/stryker-config.json"
filter=${STRYKER_TEST_FILTER:-$(sed -n 's/.*"test-case-filter": "\(.*\)".*/\1/p' "$out/stryker-config.json")$filter}
sed -i "s/\"test-case-filter\": \".*\"/\"test-case-filter\": \"${filter//&/\\&}\"/" "$out/stryker-config.json"
echo "test filter: $filter"
cd "$out/tree/src/$project"
dotnet stryker "${args[@]}" \
  --concurrency "${STRYKER_CONCURRENCY:-1}" --configuration "${STRYKER_CONFIGURATION:-Release}" \
  --config-file "$out/stryker-config.json" --skip-version-check --output "$out"
echo "report: $out/reports/mutation-report.html"
