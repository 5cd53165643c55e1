"""CSV as cells with positions: decoding as Excel saves it, the delimiter, RFC 4180 cells.

The ``csv`` reader format and the CSV register both read files through here. The
file is tokenised here rather than by the ``csv`` module, which does not report
where a cell starts, so every cell keeps its exact line and column (quoted and
multi-line cells included). Excel writes UTF-8 with a BOM, Windows-1252 ("CSV
(Comma delimited)"), or UTF-16 with tabs ("Unicode Text"), and uses ``;`` where
the decimal separator is a comma: all are read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from kpilint.findings import FILE_START
from kpilint.loader import Problem, SourceFile, undecodable

DELIMITERS = (",", ";", "\t", "|")
CP1252_NOTE = "not UTF-8: read as Windows-1252, the encoding Excel saves CSV in"

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?")  # 1200, 1,200.5, .25
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 1,5 from a locale with a decimal comma


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its unquoted text and its character offsets in the decoded file."""

    text: str
    start: int
    end: int

    @property
    def value(self) -> str:
        return self.text.strip()


def decode(sf: SourceFile, raw: bytes) -> tuple[str, str | None] | None:
    """The text and a note on its encoding; None with a KPI001 when it is no CSV text."""
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16"), None
        if b"\x00" in raw:
            sf.problems.append(
                Problem(
                    "KPI001",
                    FILE_START,
                    "binary file (it contains NUL bytes), not CSV",
                    "Export the sheet as CSV",
                )
            )
            return None
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_error = exc
    if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("cp1252"), CP1252_NOTE
        except UnicodeDecodeError:
            pass
    sf.problems.append(
        Problem(
            "KPI001",
            undecodable(raw, first_error),
            f"cannot decode byte 0x{raw[first_error.start]:02x} as UTF-8 or Windows-1252",
            "Save the sheet as CSV UTF-8",
        )
    )
    return None


def unclosed_quote(sf: SourceFile, offset: int) -> Problem:
    """KPI001 at a quoted cell that never closes (the rest of the file is one cell)."""
    return Problem(
        "KPI001",
        sf.position(offset),
        "a quoted cell starting here is never closed",
        'Close the quote, or double a quote inside a quoted cell ("")',
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter the header row uses most (``,`` for a one-column sheet).

    Header cells are names, so counting there is reliable where ``csv.Sniffer``,
    which looks for consistency across rows, guesses wrong on prose cells.
    """
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier delimiter
    return best if counts[best] else ","


def tokenize(text: str, delimiter: str) -> tuple[list[list[Cell]], int | None]:
    """Rows of cells (RFC 4180 quoting, any line ending); the offset of an unclosed quote."""
    d = re.escape(delimiter)
    plain = re.compile(f"[^{d}\\r\\n]*")
    quoted = re.compile(f'"([^"]*(?:""[^"]*)*)"([^{d}\\r\\n]*)')
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith('"', i):
            m = quoted.match(text, i)
            if m is None:
                return rows, i
            cell = Cell(m.group(1).replace('""', '"') + m.group(2), i, m.end())
        else:
            m = plain.match(text, i)
            assert m is not None  # a star pattern always matches
            cell = Cell(m.group(0), i, m.end())
        row.append(cell)
        i = m.end()
        if i < n and text[i] == delimiter:
            i += 1
            if i == n:
                row.append(Cell("", i, i))
            continue
        rows.append(row)
        row = []
        i += 2 if text.startswith("\r\n", i) else 1
    return rows, None


def number(text: str) -> int | float | str:
    """``1200``, ``1,200``, ``1,200.5``, ``.25``, ``1,5`` (decimal comma) -> a number; else text."""
    compact = text.replace(" ", "").replace("\u00a0", "")
    if _NUMBER.fullmatch(compact) and any(ch.isdigit() for ch in compact):
        cleaned = compact.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(compact):
        cleaned = compact.replace(",", ".")
    else:
        return text
    try:
        return int(cleaned) if "." not in cleaned else float(cleaned)
    except ValueError:  # pragma: no cover - the patterns admit only numbers
        return text
