"""What scripts/mutation-spans.py and scripts/mutation-timeouts.py share: a Stryker report, the copy of the tree it
ran on (output/mutation/<UTC>/tree), and the map of its lines onto src/MarketSim.Core as it is now."""
import difflib, json, os

core = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "MarketSim.Core")


def load(report_path):
    """The report and the Core folder of the tree it ran on."""
    run_tree = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(report_path))), "tree", "src", "MarketSim.Core")
    return json.load(open(report_path)), run_tree


def mutants(report, f):
    """The report's mutants of FILE (relative to src/MarketSim.Core)."""
    return next(v for k, v in report["files"].items() if k.endswith("/" + f))["mutants"]


def line_offsets(text):
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    return lines, offsets


def line_map(run_tree, f):
    """(mapped, changed, new_lines, new_offsets): 0-based lines of the run's copy of FILE → the same lines now, the
    lines now that are new or changed since, and the file now by lines with each line's character offset."""
    old_lines, _ = line_offsets(open(os.path.join(run_tree, f)).read())
    new_lines, new_offsets = line_offsets(open(os.path.join(core, f)).read())
    mapped, changed = {}, []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            mapped.update({i1 + k: j1 + k for k in range(i2 - i1)})
        else:
            changed.extend(range(j1, j2))
    return mapped, changed, new_lines, new_offsets
