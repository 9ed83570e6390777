#!/usr/bin/env python3
"""Stryker --mutate patterns for re-scoring only what a run left open.

    scripts/mutation-spans.py output/mutation/<UTC>/reports/mutation-report.json Scenarios/ScenarioValidator.cs ...

For each file (relative to src/MarketSim.Core) prints "file{from..to}{from..to}..." with Stryker's character spans
around every line that held a surviving or uncovered mutant in that report, mapped onto the file as it is now (a
line diff against the run's copy, output/mutation/<UTC>/tree), plus every line changed since. Pass the lines to
scripts/mutation.sh:  mapfile -t p < <(scripts/mutation-spans.py REPORT FILES...); scripts/mutation.sh "${p[@]}"
Killed mutants on those lines are run again too; combine the two reports per mutant when scoring."""
import difflib, json, os, sys

report_path, files = sys.argv[1], sys.argv[2:]
report = json.load(open(report_path))
run_tree = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(report_path))), "tree", "src", "MarketSim.Core")
core = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "MarketSim.Core")


def line_offsets(text):
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    return lines, offsets


for f in files:
    old_lines, _ = line_offsets(open(os.path.join(run_tree, f)).read())
    new_lines, new_offsets = line_offsets(open(os.path.join(core, f)).read())
    mapped, changed = {}, []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            mapped.update({i1 + k: j1 + k for k in range(i2 - i1)})
        else:
            changed.extend(range(j1, j2))
    key = next(k for k in report["files"] if k.endswith(f))
    spans = []
    for m in report["files"][key]["mutants"]:
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
