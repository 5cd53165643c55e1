"""``kpilint server``: a Language Server Protocol server over stdio.

pygls is an optional extra (``pip install 'kpilint[server]'``): nothing else in
kpilint imports this package, so ``check`` and ``--version`` never load it.
"""

from __future__ import annotations

import sys


class MissingExtra(Exception):
    """pygls is not installed."""


def serve(debounce: float | None = None) -> None:
    """Serve LSP on stdin/stdout until the client says exit."""
    try:
        from kpilint.server.lsp import DEFAULT_DEBOUNCE, build
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs"):
            raise MissingExtra(
                "kpilint server needs the server extra: pip install 'kpilint[server]'"
            ) from None
        raise
    server = build(DEFAULT_DEBOUNCE if debounce is None else debounce)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the LSP stream
    server.start_io(sys.stdin.buffer, out)
