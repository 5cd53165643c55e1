"""Known findings: adopt kpilint on a legacy catalogue, then ratchet down.

``--write-known F`` records today's findings as (code, path, entity, key) with
a count, never lines, so edits elsewhere in a file do not invalidate it
(phpstan's approach). ``--known F`` hides findings the file accounts for and
lists entries that no longer occur, so the file can only shrink.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpilint.findings import Finding

KNOWN_VERSION = 1
Key = tuple[str, str, str, str, str]  # code, path, entity kind, entity id, key


class KnownFileError(ValueError):
    """The known-findings file cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Stale:
    code: str
    path: str
    entity: str
    count: int  # how many recorded occurrences no longer occur


def _key(f: Finding) -> Key:
    kind = f.entity.kind if f.entity else ""
    ident = (f.entity.id or "") if f.entity else ""
    return (f.code, f.path, kind, ident, f.key or "")


def write(path: Path, findings: list[Finding]) -> int:
    counts = Counter(_key(f) for f in findings)
    entries = [
        {
            "code": code,
            "path": file,
            "entity": {"kind": kind, "id": ident} if kind else None,
            "key": key or None,
            "count": n,
        }
        for (code, file, kind, ident, key), n in sorted(counts.items())
    ]
    payload = {"version": KNOWN_VERSION, "findings": entries}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read(path: Path) -> Counter[Key]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnownFileError(f"known-findings file '{path}' does not exist") from None
    except (OSError, ValueError) as exc:
        raise KnownFileError(f"known-findings file '{path}' is not readable JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != KNOWN_VERSION:
        raise KnownFileError(f"'{path}' is not a kpilint known-findings file (version 1)")
    counts: Counter[Key] = Counter()
    try:
        for e in data["findings"]:
            entity = e.get("entity") or {}
            key = (
                e["code"],
                e["path"],
                entity.get("kind", ""),
                entity.get("id") or "",
                e.get("key") or "",
            )
            counts[key] += int(e.get("count", 1))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnownFileError(f"'{path}': malformed entry ({exc})") from None
    return counts


def subtract(findings: list[Finding], known: Counter[Key]) -> tuple[list[Finding], list[Stale]]:
    """Findings the known file does not account for, and its entries that no longer occur."""
    budget = Counter(known)
    fresh = []
    for f in findings:
        key = _key(f)
        if budget[key] > 0:
            budget[key] -= 1
        else:
            fresh.append(f)
    stale = [
        Stale(code, file, f"{kind} '{ident}'" if kind else "", n)
        for (code, file, kind, ident, _), n in sorted(budget.items())
        if n > 0
    ]
    return fresh, stale
