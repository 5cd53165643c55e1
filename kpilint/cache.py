"""A content-hash cache of a project's findings, so an unchanged project re-lints at once.

The key is kpilint's version, the resolved configuration, "today", the named
paths and the hash of every project file's bytes; any change is a miss. The
value is the findings and counts, stored as JSON (never pickle: a cache folder
that somebody commits must not be able to run code). The folder is
``.kpilint_cache/`` at the project root, safe to delete, ignored by git.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from kpilint import __version__
from kpilint.findings import Edit, EntityRef, Finding, Fix

CACHE_DIR = ".kpilint_cache"
KEEP = 16  # cached results per project; the oldest go first


def _code_stamp() -> str:
    """kpilint's own files (name, size, mtime): a development checkout changes without
    a new version number, and its cache must not outlive the code that wrote it."""
    from kpilint.registry import rules_dir

    package = Path(__file__).parent
    parts = []
    for path in sorted([*package.rglob("*.py"), *rules_dir().glob("*.toml")]):
        st = path.stat()
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def digest(parts: list[str], files: list[Path]) -> str | None:
    """The key of one lint of ``files``; None when a file cannot be read."""
    h = hashlib.sha256(__version__.encode() + _code_stamp().encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    for path in files:
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return None  # a FIFO or device: never read it here, never cache it
            data = path.read_bytes()
        except OSError:
            return None
        h.update(b"\0" + str(path).encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def load(root: Path, key: str) -> tuple[list[Finding], dict[str, int]] | None:
    path = root / CACHE_DIR / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        findings = [_finding(f) for f in data["findings"]]
        counts = {k: int(v) for k, v in data["counts"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, or damaged: lint again and rewrite it
    return findings, counts


def store(root: Path, key: str, findings: list[Finding], counts: dict[str, int]) -> None:
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# kpilint's cache: safe to delete\n*\n", encoding="utf-8")
        payload = {"findings": [asdict(f) for f in findings], "counts": counts}
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(payload, default=_json_default), encoding="utf-8")
        os.replace(tmp, folder / f"{key}.json")
        _prune(folder)
    except OSError:
        pass  # a read-only checkout still lints; it just does not cache


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot cache {type(value).__name__}")


def _finding(data: dict[str, Any]) -> Finding:
    fix = data["fix"]
    entity = data["entity"]
    return Finding(
        code=data["code"],
        name=data["name"],
        severity=data["severity"],
        path=data["path"],
        line=data["line"],
        column=data["column"],
        entity=EntityRef(entity["kind"], entity["id"]) if entity else None,
        message=data["message"],
        fix=Fix(
            fix["description"],
            fix["applicability"],
            tuple(Edit(e["start"], e["end"], e["content"]) for e in fix["edits"]),
        ),
        key=data["key"],
        end_line=data["end_line"],
        end_column=data["end_column"],
        fingerprint=data["fingerprint"],
    )
