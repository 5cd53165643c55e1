"""Known findings: adopt kpilint on a legacy catalogue, then ratchet down.

``--write-known F`` records today's findings as (code, path, entity, key) with
a count, never lines, so edits elsewhere in a file do not invalidate it
(phpstan's approach). ``--known F`` hides findings the file accounts for and
lists entries that no longer occur, so the file can only shrink.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpilint.findings import Finding, Report

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


def write(path: Path, report: Report) -> tuple[int, int]:
    """Record ``report``'s findings in ``path``: (findings recorded, entries written).

    A partial run (some files of a project named, as pre-commit does) knows
    nothing of the other files, so their entries are kept as the file had them
    and only the named files' entries are rewritten.
    """
    counts: Counter[Key] = Counter()
    if report.partial and path.exists():
        counts.update({k: n for k, n in read(path).items() if k[1] not in report.files})
    mine = [f for f in report.findings if not report.partial or f.path in report.files]
    counts.update(_key(f) for f in mine)
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
    return len(mine), len(entries)


def _int_or_text(text: str) -> int | str:
    """An int past Python's int-digit limit stays text: that entry is skipped, as any other
    that does not fit, instead of the whole file failing with Python's advice."""
    try:
        return int(text)
    except ValueError:
        return text


def read(path: Path, problems: list[str] | None = None) -> Counter[Key]:
    """The recorded counts; an entry that does not fit the schema is skipped (a miss,
    so its findings show) and described in ``problems``."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"), parse_int=_int_or_text)
    except FileNotFoundError:
        raise KnownFileError(f"known-findings file '{path}' does not exist") from None
    except RecursionError:
        raise KnownFileError(f"known-findings file '{path}' is nested too deeply") from None
    except (OSError, ValueError) as exc:
        raise KnownFileError(f"known-findings file '{path}' is not readable JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != KNOWN_VERSION:
        raise KnownFileError(f"'{path}' is not a kpilint known-findings file (version 1)")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise KnownFileError(f"'{path}': 'findings' is not a list")
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(entries, 1):
        checked = _entry(entry)
        if isinstance(checked, str):
            if problems is not None:
                problems.append(f"{path}: entry {number} ignored: {checked}")
            continue
        key, count = checked
        counts[key] += count
    return counts


def _entry(e: Any) -> tuple[Key, int] | str:
    """An entry's key and count, or why it does not fit the schema."""
    if not isinstance(e, dict):
        return "not an object"
    entity = e.get("entity")
    if entity is None:
        entity = {}
    if not isinstance(entity, dict):
        return "'entity' is not an object"
    parts = (e.get("code"), e.get("path"), entity.get("kind", ""), entity.get("id"), e.get("key"))
    names = ("code", "path", "entity.kind", "entity.id", "key")
    for i, (name, value) in enumerate(zip(names, parts, strict=True)):
        if not isinstance(value, str) and not (i >= 3 and value is None):
            return f"'{name}' is not a string"
    count = e.get("count", 1)
    if type(count) is not int or count < 1:
        return "'count' is not a whole number of at least 1"
    code, file, kind, ident, key = (value or "" for value in parts)
    return (str(code), str(file), str(kind), str(ident), str(key)), count


def subtract(
    findings: list[Finding], known: Counter[Key], files: Collection[str] | None = None
) -> tuple[list[Finding], list[Stale]]:
    """Findings the known file does not account for, and its entries that no longer occur.

    Only entries of ``files`` (the files the run reported on; default: all) can
    be stale: a run that did not look at a file cannot say its findings are gone.
    """
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
        if n > 0 and (files is None or file in files)
    ]
    return fresh, stale
