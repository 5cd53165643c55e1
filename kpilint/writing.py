"""Writing files safely when the tree being written into came from a stranger's branch.

A branch can hold ``report.sarif -> ~/.bashrc`` or a KPI file that is a
symlink out of the project; kpilint writes through a temporary file in the
same folder and renames it over the name, so a symlink at the name is
replaced, never followed (a device or a pipe such as ``/dev/stdout`` is
written to as it is).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_file(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Put ``data`` at ``path`` atomically; a symlink there is replaced, not followed.

    ``mode`` defaults to a new file's (``0o666`` less the umask).
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(path: Path, text: str) -> None:
    """A report or an imported file: a regular file at ``path``, whatever was there."""
    data = text.encode("utf-8", "backslashreplace")
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        with open(path, "wb") as handle:  # /dev/stdout, a FIFO: a stream, not a file
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = None
    if st is not None and not path.is_symlink():
        keep = stat.S_IMODE(st.st_mode)
    replace_file(path, data, mode=keep)
