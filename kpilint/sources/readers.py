"""Readers: a source file's bytes to documents plus the position of every key and value.

A reader knows formats and positions, nothing of KPIs. Each returns a
``SourceFile`` whose ``data`` is the list of the file's documents (YAML may hold
several; every other format one) and whose positions are keyed
``(document, *path)``, in the file's own text: a finding in front matter is on
the Markdown file's line, a TOML finding on the key's line.
"""

from __future__ import annotations

import re
import sys
from datetime import time
from pathlib import Path
from typing import Any

from kpilint.findings import FILE_START, Pos
from kpilint.loader import MAX_DEPTH, Path_, Problem, SourceFile, decode, parse_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def read(fmt: str, path: Path, display: str, raw: bytes) -> SourceFile:
    """The documents of one file in ``fmt``; problems (KPI001, KPI004) recorded, never raised."""
    sf = SourceFile(path=path, display=display)
    text = decode(sf, raw, "text")
    if text is None:
        return sf
    _READERS[fmt](sf, text)
    sf.text = text
    sf.lines.reset(text)
    if "\r\n" in text:
        sf.newline = "\r\n"
    if isinstance(sf.data, list):
        ints_as_text(sf, sf.data, ())
    return sf


_LONG_DIGITS = re.compile(r"[0-9A-Fa-f_]{3000,}")  # fewer: the int prints in any base
_BIG_INT_BITS = 9000  # about 2,700 decimal digits: below any int-digit limit Python sets


def ints_as_text(sf: SourceFile, data: list[Any] | dict[Any, Any], base: Path_) -> None:
    """Each int whose decimal text Python refuses (YAML reads ``0x``, ``0o`` and ``0b`` ints
    of any length) becomes the text the file wrote, as a long decimal int already is:
    every ``str()``, slug and template of it downstream would raise."""
    if not _LONG_DIGITS.search(sf.text):
        return
    stack: list[tuple[list[Any] | dict[Any, Any], Path_]] = [(data, base)]
    while stack:
        node, path = stack.pop()
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, (dict, list)):
                stack.append((value, (*path, key)))
            elif type(value) is int and value.bit_length() > _BIG_INT_BITS:
                try:
                    str(value)
                except ValueError:
                    span = sf.values.get((*path, key))
                    written = sf.text[span.start : span.end].strip() if span else ""
                    node[key] = written or hex(value)


def _yaml(sf: SourceFile, text: str) -> None:
    parse_text(sf, text, documents=True)
    _template_hint(sf, text)


_TEMPLATE = re.compile(r"\{\{|\{%")


def _template_hint(sf: SourceFile, text: str) -> None:
    """A file that fails to parse and holds ``{{``/``{%`` is a template (Helm, Jinja, dbt)."""
    if not _TEMPLATE.search(text):
        return
    for n, p in enumerate(sf.problems):
        if p.code == "KPI001":
            sf.problems[n] = p._replace(
                message=f"{p.message} (the file looks like a template, with {{{{ or {{%: "
                "render it first and lint the output)",
                fix="Render the template (helm template, dbt compile...) and lint what it writes",
            )


# A blank line (or a BOM, which decoding drops) before the opening `---` is still front matter.
_FRONT_MATTER = re.compile(r"\A(?:[ \t]*\r?\n)*(---)[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def _front_matter(sf: SourceFile, text: str) -> None:
    """The YAML between ``---`` lines at the top; a file without it holds no record.

    The YAML is parsed as the file's own prefix (it starts with ``---``, a
    document marker), so every offset is already the Markdown file's.
    """
    opening = _FRONT_MATTER.match(text)
    if opening is None:
        sf.data = []
        return
    close = _CLOSE.search(text, opening.end())
    line = text.count("\n", 0, opening.start(1)) + 1
    if close is None:
        sf.problems.append(
            Problem(
                "KPI001",
                Pos(line, 1),
                f"the front matter starting on line {line} is never closed with a `---` line",
                "End the front matter with a line holding only ---",
            )
        )
        return
    blank = opening.start(1)  # blank lines may hold tabs, which YAML refuses: spaces, same offsets
    yaml_text = re.sub(r"[^\r\n]", " ", text[:blank]) + text[blank : close.start()]
    parse_text(sf, yaml_text, documents=True)
    _template_hint(sf, yaml_text)
    if isinstance(sf.data, list):
        sf.data = [d for d in sf.data if d is not None][:1]


def _json(sf: SourceFile, text: str) -> None:
    """JSON values from ``json``; positions from the YAML reading of the same text.

    JSON is YAML but for tabs between tokens and the ``\\/`` escape: both are
    replaced by characters of the same length before the YAML pass, so offsets hold.
    """
    import json

    try:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an int past Python's int-digit limit: text, as YAML keeps it
            data = json.loads(text, parse_int=_int_or_text)
    except json.JSONDecodeError as exc:
        sf.problems.append(
            Problem("KPI001", Pos(exc.lineno, exc.colno), f"invalid JSON: {exc.msg}")
        )
        return
    except RecursionError:
        sf.problems.append(_too_deep("JSON"))
        return
    shadow = SourceFile(path=sf.path, display=sf.display)
    parse_text(shadow, text.replace("\t", " ").replace("\\/", "//"), documents=True)
    if not isinstance(shadow.data, list):  # nesting limits: the YAML pass refused it
        sf.problems.extend(
            p._replace(message=p.message.replace("YAML", "JSON")) for p in shadow.problems
        )
        return
    sf.positions = shadow.positions
    sf.keys, sf.values = shadow.keys, shadow.values
    sf.positions.lines = sf.lines
    sf.problems.extend(p for p in shadow.problems if p.code == "KPI004")
    sf.data = [data]


def _int_or_text(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _too_deep(fmt: str) -> Problem:
    return Problem(
        "KPI001", FILE_START, f"the {fmt} nests more than {MAX_DEPTH} levels deep; not read"
    )


_TOML_ERROR = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml(sf: SourceFile, text: str) -> None:
    from kpilint.sources.tomlpos import scan, unreadable_int

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_ERROR.search(message)
        pos = Pos(int(found[1]), int(found[2])) if found else FILE_START
        detail = _TOML_ERROR.sub("", message).strip()
        sf.problems.append(Problem("KPI001", pos, f"invalid TOML: {detail}"))
        return
    except ValueError:  # an int past Python's int-digit limit; TOML promises 64 bits
        data = None
    except RecursionError:
        sf.problems.append(_too_deep("TOML"))
        return
    if data is None or _LONG_DIGITS.search(text):
        offset = unreadable_int(text)
        if data is None or offset is not None:
            sf.lines.reset(text)
            pos = FILE_START if offset is None else sf.position(offset)
            sf.problems.append(Problem("KPI001", pos, "invalid TOML: an integer too long to read"))
            return
    if _deeper_than(data, MAX_DEPTH):
        sf.problems.append(_too_deep("TOML"))
        return
    scan(text, sf)
    if _LOCAL_TIME.search(text):
        _times_as_text(data)
    sf.data = [data]


_LOCAL_TIME = re.compile(r"\d\d:\d\d:\d\d")


def _times_as_text(data: dict[str, Any]) -> None:
    """A TOML local time (``07:32:00``) is no value a KPI file holds, and YAML has no type
    to write it back as (``import`` raised): it is read as its text."""
    stack: list[list[Any] | dict[Any, Any]] = [data]
    while stack:
        node = stack.pop()
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, (dict, list)):
                stack.append(value)
            elif isinstance(value, time):
                node[key] = value.isoformat()


def _deeper_than(data: object, limit: int) -> bool:
    """Whether lists and tables nest more than ``limit`` deep (no recursion: any depth)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            if depth >= limit:
                return True
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return False


def _csv(sf: SourceFile, text: str) -> None:
    """Each row a record: header name -> cell text (empty cells absent), cells positioned."""
    from kpilint.importers.csv import sniff_delimiter, tokenize, unclosed_quote

    rows, unclosed = tokenize(text, sniff_delimiter(text))
    if unclosed is not None:
        sf.lines.reset(text)
        sf.problems.append(unclosed_quote(sf, unclosed))
        return
    if not rows:
        sf.data = [[]]
        return
    header = [c.value for c in rows[0]]
    records: list[dict[str, str]] = []
    for row in rows[1:]:
        if all(not c.value for c in row):
            continue
        index = len(records)
        record: dict[str, str] = {}
        for name, cell in zip(header, row, strict=False):
            if name and cell.value and name not in record:
                record[name] = cell.value
                sf.keys.put((0, index, name), cell.start, cell.end)
                sf.values.put((0, index, name), cell.start, cell.end)
        if record:
            sf.values.put((0, index), row[0].start, row[-1].end)
            records.append(record)
    sf.data = [records]


_READERS = {
    "yaml": _yaml,
    "json": _json,
    "toml": _toml,
    "front-matter": _front_matter,
    "csv": _csv,
}
