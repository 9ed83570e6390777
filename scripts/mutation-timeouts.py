#!/usr/bin/env python3
"""Check a run's timeouts: re-run a random sample of the mutants Stryker counted as killed by timeout.

    scripts/mutation-timeouts.py REPORT N FILE...                  # Stryker --mutate patterns for N of them
    scripts/mutation-timeouts.py REPORT N FILE... --against NEW    # what became of those N in the re-run's report

Stryker counts a mutant as killed when the tests covering it run past 1.5 x their time in its first, unmutated run
plus a margin (5 s unless STRYKER_ADDITIONAL_TIMEOUT says more). On a loaded machine a slow test can pass for a
detection, so the sample is run again alone with a wide margin:

    scripts/mutation-timeouts.py REPORT 50 Engine/Simulation.cs > /tmp/p.txt
    mapfile -t p < /tmp/p.txt; STRYKER_ADDITIONAL_TIMEOUT=60000 scripts/mutation.sh "${p[@]}"
    scripts/mutation-timeouts.py REPORT 50 Engine/Simulation.cs --against output/mutation/<UTC>/reports/mutation-report.json

The sample is drawn with a fixed seed, so both calls pick the same mutants. Spans are mapped from the run's copy of
the tree (output/mutation/<UTC>/tree) onto the files as they are now; the re-run also runs the other mutants inside
those spans, which is why the check matches the sampled ones by file, mutator and replacement. FILE is relative to
src/MarketSim.Core."""
import collections, json, random, sys
from mutation_report import line_map, load, mutants

args = sys.argv[1:]
against = None
if "--against" in args:
    k = args.index("--against")
    against = args[k + 1]
    del args[k:k + 2]
report_path, n, files = args[0], int(args[1]), args[2:]
report, run_tree = load(report_path)

pool = []
for f in files:
    mapped, _, _, new_offsets = line_map(run_tree, f)
    for m in mutants(report, f):
        if m["status"] != "Timeout":
            continue
        s, e = m["location"]["start"], m["location"]["end"]
        if s["line"] - 1 in mapped and e["line"] - 1 in mapped:  # a mutant on a line changed since has no counterpart
            pool.append((f, new_offsets[mapped[s["line"] - 1]] + s["column"] - 1, new_offsets[mapped[e["line"] - 1]] + e["column"] - 1,
                         m["mutatorName"], m.get("replacement", ""), s["line"]))
random.seed(20261202)
sample = random.sample(pool, min(n, len(pool)))

if against is None:
    spans = collections.defaultdict(list)
    for f, a, b, *_ in sample:
        spans[f].append((a, b))
    for f, v in spans.items():
        print(f + "".join(f"{{{a}..{b}}}" for a, b in sorted(v)))
    print(f"# {len(sample)} of {len(pool)} timed-out mutants", file=sys.stderr)
    sys.exit(0)

rerun = [(p, m) for p, fm in json.load(open(against))["files"].items() for m in fm["mutants"]
         if m["status"] not in ("Ignored", "CompileError")]
count = collections.Counter()
for f, _, _, mutator, replacement, line in sample:
    hits = {m["status"] for p, m in rerun if p.endswith("/" + f) and m["mutatorName"] == mutator
            and m.get("replacement", "") == replacement}
    status = "/".join(sorted(hits)) or "not found"
    count[status] += 1
    if status != "Timeout":
        print(f"{status:18s} {f} line {line} (then) {mutator}: {replacement[:70]!r}")
print("; ".join(f"{v} {k}" for k, v in count.most_common()), f"(of {len(sample)} sampled)")
