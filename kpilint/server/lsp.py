"""The language server: LSP over stdio on pygls, the rest is kpilint's own.

Open, change (debounced) and save re-lint the whole project from the editor's
buffers and publish every open file's findings, so a goal renamed in one file
updates the diagnostics of another. Code actions carry the findings' exact
text edits; hover explains a rule; ids are navigable and completed across files.
Errors go to the client's log (``window/logMessage``); stdout carries only LSP.
"""

from __future__ import annotations

import asyncio
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from kpilint import __version__
from kpilint.config import ConfigError
from kpilint.findings import Finding
from kpilint.loader import SourceFile
from kpilint.project import CONFIG_NAMES, find_root
from kpilint.registry import Rule, by_name_or_code
from kpilint.rulesdoc import rule_url
from kpilint.server import navigate
from kpilint.server.actions import KINDS, code_actions, diagnostic, overlaps
from kpilint.server.positions import TextIndex, finding_span
from kpilint.server.state import ProjectState

DEFAULT_DEBOUNCE = 0.15  # seconds between the last keystroke and the re-lint
_SUPPRESSION = re.compile(r"#[ \t]*kpilint:[ \t]*(?:ignore-file|ignore)\[(?P<sel>[^\]\r\n]*)\]")
T = TypeVar("T")


@dataclass(slots=True)
class Published:
    """What the last lint found in one open document, for code actions and hover."""

    version: int | None
    file: SourceFile
    index: TextIndex
    findings: list[tuple[Finding, lsp.Range]]


class KpilintServer(LanguageServer):
    def __init__(self, debounce: float = DEFAULT_DEBOUNCE) -> None:
        super().__init__("kpilint", __version__)
        self.debounce = debounce
        self.projects: dict[Path, ProjectState] = {}
        self.published: dict[str, Published] = {}
        self.pending: dict[Path, asyncio.TimerHandle] = {}
        self.refused: dict[str, str] = {}  # uri: why it is not linted (told once per open)

    # -- logging ---------------------------------------------------------------------

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    def guarded(self, what: str, func: Callable[[], T], default: T) -> T:
        """``func()``; any exception is logged to the client, and ``default`` returned."""
        try:
            return func()
        except Exception:  # the server must outlive any input
            self.log(f"kpilint: {what} failed:\n{traceback.format_exc()}", lsp.MessageType.Error)
            return default

    # -- projects --------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The negotiated position encoding: ``utf-8``, ``utf-16`` (default) or ``utf-32``."""
        kind = self.workspace.position_encoding or "utf-16"
        return str(getattr(kind, "value", kind))  # a str Enum's str() is its name

    def project_of(self, path: Path) -> ProjectState | None:
        root, config_file = find_root(path)
        state = self.projects.get(root)
        if state is None or state.config_file != config_file:
            try:
                state = ProjectState(root, config_file)
            except ConfigError as exc:
                self.log(f"kpilint: {exc}; using the default configuration", lsp.MessageType.Error)
                state = ProjectState(root, None)
            self.projects[root] = state
        return state if state.wants(path) else None

    def path_of(self, uri: str) -> Path | None:
        """The file ``uri`` names if it may be linted (``guard.refusal``); else None, and
        the client is told why once: it is left out of every lint, so it breaks no other."""
        from kpilint.server.guard import refusal, shorten, workspace_roots

        path = to_fs_path(uri)
        if path is None or uri in self.refused:
            return None
        why = refusal(path, workspace_roots(self.workspace))
        if why is None:
            return Path(path).absolute()
        self.refused[uri] = why
        self.log(f"kpilint: not linting {shorten(uri)}: {why}", lsp.MessageType.Warning)
        return None

    def open_documents(self) -> dict[Path, Any]:
        docs: dict[Path, Any] = {}
        for doc in list(self.workspace.text_documents.values()):
            path = self.path_of(doc.uri)  # its uri as sent: the dict's keys are unquoted once
            if path is not None:
                docs[path] = doc
        return docs

    def lint(self, root: Path) -> None:
        """Lint the project at ``root`` from the open buffers; publish each open file."""
        self.pending.pop(root, None)
        state = self.projects.get(root)
        if state is None:
            return
        docs = {p: d for p, d in self.open_documents().items() if self._belongs(p, state)}
        if not docs:
            return
        found = state.lint({p: d.source for p, d in docs.items()}, sorted(docs))
        for path, doc in docs.items():
            sf = state.file(path)
            if sf is None:
                continue
            self.publish(doc.uri, doc.version, sf, found.get(path, []))

    def _belongs(self, path: Path, state: ProjectState) -> bool:
        return find_root(path)[0] == state.root and state.wants(path)

    def publish(self, uri: str, version: int | None, sf: SourceFile, found: list[Finding]) -> None:
        index = TextIndex(sf.text, self.encoding)
        pairs = [(f, self.range(index, *finding_span(sf, index, f))) for f in found]
        self.published[uri] = Published(version, sf, index, pairs)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[diagnostic(f, r) for f, r in pairs]
            )
        )

    @staticmethod
    def range(index: TextIndex, start: int, end: int) -> lsp.Range:
        return lsp.Range(_position(index, start), _position(index, end))

    def schedule(self, path: Path, delay: float) -> None:
        """Lint ``path``'s project after ``delay`` seconds, once for a burst of edits."""
        state = self.guarded("loading the project", lambda: self.project_of(path), None)
        if state is None:
            return
        root = state.root
        handle = self.pending.pop(root, None)
        if handle is not None:
            handle.cancel()
        if delay <= 0:
            self.guarded("linting", lambda: self.lint(root), None)
            return
        loop = asyncio.get_running_loop()
        self.pending[root] = loop.call_later(
            delay, lambda: self.guarded("linting", lambda: self.lint(root), None)
        )

    def reload(self) -> None:
        """The config may have changed: forget every project and lint the open files anew."""
        self.projects.clear()
        for path in self.open_documents():
            self.schedule(path, 0)


def _position(index: TextIndex, offset: int) -> lsp.Position:
    line, character = index.position(offset)
    return lsp.Position(line=line, character=character)


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path).absolute() if path else None


def build(debounce: float = DEFAULT_DEBOUNCE) -> KpilintServer:
    """The server with every feature registered."""
    server = KpilintServer(debounce)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: KpilintServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            ls.debounce = max(0.0, float(options["debounce"]) / 1000)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: KpilintServer, _params: lsp.InitializedParams) -> None:
        dynamic = ls.client_capabilities.workspace and (
            ls.client_capabilities.workspace.did_change_watched_files
        )
        if dynamic and dynamic.dynamic_registration:
            names = ",".join([*CONFIG_NAMES, "*.kpi.yaml", "*.kpi.yml"])
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{{{names}}}")]
            ls.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="kpilint-watch",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                watchers=watchers
                            ),
                        )
                    ]
                )
            )

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KpilintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if path is not None:
            ls.schedule(path, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KpilintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if path is not None:
            ls.schedule(path, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KpilintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if path is None:
            return
        if path.name in CONFIG_NAMES:
            ls.reload()
        else:
            ls.schedule(path, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KpilintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.published.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
        if ls.refused.pop(uri, None) is not None:
            return  # never linted: nothing to redo
        path = ls.path_of(uri)
        if path is not None:  # its buffer is gone: the others now see the file on disk
            ls.schedule(path, 0)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: KpilintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        paths = [p for change in params.changes if (p := _path(change.uri)) is not None]
        if any(p.name in CONFIG_NAMES for p in paths):
            ls.reload()
            return
        for path in ls.open_documents():  # a file on disk changed: every project may care
            ls.schedule(path, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=KINDS))
    def code_action(ls: KpilintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        return ls.guarded("code actions", lambda: code_actions(ls, params), None)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: KpilintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.guarded("hover", lambda: rule_hover(ls, params), None)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: KpilintServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        return ls.guarded("definition", lambda: locate(ls, params, navigate.definitions), None)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: KpilintServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        def find() -> list[lsp.Location] | None:
            found = locate(ls, params, navigate.references) or []
            if params.context.include_declaration:
                found = (locate(ls, params, navigate.definitions) or []) + found
            return found

        return ls.guarded("references", find, None)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", ","])
    )
    def completion(ls: KpilintServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        return ls.guarded("completion", lambda: complete(ls, params), None)

    return server


def _document(ls: KpilintServer, uri: str) -> tuple[str, TextIndex] | None:
    from kpilint.server.guard import open_text

    text = open_text(ls.workspace, uri)
    return None if text is None else (text, TextIndex(text, ls.encoding))


def rule_hover(ls: KpilintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    document = _document(ls, uri)
    if document is None:
        return None
    text, index = document
    offset = index.offset(params.position.line, params.position.character)
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start : index.line_end(offset)]
    for match in _SUPPRESSION.finditer(line):
        sel_start = line_start + match.start("sel")
        if sel_start <= offset <= line_start + match.end("sel"):
            start, end = navigate.word_at(text, offset)
            rule = by_name_or_code(text[start:end])
            if rule is not None:
                return _rule_hover(rule, index, start, end)
    published = ls.published.get(uri)
    if published is None or text != published.file.text:
        return None
    here = lsp.Range(params.position, params.position)
    rules = [(f, r) for f, r in published.findings if overlaps(r, here)]
    if not rules:
        return None
    parts = []
    for code in dict.fromkeys(f.code for f, _ in rules):
        rule = by_name_or_code(code)
        if rule is not None:
            parts.append(rule_markdown(rule))
    where = rules[0][1]
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
        range=where,
    )


def _rule_hover(rule: Rule, index: TextIndex, start: int, end: int) -> lsp.Hover:
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=rule_markdown(rule)),
        range=KpilintServer.range(index, start, end),
    )


def rule_markdown(rule: Rule) -> str:
    m = rule.meta
    return (
        f"**{m.code} {m.name}** ({m.severity})\n\n{m.summary}\n\n**Why:** {m.why}\n\n"
        f"**Fix:** {m.fix}\n\n[Documentation]({rule_url(m.code, m.name)})"
    )


def locate(
    ls: KpilintServer,
    params: lsp.DefinitionParams | lsp.ReferenceParams,
    find: Callable[[Any, str, str], list[navigate.Location]],
) -> list[lsp.Location] | None:
    """Run ``find`` on the id under the cursor, against the last lint's project."""
    uri = params.text_document.uri
    document = _document(ls, uri)
    path = ls.path_of(uri) if document is not None else None
    if document is None or path is None:
        return None
    state = ls.project_of(path)
    published = ls.published.get(uri)
    if state is None or state.loaded is None or published is None:
        return None
    text, index = document
    if text != published.file.text:  # typed since the last lint: lint now
        ls.lint(state.root)
        published = ls.published.get(uri)
        if published is None:
            return None
    offset = index.offset(params.position.line, params.position.character)
    target = navigate.id_at(state.loaded.project, published.file, offset)
    if target is None:
        return None
    out = []
    for sf, start, end in find(state.loaded.project, *target):
        file_index = published.index if sf is published.file else TextIndex(sf.text, ls.encoding)
        out.append(
            lsp.Location(
                uri=from_fs_path(str(sf.path)) or "", range=ls.range(file_index, start, end)
            )
        )
    return out


def complete(ls: KpilintServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    uri = params.text_document.uri
    document = _document(ls, uri)
    path = ls.path_of(uri) if document is not None else None
    state = ls.project_of(path) if path is not None else None
    if document is None or state is None or state.loaded is None:
        return None
    text, index = document
    offset = index.offset(params.position.line, params.position.character)
    kind = navigate.completion_kind(text, offset)
    if kind is None:
        return None
    items = []
    for entity in navigate.complete(state.loaded.project, kind):
        name = entity.raw.get("name")
        items.append(
            lsp.CompletionItem(
                label=str(entity.id),
                kind=lsp.CompletionItemKind.Reference,
                detail=f"{entity.kind}: {name}" if isinstance(name, str) else entity.kind,
                documentation=f"{entity.file.display}:{entity.pos.line}",
            )
        )
    return lsp.CompletionList(is_incomplete=False, items=items)
