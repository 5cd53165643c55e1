"""``check --show-settings``: the resolved configuration, and where each value came from.

Printed as TOML a user can copy into ``kpilint.toml`` and get the same settings
(a value that is not set, such as ``owners`` or a ``today`` that follows the
system date, is a comment: TOML has no null), each value followed by a
comment naming its origin: ``default``, the config file, or the command-line
option (``file + --ignore`` where an option adds to the file's list).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from kpilint.config import Config

# Command-line options that add to the file's list rather than replace it.
_ADDITIVE = ("ignore", "extend_select", "exclude")


def describe(
    root: Path,
    config_file: Path | None,
    config: Config,
    overrides: dict[str, Any],
    today: date | None,
) -> str:
    """The settings of one project, as commented TOML."""
    merged = config.with_overrides(**overrides) if overrides else config
    given = {key for key, value in overrides.items() if value not in (None, ())}
    source = str(config.source) if config.source else ""
    lines = [f"# project root: {root}", f"# config file: {source or 'none (defaults)'}"]
    if config_file and source and Path(source) != config_file:
        lines.append(f"# (the project's own {config_file} is not used)")
    from_file = config.fields_set if source else frozenset()
    for name, key in Config.toml_keys().items():
        if name in ("severity", "rules", "per_file_ignores"):
            continue
        value = getattr(merged, name)
        if name == "today":
            origin = "--today" if today else (source if "today" in from_file else "default")
            line = _line(key, today or value or date.today(), _today_origin(origin))
            lines.append(line if today or value else f"# {line}")  # the system date: not pinned
            continue
        if name == "select" and value is None:
            value = ["ALL"]
        option = "--" + key
        if name in given and name in _ADDITIVE and name in from_file:
            origin = f"{source} + {option}"
        elif name in given:
            origin = option
        else:
            origin = source if name in from_file else "default"
        if value is None:  # unset (no `owners` list): TOML has no null, so a comment
            lines.append(f"# {key}: not set  # {origin}")
            continue
        lines.append(_line(key, value, origin))
    resolved = merged.resolve()
    lines += ["", "[severity]"]
    from kpilint.registry import registry

    rules = registry()
    for code, level in resolved.severities.items():
        changed = level != rules[code].meta.severity
        origin = f"{source} [severity]" if changed else "default"
        lines.append(_line(code, level, origin, rules[code].name))
    off = [code for code in rules if code not in resolved.severities]
    lines.append(f"# not run: {', '.join(off) if off else 'none'}")
    if merged.per_file_ignores:
        lines += ["", "[per-file-ignores]"]
        for pattern, selectors in merged.per_file_ignores.items():
            lines.append(_line(json.dumps(pattern), list(selectors), source or "default"))
    for code, options in resolved.options.items():
        if code not in resolved.severities:
            continue
        lines += ["", f"[rules.{rules[code].name}]"]
        written = _written_options(merged, code)
        for option, value in options.items():
            if value is None:
                lines.append(f"# {option.replace('_', '-')}: the built-in default")
                continue
            origin = source if option in written and source else "default"
            lines.append(_line(option.replace("_", "-"), value, origin))
    return "\n".join(lines) + "\n"


def _today_origin(origin: str) -> str:
    return "the system date" if origin == "default" else origin


def _written_options(config: Config, code: str) -> set[str]:
    from kpilint.registry import by_name_or_code

    names: set[str] = set()
    for selector, values in config.rules.items():
        rule = by_name_or_code(selector)
        if rule is not None and rule.code == code and isinstance(values, dict):
            names.update(str(k).replace("-", "_") for k in values)
    return names


def _line(key: str, value: Any, origin: str, note: str = "") -> str:
    extra = f", {note}" if note else ""
    return f"{key} = {_toml(value)}  # {origin}{extra}"


def _toml_key(key: Any) -> str:
    """A bare key when TOML allows one, else a quoted one (``"kpis/*.yaml"``)."""
    text = str(key)
    return (
        text
        if text and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)
        else (json.dumps(text, ensure_ascii=False))
    )


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))
