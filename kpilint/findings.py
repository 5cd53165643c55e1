"""The one finding type everything downstream reads, and the report around it.

Reporters, suppressions, known findings and ``diff`` only ever see these types,
never rules or YAML nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "none"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}


class Pos(NamedTuple):
    """A 1-based line and column in a source file.

    A NamedTuple (ordered, hashable, immutable like the frozen dataclass it was):
    several times cheaper to define at start-up and to build per key.
    """

    line: int
    column: int


FILE_START = Pos(1, 1)


@dataclass(frozen=True, slots=True)
class EntityRef:
    kind: str
    id: str | None


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` (character offsets in the decoded text) with ``content``."""

    start: int
    end: int
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    applicability: Applicability = "none"
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    path: str  # as given to the reporter: relative to the working directory, "/" separators
    line: int
    column: int
    entity: EntityRef | None
    message: str
    fix: Fix
    key: str | None = None  # logical location inside the entity ("target", "timeline.end")
    end_line: int | None = None
    end_column: int | None = None
    fingerprint: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def fingerprint_base(code: str, path: str, entity: EntityRef | None, key: str | None) -> str:
    """Identity of a finding that survives edits elsewhere in the file: no line numbers."""
    parts = [
        code,
        path,
        entity.kind if entity else "",
        (entity.id or "") if entity else "",
        key or "",
    ]
    # surrogateescape: the path of a file whose name is not UTF-8 keeps its bytes
    return _sha256("\x1f".join(parts).encode("utf-8", "surrogateescape"))[:16]


def _sha256(data: bytes) -> str:
    return str(_sha256_type()(data).hexdigest())


@cache
def _sha256_type() -> Callable[[bytes], Any]:
    """SHA-256 from Python's built-in implementation when it has one.

    ``import hashlib`` loads OpenSSL: a few milliseconds of every ``check``, for
    a hash of a few dozen bytes per finding.
    """
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.10, 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # Python 3.12+
        except ImportError:  # pragma: no cover - a build without the built-in hashes
            from hashlib import sha256
    return sha256  # type: ignore[no-any-return]


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Stamp stable, unique fingerprints; repeats of one identity get a counter salt."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    out = []
    for f in findings:
        base = fingerprint_base(f.code, f.path, f.entity, f.key)
        n = seen.get(base, 0)
        seen[base] = n + 1
        fp = base if n == 0 else _sha256(f"{base}:{n}".encode())[:16]
        out.append(replace(f, fingerprint=fp))
    return out


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a reporter may know of a rule (SARIF's ``tool.driver.rules``)."""

    code: str
    name: str
    severity: str  # as configured for this run
    summary: str
    why: str
    fix: str


@dataclass(slots=True)
class Summary:
    files: int = 0
    goals: int = 0
    metrics: int = 0
    kpis: int = 0
    incentives: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0
    omitted: int = 0  # findings past the per-file limit: counted, not listed


@dataclass(slots=True)
class Report:
    findings: list[Finding] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    today: date | None = None
    fail_on: str = "error"
    rules: dict[str, RuleInfo] = field(default_factory=dict)  # the rules that ran
    notes: list[str] = field(default_factory=list)  # warnings for the user, one line each
    texts: dict[str, int] = field(default_factory=dict)  # hash() of each file's text as linted
    files: set[str] = field(default_factory=set)  # display paths of the files reported on
    partial: bool = False  # only part of a project was named (FORMAT.md "impact")
    # diff: the base paths of KPI802 findings that exist at head (None: not a diff's report)
    at_head: set[str] | None = None
    # ACTUALS.md: one record per live KPI with a numeric target (None: no actuals declared)
    progress: list[dict[str, Any]] | None = None

    def recount(self) -> None:
        """Set the summary's severity counts from the findings (after adding or dropping some)."""
        for severity in ("error", "warning", "info"):
            setattr(self.summary, severity, self.count(severity))

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, fail_on: str | None = None) -> bool:
        """True when a finding is at or above ``fail_on`` (``never`` never fails)."""
        fail_on = fail_on or self.fail_on
        if fail_on == "never":
            return False
        floor = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= floor for f in self.findings)
