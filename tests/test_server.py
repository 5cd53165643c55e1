"""`kpilint server` end to end: a real LSP client talking to the server process over stdio."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from tests.conftest import WriteProject
from tests.lsp_session import Session, run, uri_of, where

pytestmark = pytest.mark.slow

CONFIG = 'today = 2027-06-01\nignore = ["KPI102", "KPI104", "KPI105", "KPI201", "KPI403"]\n'
GOALS = """\
goals:
  - id: arr
    name: ARR
    kind: revenue
"""
KPIS = """\
kpis:
  - id: mrr
    name: MRR
    goal: arr
    targett: {value: 5, unit: USD, direction: increase, baseline: 4}
"""
FIXED = KPIS.replace("targett:", "target:")


@pytest.fixture
def project(write_project: WriteProject) -> Path:
    return write_project({"kpilint.toml": CONFIG, "goals.kpi.yaml": GOALS, "kpis.kpi.yaml": KPIS})


def test_open_publishes_diagnostics_at_exact_ranges_and_edits_change_them(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis)
        found = await s.diagnostics(kpis)
        assert [where(d) for d in found] == [
            ("KPI101", 1, 4, 1, 6),  # the entity: its `id` key
            ("KPI003", 4, 4, 4, 11),  # the unknown key `targett`
        ]
        unknown = found[1]
        assert unknown.severity == lsp.DiagnosticSeverity.Error
        assert unknown.source == "kpilint"
        assert "unknown-key" in unknown.message
        assert unknown.code_description is not None
        assert unknown.code_description.href.endswith("/docs/rules.md#kpi003-unknown-key")
        s.change(kpis, KPIS.replace("goal: arr", "goal: arx"))
        found = await s.diagnostics(kpis)
        assert [where(d) for d in found] == [
            ("KPI101", 1, 4, 1, 6),
            ("KPI006", 3, 4, 3, 8),
            ("KPI003", 4, 4, 4, 11),
        ]

    session = run(project, scenario)
    assert not [m for m in session.logs if m.type == lsp.MessageType.Error]
    # the file on disk is never written by linting
    assert kpis.read_text() == KPIS


def test_a_code_action_applies_the_fix_and_the_finding_goes(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis)
        found = await s.diagnostics(kpis)
        unknown = next(d for d in found if d.code == "KPI003")
        actions = await s.actions(kpis, unknown)
        fixes = [a for a in actions if "Fix KPI003" in a.title]
        assert len(fixes) == 1 and fixes[0].is_preferred
        assert fixes[0].edit is not None
        s.apply(kpis, fixes[0].edit)
        assert s.texts[uri_of(kpis)] == FIXED
        assert [d.code for d in await s.diagnostics(kpis)] == []

    run(project, scenario)


def test_suppress_inserts_the_comment_and_says_the_reason_is_to_write(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis, FIXED.replace("goal: arr", "goal: arx"))
        found = await s.diagnostics(kpis)
        unknown = next(d for d in found if d.code == "KPI006")
        actions = await s.actions(kpis, unknown)
        suppress = [a for a in actions if "Suppress" in a.title]
        assert [a.title for a in suppress] == [
            "Suppress KPI006 (unknown-reference) on this line (replace TODO with why)"
        ]
        assert suppress[0].edit is not None
        s.apply(kpis, suppress[0].edit)
        lines = s.texts[uri_of(kpis)].splitlines()
        assert lines[3] == "    goal: arx  # kpilint: ignore[KPI006] TODO"  # as --add-noqa writes
        left = await s.diagnostics(kpis)  # silenced; the TODO asks for the real reason
        assert [(d.code, d.range.start.line, d.range.start.character) for d in left] == [
            ("KPI009", 3, 15)
        ]

    run(project, scenario)


def test_renaming_a_goal_updates_the_other_open_file(project: Path) -> None:
    goals, kpis = project / "goals.kpi.yaml", project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(goals)
        s.open(kpis, FIXED)
        assert await s.diagnostics(kpis) == []
        before = len(s.published[uri_of(kpis)])
        s.change(goals, GOALS.replace("id: arr", "id: arrs"))
        found = await s.until(
            lambda: len(s.published[uri_of(kpis)]) > before and s.latest(kpis).diagnostics  # type: ignore[union-attr]
        )
        assert [where(d) for d in found] == [("KPI006", 3, 4, 3, 8)]
        assert "did you mean 'arrs'" in found[0].message
        assert await s.diagnostics(goals) == []
        # closing the goals buffer brings back the file on disk, where 'arr' exists
        s.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri_of(goals)))
        )
        await s.until(lambda: not s.latest(kpis).diagnostics)  # type: ignore[union-attr]

    run(project, scenario)


def test_invalid_yaml_is_kpi001_at_the_parser_position_and_the_server_lives(
    project: Path,
) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis, "kpis:\n  - id: x\n   name: [\n")
        found = await s.diagnostics(kpis)
        assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [
            ("KPI001", 2, 3)  # `check` says 3:4, where the parser stopped
        ]
        for junk in ("\x00\x01", "{{{{", "- [" * 3000, "a: *b\n", "\ufeffkpis: 1\n", ""):
            s.change(kpis, junk)
            await s.diagnostics(kpis)
        s.change(kpis, FIXED)
        assert await s.diagnostics(kpis) == []

    session = run(project, scenario)
    assert not [m for m in session.logs if m.type == lsp.MessageType.Error]


async def hover_at(s: Session, path: Path, line: int, column: int) -> lsp.Hover | None:
    """The server's hover at a 0-based position of ``path``."""
    document = lsp.TextDocumentIdentifier(uri_of(path))
    params = lsp.HoverParams(document, lsp.Position(line, column))
    return await s.request(s.client.text_document_hover_async(params))


def test_hover_explains_a_rule_in_a_suppression_and_under_a_diagnostic(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"
    text = FIXED.replace("goal: arr", "goal: arx  # kpilint: ignore[KPI601, missing-owner] why")

    async def scenario(s: Session) -> None:
        s.open(kpis, text)
        await s.diagnostics(kpis)
        column = text.splitlines()[3].index("KPI601") + 2
        hover = await hover_at(s, kpis, 3, column)
        assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
        assert hover.contents.value.startswith("**KPI601 vanity-metric-kpi**")
        assert "**Why:**" in hover.contents.value
        assert hover.range == lsp.Range(lsp.Position(3, column - 2), lsp.Position(3, column + 4))
        column = text.splitlines()[3].index("missing-owner") + 3
        hover = await hover_at(s, kpis, 3, column)
        assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
        assert hover.contents.value.startswith("**KPI104 missing-owner**")
        hover = await hover_at(s, kpis, 3, 5)  # on `goal`, where KPI006 is
        assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
        assert hover.contents.value.startswith("**KPI006 unknown-reference**")
        hover = await hover_at(s, kpis, 2, 8)  # nothing there
        assert hover is None

    run(project, scenario)


def test_definition_references_and_completion_of_ids_across_files(project: Path) -> None:
    goals, kpis = project / "goals.kpi.yaml", project / "kpis.kpi.yaml"
    incentives = project / "pay.kpi.yaml"
    incentives.write_text(
        "incentives:\n  - id: bonus\n    name: Bonus\n    kpis: [mrr, churn]\n"
        "kpis:\n  - id: churn\n    name: Churn\n    goal:\n      - arr\n    counterbalance: mrr\n"
    )

    async def scenario(s: Session) -> None:
        s.open(kpis, FIXED)
        await s.diagnostics(kpis)
        doc = lsp.TextDocumentIdentifier(uri_of(kpis))
        found = await s.request(
            s.client.text_document_definition_async(
                lsp.DefinitionParams(doc, lsp.Position(3, 11))  # on 'arr' of `goal: arr`
            )
        )
        assert isinstance(found, list)
        assert [(loc.uri, loc.range) for loc in found if isinstance(loc, lsp.Location)] == [
            (uri_of(goals), lsp.Range(lsp.Position(1, 8), lsp.Position(1, 11)))
        ]
        refs = await s.request(
            s.client.text_document_references_async(
                lsp.ReferenceParams(  # on the KPI's own id, 'mrr'
                    text_document=doc,
                    position=lsp.Position(1, 9),
                    context=lsp.ReferenceContext(include_declaration=True),
                )
            )
        )
        assert refs is not None
        assert [(r.uri, r.range.start.line, r.range.start.character) for r in refs] == [
            (uri_of(kpis), 1, 8),  # the declaration
            (uri_of(incentives), 3, 11),  # incentive kpis: [mrr, ...]
            (uri_of(incentives), 9, 20),  # counterbalance: mrr
        ]
        refs = await s.request(
            s.client.text_document_references_async(
                lsp.ReferenceParams(  # on 'arr' in `goal: arr`
                    text_document=doc,
                    position=lsp.Position(3, 10),
                    context=lsp.ReferenceContext(include_declaration=False),
                )
            )
        )
        assert refs is not None
        assert [(r.uri, r.range.start.line, r.range.start.character) for r in refs] == [
            (uri_of(kpis), 3, 10),
            (uri_of(incentives), 8, 8),  # a block list item
        ]
        text = FIXED.replace("goal: arr", "goal: ")
        s.change(kpis, text)
        await s.diagnostics(kpis)
        items = await s.request(
            s.client.text_document_completion_async(lsp.CompletionParams(doc, lsp.Position(3, 10)))
        )
        assert isinstance(items, lsp.CompletionList)
        assert [(i.label, i.detail) for i in items.items] == [("arr", "goal: ARR")]
        items = await s.request(  # on `name:` nothing is offered
            s.client.text_document_completion_async(lsp.CompletionParams(doc, lsp.Position(2, 10)))
        )
        assert items is None

    run(project, scenario)


def test_config_changes_reload_and_relint(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis)
        assert [where(d) for d in await s.diagnostics(kpis)] == [
            ("KPI101", 1, 4, 1, 6),
            ("KPI003", 4, 4, 4, 11),
        ]
        assert any(r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in s.registrations), (
            "the server asks to be told about config and KPI files changing on disk"
        )
        (project / "kpilint.toml").write_text(CONFIG.replace('"KPI201"', '"KPI201", "KPI3"'))
        (project / "kpilint.toml").write_text(CONFIG.replace("KPI102", "KPI003"))
        before = len(s.published[uri_of(kpis)])
        s.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(uri_of(project / "kpilint.toml"), lsp.FileChangeType.Changed)]
            )
        )
        found = await s.until(
            lambda: s.published[uri_of(kpis)][before:] and s.published[uri_of(kpis)][-1]
        )
        assert [where(d) for d in found.diagnostics] == [
            ("KPI101", 1, 4, 1, 6),
            ("KPI102", 1, 4, 1, 6),
        ]
        (project / "kpilint.toml").write_text("bogus = 1\n")
        before = len(s.published[uri_of(kpis)])
        s.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(uri_of(project / "kpilint.toml"), lsp.FileChangeType.Changed)]
            )
        )
        await s.until(lambda: s.published[uri_of(kpis)][before:])
        assert any("unknown key 'bogus'" in m.message for m in s.logs)

    run(project, scenario)


def test_edits_within_the_debounce_are_linted_once(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"

    async def scenario(s: Session) -> None:
        s.open(kpis)
        await s.diagnostics(kpis)
        for n in range(5):
            s.change(kpis, KPIS + f"# edit {n}\n")
        await s.diagnostics(kpis)
        versions = [p.version for p in s.published[uri_of(kpis)]]
        assert versions == [1, 6]

    async def main() -> None:
        session = Session(project)
        await session.start(options={"debounce": 300})
        try:
            await scenario(session)
        finally:
            await session.stop()

    asyncio.run(main())


def test_a_configured_source_file_gets_its_findings_at_its_own_keys(
    write_project: WriteProject,
) -> None:
    sources = (
        'today = 2027-06-01\nselect = ["KPI006", "KPI101"]\n'
        '[[sources]]\ninclude = ["catalogue/*.yml"]\nformat = "yaml"\n'
        'records = "indicators"\nkind = "kpi"\n'
        '[sources.map]\nid = "key"\nname = "title"\ngoal = "objective"\n'
    )
    record = "indicators:\n  - key: churn\n    title: Churn\n    objective: nope\n"
    root = write_project(
        {"kpilint.toml": sources, "goals.kpi.yaml": GOALS, "catalogue/a.yml": record}
    )
    source = root / "catalogue" / "a.yml"

    async def scenario(s: Session) -> None:
        s.open(source)
        found = await s.diagnostics(source)
        # `kpilint check` says 2:5 KPI101 and 4:5 KPI006: the record's first key, `objective`
        assert [where(d) for d in found] == [("KPI101", 1, 4, 1, 7), ("KPI006", 3, 4, 3, 13)]
        s.change(source, record.replace("nope", "arr"))
        assert [where(d) for d in await s.diagnostics(source)] == [("KPI101", 1, 4, 1, 7)]

    run(root, scenario)


def test_an_unsafe_fix_is_offered_marked_and_not_preferred(project: Path) -> None:
    kpis = project / "kpis.kpi.yaml"
    expired = FIXED + "    timeline: {end: 2027-01-31}\n"

    async def scenario(s: Session) -> None:
        s.open(kpis, expired)
        found = await s.diagnostics(kpis)
        stale = next(d for d in found if d.code == "KPI302")
        assert where(stale) == ("KPI302", 5, 4, 5, 12)  # the key `timeline`
        [fix] = [a for a in await s.actions(kpis, stale) if a.title.startswith("Fix KPI302")]
        assert fix.title.endswith("(unsafe fix)") and not fix.is_preferred
        assert fix.edit is not None
        s.apply(kpis, fix.edit)
        assert "status: retired" in s.texts[uri_of(kpis)]
        assert "KPI302" not in [d.code for d in await s.diagnostics(kpis)]

    run(project, scenario)


@pytest.mark.parametrize(("encoding", "start"), [("utf-8", 42), ("utf-16", 39), ("utf-32", 38)])
def test_columns_are_in_the_negotiated_encoding(project: Path, encoding: str, start: int) -> None:
    kpis = project / "kpis.kpi.yaml"
    text = (
        'kpis:\n  - {id: mrr, name: "Ré😀", goal: arr, '
        "targett: {value: 5, unit: USD, direction: increase, baseline: 4}}\n"
    )

    async def main() -> None:
        s = Session(project)
        await s.start("--debounce", "0", encodings=[encoding])
        try:
            s.open(kpis, text)
            [unknown] = [d for d in await s.diagnostics(kpis) if d.code == "KPI003"]
            assert where(unknown) == ("KPI003", 1, start, 1, start + len("targett"))
        finally:
            await s.stop()

    asyncio.run(main())
