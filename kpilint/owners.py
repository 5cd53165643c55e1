"""Who exists: the list the config's ``owners`` key points at (FORMAT.md "Owners").

Three shapes, picked by the file's name: ``CODEOWNERS`` (every ``@user`` and
``@org/team`` after a path pattern), ``.yaml``/``.yml`` (a list of handles), or
one handle per line with ``#`` comments. Handles are kept exactly as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from kpilint.config import ConfigError

_COMMENT = re.compile(r"(?:^|[ \t])#.*")


def path_of(root: Path, setting: str) -> Path:
    return root / setting


def load(root: Path, setting: str) -> frozenset[str]:
    """The handles in ``setting`` (a path from the project root); ConfigError if unusable."""
    path = path_of(root, setting)
    where = f"owners = '{setting}'"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"{where}: no such file under the project root {root}; "
            "point 'owners' at the list of people and teams"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ConfigError(f"{where}: cannot read it ({why})") from None
    if path.name == "CODEOWNERS":
        return frozenset(_codeowners(text))
    if path.suffix.lower() in (".yaml", ".yml"):
        return frozenset(_yaml_list(text, where))
    return frozenset(_lines(text))


def _lines(text: str) -> list[str]:
    return [h for line in text.splitlines() if (h := _COMMENT.sub("", line).strip())]


def _codeowners(text: str) -> list[str]:
    handles: list[str] = []
    for line in text.splitlines():
        fields = _COMMENT.sub("", line).split()
        handles += [f for f in fields[1:] if f.startswith("@") and len(f) > 1]
    return handles


def _yaml_list(text: str, where: str) -> list[str]:
    """Read by the KPI files' loader: its limits (nesting, alias bombs, huge numbers)
    hold for this file too, where a plain safe load raises or runs for minutes."""
    from kpilint.loader import SourceFile, parse_text

    sf = SourceFile(path=Path(), display=where)
    parse_text(sf, text, require_mapping=False)
    broken = [p for p in sf.problems if p.code == "KPI001"]
    if broken:
        raise ConfigError(f"{where}: not valid YAML at line {broken[0].pos.line}")
    data = sf.data
    if data is None or data == {}:  # empty, or comments only
        return []
    if not isinstance(data, list) or not all(isinstance(h, str) for h in data):
        raise ConfigError(f"{where}: must hold a YAML list of handles, like '- \"@alice\"'")
    return [h.strip() for h in data if h.strip()]
