"""The language server re-lints a project when one of its actuals files is saved."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp

from tests.conftest import WriteProject
from tests.lsp_session import Session, run, uri_of, where

pytestmark = pytest.mark.slow

CONFIG = 'today = 2027-06-01\nselect = ["KPI9"]\n[[actuals]]\ninclude = ["actuals/*.csv"]\n'
KPIS = """\
kpis:
  - id: churn
    name: Churn
    target: {value: 3, direction: decrease}
    timeline: {start: 2024-01-01, end: 2028-12-31, review: annually}
"""


def test_saving_an_actuals_file_relints_the_open_kpi_files(write_project: WriteProject) -> None:
    root = write_project(
        {
            "kpilint.toml": CONFIG,
            "a.kpi.yaml": KPIS,
            "actuals/k.csv": "kpi,date,value\nchurn,2024,5\nchurn,2026,4.9\n",
        }
    )
    kpis, csv = root / "a.kpi.yaml", root / "actuals" / "k.csv"

    async def scenario(s: Session) -> None:
        s.open(kpis)
        assert [where(d) for d in await s.diagnostics(kpis)] == [("KPI903", 3, 4, 3, 10)]
        opened = len(s.published[uri_of(kpis)])
        s.open(csv)  # re-lints the project (the file on disk is unchanged): wait for it
        await s.until(lambda: len(s.published[uri_of(kpis)]) > opened)
        csv.write_text("kpi,date,value\nchurn,2024,5\nchurn,2026,3.2\n")  # then saved
        before = len(s.published[uri_of(kpis)])
        s.client.text_document_did_save(
            lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri_of(csv)))
        )
        found = await s.until(
            lambda: s.published[uri_of(kpis)][before:] and s.published[uri_of(kpis)][-1]
        )
        assert list(found.diagnostics) == []

    run(root, scenario)
