"""``--output-file`` of check, diff and audit: a regular file replaced atomically or a new
one; a symlink, device, pipe or folder at the name is a one-line error (exit 2), so a branch
that commits ``report.sarif -> /dev/sda`` cannot make a CI job run as root write to a disk.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_hostile import CLEAN, TODAY, kpilint, write

ERROR = "kpilint: error: not writing the report to 'report.json': it is {what}; "


def project(tmp_path: Path) -> Path:
    """A clean project in a git repository with one commit (diff needs a base)."""
    root = tmp_path / "project"
    write(root, "kpilint.toml", "")
    write(root, "a.kpi.yaml", CLEAN)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


COMMANDS = {
    "check": ["check", "--format", "json", "--today", TODAY, "."],
    "diff": ["diff", "HEAD", "--format", "json", "--today", TODAY],
    "audit": ["audit", "--format", "json", "--today", TODAY, "."],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_symlink_to_a_device_is_refused_by_every_command(tmp_path: Path, command: str) -> None:
    root = project(tmp_path)
    (root / "report.json").symlink_to("/dev/null")  # /dev/sda in the attack; harmless here
    run = kpilint(*COMMANDS[command], "--output-file", "report.json", cwd=root)
    assert run.code == 2
    assert run.stderr.startswith(ERROR.format(what="a symlink")), run.stderr
    assert "--output-file" in run.stderr and os.readlink(root / "report.json") == "/dev/null"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_symlink_to_a_file_is_refused_and_its_target_kept(tmp_path: Path, command: str) -> None:
    root = project(tmp_path)
    victim = tmp_path / "bashrc"
    victim.write_text("keep me\n")
    (root / "report.json").symlink_to(victim)
    run = kpilint(*COMMANDS[command], "-o", "report.json", cwd=root)
    assert run.code == 2 and run.stderr.startswith(ERROR.format(what="a symlink"))
    assert victim.read_text() == "keep me\n" and (root / "report.json").is_symlink()


def test_a_pipe_is_refused_not_written_to(tmp_path: Path) -> None:
    root = project(tmp_path)
    fifo = root / "report.json"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that a writer would not block
    try:
        run = kpilint(*COMMANDS["check"], "-o", "report.json", cwd=root)
        assert run.code == 2 and run.stderr.startswith(ERROR.format(what="a named pipe"))
        assert os.read(reader, 1) == b""  # nobody wrote to it
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_stdout_is_refused_with_the_way_to_stdout(tmp_path: Path) -> None:
    root = project(tmp_path)
    run = kpilint(*COMMANDS["check"], "-o", "/dev/stdout", cwd=root)
    assert run.code == 2 and run.stdout == ""
    assert "'/dev/stdout': it is a symlink; " in run.stderr
    assert "leave it out: the report goes to stdout" in run.stderr


@pytest.mark.parametrize(("before", "after"), [(0o640, 0o640), (0o755, 0o644), (0o4770, 0o660)])
def test_a_regular_file_is_replaced_keeping_its_read_and_write_bits(
    tmp_path: Path, before: int, after: int
) -> None:
    root = project(tmp_path)
    report = root / "report.json"
    report.write_text("old\n")
    report.chmod(before)
    inode = report.stat().st_ino
    other = root / "other-name.json"
    os.link(report, other)  # a second name of the old inode: replaced, never written into
    run = kpilint(*COMMANDS["check"], "-o", "report.json", cwd=root)
    assert run.code == 0, run.stderr
    assert json.loads(report.read_text())["findings"] == []
    assert stat.S_IMODE(report.stat().st_mode) == after
    assert report.stat().st_ino != inode and other.read_text() == "old\n"


def test_a_new_file_is_created_in_a_new_folder(tmp_path: Path) -> None:
    root = project(tmp_path)
    run = kpilint(*COMMANDS["audit"], "-o", "out/report.json", cwd=root)
    assert run.code == 0, run.stderr
    assert json.loads((root / "out" / "report.json").read_text())["summary"]
    mode = stat.S_IMODE((root / "out" / "report.json").stat().st_mode)
    assert mode == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_import_force_refuses_a_pipe(tmp_path: Path) -> None:
    """``import -o DIR --force`` shares the function: a link is replaced, a pipe refused."""
    (tmp_path / "k.csv").write_text("id,name\na,A\n")
    (tmp_path / "out").mkdir()
    os.mkfifo(tmp_path / "out" / "k.kpi.yaml")
    run = kpilint("import", "--from", "csv", "-o", "out", "k.csv", "--force", cwd=tmp_path)
    assert run.code == 2
    assert run.stderr.startswith("kpilint: error: not writing 'out/k.kpi.yaml': it is a named pipe")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "out" / "k.kpi.yaml").st_mode)
