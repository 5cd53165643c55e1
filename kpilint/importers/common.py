"""What every importer shares: the result type, slugs, reading bytes, writing KPI files.

An importer's ``convert`` returns an ``Imported``: the ``SourceFile`` the engine
lints (positions in the *source*), plus notes on how something was read and the
team of each entity (for ``import --per-team``). ``read`` is ``convert(...).source``.
``run_import`` turns converted sources into KPI files whose data is exactly what
``check --from`` lints, so both give the same findings.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kpilint.findings import Pos
from kpilint.importers import Importer
from kpilint.loader import Path_, SourceFile
from kpilint.model import SECTIONS

MAX_SLUG = 64
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Note:
    """How the importer read something that is not a finding (``is_key: yes``)."""

    pos: Pos | None
    message: str


@dataclass(slots=True)
class Imported:
    """One converted source file."""

    source: SourceFile
    notes: list[Note] = field(default_factory=list)
    teams: dict[Path_, str] = field(default_factory=dict)  # ("kpis", 3) -> "sales"


def convert(fmt: str, path: Path, display: str, max_bytes: int) -> Imported:
    """Convert ``path`` with the importer of ``fmt`` (``UnknownFormat`` when there is none)."""
    from kpilint.importers import importer

    return importer(fmt).convert(path, display, max_bytes)


def slug(text: str) -> str:
    """A FORMAT.md slug of ``text`` ("" when nothing is left): ASCII, lower-case, '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")[:MAX_SLUG].rstrip("-")


_HTML_TAG = re.compile(r"<[^>]*>")


def html_text(text: str) -> str:
    """A DRI is often an HTML link; the owner is its text (``<a ...>Mek</a>`` -> ``Mek``)."""
    plain = " ".join(html.unescape(_HTML_TAG.sub(" ", text)).split())
    return plain or text.strip()


def source_text(sf: SourceFile, path: Path_) -> str:
    """The value at ``path`` as its source text (``.25`` stays ``.25``); "" when unplaced."""
    span = sf.values.get(path)
    return sf.text[span.start : span.end].strip() if span is not None else ""


# Separators, controls and characters Windows refuses: never part of an output name.
_UNSAFE_NAME = re.compile('[\x00-\x1f\x7f-\x9f/\\\\:*?"<>|\u2028\u2029\u202a-\u202e\u2066-\u2069]+')


def file_stem(name: str) -> str:
    """``name`` as one file-name component inside the output folder ("" when nothing is left)."""
    return _UNSAFE_NAME.sub("-", name).strip("-. ")[:MAX_SLUG].rstrip("-. ")


class Slugs:
    """Hands out slugs unique within one file: ``x``, ``x-2``, ``x-3``."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        self.used.add(candidate)
        return candidate


# --- writing KPI files -----------------------------------------------------------------


class ImportRefused(Exception):
    """The import cannot run as asked (missing source, would overwrite): exit 2."""


@dataclass(slots=True)
class Output:
    """One KPI file to write (``path`` None: standard output)."""

    path: Path | None
    text: str
    sources: list[str]
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        """``3 metrics, 1 KPI``: what the file holds."""
        nouns = {"goals": "goal", "metrics": "metric", "kpis": "KPI", "incentives": "incentive"}
        parts = [f"{n} {nouns[s]}{'s' if n != 1 else ''}" for s, n in self.counts.items()]
        return ", ".join(parts) or "nothing"


@dataclass(slots=True)
class ImportRun:
    outputs: list[Output] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # source problems and notes
    failed: list[str] = field(default_factory=list)  # sources that did not parse


def run_import(
    fmt: str,
    sources: Sequence[str],
    out: Path | None,
    *,
    per_team: bool = False,
    cwd: Path | None = None,
    max_bytes: int = 10 * 1024 * 1024,
    reader: Importer | None = None,
    files: Sequence[Path] = (),
) -> ImportRun:
    """Convert ``sources`` (files or folders) into KPI files under ``out``; write nothing.

    One ``<stem>.kpi.yaml`` per source, or with ``per_team`` one ``<team>.kpi.yaml``
    per team (entities with no team stay in their source's file). ``out`` None
    renders the single result for standard output. ``reader`` (a configured
    source's) replaces the importer of ``fmt``; ``files`` are read as well.
    One reader reads every file, so a source's goals are made once.
    """
    from kpilint.importers import importer
    from kpilint.project import discover, find_root_of_named, real_folder, unreadable

    cwd = cwd or Path.cwd()
    reader = reader or importer(fmt)
    globs = reader.GLOBS
    files = list(files)
    refused: dict[Path, str] = {}  # never read (SOURCES.md "Files"), as `check` skips them
    here = cwd.resolve()
    for raw in sources:
        path = cwd / raw
        if not path.exists():
            raise ImportRefused(f"source '{raw}' does not exist")
        root = find_root_of_named(here / raw, here)[0]
        if path.is_dir():
            find = getattr(reader, "find", None)  # a preset: globs match a path's end
            found = (
                find(path, root, (), refused)
                if find
                else discover(path, root, globs, refused=refused)
            )
            if not found:
                raise ImportRefused(f"no {' or '.join(globs)} files in '{raw}'")
            files.extend(found)
        elif (why := unreadable(path, real_folder(root))) is not None:
            refused[path] = why
        else:
            files.append(path)
    run = ImportRun()
    run.messages += [
        f"kpilint: warning: not read {_display(p, cwd)}: {w}" for p, w in refused.items()
    ]
    converted: list[tuple[Path, Imported]] = []
    if hasattr(reader, "partners"):  # a source's reader: `merge-by` reads its files together
        reader.partners = [Path(os.path.normpath(p)) for p in files]
    for file in dict.fromkeys(Path(os.path.normpath(p)) for p in files):
        result = reader.convert(file, _display(file, cwd), max_bytes)
        sf = result.source
        for p in sf.problems:
            run.messages.append(f"{sf.display}:{_where(p.pos)} {p.code} {p.message}")
        run.messages.extend(f"{sf.display}:{_where(n.pos)} note: {n.message}" for n in result.notes)
        if not isinstance(sf.data, dict):
            run.failed.append(sf.display)
            continue
        if sf.catalogue and not sf.data:  # a README beside the catalogue: nothing to write
            continue
        converted.append((file, result))
    groups = _group(converted, per_team)
    if out is None and len(groups) > 1:
        raise ImportRefused(
            f"{len(groups)} KPI files would be written; name an output folder with -o"
        )
    bodies = {name: dump(sections) for name, (sections, _) in groups.items()}
    ignores = _ignore_comments(groups, bodies)
    for name, (sections, imports) in groups.items():
        if Path(name).name != name or name.startswith("."):
            raise ImportRefused(f"'{name}' is not a file name inside '{out}'")  # never happens
        header = _header(fmt, [i.source.display for i in imports], imports)
        run.outputs.append(
            Output(
                None if out is None else out / name,
                header + ignores.get(name, "") + bodies[name],
                [i.source.display for i in imports],
                {s: len(items) for s, items in sections.items() if items},
            )
        )
    return run


def _ignore_comments(
    groups: dict[str, tuple[dict[str, list[Any]], list[Imported]]], bodies: dict[str, str]
) -> dict[str, str]:
    """A source's `ignore` as `ignore-file` comments, each where its rule fires (SOURCES.md):
    the written files are linted together, as `check` will read them."""
    wanted = {
        name: dict(ig for i in imports for ig in i.source.ignores)
        for name, (_, imports) in groups.items()
    }
    if not any(wanted.values()):
        return {}
    from datetime import date

    from kpilint.config import Config
    from kpilint.engine import Loaded, run_rules
    from kpilint.loader import read_text
    from kpilint.project import Project
    from kpilint.registry import rule_names
    from kpilint.suppressions import Targets
    from kpilint.validate import entities_of

    root = Path(os.path.abspath("kpilint-import"))
    files = [read_text(root / name, name, text) for name, text in bodies.items()]
    project = Project(root, files, [e for sf in files for e in entities_of(sf)])
    fired: dict[str, set[str]] = {}
    for finding in run_rules(Loaded(project, Config(), set(bodies)), date.today()):
        fired.setdefault(finding.path, set()).add(finding.code)
    targets = Targets(rule_names())
    return {
        name: "".join(
            f"# kpilint: ignore-file[{selector}] {reason}\n"
            for selector, reason in selectors.items()
            if targets(selector) & fired.get(name, set())
        )
        for name, selectors in wanted.items()
    }


def write_outputs(run: ImportRun, *, force: bool = False) -> None:
    """Write every output; refuse (before writing any) to overwrite unless ``force``."""
    from kpilint.writing import NotRegular, write_output

    paths = [o.path for o in run.outputs if o.path is not None]
    existing = [p for p in paths if os.path.lexists(p)]  # a dangling symlink counts
    if existing and not force:
        shown = ", ".join(str(p) for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise ImportRefused(f"would overwrite {shown}; use --force to replace")
    for output in run.outputs:
        if output.path is None:
            continue
        try:  # a symlink at the name is replaced (--force), never written through
            write_output(output.path, output.text, replace_link=True)
        except NotRegular as exc:
            raise ImportRefused(
                f"not writing '{output.path}': it is {exc}; remove it or choose another -o"
            ) from None
        except OSError as exc:
            raise ImportRefused(f"cannot write '{output.path}': {exc.strerror}") from None


def dump(sections: dict[str, list[Any]]) -> str:
    """KPI-file YAML for ``sections``: block style, keys in the importer's order."""
    data: dict[str, Any] = {"version": 1}
    data.update((s, items) for s, items in sections.items() if items)
    text: str = yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100
    )
    return text


def _group(
    converted: Iterable[tuple[Path, Imported]], per_team: bool
) -> dict[str, tuple[dict[str, list[Any]], list[Imported]]]:
    """Output file name -> (sections, the imports that fed it), in source order."""
    groups: dict[str, tuple[dict[str, list[Any]], list[Imported]]] = {}
    for file, result in converted:
        data = result.source.data
        stem = kpi_stem(file)
        for section in SECTIONS:
            items = data.get(section)
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                team = result.teams.get((section, index)) if per_team else None
                # A team whose name leaves no file name ('team:../') stays in its source's file.
                name = f"{file_stem(team or '') or stem}.kpi.yaml"
                sections, imports = groups.setdefault(name, ({s: [] for s in SECTIONS}, []))
                sections[section].append(item)
                if not imports or imports[-1] is not result:
                    imports.append(result)
        if not per_team:
            groups.setdefault(f"{stem}.kpi.yaml", ({s: [] for s in SECTIONS}, [result]))
    return groups


def kpi_stem(file: Path) -> str:
    """The file's stem, and a KPI file's name without ``.kpi.yaml``: output names, ``$file``."""
    name = file.name
    for suffix in (".kpi.yaml", ".kpi.yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return file.stem


def _header(fmt: str, displays: list[str], imports: list[Imported]) -> str:
    lines = [
        f"# Imported by `kpilint import --from {fmt}` from {', '.join(displays)}.",
        "# Edit freely: this file is now the definition; `kpilint check` lists what is missing.",
    ]
    notes = [(i.source.display, n) for i in imports for n in i.notes]
    if notes:
        lines.append("# Notes from the import:")
        for display, note in notes:
            where = f"{display}:{note.pos.line}: " if note.pos else f"{display}: "
            lines.append(f"# - {where}{note.message}")
    return "\n".join(lines) + "\n"


def _where(pos: Pos | None) -> str:
    return f"{pos.line}:{pos.column}:" if pos is not None else ""


def _display(path: Path, cwd: Path) -> str:
    try:
        return Path(os.path.relpath(path.absolute(), cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.absolute().as_posix()
