"""`kpilint server` against hostile clients: odd document URIs and raw frames on its stdin."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp

from tests import lsp_session
from tests.conftest import REPO
from tests.lsp_session import Session, run, uri_of, where
from tests.test_server import CONFIG, GOALS, KPIS

pytestmark = pytest.mark.slow

# Installed in the server process: every file it opens or lists goes to $KPILINT_OPENS.
AUDIT = """\
import os, sys

if os.environ.get("KPILINT_OPENS"):
    _log = open(os.environ["KPILINT_OPENS"], "a", buffering=1)

    def _hook(event, args):
        if event in ("open", "os.listdir", "os.scandir") and args:
            if isinstance(args[0], (str, bytes, os.PathLike)):
                _log.write(os.fsdecode(args[0]) + "\\n")

    sys.addaudithook(_hook)
"""


def open_uri(s: Session, uri: str, text: str) -> None:
    s.client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )


def warnings_about(s: Session, uri: str) -> list[str]:
    return [m.message for m in s.logs if uri[:200] in m.message]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "kpilint.toml").write_text(CONFIG)
    (root / "goals.kpi.yaml").write_text(GOALS)
    (root / "kpis.kpi.yaml").write_text(KPIS)
    return root


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("bad%00name.kpi.yaml", "its path has a NUL byte"),
        ("x" * 300 + ".kpi.yaml", "its path cannot be used"),  # a name over 255 bytes
        ("loop/a.kpi.yaml", "its path cannot be used"),  # a folder that links to itself
    ],
)
def test_a_path_the_file_system_refuses_gets_its_own_message_and_breaks_no_other_lint(
    workspace: Path, name: str, why: str
) -> None:
    (workspace / "loop").symlink_to("loop")
    kpis = workspace / "kpis.kpi.yaml"
    bad = uri_of(workspace) + "/" + name

    async def scenario(s: Session) -> None:
        s.open(kpis)
        assert [where(d) for d in await s.diagnostics(kpis)] == [
            ("KPI101", 1, 4, 1, 6),
            ("KPI003", 4, 4, 4, 11),
        ]
        open_uri(s, bad, KPIS)
        s.change(kpis, KPIS.replace("goal: arr", "goal: arx"))
        assert [where(d) for d in await s.diagnostics(kpis)] == [
            ("KPI101", 1, 4, 1, 6),
            ("KPI006", 3, 4, 3, 8),
            ("KPI003", 4, 4, 4, 11),
        ]
        assert [m.type for m in s.logs if bad[:200] in m.message] == [lsp.MessageType.Warning]
        [message] = warnings_about(s, bad)
        assert message.startswith("kpilint: not linting file://") and why in message
        s.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(bad))
        )
        s.change(kpis, KPIS)
        assert len(await s.diagnostics(kpis)) == 2

    session = run(workspace, scenario)
    assert bad not in session.published
    assert not [m for m in session.logs if m.type == lsp.MessageType.Error]


def outside_project(tmp_path: Path) -> Path:
    """A project beside the workspace, with a secret the server must never open."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kpilint.toml").write_text(CONFIG)
    (outside / "secret.kpi.yaml").write_text(KPIS)
    return outside


@pytest.fixture
def audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file where the servers started next write each path they open or list."""
    hook = tmp_path / "audit-hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(AUDIT)
    log = tmp_path / "opened.txt"
    monkeypatch.setenv("KPILINT_OPENS", str(log))  # the server's env is a copy of ours
    # the PYTHONPATH Session gives the server: the hook's folder, then the checkout
    monkeypatch.setattr(lsp_session, "REPO", f"{hook}{os.pathsep}{lsp_session.REPO}")
    return log


def opened(audit: Path) -> list[str]:
    return audit.read_text().splitlines() if audit.exists() else []


def test_a_uri_that_leaves_the_workspace_is_refused_and_nothing_outside_is_read(
    workspace: Path, tmp_path: Path, audit: Path
) -> None:
    outside = outside_project(tmp_path)
    kpis = workspace / "kpis.kpi.yaml"
    leaving = [
        uri_of(workspace) + "/../outside/secret.kpi.yaml",
        uri_of(workspace) + "/%2E%2E/outside/secret.kpi.yaml",
        uri_of(workspace) + "/sub/../../outside/secret.kpi.yaml",
    ]

    async def scenario(s: Session) -> None:
        s.open(kpis)
        for uri in leaving:
            open_uri(s, uri, KPIS)
        s.change(kpis, KPIS.replace("goal: arr", "goal: arx"))
        assert [d.code for d in await s.diagnostics(kpis)] == ["KPI101", "KPI006", "KPI003"]
        for uri in leaving:
            [message] = warnings_about(s, uri)
            assert message.endswith(": it lies outside the workspace")

    session = run(workspace, scenario)
    assert not [uri for uri in leaving if uri in session.published]
    assert str(workspace / "goals.kpi.yaml") in opened(audit)  # the audit sees opens
    assert [p for p in opened(audit) if p.startswith(str(outside))] == []


def test_a_document_linked_to_a_file_outside_the_workspace_is_refused(
    workspace: Path, tmp_path: Path, audit: Path
) -> None:
    outside = outside_project(tmp_path)
    (workspace / "link.kpi.yaml").symlink_to(outside / "secret.kpi.yaml")
    (workspace / "linked").symlink_to(outside)
    links = [uri_of(workspace / "link.kpi.yaml"), uri_of(workspace / "linked" / "new.kpi.yaml")]

    async def scenario(s: Session) -> None:
        for uri in links:
            open_uri(s, uri, KPIS)
        # a request answers only after the notifications before it are handled
        await s.request(s.client.text_document_hover_async(hover(links[0])))
        for uri in links:
            [message] = warnings_about(s, uri)
            assert "symbolic link" in message and "out of the workspace" in message

    session = run(workspace, scenario)
    assert not [uri for uri in links if uri in session.published]
    assert opened(audit)  # the audit is live
    assert [p for p in opened(audit) if p.startswith(str(outside))] == []


def hover(uri: str) -> lsp.HoverParams:
    return lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 0))


def test_a_request_on_a_document_not_open_never_reads_the_disk(workspace: Path) -> None:
    fifo = workspace / "pipe.kpi.yaml"
    os.mkfifo(fifo)  # opening it to read would block the server for good

    async def scenario(s: Session) -> None:
        try:
            found = await asyncio.wait_for(
                s.client.text_document_hover_async(hover(uri_of(fifo))), 20
            )
            assert found is None
        finally:
            with contextlib.suppress(OSError):  # a server stuck opening it: let it go
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    run(workspace, scenario)


# -- raw frames on stdin -------------------------------------------------------------


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = frame(
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}},
    }
)
SHUTDOWN = frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
EXIT = frame({"jsonrpc": "2.0", "method": "exit"})


def serve_raw(cwd: Path, data: bytes, timeout: float = 60) -> tuple[int, list[Any], str]:
    """Write ``data`` to a fresh server's stdin, leave it open, and wait for the server to
    end by itself: its exit status, the messages on its stdout, its stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpilint", "server"],
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdin is not None
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
    except BrokenPipeError:
        pass  # it stopped reading, as it should when it refuses
    try:
        out, err = _wait(proc, timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, messages(out), err.decode("utf-8", "replace")


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes]:
    """Its output once it exits, stdin still open (``communicate`` would close it)."""
    assert proc.stdout is not None and proc.stderr is not None
    proc.wait(timeout=timeout)
    return proc.stdout.read(), proc.stderr.read()


def messages(out: bytes) -> list[Any]:
    found = []
    while out:
        head, sep, rest = out.partition(b"\r\n\r\n")
        assert sep, out[:200]
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.startswith(b"Content-")
        )
        found.append(json.loads(rest[:length]))
        out = rest[length:]
    return found


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (b"Content-Length: 1000000000000000\r\n\r\n{}", "over the limit of 64 MiB"),
        (b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n{}", "over the limit of 64 MiB"),
        (b"Content-Length: %d\r\n\r\n" % (64 * 2**20 + 1), "over the limit of 64 MiB"),
        (b"Content-Length: -5\r\n\r\n{}\r\n", "is not a number of bytes"),
        (b"Content-Length: 1e3\r\n\r\n{}\r\n", "is not a number of bytes"),
        (b"X-Padding: " + b"a" * 1_000_000, "header line is longer than"),
    ],
)
def test_a_frame_it_cannot_read_is_refused_before_any_allocation_and_the_client_told(
    tmp_path: Path, header: bytes, why: str
) -> None:
    status, said, err = serve_raw(tmp_path, INITIALIZE + header)
    assert said[0]["id"] == 1 and "capabilities" in said[0]["result"]
    [log] = [m for m in said if m.get("method") == "window/logMessage"]
    assert log["params"]["type"] == lsp.MessageType.Error
    assert log["params"]["message"].startswith("kpilint: refused a message from the client: ")
    assert why in log["params"]["message"]
    assert status == 2
    assert err.splitlines() == [f"kpilint: error: {log['params']['message'][9:]}"]


JUNK = [
    b"Content-Length: 5\r\n\r\n{{{{{",  # not JSON
    b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc",  # not UTF-8
    b"Content-Length: 3\r\n\r\n[1]",  # JSON, not a message
    b"Content-Length: 2\r\n\r\n42",
    frame({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": [[[]]]}),
    b'{"jsonrpc": "2.0", "method": "no header"}\r\n',  # a body without its header
    b"Content-Length: 400000\r\n\r\n" + b"[" * 200_000 + b"]" * 200_000,  # nested deep
    b"content-length:  0\n\n",  # an empty message
]


def test_frames_that_are_not_messages_are_skipped_and_the_server_goes_on(tmp_path: Path) -> None:
    """pygls's own handling (an error shown, the frame dropped), pinned: none ends the server."""
    status, said, _err = serve_raw(tmp_path, INITIALIZE + b"".join(JUNK) + SHUTDOWN + EXIT)
    assert [m["id"] for m in said if "result" in m] == [1, 2]
    assert status == 0


def test_a_header_in_lower_case_without_carriage_returns_is_read(tmp_path: Path) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}).encode()
    status, said, _err = serve_raw(
        tmp_path, INITIALIZE + b"content-length: %d\n\n" % len(body) + body + EXIT
    )
    assert [m["id"] for m in said if "result" in m] == [1, 3]
    assert status == 0
