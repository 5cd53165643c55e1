"""``--format gitlab``: a GitLab Code Quality report (a Code Climate subset).

The merge-request widget diffs the base and head reports by ``fingerprint``, so
the line-free ``Finding.fingerprint`` gives "new issues only" for free; GitLab
drops issues whose fingerprints repeat, so they are also unique per report.
"""

from __future__ import annotations

import json
from typing import Any

from kpilint.findings import Finding, Report, assign_fingerprints
from kpilint.reporters import RenderOptions

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}
NO_FILE_PATH = "."  # GitLab requires a path; internal errors have none


def issue(f: Finding) -> dict[str, Any]:
    """One Code Quality issue for a finding."""
    return {
        "description": f"{f.code} {f.message}",
        "check_name": f.code,
        "fingerprint": f.fingerprint,
        "severity": SEVERITIES.get(f.severity, "minor"),
        "location": {"path": f.path or NO_FILE_PATH, "lines": {"begin": max(f.line, 1)}},
    }


def render(report: Report, options: RenderOptions) -> str:
    findings = report.findings
    if any(not f.fingerprint for f in findings):  # hand-built reports, e.g. in tests
        findings = assign_fingerprints(findings)
    return json.dumps([issue(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
