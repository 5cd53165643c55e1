"""The LSP byte stream as pygls reads it, with the frames' sizes bounded.

pygls (2.x, ``pygls.io_.run_async``) reads a header line with ``readline()``,
takes ``Content-Length`` from it and then ``read(length)``s the body: a header
of ``Content-Length: 1000000000000000`` allocates a petabyte (MemoryError, the
server dies), one of 5,000 digits is a ValueError that ends its loop, and a
header line without an end is read whole. ``start_io`` takes any stdin with
``readline`` and ``read``, so this reader sits under pygls's own loop, no pygls
internal patched: a frame it refuses ends the input, pygls's loop stops, and
``serve`` tells the client why (a log message, then exit status 2).
"""

from __future__ import annotations

import re
from typing import BinaryIO

# The largest message a client has reason to send is a whole document in
# didOpen or didChange. kpilint lints files up to max-file-size (10 MiB by
# default), and JSON escaping grows a text at most six-fold (\u0000 for a
# control byte): 64 MiB holds that, and a refused frame allocates nothing.
MAX_MESSAGE = 64 * 1024 * 1024
MAX_HEADER_LINE = 8 * 1024  # "Content-Length: 67108864\r\n" is 26 bytes

_LENGTH = re.compile(rb"content-length[ \t]*:(.*)", re.IGNORECASE | re.DOTALL)


class FrameError(Exception):
    """The client sent a frame the server cannot read: the stream cannot go on."""


class BoundedReader:
    """``stdin`` for pygls: header lines and bodies of a bounded size, or end of input."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.error: FrameError | None = None  # why the input was cut, once it was

    def readline(self) -> bytes:
        if self.error is not None:
            return b""
        line = self.stream.readline(MAX_HEADER_LINE + 1)
        if len(line) > MAX_HEADER_LINE:
            return self._refuse(f"a header line is longer than {MAX_HEADER_LINE} bytes")
        match = _LENGTH.fullmatch(line)
        if match is None:
            return line  # another header, the blank line, or junk pygls skips
        value = match.group(1).strip()
        if not value.isdigit():  # bytes.isdigit: ASCII digits only, so no sign either
            shown = value[:40].decode("ascii", "replace")
            return self._refuse(f"the header Content-Length: {shown} is not a number of bytes")
        if len(value) > len(str(MAX_MESSAGE)) or int(value) > MAX_MESSAGE:
            return self._refuse(
                f"a message of {_size(value)} is over the limit of {MAX_MESSAGE // 2**20} MiB"
            )
        return b"Content-Length: %d\r\n" % int(value)  # the form pygls matches

    def read(self, size: int) -> bytes:
        if self.error is not None:
            return b""
        if not 0 <= size <= MAX_MESSAGE:  # readline let no such length through
            return self._refuse(f"a message of {size} bytes is over the limit")
        return self.stream.read(size)

    def _refuse(self, why: str) -> bytes:
        self.error = FrameError(
            f"refused a message from the client: {why}; the server stops, "
            "as the stream cannot be read past it"
        )
        return b""


def _size(digits: bytes) -> str:
    if len(digits) > 18:
        return f"a {len(digits)}-digit number of bytes"
    return f"{int(digits):,} bytes"
