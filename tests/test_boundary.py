"""Files kpilint must never read (SOURCES.md "Files"), through the real command line.

kpilint runs in CI on branches nobody reviewed, with secrets on the disk. A
branch can commit ``leak.yml -> ../home/.kube/config``, a FIFO or a link to
``/dev/zero``. Such a KPI or source file is skipped with one warning naming it
(the exit code is unchanged); such an owners file is a config error (exit 2).
Each case runs ``python -m kpilint`` as a process with a time and memory limit
and checks that the secret appears nowhere in what kpilint prints or writes.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_hostile import CLEAN, KPI, TIMEOUT, TODAY, Run, write
from tests.test_hostile import kpilint as hostile_kpilint

SECRET = "ghp_s3cr3tT0kenFromKube"
KUBE = f"apiVersion: v1\nusers:\n- name: ci\n  user:\n    token: {SECRET}\n"
# A source whose map takes id and name from the token: were the file read, the
# report would print it ("KPI 'ghp_...' has no target").
SOURCES = """\
[[sources]]
include = ["*.yml"]
format = "yaml"
records = "users"
kind = "kpi"
[sources.map]
id = "user.token"
name = "user.token"
"""
OUT = "it resolves outside the project root"
LEAK = f"kpilint: warning: not read leak.yml: {OUT}\n"


def kpilint(*args: str, cwd: Path, stdin: str | None = None, timeout: float = TIMEOUT) -> Run:
    """``test_hostile``'s runner, which also never shows the secret."""
    run = hostile_kpilint(*args, cwd=cwd, stdin=stdin, timeout=timeout)
    assert SECRET not in run.stdout + run.stderr
    return run


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with a clean KPI file, a source declared over ``*.yml``, and a kube
    config (holding the secret) beside it, outside the project."""
    write(tmp_path / "home" / ".kube", "config", KUBE)
    project = tmp_path / "project"
    write(project, "kpilint.toml", SOURCES)
    write(project, "a.kpi.yaml", CLEAN)
    return project


@pytest.fixture
def leak(root: Path) -> Path:
    (root / "leak.yml").symlink_to("../home/.kube/config")
    return root


def summary(run: Run) -> dict[str, int]:
    counts: dict[str, int] = json.loads(run.stdout)["summary"]
    return counts


def check(root: Path, *args: str) -> Run:
    return kpilint("check", "--format", "json", "--today", TODAY, *args, cwd=root)


# --- KPI and source files that resolve outside the root ------------------------------


def test_a_source_file_linked_out_of_the_root_is_not_read(leak: Path) -> None:
    for cache in ((), ("--no-cache",)):  # the first run stores, the second reads the cache
        for _ in range(2):
            run = check(leak, *cache)
            assert run.code == 0 and run.findings() == []
            assert run.stderr == LEAK  # named once, though it matches two sources' globs
            assert summary(run)["files"] == 1 and summary(run)["kpis"] == 1


def test_a_link_that_stays_inside_the_root_is_still_read(root: Path) -> None:
    write(root, "data/real.yml", KUBE.replace(SECRET, "inside-token"))
    (root / "in.yml").symlink_to("data/real.yml")
    b = "kpis:\n" + KPI.format(id="b", name="B").replace("owner: cfo", "ownr: cfo")
    write(root, "other/b.kpi.yaml", b)
    (root / "in.kpi.yaml").symlink_to("other/b.kpi.yaml")
    run = check(root, "in.yml", "in.kpi.yaml")
    assert run.stderr == ""
    assert {f["path"] for f in run.findings()} == {"in.yml", "in.kpi.yaml"}
    assert "KPI 'inside-token' has no target" in [f["message"] for f in run.findings()]
    found = [(f["path"], f["code"], f["line"], f["column"]) for f in run.findings()]
    assert ("in.yml", "KPI101", 3, 3) in found  # the record's first key
    assert ("in.kpi.yaml", "KPI003", 6, 5) in found  # ownr
    (root / "alias").symlink_to("other")  # a folder link inside: named through, still read
    run = check(root, "alias/b.kpi.yaml", "alias")
    assert run.stderr == ""
    assert [(f["path"], f["code"]) for f in run.findings()] == [
        ("alias/b.kpi.yaml", "KPI104"),
        ("alias/b.kpi.yaml", "KPI405"),
        ("alias/b.kpi.yaml", "KPI003"),
    ]


def test_a_link_above_the_current_folder_is_the_machine_s(root: Path) -> None:
    """``/home -> /mnt/home``: a path named through a link above the current folder
    is read (only links below it can come from the branch)."""
    write(root, "b.kpi.yaml", "kpis: [\n")
    (root.parent / "mnt").mkdir()
    (root.parent / "mnt" / "home").symlink_to(root.parent)  # leaves the folder holding it
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    run = check(elsewhere, "../mnt/home/project/b.kpi.yaml")
    assert (run.stderr, run.where()) == ("", [("KPI001", 2, 1)])


def test_a_named_file_linked_out_is_skipped(leak: Path) -> None:
    run = check(leak, "leak.yml")
    assert (run.code, run.findings(), run.stderr) == (0, [], LEAK)
    (leak / "leak.kpi.yaml").symlink_to("../home/.kube/config")
    run = check(leak, "leak.kpi.yaml", "a.kpi.yaml")
    assert (run.code, run.findings()) == (0, [])
    assert f"kpilint: warning: not read leak.kpi.yaml: {OUT}\n" in run.stderr


def test_a_path_named_through_a_folder_linked_out_is_not_read(root: Path) -> None:
    (root / "kube").symlink_to("../home/.kube")  # a CI job names `kube/...`; the branch links it
    run = check(root, "kube/config")
    assert (run.code, run.findings(), run.stderr) == (
        0,
        [],
        f"kpilint: warning: not read kube/config: {OUT}\n",
    )
    run = check(root, "kube")  # a named folder with nothing readable: exit 2, as an empty one
    assert run.code == 2
    assert run.stderr.startswith("kpilint: error: no file to lint in folder 'kube' (looked for ")
    assert f"sources[1]: *.yml; not read kube: {OUT}); " in run.stderr


def test_from_preset_skips_files_and_folders_linked_out(root: Path) -> None:
    (root / "leak.yml").symlink_to("../home/.kube/config")
    (root / "kube").symlink_to("../home/.kube")
    write(root, "meta/bad.md", "---\ntitle: [\n---\n")  # read: a KPI001
    (root / "meta" / "leak.yml").symlink_to("../../home/.kube/config")
    run = check(root, "--from", "open-sdg", "leak.yml")
    assert (run.code, run.findings(), run.stderr) == (0, [], LEAK)
    run = check(root, "--from", "open-sdg", "meta")
    assert {f["path"] for f in run.findings()} == {"meta/bad.md"}
    assert run.stderr == f"kpilint: warning: not read meta/leak.yml: {OUT}\n"
    run = check(root, "--from", "open-sdg", "kube")
    assert run.code == 2 and f"not read kube: {OUT}" in run.stderr


def test_stdin_run_reads_the_rest_of_the_project_without_the_link(leak: Path) -> None:
    run = kpilint(
        "check", "--format", "json", "--today", TODAY, "--stdin-filename", "a.kpi.yaml", "-",
        cwd=leak,
        stdin=CLEAN.replace("owner: cfo", "ownr: cfo"),
    )  # fmt: skip
    assert run.code == 1 and {f["path"] for f in run.findings()} == {"a.kpi.yaml"}
    assert run.stderr == LEAK


def test_audit_skips_the_link(leak: Path) -> None:
    run = kpilint("audit", "--format", "json", "--today", TODAY, ".", cwd=leak)
    assert run.code == 0 and run.stderr == LEAK
    assert json.loads(run.stdout)["summary"]["kpis"] == 1


def test_show_files_leaves_the_link_out(leak: Path) -> None:
    run = kpilint("check", "--show-files", cwd=leak)
    assert (run.code, run.stdout, run.stderr) == (0, "a.kpi.yaml\n", LEAK)


def test_import_skips_the_link(leak: Path) -> None:
    write(leak, "team/ok.yml", KUBE.replace(SECRET, "fine-token"))
    (leak / "team" / "leak.yml").symlink_to("../../home/.kube/config")
    for named in ((), ("team",), ("team/leak.yml", "team/ok.yml")):
        out = leak.parent / f"out{len(named)}"
        run = kpilint("import", "--source", "1", *named, "-o", str(out), cwd=leak)
        assert run.code == 0, run.stderr
        written = "".join(p.read_text() for p in out.iterdir())
        assert "fine-token" in written and SECRET not in written
        link = "team/leak.yml" if named else "leak.yml"
        assert f"kpilint: warning: not read {link}: {OUT}" in run.stderr.splitlines()


def test_diff_work_tree_names_the_link(leak: Path) -> None:
    git(leak, "init", "-q")
    git(leak, "add", "kpilint.toml", "a.kpi.yaml")
    git(leak, "commit", "-qm", "base")
    run = kpilint("diff", "--format", "json", "--today", TODAY, "HEAD", cwd=leak)
    assert run.code == 0 and run.findings() == []
    assert run.stderr == LEAK


def test_language_server_project_lint_skips_the_link(leak: Path) -> None:
    from kpilint.server.state import ProjectState

    state = ProjectState(leak, leak / "kpilint.toml")
    a = leak / "a.kpi.yaml"
    found = state.lint({a: CLEAN.replace("owner: cfo", "ownr: cfo")}, [a])
    assert state.loaded is not None
    assert [sf.display for sf in state.loaded.project.files] == ["a.kpi.yaml"]
    assert state.loaded.refused == {leak / "leak.yml": OUT}
    assert [(f.code, f.line) for f in found[a]] == [("KPI104", 16), ("KPI003", 20)]


# --- devices, FIFOs and sockets --------------------------------------------------------


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs POSIX FIFOs and sockets")
def test_a_fifo_or_socket_is_skipped_with_a_warning(root: Path) -> None:
    os.mkfifo(root / "pipe.yml")  # a source file: opening it would block
    with _socket(root / "s.kpi.yaml"):
        run = check(root)
    assert (run.code, run.findings()) == (0, [])
    assert run.stderr == (
        "kpilint: warning: not read pipe.yml: it is a FIFO\n"
        "kpilint: warning: not read s.kpi.yaml: it is a socket\n"
    )


def test_a_link_to_a_device_is_skipped(root: Path) -> None:
    (root / "zero.yml").symlink_to("/dev/zero")  # outside the root, and endless
    run = check(root)
    assert (run.code, run.findings()) == (0, [])
    assert run.stderr == f"kpilint: warning: not read zero.yml: {OUT}\n"


class _socket:
    """A listening Unix socket at ``path`` while in the ``with`` block."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)

    def __enter__(self) -> socket.socket:
        self.sock.bind(str(self.path))
        return self.sock

    def __exit__(self, *_exc: object) -> None:
        self.sock.close()


# --- the owners file --------------------------------------------------------------------


def owners_project(root: Path, setting: str, extra: str = "") -> Path:
    (root / "leak.yml").unlink(missing_ok=True)
    write(root, "kpilint.toml", f"owners = {json.dumps(setting)}\n{extra}")
    return root


def owners_error(root: Path, timeout: float = TIMEOUT) -> str:
    run = kpilint("check", "--today", TODAY, ".", cwd=root, timeout=timeout)
    assert run.code == 2, run.stderr
    return run.stderr


@pytest.mark.parametrize("setting", ["../home/.kube/config", "sub/../../home/.kube/config"])
def test_an_owners_path_out_of_the_root_is_a_config_error(root: Path, setting: str) -> None:
    stderr = owners_error(owners_project(root, setting))
    assert stderr.startswith(f"kpilint: error: owners = '{setting}': the path leaves the ")
    assert "name a file inside it, as a path from the root" in stderr


def test_an_absolute_owners_path_is_a_config_error(root: Path) -> None:
    setting = str(root.parent / "home" / ".kube" / "config")
    stderr = owners_error(owners_project(root, setting))
    assert f"owners = '{setting}': the path leaves the project root" in stderr


@pytest.mark.parametrize("target", ["../home/.kube/config", "/dev/zero"])
def test_an_owners_file_linked_out_is_a_config_error(root: Path, target: str) -> None:
    owners_project(root, "CODEOWNERS")
    (root / "CODEOWNERS").symlink_to(target)
    stderr = owners_error(root, timeout=10)  # /dev/zero was read forever
    assert stderr.startswith("kpilint: error: owners = 'CODEOWNERS': it resolves outside the ")
    assert "point 'owners' at a file inside the project" in stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_an_owners_fifo_is_a_config_error_not_a_hang(root: Path) -> None:
    owners_project(root, "CODEOWNERS")
    os.mkfifo(root / "CODEOWNERS")
    for command in ("check", "audit"):
        run = kpilint(command, "--today", TODAY, ".", cwd=root, timeout=10)
        assert run.code == 2
        assert run.stderr == (
            "kpilint: error: owners = 'CODEOWNERS': cannot read it (a device, FIFO or socket); "
            "point 'owners' at a regular file\n"
        )


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_an_owners_socket_is_a_config_error(root: Path) -> None:
    owners_project(root, "owners.txt")
    with _socket(root / "owners.txt"):
        stderr = owners_error(root)
    assert "owners = 'owners.txt': cannot read it (a device, FIFO or socket)" in stderr


def test_the_owners_file_has_the_size_limit(root: Path) -> None:
    owners_project(root, "owners.txt", "max-file-size = 3000\n")
    write(root, "owners.txt", "cfo\n" + "# padding\n" * 300)
    stderr = owners_error(root)
    assert "owners = 'owners.txt': the file is 3,004 bytes, over the 3,000-byte limit" in stderr
    assert "raise `max-file-size`" in stderr


def test_an_owners_link_inside_the_root_is_read(root: Path) -> None:
    owners_project(root, "CODEOWNERS")
    write(root, "docs/owners.txt", "* @someone\n")
    (root / "CODEOWNERS").symlink_to("docs/owners.txt")
    run = check(root)
    assert run.code == 0  # KPI106 is a warning: cfo is not in the list
    located = [(f["code"], f["line"], f["column"]) for f in run.findings()]
    assert located == [("KPI106", 5, 5), ("KPI106", 20, 5)]  # ceo and cfo are not listed
