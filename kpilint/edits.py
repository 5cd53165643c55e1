"""Text edits at node positions: fixes never re-dump YAML, so comments survive."""

from __future__ import annotations

import re
from typing import Any

from kpilint.entities import Entity
from kpilint.findings import Edit
from kpilint.loader import SourceFile, Span


def set_key(entity: Entity[Any], key: str, value: str) -> tuple[Edit, ...]:
    """Set ``key: value`` in the entity's mapping, in its own style (block or flow)."""
    existing = entity.value_span(key)
    if existing is not None and key in entity.raw:
        if entity.file.text[existing.start : existing.start + 1] in ("&", "*", "!"):
            return ()  # an anchor, an alias or a tag: shared, or more than a value
        # An empty value (`timeline:` then nothing) has no text: keep a space after the colon.
        content = value if existing.end > existing.start else f" {value}"
        edits: tuple[Edit, ...] = (Edit(existing.start, existing.end, content),)
    else:
        mapping = entity.file.values.get(entity.path)
        last = entity.value_span(next(reversed(entity.raw))) if entity.raw else None
        if mapping is None or last is None:
            return ()
        edits = _add_key(entity.file, mapping, last, entity.pos.column - 1, key, value)
    return edits if all(own(entity, e.start, e.end) for e in edits) else ()


def set_nested_key(entity: Entity[Any], parent: str, key: str, value: str) -> tuple[Edit, ...]:
    """Add ``key: value`` to the mapping at ``parent`` (``timeline``), or add that mapping."""
    raw = entity.raw.get(parent)
    if raw is None:
        return set_key(entity, parent, f"{{{key}: {value}}}")
    span = entity.value_span(parent)
    text = entity.file.text
    if not isinstance(raw, dict) or key in raw or span is None or text[span.start] in "&*!":
        return ()  # not a plain mapping of this entity's own
    if not raw:  # `timeline: {}`
        if text[span.start : span.end].replace(" ", "") != "{}":
            return ()
        edits: tuple[Edit, ...] = (Edit(span.start, span.end, f"{{{key}: {value}}}"),)
    else:
        indent = span.column - 1 if text[span.start] != "{" else 0
        edits = _add_key(entity.file, span, span, indent, key, value)
    return edits if all(own(entity, e.start, e.end) for e in edits) else ()


def _add_key(
    file: SourceFile, mapping: Span, last: Span, indent: int, key: str, value: str
) -> tuple[Edit, ...]:
    """Insert ``key: value`` after the last key of ``mapping`` (flow or block)."""
    text = file.text
    if text[mapping.start : mapping.start + 1] == "{":
        close = text.rfind("}", mapping.start, mapping.end)
        if close < 0:
            return ()
        return (Edit(close, close, f", {key}: {value}"),)
    newline = file.newline
    pad = " " * indent
    at = _end_of_content(text, last.end, indent)
    line_end = text.find("\n", at)
    if line_end < 0:
        return (Edit(len(text), len(text), f"{newline}{pad}{key}: {value}{newline}"),)
    return (Edit(line_end + 1, line_end + 1, f"{pad}{key}: {value}{newline}"),)


def own(entity: Entity[Any], start: int, end: int) -> bool:
    """An edit of ``[start, end)`` changes this entity alone: never through an alias or merge.

    An anchored node (``&base``) may be shared through aliases, and a merge key
    (``<<: *base``) brings in keys written elsewhere; editing either would change
    another entity too, so such entities get no edits.
    """
    region = entity.file.values.get(entity.path)
    if region is None or not (region.start <= start and end <= region.end):
        return False
    body = entity.file.text[region.start : region.end]
    return not body.startswith(("&", "*")) and "<<" not in body and "!!merge" not in body


def replace_value(entity: Entity[Any], key: str, content: str, comment: str) -> tuple[Edit, ...]:
    """Replace the scalar at ``key`` with ``content``, ``comment`` (if any) ending its line.

    None when that could not be valid YAML or would touch a shared node: the value
    is a collection, anchored, an alias or tagged; or text follows it on its last
    line (a flow collection), which a comment would swallow. A block scalar
    (``>-`` then lines) is replaced up to its last line of content.
    """
    text = entity.file.text
    span = entity.value_span(key)
    if span is None or text[span.start : span.start + 1] in ("&", "*", "!", "{", "[", ""):
        return ()
    end = span.end
    if text[span.start] in "|>":
        end = _end_of_content(text, span.end, entity.pos.column - 1)
        header = re.compile(_BLOCK_HEADER).match(text, span.start)
        if header is not None and header.group(1):  # `>- # note`: the note stays too
            note = header.group(1)
            comment = f"{comment}  {note}" if comment else note[1:].lstrip()
    line_end = re.compile(_LINE_BREAK).search(text, end)
    rest = text[end : line_end.start() if line_end else len(text)]
    if not re.fullmatch(_REST_OF_LINE, rest) or not own(entity, span.start, end):
        return ()
    return (Edit(span.start, end, f"{content}  # {comment}" if comment else content),)


# Patterns, compiled on first use (``re`` keeps them): only a fix needs them, and
# compiling them all cost every start ~1 ms.
_LINE_BREAK = "[\r\n\x85\u2028\u2029]"
_BLOCK_HEADER = r"[|>][-+0-9]*[ \t]*(#[^\r\n\x85\u2028\u2029]*)?"
_REST_OF_LINE = r"(?s)[ \t]*(?:#.*)?"


def _end_of_content(text: str, end: int, indent: int) -> int:
    """Back from a node's end to its last character of content.

    libyaml ends a block collection at the next token (the next item's ``-``),
    so step back over white space and over comment lines no deeper than the
    entity's keys (a deeper ``#`` line may be the text of a block scalar).
    """
    at = end
    while True:
        while at > 0 and text[at - 1] in " \t\r\n":
            at -= 1
        line_start = text.rfind("\n", 0, at) + 1
        line = text[line_start:at]
        stripped = line.lstrip()
        if stripped.startswith("#") and len(line) - len(stripped) <= indent and line_start > 0:
            at = line_start
            continue
        return at


# --- writing values YAML reads back as the same data ---------------------------------------

_PLAIN = r"^[A-Za-z][A-Za-z0-9 _/.()-]*[A-Za-z0-9)]$|^[A-Za-z]$"
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}
# Characters a YAML stream may not hold as they are: the complement of YAML 1.1's
# c-printable minus line breaks ([\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]),
# written as what it excludes: the negated class compiled 10x slower, at every start.
_NOT_PRINTABLE = "[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"


def yaml_number(value: float) -> str:
    """A YAML 1.1 number: ``1.0e-07`` and ``1.0e+16``, since ``1e-07`` reads back as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        if exponent[0] not in "+-":
            exponent = "+" + exponent
        text = f"{mantissa}e{exponent}"
    return text


def yaml_string(text: str) -> str:
    """A flow scalar for ``text``: plain when that reads back the same, else double-quoted."""
    if re.match(_PLAIN, text) and text.lower() not in _RESERVED and ": " not in text:
        return text
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif re.match(_NOT_PRINTABLE, char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def yaml_comment(text: str) -> str:
    """``text`` as the body of a one-line comment: breaks folded, unprintables escaped."""
    flat = " ".join(text.split())
    return re.sub(_NOT_PRINTABLE, lambda m: f"\\u{ord(m.group(0)):04x}", flat)


def flow_mapping(items: dict[str, Any]) -> str:
    """``{value: 5, unit: days}``: numbers as YAML numbers, text as safe scalars."""
    parts = []
    for key, value in items.items():
        if isinstance(value, bool):
            parts.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, str):
            parts.append(f"{key}: {yaml_string(value)}")
        else:
            parts.append(f"{key}: {yaml_number(value)}")
    return "{" + ", ".join(parts) + "}"
