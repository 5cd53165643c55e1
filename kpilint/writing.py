"""Writing files safely when the tree being written into came from a stranger's branch.

A branch can hold ``report.sarif -> /dev/sda`` or a KPI file that is a
symlink out of the project; kpilint writes through a temporary file in the
same folder and renames it over the name, so nothing is ever written through
a symlink or into a device, a pipe or another file's inode.
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
    _atomic(path, data, 0o666 & ~_umask() if mode is None else mode, None)


class NotRegular(Exception):
    """What is at an output name that kpilint must not replace (``str()``: "a symlink")."""


def write_output(path: Path, text: str, *, replace_link: bool = False) -> None:
    """A report (``--output-file``) or an imported file: a new file, or a regular file
    replaced atomically; ``NotRegular`` for anything else at ``path``.

    A symlink is refused (``replace_link``: replaced, for ``import --force``),
    never followed: a committed ``report.sarif -> /dev/sda`` must not reach the
    disk. A device or pipe (``/dev/stdout`` too, a symlink) is refused: its
    inode would be replaced, not written to. An existing file keeps its read and
    write bits; a report never needs execute or set-id bits.
    """
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    mode = None
    if st is not None:
        if not (stat.S_ISREG(st.st_mode) or (replace_link and stat.S_ISLNK(st.st_mode))):
            raise NotRegular(_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file"))
        if stat.S_ISREG(st.st_mode):
            mode = stat.S_IMODE(st.st_mode) & 0o666
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, text.encode("utf-8", "backslashreplace"), mode=mode)


_KINDS = {
    stat.S_IFLNK: "a symlink",
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def write_fixed(path: Path, data: bytes, read: bytes) -> str | None:
    """Write a fixed KPI file; why not when it must not be (None: written).

    ``read`` is what the fix was computed from: a file changed since is left
    alone. A symlink is fixed at its target when that is inside the link's
    project, and stays a symlink; a read-only file or folder is refused; the
    file's mode, owner and group are kept, or the write is refused.
    """
    from kpilint.project import find_root

    target = Path(os.path.realpath(path))
    if target != path.absolute():
        root = os.path.realpath(find_root(path)[0])
        if not str(target).startswith(os.path.join(root, "")):
            return f"it is a symlink to {target}, outside the project"
    try:
        st = os.stat(target)
        if not st.st_mode & 0o222:
            return "the file is read-only"
        if not os.stat(target.parent).st_mode & 0o222 or not os.access(target.parent, os.W_OK):
            return "its folder is read-only"
        with open(target, "rb") as handle:
            if handle.read(len(read) + 1) != read:
                return "it changed while kpilint ran; run kpilint again"
        _replace_keeping(target, data, st)
    except OSError as exc:
        return f"cannot write it: {exc.strerror or exc}"
    return None


def _replace_keeping(path: Path, data: bytes, st: os.stat_result) -> None:
    """``replace_file`` that keeps the mode, owner and group of the file it replaces."""
    _atomic(path, data, stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid))


def _atomic(path: Path, data: bytes, mode: int, owner: tuple[int, int] | None) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            mine = os.fstat(handle.fileno())
        if owner is not None and (mine.st_uid, mine.st_gid) != owner:
            os.chown(tmp, *owner)  # PermissionError when not ours to give: refused
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
