"""KPI208's safe fix says exactly what the text said (issue 10), on generated and real targets.

For every text target, written in every YAML style (plain, quoted, folded and
literal block scalars) beside every kind of timeline, ``--fix``:

* leaves valid YAML, with no new KPI001 or KPI002;
* rewrites a target only when ``parse_target`` calls it exact, and then the
  mapping, re-read, means what the text means: value or change, unit,
  direction, baseline, and the deadline as ``timeline.end``; an existing
  ``timeline.end`` that differs from the text's deadline blocks the fix;
* keeps the text as a comment at the end of the rewritten target line;
* changes nothing on a second run.

The real targets are every GitLab handbook ``target`` and every Open SDG
``target``/``target_name`` in ``../shared/corpora``. Example counts stay modest:
each example lints and fixes a small project twice.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from kpilint import lint
from kpilint.edits import flow_mapping, yaml_comment
from kpilint.findings import Report
from kpilint.fixes import fix_loop, plan
from kpilint.targets import ParsedTarget, parse_target
from tests.test_target_examples import TABLE

TODAY = date(2027, 3, 15)
NAME = "t.kpi.yaml"
CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# --- what a target means ------------------------------------------------------------------

Meaning = tuple[str, float | None, str | None, str | None, float | None, date | None, bool]


def text_meaning(parsed: ParsedTarget) -> Meaning:
    kind = "change" if parsed.change is not None else "value"
    amount = parsed.change if parsed.change is not None else parsed.value
    return (
        kind,
        _num(amount),
        parsed.unit,
        parsed.direction,
        _num(parsed.baseline),
        parsed.deadline,
        parsed.strict,
    )


def mapping_meaning(target: dict[str, Any], timeline: Any) -> Meaning:
    kind = "change" if "change" in target else "value"
    end = timeline.get("end") if isinstance(timeline, dict) else None
    return (
        kind,
        _num(target.get(kind)),
        target.get("unit"),
        target.get("direction"),
        _num(target.get("baseline")),
        end,
        target.get("strict", False),
    )


def _num(value: Any) -> float | None:
    if value is None:
        return None
    assert isinstance(value, int | float) and not isinstance(value, bool), repr(value)
    assert math.isfinite(value)
    return float(value)


# --- a project of KPIs with text targets -----------------------------------------------------

TIMELINES = ["none", "empty", "flow-empty", "flow-start", "block-start", "flow-end", "block-end"]
STYLES: list[str | None] = [None, "'", '"', ">", "|"]


def target_lines(text: str, style: str | None, width: int) -> list[str] | None:
    """``target: <text>`` in a YAML style, indented for a KPI; None when it does not round-trip."""
    dumped = yaml.safe_dump(
        {"target": text}, default_style=style, allow_unicode=True, width=width, sort_keys=False
    )
    dumped = re.sub(r"^[\"']target[\"']:", "target:", dumped)  # the key itself stays plain
    if yaml.safe_load(dumped) != {"target": text}:
        return None
    return ["    " + line if line else line for line in dumped.rstrip("\n").split("\n")]


def timeline_lines(kind: str, end: date) -> list[str]:
    return {
        "none": [],
        "empty": ["    timeline:"],
        "flow-empty": ["    timeline: {}"],
        "flow-start": ["    timeline: {start: 2026-01-01}"],
        "block-start": ["    timeline:", "      start: 2026-01-01", "      review: monthly"],
        "flow-end": [f"    timeline: {{start: 2026-01-01, end: {end}}}"],
        "block-end": ["    timeline:", "      start: 2026-01-01", f"      end: {end}"],
    }[kind]


Kpi = tuple[str, str | None, int, str, date]  # text, style, width, timeline kind, its end


def project_text(kpis: list[Kpi]) -> str | None:
    lines = ["kpis:"]
    for i, (text, style, width, timeline, end) in enumerate(kpis):
        target = target_lines(text, style, width)
        if target is None:
            return None
        lines += [f"  - id: k{i}", f"    name: K{i}", *target, *timeline_lines(timeline, end)]
    return "\n".join(lines) + "\n"


@contextmanager
def project(text: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="kpilint-meaning-") as folder:
        root = Path(folder)
        (root / "kpilint.toml").write_text("")
        (root / NAME).write_text(text, encoding="utf-8")
        yield root


def every_finding(root: Path) -> Counter[tuple[str, str | None]]:
    """Every rule's findings but KPI208's, by code and entity: what a fix must not add to."""
    report = lint([root], cwd=root, today=TODAY)
    return Counter(
        (f.code, f.entity.id if f.entity else None) for f in report.findings if f.code != "KPI208"
    )


def run(root: Path) -> Report:
    # Structure and KPI208 only: a big corpus file would reach the per-file finding cap.
    return lint([root], cwd=root, today=TODAY, overrides={"select": ("KPI0", "KPI208")})


def check_fixes(kpis: list[Kpi], text: str) -> int:
    """Fix the project twice and hold every KPI208 fix to its text; how many were rewritten."""
    with project(text) as root:
        findings_before = every_finding(root)
        before = run(root)
        final, result = fix_loop(lambda: run(root), root, unsafe=False)
        assert result.refused == [], "a fix was left out because it would not parse"
        fixed_text = (root / NAME).read_text(encoding="utf-8")
        problems = {(f.code, f.line) for f in final.findings if f.code in ("KPI001", "KPI002")}
        assert problems <= {(f.code, f.line) for f in before.findings}, problems
        assert plan(final, root, unsafe=False) == []  # nothing safe left to fix
        again, second = fix_loop(lambda: run(root), root, unsafe=False)
        assert second.fixed == 0 and (root / NAME).read_text(encoding="utf-8") == fixed_text
        added = every_finding(root) - findings_before
        assert not added, f"the fix added findings {dict(added)}:\n{fixed_text}"
        assert [f.fix.applicability for f in again.findings] == [
            f.fix.applicability for f in final.findings
        ]
    data = yaml.safe_load(fixed_text)
    lines = fixed_text.split("\n")
    rewritten = 0
    context = f"after --fix:\n{fixed_text}"
    for i, (original, _, _, timeline, end) in enumerate(kpis):
        kpi = data["kpis"][i]
        parsed = parse_target(original)
        existing = end if timeline.endswith("-end") else None
        blocked = parsed.deadline is not None and existing not in (None, parsed.deadline)
        if not isinstance(kpi["target"], dict):
            assert kpi["target"] == original, context
            assert not parsed.exact or blocked, f"{original!r} is exact, not rewritten; {context}"
            continue
        rewritten += 1
        assert parsed.exact and not blocked, f"{original!r} was rewritten; {context}"
        meaning = mapping_meaning(kpi["target"], kpi.get("timeline"))
        if parsed.deadline is None:
            meaning = (*meaning[:5], None, meaning[6])
        assert meaning == text_meaning(parsed), f"{original!r}; {context}"
        written = flow_mapping(kpi["target"])
        if list(kpi["target"]) == ["value"] and original.strip() == written[len("{value: ") : -1]:
            # a bare number: the mapping writes back the same text, so no comment (FORMAT.md)
            assert any(line == f"    target: {written}" for line in lines), context
        else:
            comment = "  # " + yaml_comment(original)
            assert any(line.startswith("    target: {") and comment in line for line in lines), (
                context
            )
    return rewritten


# --- generated targets ---------------------------------------------------------------------

COMPARISONS = [
    "", "at least ", "at most ", "below ", "above ", ">= ", "< ", "no more than ", "maintain ",
    "keep ", "up to ", "at ", "exactly ", "greater than ", "NPS of ", "The target is ",
]  # fmt: skip
VERBS = [
    "", "reduce ", "increase ", "grow revenue ", "cut costs by ", "improve ", "reduce churn to ",
    "increase NPS by ", "lower by ", "decrease from ", "increase from ", "from ",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False).map(str),
    st.sampled_from(
        ["1,200", "1_000", "2.5M", "$1.5K", "1e-7", "5e15", "1,5", "-3", "0.5", "99.95", "2030"]
    ),
)
UNITS = [
    "", "%", " %", " percent", " days", " signups/month", " USD", " points", "x more leads",
    "+", " or more", " or less", " increase", " reduction", ":1", " ms at the 90th percentile",
]  # fmt: skip
TAILS = [
    "", " by 2030", " before 2029", " in 2027", " by Q2 2027", " by 2027-06-30",
    " compared to the 2015 level", " below 2019 levels", ", 60% by 2031", " (estimate)",
    " and 5 more", " per month", " by the end of 2028", " until 2026", " to 80",
]  # fmt: skip
HEADS = ["", "By 2030, ", "Q4 2027: ", "In 2028, ", "between ", "from 2015 to 2030, "]


@st.composite
def target_text(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(min_size=1, max_size=30))
    head, cmp, verb = (draw(st.sampled_from(p)) for p in (HEADS, COMPARISONS, VERBS))
    first = draw(NUMBERS) + draw(st.sampled_from(UNITS))
    second = ""
    if verb.endswith("from ") or head == "between " or draw(st.booleans()):
        joint = " and " if head == "between " else draw(st.sampled_from([" to ", "-", " - "]))
        second = joint + draw(NUMBERS) + draw(st.sampled_from(UNITS))
    text = f"{head}{cmp}{verb}{first}{second}{draw(st.sampled_from(TAILS))}".strip()
    return text or "5"


kpi_strategy = st.tuples(
    target_text(),
    st.sampled_from(STYLES),
    st.sampled_from([30, 1000]),
    st.sampled_from(TIMELINES),
    st.sampled_from([date(2030, 12, 31), date(2027, 6, 30), date(2029, 12, 31)]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(kpis=st.lists(kpi_strategy, min_size=1, max_size=3))
@example(kpis=[("at most 3 days", ">", 1000, "none", date(2030, 12, 31))])
@example(kpis=[("from 40 to 55 points by 2030", "|", 1000, "block-start", date(2030, 12, 31))])
@example(kpis=[("reduce by 10%", None, 1000, "flow-end", date(2030, 12, 31))])
@example(kpis=[("at least 5 by 2030", None, 1000, "empty", date(2030, 12, 31))])
@example(kpis=[("at least 50% by 2030", '"', 1000, "flow-end", date(2029, 12, 31))])
@example(kpis=[("at least 1e-7", "'", 1000, "none", date(2030, 12, 31))])
@example(kpis=[("at least 5e15 by 2029", None, 1000, "block-start", date(2030, 12, 31))])
def test_safe_fix_means_what_the_text_meant(kpis: list[Kpi]) -> None:
    text = project_text(kpis)
    if text is None:
        return  # a text PyYAML cannot write in that style
    note(text)
    check_fixes(kpis, text)


# --- the real corpora --------------------------------------------------------------------------


def _corpus_targets() -> list[str]:
    found: dict[str, None] = {}
    gitlab = CORPORA / "gitlab-handbook-pi"
    for path in sorted(gitlab.glob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(entry, dict) and entry.get("target") is not None:
                found.setdefault(str(entry["target"]))
    for path in sorted((CORPORA / "open-sdg-los-angeles" / "meta").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        meta = yaml.safe_load(text[3:].split("\n---", 1)[0]) or {}
        for key in ("target", "target_name"):
            if isinstance(meta.get(key), str | int | float):
                found.setdefault(str(meta[key]))
    return [text for text in found if text.strip()]


@pytest.mark.parametrize("style", [None, ">"])
def test_safe_fix_means_what_the_corpus_targets_meant(style: str | None) -> None:
    if not CORPORA.is_dir():
        pytest.skip("needs the public KPI catalogues used as test corpora, not in this clone")
    texts = _corpus_targets()
    assert len(texts) > 100, "the corpora hold fewer targets than they did; were they emptied?"
    kpis: list[Kpi] = [
        (
            t,
            style if target_lines(t, style, 60) else None,
            60,
            TIMELINES[i % len(TIMELINES)],
            date(2030, 12, 31),
        )
        for i, t in enumerate(texts)
    ]
    text = project_text(kpis)
    assert text is not None
    rewritten = check_fixes(kpis, text)
    exact = sum(parse_target(t).exact for t in texts)
    assert 0 < rewritten <= exact  # some are rewritten (GitLab's `At or above 95%`), never more


@pytest.mark.parametrize(
    "value", [1e-07, 2.5e-12, 1e15, 5e15, 1e16, 1.5e300, 0.1, 99.95, 2.0, 10**20, -3, 0]
)
def test_numbers_are_written_as_yaml_reads_them_back(value: float) -> None:
    """``1e-07`` and ``1e+16`` are strings to YAML 1.1; the fix writes ``1.0e-07``."""
    from kpilint.edits import yaml_number

    written = yaml_number(value)
    read = yaml.load(f"v: {written}", Loader=yaml.CSafeLoader)["v"]
    assert read == value and type(read) is type(value), written


# --- every text of the FORMAT.md table (issue 21) ---------------------------------------------

TABLE_TEXTS = [text for text, _ in TABLE]


@pytest.mark.parametrize("timeline", ["none", "block-start", "flow-end"])
@pytest.mark.parametrize("text", TABLE_TEXTS, ids=lambda v: v[:40])
def test_fix_of_every_table_text_keeps_its_meaning_and_adds_no_finding(
    text: str, timeline: str
) -> None:
    kpis: list[Kpi] = [(text, None, 1000, timeline, date(2030, 12, 31))]
    project = project_text(kpis)
    assert project is not None
    check_fixes(kpis, project)


def test_a_bare_number_is_rewritten_without_a_comment() -> None:
    with project("kpis:\n  - id: a\n    name: A\n    target: 92\n") as root:
        fix_loop(lambda: run(root), root, unsafe=False)
        assert (root / NAME).read_text(encoding="utf-8").split("\n")[3] == "    target: {value: 92}"


def test_a_strict_text_is_rewritten_with_strict_true() -> None:
    with project("kpis:\n  - id: a\n    name: A\n    target: less than 2 days\n") as root:
        fix_loop(lambda: run(root), root, unsafe=False)
        line = (root / NAME).read_text(encoding="utf-8").split("\n")[3]
        assert line == (
            "    target: {value: 2, unit: days, direction: decrease, strict: true}"
            "  # less than 2 days"
        )
