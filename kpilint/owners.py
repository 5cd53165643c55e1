"""Who exists: the list the config's ``owners`` key points at (FORMAT.md "Owners").

Three shapes, picked by the file's name: ``CODEOWNERS`` (every ``@user`` and
``@org/team`` after a path pattern), ``.yaml``/``.yml`` (a list of handles), or
one handle per line with ``#`` comments. Handles are kept exactly as written.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kpilint.config import ConfigError
from kpilint.loader import DEFAULT_MAX_BYTES, _read_at_most
from kpilint.project import leaves, real_folder

# Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK returns at once,
# and fstat() then refuses it before any read.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

_COMMENT = re.compile(r"(?:^|[ \t])#.*")


def path_of(root: Path, setting: str) -> Path:
    """The owners file ``setting`` names; ConfigError for a path that leaves the root.

    kpilint runs in CI on branches nobody reviewed: the config must not make it
    read a file outside the checkout, by its path or through a symlink.
    """
    where = f"owners = '{setting}'"
    if os.path.isabs(setting) or os.path.normpath(setting).split(os.sep)[0] == os.pardir:
        raise ConfigError(
            f"{where}: the path leaves the project root {root}; "
            "name a file inside it, as a path from the root (like 'CODEOWNERS')"
        )
    path = root / setting
    if leaves(path, real_folder(root)):
        raise ConfigError(
            f"{where}: it resolves outside the project root {root} (a symlink); "
            "point 'owners' at a file inside the project"
        )
    return path


def load(root: Path, setting: str, max_bytes: int = DEFAULT_MAX_BYTES) -> frozenset[str]:
    """The handles in ``setting`` (a path from the project root); ConfigError if unusable.

    A device, FIFO or socket is refused before it is opened (``/dev/zero`` never
    ends, a FIFO blocks), and so is a file over ``max_bytes`` (``max-file-size``).
    """
    path = path_of(root, setting)
    where = f"owners = '{setting}'"
    try:
        _check(os.stat(path), where, max_bytes)  # before open(): opening a device may act
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        raise ConfigError(
            f"{where}: no such file under the project root {root}; "
            "point 'owners' at the list of people and teams"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read it ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        _check(st, where, max_bytes)  # what was opened: it may have changed
        raw = _read_at_most(handle, st.st_size, max_bytes + 1)
    if len(raw) > max_bytes:  # it grew since the stat
        raise ConfigError(f"{where}: the file is over the {max_bytes:,}-byte limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: cannot read it (not UTF-8 text)") from None
    if path.name == "CODEOWNERS":
        return frozenset(_codeowners(text))
    if path.suffix.lower() in (".yaml", ".yml"):
        return frozenset(_yaml_list(text, where))
    return frozenset(_lines(text))


def _check(st: os.stat_result, where: str, max_bytes: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, FIFO or socket"
        raise ConfigError(f"{where}: cannot read it ({kind}); point 'owners' at a regular file")
    if st.st_size > max_bytes:
        raise ConfigError(
            f"{where}: the file is {st.st_size:,} bytes, over the {max_bytes:,}-byte "
            "limit (`max-file-size`); shorten the list, or raise `max-file-size`"
        )


def _lines(text: str) -> list[str]:
    return [h for line in text.splitlines() if (h := _COMMENT.sub("", line).strip())]


def _codeowners(text: str) -> list[str]:
    handles: list[str] = []
    for line in text.splitlines():
        fields = _COMMENT.sub("", line).split()
        handles += [f for f in fields[1:] if f.startswith("@") and len(f) > 1]
    return handles


def _yaml_list(text: str, where: str) -> list[str]:
    """Read by the KPI files' loader: its limits (nesting, alias bombs, huge numbers)
    hold for this file too, where a plain safe load raises or runs for minutes."""
    from kpilint.loader import SourceFile, parse_text

    sf = SourceFile(path=Path(), display=where)
    parse_text(sf, text, require_mapping=False)
    broken = [p for p in sf.problems if p.code == "KPI001"]
    if broken:
        raise ConfigError(f"{where}: not valid YAML at line {broken[0].pos.line}")
    data = sf.data
    if data is None or data == {}:  # empty, or comments only
        return []
    if not isinstance(data, list) or not all(isinstance(h, str) for h in data):
        raise ConfigError(f"{where}: must hold a YAML list of handles, like '- \"@alice\"'")
    return [h.strip() for h in data if h.strip()]
