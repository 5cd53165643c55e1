"""``--statistics``: how many findings each rule has, instead of the findings.

Like ruff's: one line a rule, most frequent first, ``[*]`` when ``--fix`` would
fix them all; ``--format json`` gives the same rows as a list.
"""

from __future__ import annotations

import json
from collections import Counter

from kpilint.findings import Finding, Report
from kpilint.reporters import RenderOptions

FORMATS = ("text", "json")


def rows(report: Report, options: RenderOptions) -> list[dict[str, object]]:
    """One row per rule: code, name, severity, count, whether every one is fixable."""
    offered = ("safe", "unsafe") if options.unsafe_fixes else ("safe",)
    counts = Counter(f.code for f in report.findings)
    first: dict[str, Finding] = {}
    fixable: dict[str, bool] = {}
    for f in report.findings:
        first.setdefault(f.code, f)
        ok = options.fix_hint and f.fix.applicability in offered
        fixable[f.code] = fixable.get(f.code, True) and ok
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [
        {
            "code": code,
            "name": first[code].name,
            "severity": first[code].severity,
            "count": counts[code],
            "fixable": fixable[code],
        }
        for code in ordered
    ]


def render(report: Report, fmt: str, options: RenderOptions) -> str:
    table = rows(report, options)
    if fmt == "json":
        return json.dumps(table, indent=2) + "\n"
    if not table:
        return "" if options.quiet else "No findings.\n"
    width = max(len(str(row["count"])) for row in table)
    lines = [
        f"{row['count']:>{width}}\t{row['code']}\t{'[*] ' if row['fixable'] else '[ ] '}"
        f"{row['name']} ({row['severity']})"
        for row in table
    ]
    if not options.quiet:
        total = sum(int(str(row["count"])) for row in table)
        rules = f"{len(table)} rule{'' if len(table) == 1 else 's'}"
        lines.append(f"Found {total} finding{'' if total == 1 else 's'} in {rules}.")
    return "\n".join(lines) + "\n"
