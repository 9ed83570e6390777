#!/usr/bin/env python3
"""Stryker --mutate patterns for re-scoring only what a run left open.

    scripts/mutation-spans.py output/mutation/<UTC>/reports/mutation-report.json Scenarios/ScenarioValidator.cs ...

For each file (relative to src/MarketSim.Core) prints "file{from..to}{from..to}..." with Stryker's character spans
around every line that held a surviving or uncovered mutant in that report, mapped onto the file as it is now (a
line diff against the run's copy, output/mutation/<UTC>/tree), plus every line changed since. Pass the lines to
scripts/mutation.sh:  mapfile -t p < <(scripts/mutation-spans.py REPORT FILES...); scripts/mutation.sh "${p[@]}"
Killed mutants on those lines are run again too; combine the two reports per mutant when scoring."""
import sys
from mutation_report import line_map, load, mutants

report_path, files = sys.argv[1], sys.argv[2:]
report, run_tree = load(report_path)

for f in files:
    mapped, changed, new_lines, new_offsets = line_map(run_tree, f)
    spans = []
    for m in mutants(report, f):
        if m["status"] not in ("Survived", "NoCoverage"):
            continue
        a, b = m["location"]["start"]["line"] - 1, m["location"]["end"]["line"] - 1
        if a in mapped and b in mapped:  # otherwise the code changed, and its new lines are in `changed`
            spans.append((new_offsets[mapped[a]], new_offsets[mapped[b] + 1] - 1))
    spans += [(new_offsets[j], new_offsets[j + 1] - 1) for j in changed if j < len(new_lines) and new_lines[j].strip()]
    merged = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    print(f + "".join(f"{{{a}..{b}}}" for a, b in merged))
