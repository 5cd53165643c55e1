"""Read-only access to git revisions for ``kpilint diff``.

Only plumbing that reads the object database is used (``rev-parse``,
``ls-tree``, ``cat-file``): nothing here checks out, stashes, or touches the
index or the work tree, so ``kpilint diff`` is safe to run on a dirty checkout.
Failures become ``UsageError`` (exit 2) with one line that says what to do.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpilint.engine import UsageError

_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",  # never refresh the index as a side effect
    "GIT_TERMINAL_PROMPT": "0",  # never hang waiting for credentials
    "LC_ALL": "C",
}
MODE_SYMLINK = "120000"


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One blob of a revision's tree, as ``git ls-tree -r -l`` lists it."""

    path: str  # relative to the repository top, "/" separators
    mode: str
    oid: str
    size: int


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git is not installed or not on PATH; kpilint diff needs it") from None
    if done.returncode != 0:
        raise GitFailed(done.stderr.decode(errors="replace").strip())
    return done.stdout


class GitFailed(Exception):
    pass


def toplevel(cwd: Path) -> Path:
    """The work tree top of the repository holding ``cwd``."""
    top = _top(cwd)
    if top is None:
        raise UsageError(
            f"'{cwd}' is not inside a git work tree; "
            "kpilint diff compares git revisions, so run it in a clone"
        )
    return top


def resolve(rev: str, top: Path) -> str:
    """The commit id ``rev`` names; an unknown or missing revision is a usage error."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"'{rev}' is not a revision")
    try:
        out = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    except GitFailed:
        fetch = f"git fetch --depth=1 origin {rev.removeprefix('origin/')}"
        if is_shallow(top):
            raise UsageError(
                f"unknown revision '{rev}': this clone is shallow, fetch it first ({fetch})"
            ) from None
        raise UsageError(
            f"unknown revision '{rev}': fetch it first (in a shallow clone: {fetch})"
        ) from None
    return out.decode().strip()


def is_shallow(top: Path) -> bool:
    """Whether the repository is a shallow clone (its history stops early)."""
    try:
        return _git(["rev-parse", "--is-shallow-repository"], top).strip() == b"true"
    except GitFailed:
        return False


def ls_tree(commit: str, top: Path, paths: list[str] | None = None) -> list[TreeEntry]:
    """Every blob of ``commit`` (recursively, whole tree), with mode and size.

    ``paths`` (relative to ``top``) lists only those, as literal paths.
    """
    args = ["ls-tree", "-r", "-z", "-l", "--full-tree", commit]
    if paths is not None:
        if not paths:
            return []
        args = ["--literal-pathspecs", *args, "--", *paths]
    out = _git(args, top)
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        if kind != "blob":  # submodules ("commit") have no content here
            continue
        entries.append(TreeEntry(os.fsdecode(raw_path), mode, oid, int(size)))
    return entries


def read_blobs(oids: list[str], top: Path) -> dict[str, bytes]:
    """Contents by object id, all in one ``git cat-file --batch`` process."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    out = _git(["cat-file", "--batch"], top, stdin="".join(f"{o}\n" for o in unique).encode())
    blobs: dict[str, bytes] = {}
    at = 0
    for oid in unique:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].decode().split()
        if len(header) < 3 or header[1] == "missing":
            raise UsageError(f"git object {oid} is missing; fetch the revision again")
        size = int(header[2])
        start = header_end + 1
        blobs[oid] = out[start : start + size]
        at = start + size + 1  # the content is followed by a newline
    return blobs


def work_tree_top(cwd: Path) -> Path | None:
    """The work tree top holding ``cwd``, or None outside git (or without git)."""
    try:
        return _top(cwd)
    except UsageError:
        return None


def _top(cwd: Path) -> Path | None:
    """The work tree top holding ``cwd``, None outside one; ``UsageError`` without git."""
    try:
        out = _git(["rev-parse", "--show-toplevel"], cwd)
    except GitFailed:
        return None
    return Path(os.fsdecode(out.rstrip(b"\n"))).resolve() if out.strip() else None


def maybe_in_repository(path: Path) -> bool:
    """Whether ``path`` may be in a git work tree: a ``.git`` here or above, or ``GIT_DIR``
    set. Cheap (no process), for callers that only need git inside a repository."""
    if "GIT_DIR" in os.environ or "GIT_WORK_TREE" in os.environ:
        return True
    return any(os.path.lexists(folder / ".git") for folder in (path, *path.parents))


def tracks(cwd: Path, name: str) -> bool:
    """Whether git tracks the file ``name`` (relative to ``cwd``) or any file under it.

    ``GitFailed`` outside a repository, when git fails or is not installed.
    """
    try:
        return bool(_git(["--literal-pathspecs", "ls-files", "-z", "--", name], cwd))
    except UsageError:
        raise GitFailed("git is not installed or not on PATH") from None


def head_commit(top: Path) -> str | None:
    """The commit HEAD names, or None in a repository with no commit yet."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top).decode().strip()
    except GitFailed:
        return None


def head_of(path: Path) -> str:
    """HEAD's commit id in the repository holding ``path``; "" outside git or before a commit.

    The warm-cache run of the pre-commit hook takes a quarter of a second and
    needs this for its key, so it is read from the ``.git`` folder (a work tree's
    ``.git`` file, loose refs, ``packed-refs``) without starting git; anything
    unusual (``GIT_DIR`` set, an unreadable layout) asks git itself.
    """
    if "GIT_DIR" not in os.environ:
        try:
            found = _read_head(path)
        except (OSError, ValueError):
            found = None
        if found is not None:
            return found
    try:
        return head_commit(path) or ""
    except (UsageError, OSError):
        return ""


def _read_head(path: Path) -> str | None:
    """HEAD from the files git keeps; "" outside a repository; None when unsure."""
    for folder in (path, *path.parents):
        dot = folder / ".git"
        if dot.is_dir():
            gitdir = dot
            break
        if dot.is_file():
            text = dot.read_text(encoding="utf-8").strip()
            if not text.startswith("gitdir:"):
                return None
            gitdir = (folder / text[len("gitdir:") :].strip()).resolve()
            break
    else:
        return ""
    head = (gitdir / "HEAD").read_text(encoding="utf-8").strip()
    if not head.startswith("ref:"):
        return head or None  # detached: the commit itself
    ref = head[len("ref:") :].strip()
    common = gitdir
    if (gitdir / "commondir").is_file():
        common = (gitdir / (gitdir / "commondir").read_text(encoding="utf-8").strip()).resolve()
    for base in dict.fromkeys((gitdir, common)):
        loose = base / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip() or None
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and not line.startswith(("#", "^")):
                return sha
    return None  # an unborn branch, or refs kept elsewhere (reftable): ask git


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit of ``git log``: id, committer date (in its own zone) and subject."""

    oid: str
    day: date | None  # None: git gives no date a ``date`` can hold (year 10001, a bad stamp)
    subject: str


def _day(when: str) -> date | None:
    """The date of git's ``%cI``. Git prints years past 9999 (``10001-03-12T...``) and,
    for a timestamp it cannot read, the placeholder itself; neither is a ``date``."""
    try:
        return date.fromisoformat(when[:10]) if when[10:11] == "T" else None
    except ValueError:
        return None


def log(
    top: Path, pathspecs: list[str], *, limit: int | None = None, since: str | None = None
) -> list[Commit]:
    """Commits that touched ``pathspecs``, newest first: the last ``limit``, or those after
    the commit ``since`` (a resolved id)."""
    args = ["log", "-z", "--format=%H%x1f%cI%x1f%s"]
    if limit is not None:
        args.append(f"--max-count={limit}")
    args += [f"{since}..HEAD" if since else "HEAD", "--", *pathspecs]
    try:
        out = _git(args, top)
    except GitFailed as exc:
        raise UsageError(
            f"git log failed: {str(exc).splitlines()[0] if str(exc) else exc}"
        ) from None
    commits = []
    for record in out.split(b"\0"):
        fields = record.strip(b"\n").decode(errors="replace").split("\x1f", 2)
        if len(fields) == 3:
            oid, when, subject = fields
            commits.append(Commit(oid, _day(when), subject))
    return commits


def renames(base: str, head: str | None, top: Path) -> dict[str, str]:
    """Paths (relative to ``top``) renamed from ``base`` to ``head`` (None: the work tree's
    tracked files), as git's rename detection (``git diff -M``) pairs them; {} when git
    cannot say."""
    args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-relative", base]
    try:
        out = _git([*args, *([head] if head else [])], top)
    except GitFailed:
        return {}
    fields = out.split(b"\0")
    found: dict[str, str] = {}
    at = 0
    while at < len(fields) and fields[at]:
        status = fields[at].decode(errors="replace")
        if status.startswith(("R", "C")):  # a copy names two paths too; only renames count
            if status.startswith("R") and at + 2 < len(fields):
                found[os.fsdecode(fields[at + 1])] = os.fsdecode(fields[at + 2])
            at += 3
        else:
            at += 2
    return found
