"""Read one KPI file into plain data plus the positions of every key and value.

The YAML is composed to nodes (for line and column), converted once into plain
Python values and a compact position index, and the nodes are dropped: keeping
node trees is what makes YAML tools slow and memory-hungry. Parsing is safe by
construction: only core-schema tags are converted, anything else is KPI001.
"""

from __future__ import annotations

import bisect
import re
import stat
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, NamedTuple

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from kpilint.comments import Suppression
from kpilint.comments import read as read_comment
from kpilint.findings import FILE_START, Edit, Pos
from kpilint.quoting import quote

try:  # the libyaml C parser is 5-10x faster; fall back to pure Python when absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """The safe loader with its Python-level tag resolution memoised.

    libyaml parses in C but asks Python to resolve every scalar's tag by regex;
    KPI files repeat the same keys and values, so a cache removes most of that.
    """

    _resolved: ClassVar[dict[str, str]] = {}  # plain scalar -> tag

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:  # no path resolvers: collections get their default
            return _SEQ if kind is yaml.SequenceNode else _MAP
        if not implicit[0]:  # quoted or block scalar: always a string
            return _STR
        if value[:1] not in _RESOLVER_FIRST and not _ANY_FIRST:  # "Deploys", "github"
            return _STR
        tag = self._resolved.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            if len(value) <= 40:
                if len(self._resolved) > 50_000:
                    self._resolved.clear()
                self._resolved[value] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None  # no path resolvers are registered: skip the bookkeeping

    def ascend_resolver(self) -> None:
        return None


# A plain scalar is a string unless a resolver for its first character matches.
_RESOLVER_FIRST = frozenset(_Loader.yaml_implicit_resolvers)
_ANY_FIRST = None in _RESOLVER_FIRST  # resolvers for any first character: none in PyYAML

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 200

Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_INT, _TIMESTAMP = _TAG + "int", _TAG + "timestamp"
_MERGE = _TAG + "merge"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = SafeConstructor()


class Span(NamedTuple):
    """Where a node sits: 1-based line/column of its start, and character offsets.

    A NamedTuple, not a dataclass: a file has one per key and value, and tuples
    are several times cheaper to build and smaller to keep.
    """

    line: int
    column: int
    start: int
    end: int

    @property
    def pos(self) -> Pos:
        return Pos(self.line, self.column)


class Problem(NamedTuple):
    """A finding the loader or model discovered, surfaced later by its rule."""

    code: str
    pos: Pos
    message: str
    fix: str | None = None
    path: Path_ = ()  # logical path of the offending key or value
    edits: tuple[Edit, ...] = ()


_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


_HALF = (1 << 64) - 1


class PositionStore:
    """The positions of one file's keys and values, one packed int per path.

    A path such as ``("kpis", 3, "target")`` has a key and a value; both are
    kept in one int (``(start + 1) << 32 | end + 1`` per half; 0 is "absent"),
    and line and column are derived only when a finding asks. Explicit
    ``Span``s (from importers) are kept apart.

    ``prune`` keeps the deepest level it retains in a denser form: per parent
    (an entity), the names of its keys (a tuple shared by every entity with
    the same keys) and where their halves start in one array per file. A dict
    entry per key costs about 150 bytes; this costs about 20.
    """

    __slots__ = ("children", "halves", "lines", "packed", "spans")
    _names: ClassVar[dict[tuple[str | int, ...], tuple[str | int, ...]]] = {}

    def __init__(self, lines: LineIndex) -> None:
        self.lines = lines
        self.packed: dict[Path_, int] = {}
        self.spans: dict[tuple[int, Path_], Span] = {}
        self.children: dict[Path_, tuple[tuple[str | int, ...], int]] = {}
        self.halves = array("Q")

    def get(self, path: Path_) -> int:
        """The packed key and value of ``path``; 0 when unknown."""
        packed = self.packed.get(path)
        if packed is not None:
            return packed
        if path and self.children:
            entry = self.children.get(path[:-1])
            if entry is not None:
                names, start = entry
                try:
                    i = start + 2 * names.index(path[-1])
                except ValueError:
                    return 0
                return self.halves[i + 1] << 64 | self.halves[i]
        return 0

    def set_value(self, path: Path_, start: int, end: int) -> None:
        """Replace the value half, keeping the key's."""
        key = self.get(path) & (_HALF << 64)
        self.packed[path] = key | (start + 1) << 32 | (end + 1)

    def prune(self, depth: int) -> None:
        """Forget positions deeper than ``depth``: validation has used them already."""
        kept: dict[Path_, int] = {}
        groups: dict[Path_, list[tuple[str | int, int]]] = {}
        for path, packed in self.packed.items():
            if len(path) < depth:
                kept[path] = packed
            elif len(path) == depth:
                groups.setdefault(path[:-1], []).append((path[-1], packed))
        self.packed = kept
        shared = self._names
        if len(shared) > 10_000:
            shared.clear()
        flat = list(self.halves)
        for parent, items in groups.items():
            names = tuple(name for name, _ in items)
            self.children[parent] = (shared.setdefault(names, names), len(flat))
            for _, packed in items:
                flat += (packed & _HALF, packed >> 64)
        self.halves = array("Q", flat)
        self.spans = {k: v for k, v in self.spans.items() if len(k[1]) <= depth}


class PositionMap:
    """A mapping view, logical path -> ``Span``, of the keys or the values of a file."""

    __slots__ = ("_shift", "_side", "_store")

    def __init__(self, store: PositionStore, side: int) -> None:
        self._store = store
        self._side = side  # 0: values, 1: keys
        self._shift = 64 * side

    def put(self, path: Path_, start: int, end: int) -> None:
        store = self._store
        half = (start + 1) << 32 | (end + 1)
        store.packed[path] = (store.get(path) & ~(_HALF << self._shift)) | (half << self._shift)

    def __setitem__(self, path: Path_, span: Span) -> None:
        self._store.spans[(self._side, path)] = span

    def get(self, path: Path_, default: Span | None = None) -> Span | None:
        span = self._store.spans.get((self._side, path))
        if span is not None:
            return span
        half = (self._store.get(path) >> self._shift) & _HALF
        if not half:
            return default
        start, end = (half >> 32) - 1, (half & 0xFFFFFFFF) - 1
        line, column = self._store.lines.position(start)
        return Span(line, column, start, end)

    def __getitem__(self, path: Path_) -> Span:
        span = self.get(path)
        if span is None:
            raise KeyError(path)
        return span

    def __contains__(self, path: object) -> bool:
        return self.get(path) is not None  # type: ignore[arg-type]

    def prune(self, depth: int) -> None:
        self._store.prune(depth)


class LineIndex:
    """Character offset -> 1-based line and column, with YAML's line breaks."""

    __slots__ = ("_starts", "_text")

    def __init__(self) -> None:
        self._text = ""
        self._starts: list[int] | None = None

    def reset(self, text: str) -> None:
        self._text = text
        self._starts = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in _BREAKS.finditer(self._text))]
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def span(self, line: int) -> tuple[int, int]:
        """Offsets of 1-based ``line``'s first character and of its line break (or the end)."""
        starts = self._line_starts()
        start = starts[line - 1]
        if line >= len(starts):
            return start, len(self._text)
        brk = _BREAKS.search(self._text, start)
        return start, brk.start() if brk else len(self._text)


@dataclass(slots=True)
class SourceFile:
    """One KPI file after loading: data, positions, comments, and load problems."""

    path: Path
    display: str
    text: str = ""
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    lines: LineIndex = field(default_factory=LineIndex)
    positions: PositionStore = field(init=False)
    keys: PositionMap = field(init=False)
    values: PositionMap = field(init=False)
    suppressions: list[Suppression] = field(default_factory=list)
    newline: str = "\n"
    catalogue: str | None = None  # read through a source (SOURCES.md): never fixed in place
    ignores: tuple[tuple[str, str], ...] = ()  # its source's `ignore`: (selector, reason)

    def __post_init__(self) -> None:
        self.positions = PositionStore(self.lines)
        self.keys = PositionMap(self.positions, 1)
        self.values = PositionMap(self.positions, 0)

    def position(self, offset: int) -> Pos:
        """The line and column of a character offset in ``text``."""
        return Pos(*self.lines.position(offset))

    @property
    def ok(self) -> bool:
        """Parsed to a mapping: entities can be read from it."""
        return isinstance(self.data, dict)


def _sexagesimal(value: str) -> int | str:
    """A YAML 1.1 base-60 int (``1:30:00``) as PyYAML reads it, in linear time.

    Past about 4,300 decimal digits it stays text, as a decimal int that long
    does (Python's int-digit limit): PyYAML's loop is quadratic, and no base
    conversion is linear.
    """
    text = value.replace("_", "")
    if text.count(":") >= _MAX_BASE60_DIGITS:
        return value
    sign = -1 if text[0] == "-" else 1
    total = 0
    for part in text.lstrip("+-").split(":"):
        total = total * 60 + int(part)
    return sign * total


_MAX_BASE60_DIGITS = 2400  # 60**2400 has about 4,270 decimal digits


class _TooBig(Exception):
    """The document expands beyond its budget (an alias bomb) or nests too deep."""


def read_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
    """Read and parse ``path``; never raises for bad content, only records KPI001."""
    sf = SourceFile(path=path, display=display)
    raw = read_bytes(sf, max_bytes)
    if raw is not None:
        parse_bytes(sf, raw)
    return sf


def read_text(
    path: Path, display: str, text: str | bytes, max_bytes: int = DEFAULT_MAX_BYTES
) -> SourceFile:
    """``text`` (stdin, an editor's buffer) parsed as the file ``path``, as ``read_file`` does."""
    sf = SourceFile(path=path, display=display)
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        sf.problems.append(too_big(size, max_bytes))
    elif isinstance(text, bytes):
        parse_bytes(sf, text)
    else:
        parse_text(sf, text)
    return sf


def too_big(size: int, max_bytes: int) -> Problem:
    return Problem(
        "KPI001",
        FILE_START,
        f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; not parsed",
        "Split the file, or raise `max-file-size` in the config",
    )


def read_bytes(sf: SourceFile, max_bytes: int) -> bytes | None:
    """``sf.path``'s bytes, or None with a KPI001 (too big, unreadable, not a regular file)."""
    try:
        st = sf.path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            sf.problems.append(
                Problem("KPI001", FILE_START, "not a regular file; not read", "Name a regular file")
            )
            return None
        if st.st_size > max_bytes:
            sf.problems.append(too_big(st.st_size, max_bytes))
            return None
        with sf.path.open("rb") as handle:
            return _read_at_most(handle, st.st_size, max_bytes + 1)
    except OSError as exc:
        sf.problems.append(
            Problem(
                "KPI001",
                FILE_START,
                f"cannot read file: {exc.strerror}",
                "Check that the file exists and is readable",
            )
        )
        return None


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of a file ``size`` bytes long when stat() ran.

    ``read(n)`` allocates ``n`` bytes first, so a huge configured limit asks
    for the file's size; a file that grew since is read on in chunks.
    """
    data = handle.read(min(size + 1, limit))
    parts = [data]
    total = len(data)
    while size < total < limit:
        chunk = handle.read(min(1 << 20, limit - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return data if len(parts) == 1 else b"".join(parts)


def parse_bytes(sf: SourceFile, raw: bytes, *, require_mapping: bool = True) -> None:
    """Decode (UTF-8, BOM allowed) and parse; bad bytes are KPI001 at their position."""
    text = decode(sf, raw, "YAML")
    if text is not None:
        parse_text(sf, text, require_mapping=require_mapping)


def decode(sf: SourceFile, raw: bytes, what: str) -> str | None:
    """UTF-8 text (BOM allowed), or None with a KPI001 (NUL bytes, or at the bad byte)."""
    if b"\x00" in raw:
        sf.problems.append(Problem("KPI001", FILE_START, *nul_bytes(raw, what)))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sf.problems.append(
            Problem(
                "KPI001",
                undecodable(raw, exc),
                f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                "Save the file as UTF-8",
            )
        )
        return None


def undecodable(raw: bytes, exc: UnicodeDecodeError) -> Pos:
    """Line and column of the byte that failed to decode."""
    before = raw[: exc.start]
    return Pos(before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1)


_WIDE_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def nul_bytes(raw: bytes, what: str) -> tuple[str, str]:
    """Message and fix for a file with NUL bytes: UTF-16/32 text, or binary.

    Notepad and Excel save "Unicode" as UTF-16; every ASCII character then has a
    NUL beside it. A BOM says so, and so does a NUL in every other byte.
    """
    encoding = next((name for bom, name in _WIDE_BOMS.items() if raw.startswith(bom)), None)
    if encoding is None:
        head = raw[:4096]
        pairs = len(head) // 2
        if pairs and max(head[0::2].count(0), head[1::2].count(0)) >= pairs * 0.9:
            encoding = "UTF-16"
    if encoding is not None:
        return (
            f"the file is {encoding} text, not UTF-8",
            "Save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
        )
    return f"binary file (it contains NUL bytes), not {what}", "Name a text file"


def parse_text(
    sf: SourceFile, text: str, *, require_mapping: bool = True, documents: bool = False
) -> None:
    """Parse ``text`` into ``sf``; ``require_mapping=False`` keeps any top level (importers).

    ``documents=True`` reads every document of a stream (OpenSLO files hold several):
    ``sf.data`` is then the list of documents, positioned under ``(index, ...)``.
    """
    sf.text = text
    sf.lines.reset(text)
    if "\r\n" in text:
        sf.newline = "\r\n"
    deep = _too_deep(text)
    if deep is not None:
        sf.problems.append(deep)
        return
    loader = _Loader(text)
    try:
        if documents:
            nodes: list[yaml.Node] = []
            while loader.check_node():
                nodes.append(loader.get_node())  # type: ignore[arg-type]
        else:
            node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        deep = _too_deep_before(text, mark.line if mark is not None else None)
        if deep is not None:
            sf.problems.append(deep)
            return
        pos = Pos(mark.line + 1, mark.column + 1) if mark is not None else FILE_START
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        sf.problems.append(Problem("KPI001", pos, f"invalid YAML: {problem}"))
        return
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        pos = FILE_START
        offset = getattr(exc, "position", None)
        if isinstance(offset, int):  # libyaml counts UTF-8 bytes, not characters
            chars = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
            pos = sf.position(chars)
        reason = getattr(exc, "reason", None)
        character = getattr(exc, "character", None)
        if reason and isinstance(character, int):
            detail = f"{reason} (character U+{character:04X})"
        elif reason:
            detail = str(reason)
        else:
            detail = _one_line(exc)
        sf.problems.append(Problem("KPI001", pos, f"invalid YAML: {detail}"))
        return
    except RecursionError:
        sf.problems.append(Problem("KPI001", FILE_START, "the YAML nests too deeply to read"))
        return
    finally:
        loader.dispose()
    if documents:
        _read_documents(sf, nodes)
        return
    _find_suppressions(sf, [node] if node is not None else [])
    if node is None:  # empty document or comments only
        sf.data = {}
        return
    converter = _Converter(sf, budget=len(text) + 1000)
    data = _converted(sf, converter, node, ())
    if data is _FAILED or converter.failed:
        return
    if require_mapping and not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        sf.problems.append(
            Problem(
                "KPI001",
                FILE_START,
                f"the top level is {kind}, not a mapping of goals, metrics, kpis and incentives",
                "Put entities under top-level `goals:`, `metrics:`, `kpis:` or `incentives:`",
            )
        )
        return
    sf.data = data


def _read_documents(sf: SourceFile, nodes: list[yaml.Node]) -> None:
    _find_suppressions(sf, nodes)
    converter = _Converter(sf, budget=len(sf.text) + 1000)
    data: list[Any] = []
    for index, node in enumerate(nodes):
        value = _converted(sf, converter, node, (index,))
        if value is _FAILED:
            return
        data.append(value)
    if not converter.failed:
        sf.data = data


_FAILED: Any = object()


def _converted(sf: SourceFile, converter: _Converter, node: yaml.Node, path: Path_) -> Any:
    """The node as plain data, or ``_FAILED`` with a KPI001 (an alias bomb, too deep)."""
    try:
        return converter.convert(node, path, len(path))
    except _TooBig as exc:
        sf.problems.append(Problem("KPI001", Pos(node.start_mark.line + 1, 1), str(exc)))
    except RecursionError:
        sf.problems.append(Problem("KPI001", FILE_START, "the YAML nests too deeply to read"))
    return _FAILED


LIBYAML_SAFE_DEPTH = 5000  # libyaml's recursive composer overflows the C stack near 25,000
_LONG_LINE = re.compile(rf"[^\n]{{{LIBYAML_SAFE_DEPTH}}}")


def _too_deep(text: str) -> Problem | None:
    """KPI001 when the YAML nests deeper than MAX_DEPTH, checked before composing.

    libyaml composes recursively in C and crashes the process on very deep
    nesting. Each level needs a bracket or a column of its own, so a file with
    few brackets and no very long line is safe at once (C-speed checks); the
    converter enforces MAX_DEPTH on those. Only a suspect file is walked by events.
    """
    if text.count("[") + text.count("{") < LIBYAML_SAFE_DEPTH and not _LONG_LINE.search(text):
        return None
    try:
        if _deeper_than_max(yaml.parse(text, Loader=_Loader)):
            return _nests_too_deep()
    except yaml.MarkedYAMLError as exc:  # libyaml may stop at a nesting limit of its own
        mark = exc.problem_mark or exc.context_mark
        return _too_deep_before(text, mark.line if mark is not None else None)
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its position
    return None


_DEEP_PREFIX = 1 << 20  # characters the pure-Python walk reads at most after an error


def _too_deep_before(text: str, line: int | None) -> Problem | None:
    """KPI001 "nests more than" when the text before a parse error is deeper than MAX_DEPTH.

    libyaml (from PyYAML 6.0.4) refuses nesting past its own limit with a syntax
    error. Whether a file is too deep must not depend on that limit, so after an
    error the text before it is walked with PyYAML's pure-Python parser, which
    has no limit and is not recursive. Only a prefix that can hold MAX_DEPTH
    levels (one indicator or column each) is walked, and at most _DEEP_PREFIX of it.
    """
    if line is None:
        return None
    end = -1
    for _ in range(line + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            end = len(text)
            break
    prefix = text[: min(end, _DEEP_PREFIX)]
    if sum(prefix.count(c) for c in "[{-:?") <= MAX_DEPTH:
        return None
    try:
        return _nests_too_deep() if _deeper_than_max(yaml.parse(prefix, yaml.SafeLoader)) else None
    except (yaml.YAMLError, RecursionError):
        return None


def _deeper_than_max(events: Iterator[yaml.Event]) -> bool:
    """Whether the events open more than MAX_DEPTH collections at once (stops there)."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False


def _nests_too_deep() -> Problem:
    return Problem(
        "KPI001", FILE_START, f"the YAML nests more than {MAX_DEPTH} levels deep; not read"
    )


class _Converter:
    """Nodes to plain values, recording spans; merge keys resolved, aliases budgeted."""

    def __init__(self, sf: SourceFile, budget: int) -> None:
        self.sf = sf
        self.budget = budget
        self.failed = False
        self.packed = sf.positions.packed
        # A merge key is written `<<` or tagged `!!merge`; most files have neither.
        self.merges = "<<" in sf.text or "merge" in sf.text

    def convert(self, node: yaml.Node, path: Path_, depth: int, key: int = 0) -> Any:
        """``key`` is the packed position of the node's key, stored with the node's own."""
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig("the document expands far beyond its size (an alias bomb?); not read")
        if depth > MAX_DEPTH:
            raise _TooBig(f"the YAML nests more than {MAX_DEPTH} levels deep; not read")
        self.packed[path] = key | (node.start_mark.index + 1) << 32 | (node.end_mark.index + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self._bad_tag(node)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> Any:
        if node.tag != _MAP:
            return self._bad_tag(node)
        out: dict[str, Any] = {}
        pairs = node.value
        if self.merges and any(k.tag == _MERGE for k, _ in pairs):
            # Merged mappings first, at this same logical path, so explicit keys win.
            own = self.packed[path]  # this mapping's key and value, before merges overwrite
            for key_node, value_node in pairs:
                if key_node.tag == _MERGE:
                    out.update(self._merged(value_node, path, depth))
            self.packed[path] = own
            pairs = [(k, v) for k, v in pairs if k.tag != _MERGE]
        explicit: set[str] = set()
        for key_node, value_node in pairs:
            key = self._key(key_node)
            key_path = (*path, key)
            if key in explicit:
                self.sf.problems.append(
                    Problem(
                        "KPI004",
                        _span(key_node).pos,
                        f"key {quote(key)} appears twice in one mapping; YAML keeps only the last",
                        f"Remove or rename one of the {quote(key)} keys",
                        key_path,
                    )
                )
            explicit.add(key)
            packed_key = (
                (key_node.start_mark.index + 1) << 32 | (key_node.end_mark.index + 1)
            ) << 64
            out[key] = self.convert(value_node, key_path, depth + 1, packed_key)
        return out

    def _merged(self, node: yaml.Node, path: Path_, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):  # earlier sources win, as YAML says
            value = self.convert(source, path, depth + 1)
            if not isinstance(value, dict):
                self.sf.problems.append(
                    Problem("KPI001", _span(source).pos, "a merge key (<<) must name a mapping")
                )
                self.failed = True
                continue
            merged.update(value)
        return merged

    def _key(self, node: yaml.Node) -> str:
        if isinstance(node, yaml.ScalarNode):
            return sys.intern(node.value)  # the same few keys, 10,000 times over
        self.sf.problems.append(
            Problem(
                "KPI002",
                _span(node).pos,
                "a mapping key must be a plain string, not a list or mapping",
                "Use a string key",
            )
        )
        return f"<{'list' if isinstance(node, yaml.SequenceNode) else 'mapping'} key>"

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR or tag == "!":
            value = node.value
            return sys.intern(value) if len(value) <= 24 else value  # "USD" 10,000 times
        if tag not in _SCALAR_TAGS:
            return self._bad_tag(node)
        value = node.value
        try:
            # The common cases at C speed; PyYAML's constructors run regexes in Python.
            if tag == _TIMESTAMP and len(value) == 10:  # YYYY-MM-DD
                return date.fromisoformat(value)
            if tag == _INT and value.isdigit() and (value[0] != "0" or len(value) == 1):
                return int(value)  # no sign, base prefix, "_" or YAML 1.1 leading-zero octal
            if tag == _INT and ":" in value:  # YAML 1.1 base 60: PyYAML's loop is quadratic
                return _sexagesimal(value)
            return _constructor.yaml_constructors[tag](_constructor, node)
        except (ConstructorError, ValueError, OverflowError):
            return value  # e.g. an impossible date: keep the text, the model reports it

    def _bad_tag(self, node: yaml.Node) -> None:
        self.sf.problems.append(
            Problem(
                "KPI001",
                _span(node).pos,
                f"tag '{_short_tag(node.tag)}' is outside YAML's core schema and is not allowed",
                "Remove the tag; KPI files hold only strings, numbers, dates, lists and mappings",
            )
        )
        self.failed = True
        return None


_KPILINT_COMMENT = re.compile(r"#[ \t]*kpilint:[^\r\n]*")


def _find_suppressions(sf: SourceFile, roots: list[yaml.Node]) -> None:
    """Every ``# kpilint:`` comment, valid or not (KPI008 reports the others)."""
    text = sf.text
    if "kpilint:" not in text:
        return
    shielded = [span for root in roots for span in _quoted_spans(root)]
    for match in _KPILINT_COMMENT.finditer(text):
        start = match.start()
        if start > 0 and text[start - 1] not in " \t\n\r":
            continue  # YAML needs white space before a comment's '#'
        if any(a <= start < b for a, b in shielded):
            continue  # inside a quoted or block string, not a comment
        rest = text.index("kpilint:", start) + len("kpilint:")
        sf.suppressions.append(read_comment(sf.position(start), start, match.end(), rest, text))


def _quoted_spans(root: yaml.Node) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.style:
                spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
    return spans


def _span(node: yaml.Node) -> Span:
    m = node.start_mark
    return Span(m.line + 1, m.column + 1, m.index, node.end_mark.index)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
