"""``--format sarif``: a SARIF 2.1.0 log for code scanning (GitHub, Azure DevOps, IDEs).

Code scanning matches an alert across runs by ``ruleId``, path and
``partialFingerprints``, so all three come from stable data: the rule code, the
repo-relative path and the line-free ``Finding.fingerprint``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from kpilint import __version__
from kpilint.findings import Finding, Report, RuleInfo, assign_fingerprints
from kpilint.reporters import RenderOptions
from kpilint.rulesdoc import REPOSITORY, rule_url

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = REPOSITORY
# Versioned key: if the fingerprint recipe ever changes, a new key keeps old alerts apart.
FINGERPRINT_KEY = "kpilint/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def level(severity: str) -> str:
    """kpilint severity -> SARIF level (``info`` is SARIF's ``note``)."""
    return _LEVELS.get(severity, "warning")


def uri(path: str) -> str:
    """A relative path as a URI reference: spaces, ``%`` and ``#`` would otherwise break it."""
    # The file name's own bytes, percent-encoded, also when they are not UTF-8.
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    fix = (f"Fix: {info.fix}", f"**Fix:** {info.fix}") if info.fix else ("", "")
    summary = (info.summary, f"**{info.summary}**") if info.summary else ("", "")
    help_text = "\n\n".join(part for part in (summary[0], info.why, fix[0]) if part)
    help_md = "\n\n".join(part for part in (summary[1], info.why, fix[1]) if part)
    enabled = info.severity in _LEVELS
    descriptor: dict[str, Any] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary or info.name},
        "fullDescription": {"text": info.why or info.summary or info.name},
        "help": {"text": help_text, "markdown": help_md},
        "helpUri": rule_url(info.code, info.name),
        "defaultConfiguration": (
            {"level": level(info.severity)} if enabled else {"enabled": False, "level": "none"}
        ),
    }
    return descriptor


def _synthetic_rule(f: Finding) -> RuleInfo:
    """A descriptor for a code that ran outside the rule table (KPI000, internal errors)."""
    return RuleInfo(f.code, f.name, f.severity, f.name.replace("-", " ").capitalize(), "", "")


def _region(f: Finding) -> dict[str, int] | None:
    if f.line < 1:
        return None
    region = {"startLine": f.line}
    if f.column >= 1:
        region["startColumn"] = f.column
    if f.end_line is not None and f.end_line >= f.line:
        region["endLine"] = f.end_line
        if f.end_column is not None and f.end_column >= 1:
            region["endColumn"] = f.end_column
    return region


def _result(f: Finding, rule_index: int, places: _Places) -> dict[str, Any]:
    text = f.message if not f.fix.description else f"{f.message}\nfix: {f.fix.description}"
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": text},
    }
    if f.path:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri(f.path), "uriBaseId": SRCROOT}}
        region = _region(f)
        if region:
            physical["region"] = region
        location: dict[str, Any] = {"physicalLocation": physical}
        if f.entity is not None and f.entity.id:
            # The entity a finding is about, for viewers that show logical locations.
            location["logicalLocations"] = [{"index": places.of(f.entity.kind, f.entity.id, f.key)}]
        result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    result["properties"] = {"severity": f.severity, "fixApplicability": f.fix.applicability}
    return result


class _Places:
    """The run's logical locations, each written once and referred to by index: an entity
    (its whole id, as JSON's ``entity`` keeps it) and its keys below it, so a long id costs
    its length once per run, not once per finding (CLI.md "Output safety and size")."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[str, str, str | None], int] = {}

    def of(self, kind: str, ident: str, key: str | None) -> int:
        entity = self._add((kind, ident, None), {"name": ident, "kind": kind})
        if not key:
            return entity
        return self._add(
            (kind, ident, key), {"name": key, "kind": "property", "parentIndex": entity}
        )

    def _add(self, ident: tuple[str, str, str | None], place: dict[str, Any]) -> int:
        found = self._index.get(ident)
        if found is None:
            found = self._index[ident] = len(self.items)
            self.items.append({**place, "index": found})
        return found


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as a dict: one run, the rules that ran, one result per finding."""
    findings = report.findings
    if any(not f.fingerprint for f in findings):  # hand-built reports, e.g. in tests
        findings = assign_fingerprints(findings)
    infos = dict(sorted(report.rules.items()))
    for f in findings:
        if f.code not in infos:
            infos[f.code] = _synthetic_rule(f)
    index = {code: i for i, code in enumerate(infos)}
    places = _Places()
    results = [_result(f, index[f.code], places) for f in findings]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "kpilint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(info) for info in infos.values()],
            }
        },
        # kpilint columns count characters, not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if places.items:
        run["logicalLocations"] = places.items
    if report.summary.omitted:  # past the per-file limit: counted, never silently lost
        run["properties"] = {"omitted": report.summary.omitted}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"
