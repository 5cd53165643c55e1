"""``merge-by``: records of several files with an equal merge key are one record.

Open SDG keeps one indicator in ``indicator-config/1-1-1.yml`` and ``meta/1-1-1.md``.
The reader indexes every file of the source once (by merge key); the file ranked
first (its ``include`` glob listed first, then path order) holds the merged record,
the others give no entity for it. A file without a partner is read alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpilint.config import ConfigError
from kpilint.sources.paths import Template
from kpilint.sources.records import Record, render
from kpilint.sources.spec import SourceSpec


@dataclass(slots=True)
class Member:
    rank: tuple[int, str]  # (index of the first include glob matching, path)
    path: Path
    record: Record


@dataclass(slots=True)
class MergeIndex:
    """Merge key -> the records of different files that share it, first file first."""

    template: Template
    groups: dict[str, list[Member]] = field(default_factory=dict)

    def role(self, path: Path, rec: Record) -> tuple[str, Record | None]:
        """("alone", None), ("first", the merged record) or ("merged", None: read elsewhere)."""
        key = _key_of(rec, self.template)
        members = self.groups.get(key) if key is not None else None
        if not members or len({m.path for m in members}) < 2:
            return "alone", None
        if members[0].path != path:
            return "merged", None
        return "first", merged(members)


def _key_of(rec: Record, template: Template) -> str | None:
    done = render(template, rec, None, None)
    return done[0] if done is not None else None


def build_index(
    spec: SourceSpec,
    files: Sequence[Path],
    records_of: Callable[[Path], list[Record]],
    rank: Callable[[Path], int],
) -> MergeIndex:
    """Every record of ``files`` by merge key; ``ConfigError`` when no record has one."""
    assert spec.merge_by is not None
    index = MergeIndex(spec.merge_by)
    any_key = any_record = False
    for path in files:
        of_file: set[str] = set()
        for rec in records_of(path):
            if not isinstance(rec.data, dict) or not rec.data:
                continue
            any_record = True
            key = _key_of(rec, index.template)
            if key is None or key in of_file:  # records of one file never merge
                continue
            any_key = True
            of_file.add(key)
            index.groups.setdefault(key, []).append(Member((rank(path), str(path)), path, rec))
    if any_record and not any_key:
        raise ConfigError(
            f"{spec.where_declared}.merge-by: '{spec.merge_by.text}' names a path no record "
            'of the source has; name one every record has, such as "{$file}"'
        )
    for members in index.groups.values():
        members.sort(key=lambda m: m.rank)
    return index


def merged(members: list[Member]) -> Record:
    """The first file's record, each top-level key from the first file that has it
    (a null counts as absent); a key from another file has no place in this file."""
    first = members[0].record
    data: dict[str, Any] = {}
    foreign: set[str] = set()
    for n, member in enumerate(members):
        assert isinstance(member.record.data, dict)
        for key, value in member.record.data.items():
            if value is None or data.get(key) is not None:
                continue
            data[key] = value
            if n:
                foreign.add(key)
            else:
                foreign.discard(key)
    return Record(
        data,
        first.path,
        first.document,
        first.key,
        first.stem,
        first.parsed,
        first.state,
        first.relpath,
        frozenset(foreign),
    )
