"""A real LSP client (pygls's own) driving ``python -m kpilint server`` over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from tests.conftest import REPO

TIMEOUT = 60  # seconds; a wait that long means the server is stuck
T = TypeVar("T")


def uri_of(path: Path) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


class Session:
    """One server process and the client's view of it: diagnostics, log, documents."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("kpilint-tests", "1")
        self.published: dict[str, list[lsp.PublishDiagnosticsParams]] = {}
        self.logs: list[lsp.LogMessageParams] = []
        self.registrations: list[lsp.Registration] = []
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self._event = asyncio.Event()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self._event.set()

        @self.client.feature(lsp.WINDOW_LOG_MESSAGE)
        def log(params: lsp.LogMessageParams) -> None:
            self.logs.append(params)

        @self.client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params: lsp.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

    async def start(
        self,
        *args: str,
        options: dict[str, Any] | None = None,
        encodings: list[str] | None = None,
        snippets: bool = False,
    ) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        await self.client.start_io(
            sys.executable, "-m", "kpilint", "server", *args, cwd=str(self.root), env=env
        )
        capabilities = lsp.ClientCapabilities(
            general=lsp.GeneralClientCapabilities(
                position_encodings=[lsp.PositionEncodingKind(e) for e in encodings or ["utf-16"]]
            ),
            workspace=lsp.WorkspaceClientCapabilities(
                did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                ),
                workspace_edit=lsp.WorkspaceEditClientCapabilities(snippet_edit_support=snippets),
            ),
        )
        await asyncio.wait_for(
            self.client.initialize_async(
                lsp.InitializeParams(
                    capabilities=capabilities,
                    root_uri=uri_of(self.root),
                    initialization_options=options,
                )
            ),
            TIMEOUT,
        )
        self.client.initialized(lsp.InitializedParams())

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await self.client.stop()

    async def until(self, ready: Callable[[], T | None]) -> T:
        """Wait, without sleeping, until ``ready()`` is truthy after a publish."""
        while True:
            value = ready()
            if value:
                return value
            self._event.clear()
            await asyncio.wait_for(self._event.wait(), TIMEOUT)

    def latest(self, path: Path) -> lsp.PublishDiagnosticsParams | None:
        got = self.published.get(uri_of(path))
        return got[-1] if got else None

    async def diagnostics(self, path: Path, version: int | None = None) -> list[lsp.Diagnostic]:
        """The diagnostics published for ``path`` at ``version`` (default: its current one)."""
        want = self.versions.get(uri_of(path)) if version is None else version

        def ready() -> tuple[list[lsp.Diagnostic]] | None:
            for params in reversed(self.published.get(uri_of(path), [])):
                if params.version == want:
                    return (list(params.diagnostics),)
            return None

        return (await self.until(ready))[0]

    def open(self, path: Path, text: str | None = None) -> None:
        uri = uri_of(path)
        self.texts[uri] = path.read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=self.texts[uri])
            )
        )

    def change(self, path: Path, text: str) -> int:
        uri = uri_of(path)
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    def apply(self, path: Path, edit: lsp.WorkspaceEdit) -> int:
        """Apply a code action's edit to the client's text, then send the change."""
        changes = edit.document_changes or []
        text = self.texts[uri_of(path)]
        for change in changes:
            assert isinstance(change, lsp.TextDocumentEdit)
            assert change.text_document.uri == uri_of(path)
            assert change.text_document.version == self.versions[uri_of(path)]
            text = apply_edits(text, [e for e in change.edits if isinstance(e, lsp.TextEdit)])
        return self.change(path, text)

    async def request(self, call: Awaitable[T]) -> T:
        return await asyncio.wait_for(call, TIMEOUT)

    async def actions(
        self, path: Path, diagnostic: lsp.Diagnostic, only: list[str] | None = None
    ) -> list[lsp.CodeAction]:
        """The code actions offered at ``diagnostic``'s range, for it (of the ``only`` kinds)."""
        found = await self.request(
            self.client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri_of(path)),
                    range=diagnostic.range,
                    context=lsp.CodeActionContext(diagnostics=[diagnostic], only=only),
                )
            )
        )
        return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


def offset_of(text: str, position: lsp.Position) -> int:
    """ASCII test texts: UTF-16 units are characters."""
    lines = text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: position.line]) + position.character


def apply_edits(text: str, edits: Sequence[lsp.TextEdit]) -> str:
    spans = sorted(
        ((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def where(diagnostic: lsp.Diagnostic) -> tuple[Any, int, int, int, int]:
    r = diagnostic.range
    return (diagnostic.code, r.start.line, r.start.character, r.end.line, r.end.character)


def run(
    root: Path, scenario: Callable[[Session], Awaitable[None]], *args: str, snippets: bool = False
) -> Session:
    """Start the server in ``root`` (no debounce), run ``scenario``, shut it down cleanly."""

    async def main() -> Session:
        session = Session(root)
        await session.start("--debounce", "0", *args, snippets=snippets)
        try:
            await scenario(session)
        finally:
            await session.stop()
        return session

    return asyncio.run(main())
