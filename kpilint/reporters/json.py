"""``--format json``: the machine report exactly as CLI.md defines it."""

from __future__ import annotations

import json
from typing import Any

from kpilint.findings import Finding, Report
from kpilint.reporters import RenderOptions

REPORT_VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "entity": {"kind": f.entity.kind, "id": f.entity.id} if f.entity else None,
        "message": f.message,
        "fix": {"description": f.fix.description, "applicability": f.fix.applicability},
    }


def report_dict(report: Report) -> dict[str, Any]:
    s = report.summary
    summary: dict[str, int] = {
        "files": s.files,
        "goals": s.goals,
        "metrics": s.metrics,
        "kpis": s.kpis,
        "incentives": s.incentives,
        "error": s.error,
        "warning": s.warning,
        "info": s.info,
    }
    if s.omitted:  # findings past the per-file limit: counted, never silently lost
        summary["omitted"] = s.omitted
    out: dict[str, Any] = {
        "version": REPORT_VERSION,
        "findings": [finding_dict(f) for f in report.findings],
        "summary": summary,
    }
    if report.progress is not None:  # ACTUALS.md: only when the project declares actuals
        out["progress"] = report.progress
    return out


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
