"""`kpilint server`'s code actions through a real client: honest suppression, source.fixAll.

Issue 23: the suppress action said "with a reason" and wrote ``TODO``; there was
no ``source.fixAll`` (every safe fix in the document), which ruff's server offers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp

from tests.conftest import WriteProject
from tests.lsp_session import Session, run, uri_of
from tests.test_server import CONFIG, GOALS, KPIS

pytestmark = pytest.mark.slow

# Two KPIs, each with a misspelt key whose fix (the key renamed) is safe.
TWO = (
    KPIS
    + """\
  - id: arr-growth
    name: ARR growth
    goal: arr
    ownr: cfo
"""
)
TWO_FIXED = TWO.replace("targett:", "target:").replace("ownr:", "owner:")


@pytest.fixture
def project(write_project: WriteProject) -> Path:
    return write_project({"kpilint.toml": CONFIG, "goals.kpi.yaml": GOALS, "kpis.kpi.yaml": TWO})


def test_suppress_with_snippets_selects_todo_to_type_the_reason_over(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis, TWO.replace("goal: arr\n    targett", "goal: arx\n    targett"))
        found = await s.diagnostics(kpis)
        unknown = next(d for d in found if d.code == "KPI006")
        (suppress,) = [a for a in await s.actions(kpis, unknown) if "Suppress" in a.title]
        assert suppress.title == "Suppress KPI006 (unknown-reference) on this line, then type why"
        assert suppress.edit is not None and suppress.edit.document_changes
        (change,) = suppress.edit.document_changes
        assert isinstance(change, lsp.TextDocumentEdit)
        (edit,) = change.edits
        assert isinstance(edit, lsp.SnippetTextEdit)
        assert edit.snippet.value == "  # kpilint: ignore[KPI006] ${1:TODO}"
        assert (edit.range.start.line, edit.range.start.character) == (3, 13)  # the line's end

    run(project, scenario, snippets=True)


def test_fix_all_applies_every_safe_fix_in_the_document(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis)
        found = await s.diagnostics(kpis)
        assert sorted(d.code for d in found if d.code == "KPI003") == ["KPI003", "KPI003"]
        first = next(d for d in found if d.code == "KPI003")
        # Asked for source.fixAll (as an editor does on save): that action only.
        (fix_all,) = await s.actions(kpis, first, only=["source.fixAll"])
        assert fix_all.kind == "source.fixAll.kpilint"
        assert fix_all.title == "Fix all safe kpilint findings in this file (2)"
        assert fix_all.diagnostics is None
        # Quick fixes alone leave it out; with no `only`, both are offered.
        quick = await s.actions(kpis, first, only=["quickfix"])
        assert quick and all(a.kind == lsp.CodeActionKind.QuickFix for a in quick)
        every = await s.actions(kpis, first)
        assert [a.kind for a in every].count("source.fixAll.kpilint") == 1
        assert fix_all.edit is not None
        s.apply(kpis, fix_all.edit)
        assert s.texts[uri_of(kpis)] == TWO_FIXED
        left = await s.diagnostics(kpis)
        assert [d.code for d in left if d.code == "KPI003"] == []
        # Nothing safe left to fix: no fix-all action.
        again = [d for d in left] or [first]
        assert await s.actions(kpis, again[0], only=["source.fixAll"]) == []

    run(project, scenario)
