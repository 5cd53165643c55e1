"""``--format junit``: JUnit XML for CI test-report views (GitLab, Jenkins, Azure).

One ``<testcase>`` per finding, with ``classname`` = the file: the JUnit schema
allows one ``<failure>`` per test case and GitLab and Jenkins show only one, so
folding several findings into a per-file case would hide all but the first.
A clean run gets one passing case, so the suite is never empty (an empty suite
reads as "no tests ran" in several CI systems).
"""

from __future__ import annotations

import re

from kpilint.findings import Finding, Report
from kpilint.quoting import cut
from kpilint.reporters import RenderOptions
from kpilint.reporters.visible import visible_copy

SUITE = "kpilint"
# XML 1.0 forbids most control characters even as character references.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def failure_text(f: Finding) -> str:
    """The body of a ``<failure>``: the text reporter's two lines for the finding."""
    where = f"{f.path}:{f.line}:{f.column}" if f.path else "kpilint"
    text = f"{where}: {f.code} [{f.severity}] {f.message}"
    return f"{text}\nfix: {f.fix.description}" if f.fix.description else text


def _case_name(f: Finding) -> str:
    where = f" at {f.path}:{f.line}:{f.column}" if f.path else ""
    subject = f" ({f.entity.kind} {cut(f.entity.id)})" if f.entity and f.entity.id else ""
    return f"{f.code} {f.name}{subject}{where}"


def render(report: Report, options: RenderOptions) -> str:
    report = visible_copy(report)  # control characters shown, not obeyed
    import xml.etree.ElementTree as ET

    n = len(report.findings)
    counts = {"tests": str(max(n, 1)), "failures": str(n), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    for f in report.findings:
        case = ET.SubElement(
            suite, "testcase", {"classname": _clean(f.path or SUITE), "name": _clean(_case_name(f))}
        )
        failure = ET.SubElement(case, "failure", {"type": f.code, "message": _clean(f.message)})
        failure.text = _clean(failure_text(f))
    if not n:
        ET.SubElement(suite, "testcase", {"classname": SUITE, "name": "all checks passed"})
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
