"""A content-hash cache of a project's findings, so an unchanged project re-lints at once.

The key is kpilint's version, the resolved configuration, "today", the named
paths and the hash of every project file's bytes; any change is a miss. The
value is the findings and counts, stored as JSON (never pickle: a cache folder
that somebody commits must not be able to run code). The folder is
``.kpilint_cache/`` at the project root, safe to delete, ignored by git.

A branch can commit that folder. So the key is an HMAC with a per-machine
secret kept outside every repository (``$XDG_CACHE_HOME/kpilint/secret``, else
``~/.cache/kpilint/secret``): a branch cannot compute it, even on the same CI
image; and a folder holding files that git tracks is never used.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from typing import Any

from kpilint import __version__
from kpilint.findings import SEVERITIES, EntityRef, Finding, Fix, Summary

CACHE_DIR = ".kpilint_cache"
KEEP = 16  # cached results per project; the oldest go first


def _code_stamp() -> str:
    """kpilint's own files (name, size, mtime): a development checkout changes without
    a new version number, and its cache must not outlive the code that wrote it."""
    from kpilint.registry import rules_dir

    package = Path(__file__).parent
    parts = []
    for path in sorted([*package.rglob("*.py"), *rules_dir().glob("*.toml")]):
        st = path.stat()
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


class Unusable(Exception):
    """The cache is not used this run; ``str()`` is the warning, one line."""


def digest(parts: list[str], files: list[Path], key: bytes | None = None) -> str | None:
    """The key of one lint of ``files``, an HMAC with ``key`` (default: ``secret()``);
    None when a file cannot be read or there is no usable secret (``secret()`` says why)."""
    import hashlib  # here: it loads OpenSSL, which a run without the cache does not need
    import hmac

    if key is None:
        try:
            key = secret()
        except Unusable:
            return None
    h = hmac.new(key, __version__.encode() + _code_stamp().encode(), hashlib.sha256)
    for part in parts:
        h.update(b"\0" + os.fsencode(part))  # a file name need not be UTF-8
    for path in files:
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return None  # a FIFO or device: never read it here, never cache it
            data = path.read_bytes()
        except OSError:
            return None
        h.update(b"\0" + os.fsencode(path) + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


SECRET_BYTES = 32


def secret_path() -> Path:
    """Where the key secret is kept: the user's cache folder, never a project's."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: the XDG spec says ignore it
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kpilint" / "secret"


def secret() -> bytes:
    """The per-machine secret of the cache keys, created on first use (mode 0600).

    ``Unusable`` when it cannot be read or created, or others could read it:
    then a branch might know it.
    """
    path = secret_path()
    try:
        return _read_secret(path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # none yet (or no folder to hold one): make it
    except OSError as exc:
        raise _no_secret(path, f"kpilint cannot read it ({exc.strerror or exc})") from None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".secret.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(SECRET_BYTES).hex().encode())
                handle.flush()
                os.fsync(handle.fileno())
            try:  # link, not rename: two first runs at once must agree on one secret
                os.link(tmp, path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return _read_secret(path)
    except OSError as exc:
        raise _no_secret(path, f"kpilint cannot create it ({exc.strerror or exc})") from None


def _read_secret(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        data = handle.read(4 * SECRET_BYTES)
    uid = getattr(os, "geteuid", None)
    if not stat.S_ISREG(st.st_mode) or (uid is not None and st.st_uid != uid()):
        raise _no_secret(path, "it is not a file of this user; delete it")
    if os.name == "posix" and st.st_mode & 0o077:
        raise _no_secret(path, "other users can read it; delete it (kpilint makes a new one)")
    if len(data) < 2 * SECRET_BYTES:
        raise _no_secret(path, "it is damaged; delete it (kpilint makes a new one)")
    return data


def _no_secret(path: Path, why: str) -> Unusable:
    return Unusable(f"not caching: the cache key secret {path} is not used because {why}")


def unusable(root: Path) -> str | None:
    """Why ``root``'s cache folder must not be used, or None when it may.

    A pull request can commit ``.kpilint_cache`` as a symlink to somewhere else;
    writing or pruning through it would touch files outside the project. It can
    also commit entries: a folder holding files git tracks is never trusted.
    """
    try:
        st = os.lstat(root / CACHE_DIR)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symlink"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    uid = getattr(os, "geteuid", None)
    if uid is not None and st.st_uid != uid():
        return "it is owned by another user"
    return _tracked(root)


def _tracked(root: Path) -> str | None:
    """Why git-tracked entries forbid the folder, or None (nothing tracked, or no git repo)."""
    from kpilint import gitio

    if not gitio.maybe_in_repository(root):
        return None  # no repository: nothing is tracked, and no process is started
    try:
        tracked = gitio.tracks(root, CACHE_DIR)
    except (gitio.GitFailed, OSError) as exc:  # cannot tell: do not trust
        first = str(exc).strip().splitlines()[:1] or ["failed"]
        return f"git cannot tell whether it tracks files in it ({first[0]})"
    if tracked:
        return f"git tracks files in it (delete them: git rm -r {CACHE_DIR})"
    return None


def warning(root: Path, why: str) -> str:
    return f"not caching: {root / CACHE_DIR} is not used because {why}"


def _open_folder(root: Path) -> int:
    """The cache folder as a directory descriptor that no symlink was followed to reach."""
    return os.open(root / CACHE_DIR, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FD = os.open in os.supports_dir_fd


def load(root: Path, key: str, paths: set[str]) -> tuple[list[Finding], dict[str, int]] | None:
    """The cached findings of ``key``; None on a miss.

    Every entry is checked against the cache's schema and its findings must be
    on ``paths`` (the display paths of the key's files): a damaged or
    hand-edited entry is a miss, never a crash. Edits are never cached.
    """
    if unusable(root) is not None:
        return None
    try:
        data = json.loads(_read(root, f"{key}.json"))
        findings = [_finding(f, paths) for f in _list(data, "findings")]
        counts = _counts(data)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None  # absent, or damaged: lint again and rewrite it
    return findings, counts


def _read(root: Path, name: str) -> str:
    if not _DIR_FD:
        return (root / CACHE_DIR / name).read_text(encoding="utf-8")
    folder = _open_folder(root)
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=folder)
    finally:
        os.close(folder)
    with os.fdopen(fd, "rb") as handle:
        return handle.read().decode("utf-8")


def store(root: Path, key: str, findings: list[Finding], counts: dict[str, int]) -> str | None:
    """Cache the findings of ``key``; a warning when the folder must not be used."""
    why = unusable(root)
    if why is not None:
        return warning(root, why)
    payload = {"findings": [_entry(f) for f in findings], "counts": counts}
    _write(root, f"{key}.json", json.dumps(payload, default=_json_default).encode("utf-8"))
    return None


def load_data(root: Path, name: str) -> Any:
    """The JSON file ``name`` of the cache folder (kept apart from the pruned results);
    None when absent or damaged. The caller checks its shape: anyone may have written it."""
    if unusable(root) is not None:
        return None
    try:
        return json.loads(_read(root, name))
    except (OSError, ValueError, RecursionError):
        return None


def store_data(root: Path, name: str, payload: Any) -> str | None:
    """Write ``payload`` as the JSON file ``name``; a warning when the folder must not be used."""
    why = unusable(root)
    if why is not None:
        return warning(root, why)
    _write(root, name, json.dumps(payload, default=_json_default).encode("utf-8"))
    return None


def _write(root: Path, name: str, data: bytes) -> None:
    """Atomically (re)write ``name``; results (``*.json``) are then pruned to ``KEEP``."""
    try:
        (root / CACHE_DIR).mkdir(exist_ok=True)
        if not _DIR_FD:
            return  # no way to write without following a swapped-in symlink
        folder = _open_folder(root)
        try:
            _create(folder, ".gitignore", b"# kpilint's cache: safe to delete\n*\n")
            tmp = f".{name}.{os.getpid()}.tmp"
            _create(folder, tmp, data, replace=True)
            os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            _prune(folder)
        finally:
            os.close(folder)
    except OSError:
        pass  # a read-only checkout still lints; it just does not cache


def _create(folder: int, name: str, data: bytes, *, replace: bool = False) -> None:
    """Write a new file in the folder; an existing one is kept unless ``replace``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    if replace:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=folder)
    try:
        fd = os.open(name, flags, 0o644, dir_fd=folder)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _prune(folder: int) -> None:
    with os.scandir(folder) as it:
        entries = [
            (e.stat(follow_symlinks=False).st_mtime, e.name)
            for e in it
            if e.name.endswith(".json") and e.is_file(follow_symlinks=False)
        ]
    for _, name in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=folder)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot cache {type(value).__name__}")


def _entry(f: Finding) -> dict[str, Any]:
    entry = asdict(f)
    entry["fix"].pop("edits")  # fixes are recomputed from the file, never cached
    return entry


def _list(data: Any, name: str) -> list[Any]:
    value = data[name] if isinstance(data, dict) else None
    if not isinstance(value, list):
        raise TypeError(f"{name} is not a list")
    return value


def _counts(data: dict[str, Any]) -> dict[str, int]:
    counts = data["counts"]
    if not isinstance(counts, dict) or set(counts) != _COUNTS:
        raise TypeError("counts")
    return {name: _int(value) for name, value in counts.items()}


_COUNTS = {f.name for f in fields(Summary)}
_APPLICABILITY = {"safe", "unsafe", "none"}


def _int(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise TypeError("not a count")
    return value


def _str(value: Any, *, optional: bool = False) -> Any:
    if isinstance(value, str) or (optional and value is None):
        return value
    raise TypeError("not a string")


def _finding(data: Any, paths: set[str]) -> Finding:
    if not isinstance(data, dict):
        raise TypeError("not an object")
    fix, entity = data["fix"], data["entity"]
    if data["path"] not in paths or data["severity"] not in SEVERITIES:
        raise ValueError("a finding outside the key's files, or an unknown severity")
    if not isinstance(fix, dict) or fix["applicability"] not in _APPLICABILITY:
        raise TypeError("fix")
    if entity is not None and not isinstance(entity, dict):
        raise TypeError("entity")
    end_line, end_column = data["end_line"], data["end_column"]
    return Finding(
        code=_str(data["code"]),
        name=_str(data["name"]),
        severity=data["severity"],
        path=data["path"],
        line=_int(data["line"]),
        column=_int(data["column"]),
        entity=EntityRef(_str(entity["kind"]), _str(entity["id"], optional=True))
        if entity
        else None,
        message=_str(data["message"]),
        fix=Fix(_str(fix["description"]), fix["applicability"]),
        key=_str(data["key"], optional=True),
        end_line=None if end_line is None else _int(end_line),
        end_column=None if end_column is None else _int(end_column),
        fingerprint=_str(data["fingerprint"]),
    )
