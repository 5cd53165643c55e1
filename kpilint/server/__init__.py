"""``kpilint server``: a Language Server Protocol server over stdio.

pygls is an optional extra (``pip install 'kpilint[server]'``): nothing else in
kpilint imports this package, so ``check`` and ``--version`` never load it.
"""

from __future__ import annotations

import contextlib
import sys


class MissingExtra(Exception):
    """pygls is not installed."""


def serve(debounce: float | None = None) -> None:
    """Serve LSP on stdin/stdout until the client says exit.

    Raises ``frames.FrameError`` when the client sent a frame it cannot read.
    """
    try:
        from kpilint.server.lsp import DEFAULT_DEBOUNCE, build
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs"):
            raise MissingExtra(
                "kpilint server needs the server extra: pip install 'kpilint[server]'"
            ) from None
        raise
    from lsprotocol.types import MessageType

    from kpilint.server.frames import BoundedReader

    server = build(DEFAULT_DEBOUNCE if debounce is None else debounce)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the LSP stream
    reader = BoundedReader(sys.stdin.buffer)
    server.start_io(reader, out)  # type: ignore[arg-type]  # readline and read are all it uses
    if reader.error is not None:  # the client's last word on stdout, then exit status 2
        with contextlib.suppress(OSError):  # the client may be gone
            server.log(f"kpilint: {reader.error}", MessageType.Error)
        raise reader.error
