"""Which documents the server may lint: a usable path inside the workspace.

A client names documents by URI, and a broken or hostile one can name a path
with a NUL byte, a name the file system refuses (over 255 bytes), or one that
leaves the workspace (``..``, or a symbolic link out of it). Such a document
is refused: it gets one message of its own and is left out of every lint, so
the project's other documents keep their diagnostics and nothing outside the
workspace is read on its account.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from pygls.uris import to_fs_path


def refusal(path: str, roots: Iterable[str] | None) -> str | None:
    """Why ``path`` must not be linted, or None.

    ``roots`` are the workspace folders' paths; None when the client named no
    workspace (a single file opened), which bounds nothing. A path that does
    not exist yet (an unsaved buffer) is fine.
    """
    if "\x00" in path:
        return "its path has a NUL byte"
    try:
        os.fsencode(path)
    except UnicodeError:
        return "its path cannot be encoded for the file system"
    if roots is not None:
        why = _outside(path, roots)
        if why:
            return why
    try:
        os.stat(path)  # what every later step does first: fail here, for this path alone
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return f"its path cannot be used: {exc.strerror or exc}"
    return None


def _outside(path: str, roots: Iterable[str]) -> str | None:
    """Whether ``path`` leaves every root: as written (``..``) or once links are followed.

    Only ``realpath`` touches the disk, and it opens nothing.
    """
    usable = []
    for root in roots:
        if "\x00" in root:
            continue  # a root that names nothing holds nothing
        try:
            usable.append((os.path.abspath(root), os.path.realpath(root)))
        except (OSError, ValueError):
            continue
    written = os.path.abspath(path)  # normalises '..' without following links
    if not any(_within(written, a) or _within(written, r) for a, r in usable):
        return "it lies outside the workspace"
    real = os.path.realpath(path)
    if not any(_within(real, r) for _, r in usable):
        return "it is a symbolic link (or lies in a linked folder) that leads out of the workspace"
    return None


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(os.path.join(root, ""))


def workspace_roots(workspace: Any) -> list[str] | None:
    """A pygls workspace's folders as paths; None when the client named none (no bound)."""
    uris = [f.uri for f in workspace.folders.values()]
    if workspace.root_uri:
        uris.append(workspace.root_uri)
    if not uris:
        return None
    return [path for uri in uris if (path := to_fs_path(uri)) is not None]


def shorten(text: str, limit: int = 300) -> str:
    """``text`` cut for a message: a client may send a URI of any length."""
    return text if len(text) <= limit else text[:limit] + "..."


def open_text(workspace: Any, uri: str) -> str | None:
    """The text of the document open at ``uri``; None when it is not open.

    Never the disk's: pygls's ``get_text_document`` reads a file the client did
    not open, and a FIFO there hangs the server, /dev/zero fills its memory.
    """
    docs = workspace.text_documents  # pygls keys them by the unquoted URI
    doc = docs.get(unquote(uri)) or next((d for d in docs.values() if d.uri == uri), None)
    return None if doc is None else str(doc.source)
