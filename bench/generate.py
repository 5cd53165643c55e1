"""Generate a deterministic corpus of KPI files for the benchmarks.

Every *unit* is one team's worth of definitions: a goal, ``--kpis-per-file``
metrics and as many KPIs (5 by default), and an incentive. The content of unit
``i`` depends only on the seed and ``i``, so a 200-file corpus is the first 200
files of the 2,000-file one, and ``--one-file`` holds exactly the same entities
as the many-file corpus of the same size, in one file.

The clean corpus lints with zero findings under every rule (``today`` is pinned
in the generated ``kpilint.toml``). With ``--violations`` one unit in every ten
carries one mistake, the kinds taken in turn (see ``VIOLATIONS``); the expected
codes and counts are written to ``bench-manifest.json`` beside the files.

    python bench/generate.py --files 2000 --out bench/corpus/files-2000
    python bench/generate.py --files 2000 --one-file --out bench/corpus/one-10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

TODAY = "2027-03-15"
MANIFEST = "bench-manifest.json"
COMPANY_GOAL = "company-fy2027"

# Each violation kind, the finding codes it produces (code -> count per unit), and
# which of the unit's KPIs carries it (the last one when a unit has fewer).
VIOLATIONS: dict[str, dict[str, int]] = {
    "missing-target": {"KPI101": 1},
    "text-target": {"KPI201": 1},
    "expired-timeline": {"KPI302": 1},
    "vanity-name": {"KPI601": 1},
    "unknown-key": {"KPI003": 1},
    "duplicate-id": {"KPI005": 1},
    "missing-owner": {"KPI104": 1},
    "manual-source": {"KPI701": 1},
}
WHERE = {
    "missing-target": 0,
    "text-target": 1,
    "expired-timeline": 2,
    "vanity-name": 1,
    "unknown-key": 3,
    "duplicate-id": 4,
    "missing-owner": 0,
    "manual-source": 1,
}

# (department, goal kind, goal name template)
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("sales", "revenue", "Grow new-business revenue for {team}"),
    ("marketing", "growth", "Fill the pipeline with qualified demand for {team}"),
    ("customer-success", "retention", "Keep and expand the accounts of {team}"),
    ("support", "satisfaction", "Resolve customer problems quickly for {team}"),
    ("engineering", "efficiency", "Ship reliable changes faster in {team}"),
    ("finance", "profitability", "Run {team} at a healthy margin"),
    ("people", "other", "Hire and keep great people in {team}"),
    ("operations", "efficiency", "Lower the cost to serve in {team}"),
]

REGIONS = ["emea", "amer", "apac", "latam", "dach", "nordics", "uki", "anz", "benelux", "iberia"]


@dataclass(frozen=True, slots=True)
class MetricTemplate:
    slug: str
    name: str
    category: str
    unit: str
    aggregation: str
    direction: str
    baseline: tuple[int, int]
    source: str


# One line per metric: slug|name|category|unit|aggregation|direction|baseline
# range|source. Names avoid every default vanity term, and no metric
# is an average (KPI207).
_CATALOG = """
[sales]
new-arr|New business ARR booked|output|USD|sum|increase|200000-900000|salesforce
win-rate|Win rate on qualified opportunities|output|%|ratio|increase|15-35|salesforce
sales-cycle|Median sales cycle length|operational|days|median|decrease|40-120|salesforce
discount|Median discount off list price|operational|%|median|decrease|10-30|salesforce
discovery-calls|Discovery calls held|activity|calls|count|increase|30-120|gong
pipeline-coverage|Pipeline coverage of quota|output|ratio|ratio|increase|20-40|salesforce
[marketing]
sql|Sales-qualified leads|output|leads|count|increase|100-800|hubspot
cost-per-lead|Cost per qualified lead|operational|USD|median|decrease|80-400|hubspot
trial-conversion|Trial to paid conversion|output|%|ratio|increase|5-20|segment
campaign-spend|Campaign spend|activity|USD|sum|decrease|20000-90000|netsuite
pipeline-sourced|Marketing-sourced pipeline|output|USD|sum|increase|300000-2000000|salesforce
webinar-attendance|Webinar attendance rate|output|%|ratio|increase|20-45|zoom
[customer-success]
net-retention|Net revenue retention|output|%|ratio|increase|90-110|chartmogul
logo-churn|Logo churn|output|%|rate|decrease|8-20|chartmogul
health-score|Accounts with a green health score|output|%|ratio|increase|50-80|gainsight
qbr-held|Business reviews held|activity|meetings|count|increase|20-60|gainsight
expansion-arr|Expansion ARR|output|USD|sum|increase|100000-600000|salesforce
time-to-value|Time to first value|operational|days|median|decrease|20-60|gainsight
[support]
first-response|First response time|operational|hours|p90|decrease|4-24|zendesk
csat|Customer satisfaction score|output|%|ratio|increase|70-90|zendesk
resolution-time|Time to resolution|operational|hours|median|decrease|12-72|zendesk
backlog|Open ticket backlog|operational|tickets|latest|decrease|100-600|zendesk
self-serve|Tickets solved by the help centre|output|%|ratio|increase|20-50|zendesk
escalations|Escalations to engineering|output|tickets|count|decrease|30-120|jira
[engineering]
lead-time|Lead time for changes|operational|hours|median|decrease|24-120|github
deploy-frequency|Deployments to production|output|deploys|count|increase|20-120|github
change-failure|Change failure rate|output|%|rate|decrease|10-30|pagerduty
mttr|Time to restore service|operational|minutes|median|decrease|60-300|pagerduty
availability|Service availability|output|%|min|maintain|99-99|datadog
review-time|Code review turnaround|operational|hours|p75|decrease|8-48|github
[finance]
gross-margin|Gross margin|output|%|ratio|increase|55-75|netsuite
dso|Days sales outstanding|operational|days|median|decrease|35-80|netsuite
close-time|Days to close the books|operational|days|max|decrease|6-15|netsuite
burn|Net burn|output|USD|sum|decrease|200000-900000|netsuite
forecast-accuracy|Revenue forecast accuracy|output|%|ratio|increase|80-92|anaplan
invoices-processed|Invoices processed|activity|invoices|count|increase|400-1500|netsuite
[people]
time-to-hire|Time to hire|operational|days|median|decrease|30-70|greenhouse
offer-acceptance|Offer acceptance rate|output|%|ratio|increase|60-85|greenhouse
regretted-attrition|Regretted attrition|output|%|rate|decrease|5-15|workday
engagement|Engagement survey score|output|points|median|increase|60-80|cultureamp
interviews|Interviews held|activity|interviews|count|increase|60-200|greenhouse
ramp-time|Time to full productivity|operational|days|median|decrease|60-150|workday
[operations]
cost-to-serve|Cost to serve per customer|operational|USD|median|decrease|50-200|netsuite
on-time-delivery|Orders delivered on time|output|%|ratio|increase|80-95|shipbob
order-errors|Order error rate|output|%|rate|decrease|2-9|shipbob
vendor-reviews|Vendor reviews completed|activity|reviews|count|increase|10-40|coupa
cloud-spend|Cloud spend per customer|operational|USD|median|decrease|20-90|cloudability
fulfilment-time|Order fulfilment time|operational|hours|p90|decrease|24-96|shipbob
"""


def _catalog(text: str) -> dict[str, list[MetricTemplate]]:
    out: dict[str, list[MetricTemplate]] = {}
    dept = ""
    for line in text.strip().splitlines():
        if line.startswith("["):
            dept = line.strip("[]")
            out[dept] = []
            continue
        slug, name, category, unit, aggregation, direction, span, source = (
            part.strip() for part in line.split("|")
        )
        lo, hi = (int(n) for n in span.split("-"))
        out[dept].append(
            MetricTemplate(slug, name, category, unit, aggregation, direction, (lo, hi), source)
        )
    return out


CATALOG = _catalog(_CATALOG)

DESCRIPTIONS = [
    "Reported in the monthly business review.",
    "Computed nightly; excludes internal and test accounts.",
    "Discussed in the weekly team meeting, with the trend.",
    "Counts closed periods only, so it does not move later.",
    "Agreed in the planning round with finance.",
]
OWNERS = ["lead", "head", "manager", "director", "vp"]
REVIEWS = [("monthly", "2027-03-01"), ("quarterly", "2027-01-12"), ("weekly", "2027-03-12")]


@dataclass(slots=True)
class Unit:
    """One team's entities as YAML text blocks (without the section headers)."""

    index: int
    team: str
    department: str
    goals: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)
    incentives: list[str] = field(default_factory=list)
    violation: str | None = None
    kpi_ids: list[str] = field(default_factory=list)


def team_name(i: int) -> str:
    dept = DEPARTMENTS[i % len(DEPARTMENTS)][0]
    return f"{dept}-{REGIONS[(i // len(DEPARTMENTS)) % len(REGIONS)]}-{i:05d}"


def _violation_of(seed: int, i: int, kpis_per_file: int, enabled: bool) -> str | None:
    """One unit in every block of ten, picked by the seed; kinds in turn."""
    if not enabled:
        return None
    block = i // 10
    chosen = random.Random(seed * 7919 + block).randrange(10)
    if i % 10 != chosen:
        return None
    kinds = list(VIOLATIONS)
    kind = kinds[block % len(kinds)]
    if kind == "duplicate-id" and (i == 0 or kpis_per_file < 4):
        return None  # nothing earlier to duplicate, or it would be rewarded
    return kind


def _target(rng: random.Random, m: MetricTemplate) -> tuple[int | float, int | float]:
    lo, hi = m.baseline
    baseline: int | float = rng.randint(lo, hi)
    if m.direction == "maintain":
        return 99.9, 99.9
    if m.direction == "increase":
        ceiling = 100 if m.unit == "%" else None
        value = max(baseline + 1, round(baseline * rng.uniform(1.05, 1.5)))
        if ceiling is not None and value > ceiling:
            baseline, value = min(baseline, ceiling - 2), ceiling - 1
        return value, baseline
    value = min(baseline - 1, round(baseline * rng.uniform(0.6, 0.95)))
    return max(value, 1), baseline


def unit(seed: int, i: int, kpis_per_file: int, violations: bool) -> Unit:
    """The entities of team ``i``; depends only on ``seed``, ``i`` and the options."""
    rng = random.Random((seed << 32) | i)
    dept, goal_kind, goal_name = DEPARTMENTS[i % len(DEPARTMENTS)]
    team = team_name(i)
    u = Unit(i, team, dept, violation=_violation_of(seed, i, kpis_per_file, violations))

    def at(kind: str) -> int:
        """Index of the KPI that carries violation ``kind`` in this unit (-1: none)."""
        return min(WHERE[kind], kpis_per_file - 1) if u.violation == kind else -1

    owner = f"{rng.choice(OWNERS)}-{team}"
    goal_id = COMPANY_GOAL if i == 0 else f"goal-{team}"
    goal = [
        f"  - id: {goal_id}",
        f"    name: {'Reach the FY2027 company plan' if i == 0 else goal_name.format(team=team)}",
        f"    description: {rng.choice(DESCRIPTIONS)}",
        f"    owner: {owner}",
        f"    level: {'company' if i == 0 else 'team'}",
        f"    kind: {'revenue' if i == 0 else goal_kind}",
    ]
    if i:
        goal.append(f"    parent: {COMPANY_GOAL}")
    goal.append("    period: {start: 2027-01-01, end: 2027-12-31}")
    u.goals.append("\n".join(goal))

    catalog = CATALOG[dept]
    sample = rng.sample(catalog, min(kpis_per_file, len(catalog)))
    # (template, suffix): a team with more KPIs than the catalog has repeats them
    picks = [(m, "") for m in sample]
    while len(picks) < kpis_per_file:
        n = len(picks)
        picks.append((sample[n % len(sample)], f"-{n // len(sample) + 1}"))
    # the first KPI is an outcome, so the incentive is never activity-only (KPI502)
    picks.sort(key=lambda p: p[0].category != "output")
    ids = [f"{team}-{m.slug}{suffix}" for m, suffix in picks]
    kpi_ids = u.kpi_ids
    for j, (m, suffix) in enumerate(picks):
        kpi_id = ids[j]
        metric_id = f"{m.slug}{suffix}-{i:05d}"
        metric_name = m.name
        kpi_name = f"{m.name} ({team})"
        source_type = "automated"
        if at("vanity-name") == j:
            metric_name, kpi_name = "Followers on social channels", f"Social followers ({team})"
        if at("manual-source") == j:
            source_type = "manual"
        u.metrics.append(
            "\n".join(
                [
                    f"  - id: {metric_id}",
                    f"    name: {metric_name}",
                    f"    category: {m.category}",
                    f"    unit: {json.dumps(m.unit) if m.unit == '%' else m.unit}",
                    f"    source: {m.source}",
                    f"    source_type: {source_type}",
                    f"    aggregation: {m.aggregation}",
                ]
            )
        )
        value, baseline = _target(rng, m)
        unit_text = json.dumps(m.unit) if m.unit == "%" else m.unit
        review, last = REVIEWS[(i + j) % len(REVIEWS)]
        start, end = "2027-01-01", "2027-12-31"
        if at("expired-timeline") == j:
            start, end, review, last = "2026-01-01", "2026-12-31", "monthly", "2027-03-01"
        if at("duplicate-id") == j:
            kpi_id = unit(seed, i - 1, kpis_per_file, False).kpi_ids[0]
        lines = [f"  - id: {kpi_id}", f"    name: {kpi_name}"]
        key = "descripton" if at("unknown-key") == j else "description"
        lines.append(f"    {key}: {rng.choice(DESCRIPTIONS)}")
        lines += [f"    goal: {goal_id}", f"    metric: {metric_id}"]
        if at("missing-owner") != j:  # at most 5 KPIs per owner, as per scope (KPI406)
            lines.append(f"    owner: {owner if j < 5 else f'{owner}-{j // 5}'}")
        scope = team if kpis_per_file <= 5 else f"{team}-{j // 5}"
        lines.append(f"    scope: team:{scope}")
        if j == 0 and len(picks) > 1:
            lines.append(f"    counterbalance: {ids[1]}")
        if at("text-target") == j:
            lines.append("    target: improve engagement")
        elif at("missing-target") != j:
            lines.append(
                f"    target: {{value: {value}, unit: {unit_text}, "
                f"direction: {m.direction}, baseline: {baseline}}}"
            )
        if j == 0:
            lines.append("    # reviewed in the monthly business review with the owner")
        lines.append(
            f"    timeline: {{start: {start}, end: {end}, review: {review}, last_reviewed: {last}}}"
        )
        u.kpis.append("\n".join(lines))
        kpi_ids.append(kpi_id)

    rewarded = kpi_ids[: min(3, len(kpi_ids))]
    if len(rewarded) >= 2:
        u.incentives.append(
            "\n".join(
                [
                    f"  - id: bonus-{team}",
                    f"    name: Quarterly bonus plan for {team}",
                    f"    role: {dept}-team-member",
                    "    kpis: [" + ", ".join(rewarded) + "]",
                    f"    description: {rng.choice(DESCRIPTIONS)}",
                ]
            )
        )
    return u


def render(units: list[Unit], header: str) -> str:
    """One KPI file holding ``units``."""
    out = [header, "version: 1", ""]
    for section in ("goals", "metrics", "kpis", "incentives"):
        blocks = [b for u in units for b in getattr(u, section)]
        if blocks:
            out.append(f"{section}:")
            out.extend(blocks)
            out.append("")
    return "\n".join(out)


def relpath(u: Unit) -> str:
    return f"kpis/{u.department}/{u.team}.kpi.yaml"


@dataclass(slots=True)
class Corpus:
    root: Path
    files: list[Path]
    kpis: int
    expected: dict[str, int]


def units(seed: int, count: int, kpis_per_file: int, violations: bool) -> Iterator[Unit]:
    for i in range(count):
        yield unit(seed, i, kpis_per_file, violations)


def generate(
    out: Path,
    files: int,
    *,
    kpis_per_file: int = 5,
    one_file: bool = False,
    violations: bool = False,
    seed: int = 2027,
) -> Corpus:
    """Write the corpus under ``out`` (emptied first) and return what it holds."""
    if files < 1 or kpis_per_file < 1:
        raise ValueError("--files and --kpis-per-file must be at least 1")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "kpilint.toml").write_text(
        f'# generated by bench/generate.py; the date rules use this day\ntoday = "{TODAY}"\n',
        encoding="utf-8",
    )
    expected: Counter[str] = Counter()
    written: list[Path] = []
    header = f"# generated by bench/generate.py (seed {seed}); do not edit"
    all_units = list(units(seed, files, kpis_per_file, violations))
    for u in all_units:
        if u.violation:
            expected.update(VIOLATIONS[u.violation])
    if one_file:
        path = out / "all.kpi.yaml"
        path.write_text(render(all_units, header), encoding="utf-8")
        written.append(path)
    else:
        for u in all_units:
            path = out / relpath(u)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render([u], f"{header}\n# KPIs of team {u.team}"), encoding="utf-8")
            written.append(path)
    corpus = Corpus(out, written, files * kpis_per_file, dict(sorted(expected.items())))
    manifest = {
        "generator": generator_stamp(),
        "seed": seed,
        "files": len(written),
        "units": files,
        "kpis": corpus.kpis,
        "kpis_per_file": kpis_per_file,
        "one_file": one_file,
        "violations": violations,
        "today": TODAY,
        "expected": corpus.expected,
        "bytes": sum(p.stat().st_size for p in written),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return corpus


_PERIODICITY = ("Annual", "Quarterly", "Monthly", "Every 2 years")
_STATUS = ("complete", "complete", "complete", "notstarted", "notapplicable")


def front_matter_indicator(seed: int, i: int) -> str:
    """One Open SDG indicator file (front matter and a Markdown body), about 2.5 KB.

    The shape of real city indicator files (open-sdg-los-angeles): some 40 keys,
    folded prose, an old-template ``target`` or a newer ``target_name`` with
    ``progress_calculation_options``.
    """
    rng = random.Random(f"{seed}-fm-{i}")
    goal = i % 17 + 1
    number = f"{goal}.{i // 17 % 9 + 1}.{i // 153 + 1}"
    lines = [
        "---",
        f"indicator: {number}",
        "layout: indicator",
        f"permalink: /{number.replace('.', '-')}/",
        f"sdg_goal: '{goal}'",
        "data_non_statistical: false",
        f"goal_meta_link: 'https://unstats.un.org/sdgs/metadata/files/Metadata-{i:05d}.pdf'",
        "goal_meta_link_text: United Nations Sustainable Development Goals Metadata (PDF)",
        "graph_type: line",
        "indicator_name: >-",
        f"  Proportion of population covered by service {i} in the city, by sex, age",
        "  and persons with disabilities (population weighted)",
        f"indicator_sort_order: {number.replace('.', '-')}",
        f"published: {'false' if rng.random() < 0.05 else 'true'}",
        f"reporting_status: {rng.choice(_STATUS)}",
    ]
    if i % 2:
        lines += [
            "target: >-",
            "  By 2030, reduce the adverse per capita environmental impact of cities,",
            "  including by paying special attention to air quality and waste management.",
        ]
    else:
        lines += [
            f"target_name: By 2030, a {rng.randint(10, 60)}% reduction compared to the 2015 level",
            "progress_calculation_options:",
            "  - calculation_component: Total",
            f"    direction: {rng.choice(('positive', 'negative'))}",
            f"    target: {rng.randint(10, 90)}",
            "    target_year: 2030",
        ]
    lines += [
        f"target_id: '{goal}.{i % 9 + 1}'",
        f"graph_title: Service coverage {i}",
        "un_custodian_agency: World Health Organization (WHO)",
        "un_designated_tier: '1'",
        "data_show_map: false",
        *(f"source_active_{n}: {'true' if n == 1 else 'false'}" for n in range(1, 7)),
        *(f"source_url_text_{n}: Link to source" for n in range(1, 7)),
        "national_geographical_coverage: Los Angeles County",
        "source_geographical_coverage_1: Los Angeles County",
        f"source_organisation_1: City Department {i % 40}",
        f"source_url_1: https://data.example.org/datasets/{i:05d}",
        f"source_periodicity_1: {rng.choice(_PERIODICITY)}",
        "computation_units: Percent",
        "national_indicator_description: >-",
        "  Share of residents covered, from the annual survey of households and the",
        "  administrative records of the department, weighted by population.",
        "---",
        "",
        f"Indicator {number}: narrative, charts and notes are rendered from the data.",
        "",
    ]
    return "\n".join(lines)


def generate_front_matter(out: Path, files: int, *, seed: int = 2027) -> Corpus:
    """``files`` Open SDG indicator files under ``out/meta``, read by the open-sdg preset."""
    if out.exists():
        shutil.rmtree(out)
    (out / "meta").mkdir(parents=True)
    (out / "kpilint.toml").write_text(
        f'# generated by bench/generate.py\ntoday = "{TODAY}"\n\n'
        '[[sources]]\npreset = "open-sdg"\ninclude = ["meta/*.md"]\n',
        encoding="utf-8",
    )
    written = []
    for i in range(files):
        path = out / "meta" / f"indicator-{i:05d}.md"
        path.write_text(front_matter_indicator(seed, i), encoding="utf-8")
        written.append(path)
    manifest = {
        "generator": generator_stamp(),
        "seed": seed,
        "files": files,
        "units": files,
        "front_matter": True,
        "kpis": files,
        "bytes": sum(p.stat().st_size for p in written),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return Corpus(out, written, files, {})


def generator_stamp() -> str:
    """A hash of this file: a corpus written by another version is written again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200, help="teams (files) to write")
    parser.add_argument("--kpis-per-file", type=int, default=5, help="metrics and KPIs per team")
    parser.add_argument("--one-file", action="store_true", help="all teams in one file")
    parser.add_argument(
        "--front-matter", action="store_true", help="Open SDG indicator files (a source)"
    )
    parser.add_argument("--violations", action="store_true", help="one team in ten has a mistake")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus" / "default")
    args = parser.parse_args(argv)
    try:
        if args.front_matter:
            corpus = generate_front_matter(args.out, args.files, seed=args.seed)
        else:
            corpus = generate(
                args.out,
                args.files,
                kpis_per_file=args.kpis_per_file,
                one_file=args.one_file,
                violations=args.violations,
                seed=args.seed,
            )
    except ValueError as exc:
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in corpus.files)
    print(
        f"wrote {len(corpus.files)} files, {corpus.kpis} KPIs, {size / 1e6:.1f} MB to {corpus.root}"
        + (f"; expected findings: {corpus.expected}" if corpus.expected else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
