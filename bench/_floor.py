"""The floor: a process that only loads every KPI file with ``yaml.CSafeLoader``.

    python bench/_floor.py PATH...

Folders are searched for ``*.kpi.yaml`` / ``*.kpi.yml`` as kpilint does; named
files are loaded whatever their name. Nothing is checked and nothing printed
but a count, so kpilint's time divided by this one is what linting costs on top
of reading YAML.
"""

from __future__ import annotations

import os
import sys

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    sys.exit("bench/_floor.py: PyYAML was built without libyaml (no CSafeLoader)")


def files(paths: list[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            found.append(path)
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(
                os.path.join(folder, n) for n in names if n.endswith((".kpi.yaml", ".kpi.yml"))
            )
    return sorted(found)


def main(argv: list[str]) -> int:
    count = 0
    for path in files(argv or ["."]):
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=Loader)
        count += 1
    print(f"loaded {count} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
