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
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where}: not valid YAML{at}") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(h, str) for h in data):
        raise ConfigError(f"{where}: must hold a YAML list of handles, like '- \"@alice\"'")
    return [h.strip() for h in data if h.strip()]
