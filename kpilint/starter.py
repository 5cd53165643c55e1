"""``kpilint init``: a commented ``kpilint.toml`` and a first KPI file that passes.

The KPI file's dates are this year's, so it passes ``kpilint check`` on the day
it is written; nothing existing is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpilint.project import CONFIG_FILES

CONFIG_NAME = "kpilint.toml"
KPI_FILE = Path("kpis") / "company.kpi.yaml"

CONFIG = """\
# kpilint configuration. Every key is optional; the values shown commented out are
# the defaults. `kpilint check --show-settings` prints what is in force and why.

# Rules to run: codes (KPI101), names (missing-target) or code prefixes (KPI1).
# select = ["ALL"]
# ignore = []
# extend-select = []

# The lowest severity that makes `kpilint check` exit 1: error, warning, info, never.
fail-on = "error"

# Which files are KPI files, and what to skip (glob patterns from this folder).
# include = ["*.kpi.yaml", "*.kpi.yml"]
# exclude = ["archive/"]

# Pin "today" for the date rules, for reproducible runs (leave unset in real use):
# today = 2027-06-01

# Actuals: the values your KPIs took, to see whether each is on track (KPI901-KPI906).
# A csv file has columns kpi (or metric), date (2027-05-31, 2027-05, 2027-Q2 or 2027)
# and value; `columns` renames them.
# [[actuals]]
# include = ["actuals/*.csv"]
# format = "csv"                  # or "open-sdg" (data/indicator_<id>.csv)
# columns = { date = "month", value = "amount" }

# Change a rule's severity (error, warning, info):
# [severity]
# missing-owner = "error"

# Skip rules in some files:
# [per-file-ignores]
# "legacy/*.kpi.yaml" = ["KPI1"]

# Rule options:
# [rules.too-many-kpis]
# max = 5          # active KPIs per scope
# team = 7         # per scope kind: org, team, role, campaign, channel
#
# [rules.unrealistic-target]
# factor = 3
#
# [rules.vanity-metric-kpi]
# extend-terms = ["retweets"]
"""

KPI_TEMPLATE = """\
# A first KPI file, written by `kpilint init`. Replace the examples with your own;
# `kpilint rule CODE` explains any finding. The format: goals (what you want),
# metrics (what you count), kpis (a metric with a target, a timeline and a goal).
version: 1
goals:
  - id: revenue-{year}
    name: Grow recurring revenue in {year}
    kind: revenue
    owner: ceo
    period: {{start: {year}-01-01, end: {year}-12-31}}
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
    goal: revenue-{year}
    metric: mrr
    owner: head-of-sales
    target: {{value: 120000, unit: USD, direction: increase, baseline: 100000}}
    timeline: {{start: {year}-01-01, end: {year}-12-31, review: monthly, last_reviewed: {today}}}
"""


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
    text = KPI_TEMPLATE.format(year=today.year, today=today.isoformat())
    with config.open("x", encoding="utf-8") as handle:
        handle.write(CONFIG)
    with kpis.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return [Written(config, "configuration"), Written(kpis, "a starter KPI file")]
