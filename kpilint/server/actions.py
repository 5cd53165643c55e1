"""What the editor is given for a finding: its diagnostic and its code actions.

Quick fixes carry the findings' own text edits; "suppress" writes the comment
``--add-noqa`` writes, with ``TODO`` where the reason goes (selected, ready to
type over, when the client takes snippets); ``source.fixAll`` applies every
safe fix in the document at once, as ruff's server offers it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from kpilint.comments import PLACEHOLDER
from kpilint.findings import Finding, Report
from kpilint.rulesdoc import rule_url
from kpilint.server.guard import open_text

if TYPE_CHECKING:
    from kpilint.server.lsp import KpilintServer, Published

FIX_ALL = "source.fixAll.kpilint"  # under source.fixAll, which editors run on save
KINDS = [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL]
_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
Edit = lsp.TextEdit | lsp.SnippetTextEdit


def diagnostic(finding: Finding, where: lsp.Range) -> lsp.Diagnostic:
    url = rule_url(finding.code, finding.name) if finding.code != "KPI000" else None
    return lsp.Diagnostic(
        range=where,
        message=f"{finding.message} ({finding.name})",
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=lsp.CodeDescription(href=url) if url else None,
        source="kpilint",
        data={"fingerprint": finding.fingerprint, "fix": finding.fix.description},
    )


def _wanted(params: lsp.CodeActionParams, kind: str) -> bool:
    """Whether the request's ``only`` (none: every kind) covers ``kind`` or a parent of it."""
    only = params.context.only
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(ls: KpilintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    published = ls.published.get(uri)
    if published is None or open_text(ls.workspace, uri) is None:
        return []  # never read from disk: only an open document (server/guard.py)
    doc = ls.workspace.get_text_document(uri)
    if doc.source != published.file.text:
        return []  # edited since the last lint: its offsets no longer hold
    actions = _quick_fixes(ls, params, published, doc.version)
    if _wanted(params, FIX_ALL):
        fix_all = _fix_all(ls, published, uri, doc.version)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _quick_fixes(
    ls: KpilintServer, params: lsp.CodeActionParams, published: Published, version: int | None
) -> list[lsp.CodeAction]:
    if not _wanted(params, lsp.CodeActionKind.QuickFix):
        return []
    uri = params.text_document.uri
    actions: list[lsp.CodeAction] = []
    suppressed: set[tuple[int, str]] = set()
    for finding, where in published.findings:
        if not overlaps(where, params.range):
            continue
        diag = diagnostic(finding, where)
        index = published.index
        fix = finding.fix
        if fix.edits and fix.applicability in ("safe", "unsafe"):
            unsafe = fix.applicability == "unsafe"
            edits: list[Edit] = [
                lsp.TextEdit(ls.range(index, e.start, e.end), e.content) for e in fix.edits
            ]
            actions.append(
                lsp.CodeAction(
                    title=f"Fix {finding.code}: {fix.description}"
                    + (" (unsafe fix)" if unsafe else ""),
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=not unsafe,
                    edit=_workspace_edit(uri, version, edits),
                )
            )
        key = (finding.line, finding.code)
        if key not in suppressed:
            suppressed.add(key)
            suppress = suppression_edit(ls, published, finding)
            if suppress is not None:
                edit, title = suppress
                actions.append(
                    lsp.CodeAction(
                        title=title,
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        edit=_workspace_edit(uri, version, [edit]),
                    )
                )
    return actions


def overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _workspace_edit(uri: str, version: int | None, edits: list[Edit]) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(
        document_changes=[
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=list(edits),
            )
        ]
    )


def _snippets(ls: KpilintServer) -> bool:
    """Whether the client takes snippet edits in a workspace edit (LSP 3.18)."""
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    return bool(edit is not None and edit.snippet_edit_support)


def suppression_edit(
    ls: KpilintServer, published: Published, finding: Finding
) -> tuple[Edit, str] | None:
    """``--add-noqa``'s comment for the finding's line (``noqa.line_edit``), and its title.

    A new ``# kpilint: ignore[CODE] TODO`` goes at the end of the line: the
    title says the TODO is there to be replaced (it is KPI009 until a person
    writes why), and a client that takes snippets gets it selected, to type
    over. Else the code joins the suppression in force there. A malformed
    comment or an expired waiver is left to the person.
    """
    from kpilint.noqa import line_edit

    state = ls.project_of(published.file.path)
    today = (state.config.today if state is not None else None) or date.today()
    edit = line_edit(published.file, finding.line, [finding.code], today)
    if edit is None:
        return None
    where = ls.range(published.index, edit.start, edit.end)
    what = f"Suppress {finding.code} ({finding.name}) on this line"
    if not edit.content.endswith(f"] {PLACEHOLDER}"):
        return lsp.TextEdit(where, edit.content), f"{what}, in its kpilint comment"
    if _snippets(ls):
        head = edit.content[: -len(PLACEHOLDER)]
        snippet = _escape(head) + "${1:" + PLACEHOLDER + "}"
        return lsp.SnippetTextEdit(where, lsp.StringValue(snippet)), f"{what}, then type why"
    return lsp.TextEdit(where, edit.content), f"{what} (replace {PLACEHOLDER} with why)"


def _escape(text: str) -> str:
    """Literal text inside a snippet: ``$``, ``}`` and ``\\`` escaped."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _fix_all(
    ls: KpilintServer, published: Published, uri: str, version: int | None
) -> lsp.CodeAction | None:
    """Every safe fix of the document's findings in one edit, as ``--fix`` makes them.

    One round over the findings published, with ``--fix``'s rules (no two fixes
    that overlap, none that would leave the file unparseable); the re-lint
    after the edit offers what a fix made fixable, as the next ``--fix`` round.
    """
    from kpilint.fixes import fix_text

    sf = published.file
    mine = Report(findings=[f for f, _ in published.findings if f.path == sf.display])
    _, after, fixed = fix_text(
        lambda _text: Report(), sf.path, sf.display, sf.text, unsafe=False, report=mine
    )
    if not fixed:
        return None
    before = sf.text
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while (
        end_before > start and end_after > start and before[end_before - 1] == after[end_after - 1]
    ):
        end_before, end_after = end_before - 1, end_after - 1
    edit = lsp.TextEdit(ls.range(published.index, start, end_before), after[start:end_after])
    return lsp.CodeAction(
        title=f"Fix all safe kpilint findings in this file ({fixed})",
        kind=FIX_ALL,
        edit=_workspace_edit(uri, version, [edit]),
    )
