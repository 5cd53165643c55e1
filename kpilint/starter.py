"""``kpilint init``: a commented ``kpilint.toml`` and a first KPI file that passes.

The KPI file's dates run over the next twelve months, so it passes ``kpilint
check`` on the day it is written and for months after (written in December, it
does not expire on the 31st); nothing existing is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpilint.project import CONFIG_FILES
from kpilint.settings import _toml, _toml_key

CONFIG_NAME = "kpilint.toml"
KPI_FILE = Path("kpis") / "company.kpi.yaml"

#: What each config key is for. The file lists every key of the config model, from
#: ``Config`` itself, so a new key cannot be left out; one without a note here gets none.
NOTES: dict[str, str] = {
    "select": "Rules to run: codes (KPI101), names (missing-target), code prefixes (KPI1) or ALL.",
    "ignore": "Rules to skip.",
    "extend-select": "Rules to run in addition to `select`.",
    "extend-ignore": "Rules to skip in addition to `ignore`.",
    "fail-on": "The lowest severity that fails `kpilint check`: error, warning, info, never.",
    "include": "Which files in a folder are KPI files (glob patterns).",
    "exclude": "Files and folders to leave out (glob patterns from this folder).",
    "today": 'Pin "today" for the date rules, for reproducible runs (leave unset in real use).',
    "owners": (
        "Who exists, from the project root: a CODEOWNERS file, a .yaml list or one handle\n"
        "a line. An owner not in it is KPI106. Unset: no such check."
    ),
    "max-file-size": "Files larger than this (bytes) are not read: KPI001.",
    "severity": "Change a rule's severity (error, warning, info):",
    "per-file-ignores": "Skip rules in some files:",
    "rules": "Rule options, each rule's every option with its default (`kpilint rule NAME`):",
    "sources": "Other catalogues, read in place: a preset or a mapping (docs/sources.md).",
    "actuals": (
        "The values KPIs took, to see whether each is on track (KPI901-KPI906): csv files with\n"
        "columns kpi (or metric), date (2027-05-31, 2027-05, 2027-Q2, 2027) and value;\n"
        '`columns` renames them; format "open-sdg" reads data/indicator_<id>.csv.'
    ),
}

#: What to show where a key or option has no default to show.
EXAMPLES: dict[str, object] = {
    "exclude": ["archive/"],
    "today": date(2027, 6, 1),
    "owners": "CODEOWNERS",
    "severity": {"missing-owner": "error"},
    "per-file-ignores": {"legacy/*.kpi.yaml": ["KPI1"]},
    "sources": {"preset": "open-sdg"},
    "actuals": {
        "include": ["actuals/*.csv"],
        "format": "csv",
        "columns": {"date": "month", "value": "amount"},
    },
    "terms": ["page views", "followers", "likes"],
    "extend-terms": ["retweets"],
    "spreadsheet-terms": ["excel", "google sheets", ".xlsx"],
}
#: What an option left unset means (the default of a list option is a built-in list).
UNSET = {
    "terms": "unset: the built-in list",
    "extend-terms": "unset: none added",
    "spreadsheet-terms": "unset: the built-in list",
}
_SCOPE_LIMIT = 7  # too-many-kpis' per-scope-kind limits (org, team, ...) have no default


def config_text() -> str:
    """The commented ``kpilint.toml``: every config key, then every option of every rule.

    Values commented out are the defaults (or, where a key has none, an example);
    only ``fail-on`` is written as a setting. Uncommented, every line is valid.
    """
    from kpilint.config import Config

    default = Config()
    keys = Config.toml_keys()
    tables = {"per_file_ignores", "severity", "rules", "sources", "actuals"}
    out = [
        "# kpilint configuration, written by `kpilint init`. Every key is optional and shown",
        "# here; a value commented out is the default, or an example where there is none.",
        "# `kpilint check --show-settings` prints what is in force and why.",
    ]
    for field, key in keys.items():
        if field in tables:
            continue
        value = getattr(default, field)
        if value is None or value == ():
            value = EXAMPLES.get(key, ["ALL"] if key == "select" else [])
        line = f"{key} = {_toml(value)}"
        out += ["", *_comment(NOTES.get(key, "")), line if key == "fail-on" else f"# {line}"]
    for field in ("severity", "per_file_ignores"):
        key = keys[field]
        out += ["", *_comment(NOTES.get(key, "")), f"# [{key}]"]
        out += [f"# {_toml_key(k)} = {_toml(v)}" for k, v in _as_dict(EXAMPLES[key]).items()]
    out += ["", *_comment(NOTES.get("rules", ""))]
    out += _rule_options()
    out += ["", *_comment(NOTES.get("sources", "")), "# [[sources]]"]
    out += [f"# {k} = {_toml(v)}" for k, v in _as_dict(EXAMPLES["sources"]).items()]
    out += ["", *_comment(NOTES.get("actuals", "")), "# [[actuals]]"]
    out += [f"# {k} = {_toml(v)}" for k, v in _as_dict(EXAMPLES["actuals"]).items()]
    return "\n".join(out) + "\n"


def _rule_options() -> list[str]:
    from kpilint.registry import registry

    out: list[str] = []
    for rule in registry().values():
        if not rule.checks or not rule.defaults:
            continue
        if out:
            out.append("")
        out.append(f"# [rules.{rule.name}]  # {rule.code}")
        for name, value in rule.defaults.items():
            key = name.replace("_", "-")
            note = ""
            if value is None:
                value = EXAMPLES.get(key, _SCOPE_LIMIT)
                note = "  # " + UNSET.get(key, "unset: `max` applies")
            out.append(f"# {key} = {_toml(value)}{note}")
    return out


def _comment(note: str) -> list[str]:
    return [f"# {line}" for line in note.splitlines()]


def _as_dict(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return value


KPI_TEMPLATE = """\
# A first KPI file, written by `kpilint init`. Replace the examples with your own;
# `kpilint rule CODE` explains any finding. The format: goals (what you want),
# metrics (what you count), kpis (a metric with a target, a timeline and a goal).
version: 1
goals:
  - id: revenue-growth
    name: Grow recurring revenue over the next twelve months
    kind: revenue
    owner: ceo
    period: {{start: {start}, end: {end}}}
metrics:
  - id: mrr
    name: Monthly recurring revenue
    category: output
    unit: USD
    source: billing-system  # the system of record the number comes from
    source_type: automated
    aggregation: sum
kpis:
  - id: mrr-growth
    name: Monthly recurring revenue
    goal: revenue-growth
    metric: mrr
    owner: head-of-sales
    target: {{value: 120000, unit: USD, direction: increase, baseline: 100000}}
    timeline: {{start: {start}, end: {end}, review: monthly, last_reviewed: {today}}}
"""


def twelve_months(today: date) -> tuple[date, date]:
    """This month's first day to the last day of the twelfth month: never a year ending soon."""
    start = today.replace(day=1)
    after = date(start.year + 1, start.month, 1)  # the first day after the twelve months
    return start, date.fromordinal(after.toordinal() - 1)


class InitRefused(Exception):
    """A file ``init`` would write already exists (exit 2)."""


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    what: str


def init(folder: Path, today: date) -> list[Written]:
    """Write the config and the starter KPI file into ``folder``; refuse if either exists."""
    config = folder / CONFIG_NAME
    kpis = folder / KPI_FILE
    existing = [folder / name for name in CONFIG_FILES if (folder / name).exists()]
    if kpis.exists():
        existing.append(kpis)
    if existing:
        names = ", ".join(str(p) for p in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        raise InitRefused(f"{names} already {verb}; kpilint init never overwrites a file")
    kpis.parent.mkdir(parents=True, exist_ok=True)
    start, end = twelve_months(today)
    text = KPI_TEMPLATE.format(start=start, end=end, today=today.isoformat())
    with config.open("x", encoding="utf-8") as handle:
        handle.write(config_text())
    with kpis.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return [Written(config, "configuration"), Written(kpis, "a starter KPI file")]
