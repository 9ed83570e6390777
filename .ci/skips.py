#!/usr/bin/env python3
"""Reads the TRX files of one `dotnet test` run and reports what was skipped, and why.

Usage: skips.py RESULTS_DIR
Prints "skipped: <test>: <reason>" for every skipped test, then one line "counts: PASSED FAILED SKIPPED REQUIRED_SKIPPED".
Exit code 0, or 3 when CI=true and a test whose name or reason matches MARKETSIM_CI_REQUIRED (default: Slurm and the
browser tests) was skipped: on CI such a skip means the environment lost a capability, not that the test may be left out.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
# Tests CI must run: the real Slurm cluster and the studio's headless-browser tests. A name or a skip reason that matches
# counts (the Slurm fact's reasons all start "Slurm test"; browser tests say Chromium/Selenium/browser in name or reason).
DEFAULT_REQUIRED = r"Slurm|Browser|Chromium|chromedriver|Selenium"


def main(argv):
    if len(argv) != 2:
        print("usage: skips.py RESULTS_DIR", file=sys.stderr)
        return 2
    required = re.compile(os.environ.get("MARKETSIM_CI_REQUIRED") or DEFAULT_REQUIRED, re.IGNORECASE)
    passed = failed = skipped = required_skipped = 0
    for path in sorted(glob.glob(os.path.join(argv[1], "**", "*.trx"), recursive=True)):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            print(f"note: {path}: not a readable TRX file ({e})")
            continue
        for result in root.iter(NS + "UnitTestResult"):
            outcome = result.get("outcome", "")
            name = result.get("testName", "?")
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                skipped += 1
                message = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
                reason = " ".join((message.text or "").split()) if message is not None else "(no reason given)"
                must_run = bool(required.search(name) or required.search(reason))
                required_skipped += must_run
                print(f"skipped: {name}: {reason}" + (" [must run on CI]" if must_run else ""))
            else:
                failed += 1
    print(f"counts: {passed} {failed} {skipped} {required_skipped}")
    if required_skipped and os.environ.get("CI", "").lower() == "true":
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
