"""Validate a loaded file against the model: KPI002/KPI003 at exact positions.

Each entity is validated on its own, so one bad entity never hides another.
Offending values are pruned and the entity validated again, so rules still see
everything that is right about it; the raw mapping keeps the invalid value, so
"has no X" rules know the key was present.
"""

from __future__ import annotations

from typing import Any

from kpilint.entities import ENTITY_CLASSES, Entity, entity_pos
from kpilint.fastpath import build
from kpilint.findings import Edit, Pos
from kpilint.loader import Path_, Problem, SourceFile
from kpilint.model import (
    SECTIONS,
    TOP_LEVEL_KEYS,
    VALUE_OR_CHANGE,
    Period,
    TargetSpec,
    Timeline,
    known_keys,
    validate,
)
from kpilint.quoting import LIMIT, quote

_UNION_TAGS = {"mapping", "text"}
# Per mapping (by id; alive while one file is validated) and its known keys (an
# alias may put one mapping in two places): the close matches of its unknown keys,
# and for each known name how many would take it and which may.
_Claims = dict[tuple[int, tuple[str, ...]], tuple[dict[str, list[str]], dict[str, tuple[int, str]]]]
ENTITY_KEY_DEPTH = 3  # ("kpis", 3, "target")
_PLACEHOLDERS: dict[str, Any] = {"id": "missing-id", "name": "missing name", "kpis": []}
_NESTED_MODELS: dict[str, type[Any]] = {
    "target": TargetSpec,
    "timeline": Timeline,
    "period": Period,
}


def entities_of(sf: SourceFile) -> list[Entity[Any]]:
    """Validate ``sf`` and return its entities; problems are appended to the file."""
    data = sf.data
    if not isinstance(data, dict):
        return []
    # Keys written twice (the loader's KPI004), looked up once per unknown key.
    dupes = {p.path for p in sf.problems if p.code == "KPI004"}
    claims: _Claims = {}  # per mapping, once: which unknown key may be renamed to what
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problem = _unknown_key(
                sf, (key,), TOP_LEVEL_KEYS, "top-level", dupes=dupes, claims=claims
            )
            sf.problems.append(problem)
    if "version" in data and (type(data["version"]) is not int or data["version"] != 1):
        sf.problems.append(
            _problem(sf, ("version",), f"version is {quote(data['version'])}; only 1 is supported")
        )
    out: list[Entity[Any]] = []
    for section, model in SECTIONS.items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            sf.problems.append(_problem(sf, (section,), f"'{section}' must be a list of mappings"))
            continue
        cls = ENTITY_CLASSES[section]
        for index, raw in enumerate(items):
            path: Path_ = (section, index)
            if not isinstance(raw, dict):
                sf.problems.append(
                    _problem(sf, path, f"each entry of '{section}' must be a mapping", value=True)
                )
                continue
            out.append(cls(sf, path, raw, _validated(sf, path, raw, model, dupes, claims)))
    # Rules locate findings at an entity or one of its keys; nested positions
    # served KPI002/KPI003 above. Dropping them saves a third of the memory.
    sf.keys.prune(ENTITY_KEY_DEPTH)  # keys and values share one store
    return out


def _validated(
    sf: SourceFile,
    path: Path_,
    raw: dict[str, Any],
    model: type[Any],
    dupes: set[Any],
    claims: _Claims,
) -> Any:
    built = build(model, raw)
    if built is not None:
        return built
    from pydantic import ValidationError  # only an entity that is not plainly valid gets here

    try:
        return validate(model, raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    prune: list[Path_] = []
    fill: dict[str, Any] = {}
    for error in errors:
        loc = _clean_loc(error["loc"])
        if error["type"] == "unexpected_keyword_argument":  # extra="forbid" on a dataclass
            known = _known_keys(model, loc)
            where = _kind_of(path)
            problem = _unknown_key(sf, (*path, *loc), known, where, raw, dupes=dupes, claims=claims)
            sf.problems.append(problem)
            prune.append(loc)
        elif loc == ("target",) and VALUE_OR_CHANGE in str(error.get("msg", "")):
            if (amount := _target_amount(sf, path, raw)) is not None:
                sf.problems.append(amount)
            prune.append(loc)
        elif error["type"] == "missing":
            sf.problems.append(_missing(sf, path, loc, raw))
            if len(loc) == 1:
                fill[str(loc[0])] = _PLACEHOLDERS.get(str(loc[0]))
            else:
                prune.append(loc[:-1])
        else:
            sf.problems.append(_invalid(sf, path, loc, error, raw))
            prune.append(loc)
    cleaned = _pruned(raw, prune)
    cleaned.update(fill)
    for _ in range(5):  # pruning may expose nothing new; bounded all the same
        try:
            result = validate(model, cleaned)
            break
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                top = str(error["loc"][0])
                if top in _PLACEHOLDERS:
                    cleaned[top] = _PLACEHOLDERS[top]
                else:
                    cleaned.pop(top, None)
    else:  # pragma: no cover - defensive
        fields = known_keys(model)
        result = validate(model, {k: v for k, v in _PLACEHOLDERS.items() if k in fields})
    return result


def _target_amount(sf: SourceFile, path: Path_, raw: dict[str, Any]) -> Problem | None:
    """KPI002 for a mapping target with both ``value`` and ``change``, or neither."""
    target = raw.get("target")
    if not isinstance(target, dict):
        return None
    given = [k for k in target if k in ("value", "change")]
    owner = _owner(path, raw)
    if len(given) == 1:
        return None
    if not given:
        return Problem(
            "KPI002",
            _pos(sf, (*path, "target")),
            f"{owner}target has neither 'value' nor 'change'",
            "Add 'value' (the level to reach) or 'change' (how far to move from the baseline)",
            (*path, "target"),
        )
    later = given[-1]
    return Problem(
        "KPI002",
        _pos(sf, (*path, "target", later)),
        f"{owner}target has both 'value' and 'change'; a target is a level or a change",
        "Keep 'value' (the level to reach) or 'change' (how far to move), not both",
        (*path, "target", later),
    )


def _clean_loc(loc: tuple[int | str, ...]) -> Path_:
    return tuple(
        p for i, p in enumerate(loc) if not (i and loc[i - 1] == "target" and p in _UNION_TAGS)
    )


def _known_keys(model: type[Any], loc: Path_) -> tuple[str, ...]:
    if len(loc) > 1 and isinstance(loc[0], str):
        nested = _NESTED_MODELS.get(loc[0])
        if nested is not None:
            return known_keys(nested)
    return known_keys(model)


def _kind_of(path: Path_) -> str:
    return {"goals": "goal", "metrics": "metric", "kpis": "KPI", "incentives": "incentive"}[
        str(path[0])
    ]


def _get(raw: Any, loc: Path_) -> Any:
    for part in loc:
        try:
            raw = raw[part]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def _pruned(raw: dict[str, Any], paths: list[Path_]) -> dict[str, Any]:
    """A copy of ``raw`` without the values at ``paths`` (copying only along them)."""
    out = dict(raw)
    for path in sorted(paths, key=lambda p: [str(x) for x in p], reverse=True):
        if not path:
            continue
        parent: Any = out
        for part in path[:-1]:
            child = parent[part] if _contains(parent, part) else None
            if isinstance(child, dict):
                child = dict(child)
            elif isinstance(child, list):
                child = list(child)
            else:
                parent = None
                break
            parent[part] = child
            parent = child
        last = path[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = _DROP
    cleaned: dict[str, Any] = _drop_marked(out)
    return cleaned


class _Drop:
    pass


_DROP = _Drop()


def _drop_marked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_drop_marked(v) for v in value if v is not _DROP]
    return value


def _contains(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and part < len(container)


def _pos(sf: SourceFile, path: Path_, value: bool = False) -> Pos:
    """A key's position (a list item's value position), else its nearest parent's."""
    for n in range(len(path), 0, -1):
        sub = path[:n]
        span = sf.values.get(sub) if (value or isinstance(sub[-1], int)) else sf.keys.get(sub)
        if span is not None:
            return span.pos
        if len(sub) == 2 and isinstance(sub[-1], int):
            return entity_pos(sf, sub, _get(sf.data, sub))
    return Pos(1, 1)


def _dotted(loc: Path_) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


def _owner(path: Path_, raw: dict[str, Any] | None) -> str:
    if len(path) < 2 or raw is None:
        return ""
    kind = _kind_of(path)
    ident = raw.get("id")
    return f"{kind} {quote(ident)}: " if isinstance(ident, str) else f"{kind}: "


def _problem(sf: SourceFile, path: Path_, message: str, *, value: bool = False) -> Problem:
    return Problem("KPI002", _pos(sf, path, value), message, None, path)


def _missing(sf: SourceFile, path: Path_, loc: Path_, raw: dict[str, Any]) -> Problem:
    where = entity_pos(sf, path, raw) if len(loc) == 1 else _pos(sf, (*path, *loc[:-1]))
    field = _dotted(loc)
    return Problem(
        "KPI002",
        where,
        f"{_owner(path, raw)}required key '{field}' is missing",
        f"Add '{field}'",
        (*path, *loc[:-1]) if len(loc) > 1 else path,
    )


def _invalid(sf: SourceFile, path: Path_, loc: Path_, error: Any, raw: dict[str, Any]) -> Problem:
    loc = _value_loc(raw, loc)  # a single value given for a list: the value, not its letter
    field = _dotted(loc)
    expected, fix = _expectation(error, field)
    message = f"{_owner(path, raw)}'{field}' is {_as_written(sf, (*path, *loc), _get(raw, loc))}; "
    message += expected
    return Problem("KPI002", _pos(sf, (*path, *loc)), message, fix, (*path, *loc))


def _as_written(sf: SourceFile, path: Path_, value: Any) -> str:
    """A date, number or time as the KPI file writes it (``12:30:00``, not the 45000 YAML 1.1
    reads); a string, list or mapping, or a value read through a source, as ``quote`` shows it."""
    span = sf.values.get(path)
    if span is None or sf.catalogue is not None or isinstance(value, str | list | dict):
        return quote(value)
    text = sf.text[span.start : span.end]
    if not text or "\n" in text or "\r" in text or text[0] in "!&*'\"":
        return quote(value)  # a tag, anchor, alias or quoted scalar: not a plain one
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def _value_loc(raw: Any, loc: Path_) -> Path_:
    """``loc`` up to the last part that indexes a mapping or a list in ``raw``."""
    for n, part in enumerate(loc):
        if not isinstance(raw, (dict, list)):
            return loc[:n]
        raw = _get(raw, (part,))
    return loc


def _expectation(error: Any, field: str) -> tuple[str, str]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "")
        return f"expected one of {allowed}", f"Use one of: {allowed}"
    if kind == "string_pattern_mismatch":
        if field.split("[")[0].split(".")[-1] == "scope":
            return (
                "expected 'org' or 'team:NAME', 'role:NAME', 'campaign:NAME', 'channel:NAME'",
                "Write the scope as org, team:NAME, role:NAME, campaign:NAME or channel:NAME",
            )
        return (
            "expected a slug (lower-case letters, digits, '_', '.', '-')",
            "Use lower-case letters, digits, '_', '.' and '-', starting with a letter or digit",
        )
    if kind == "string_too_long":
        return "an id has at most 64 characters", "Shorten the id to 64 characters or fewer"
    if kind == "string_too_short":
        return "expected a non-empty string", "Write a non-empty value"
    if kind in ("string_type", "str_type"):
        return "expected a string", "Quote the value to make it a string"
    if kind in ("float_type", "float_parsing", "int_type"):
        return "expected a number", "Write a plain number such as 42 or 0.5, without quotes"
    if kind == "greater_than":
        return (
            "expected a positive amount",
            "Write the change as a positive amount; 'direction' says which way",
        )
    if kind == "finite_number":
        return "expected a finite number", "Write a finite number"
    if kind in ("list_type",):
        return "expected a list", "Write a list such as [a, b]"
    if kind == "dataclass_type":  # a nested model (target, timeline, period) given a non-mapping
        return "expected a mapping", "Write a mapping of keys and values"
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        return message, "Write an ISO date such as 2027-12-31"
    if kind == "union_tag_invalid":
        return "expected a mapping or a text", "Write the target as a mapping or a text"
    return str(error.get("msg", "invalid value")).lower(), "Correct the value"


def _unknown_key(
    sf: SourceFile,
    path: Path_,
    known: tuple[str, ...],
    where: str,
    raw: dict[str, Any] | None = None,
    *,
    dupes: set[Any],
    claims: _Claims,
) -> Problem:
    key = str(path[-1])
    span = sf.keys.get(path)
    pos = span.pos if span is not None else _pos(sf, path)
    siblings = _get(sf.data, path[:-1])
    mapping = _claims_of(siblings, known, claims) if isinstance(siblings, dict) else None
    close = mapping[0][key] if mapping and key in mapping[0] else _close_matches(key, known)
    owner = _owner(path[:2], raw) if len(path) > 2 else ""
    context = f"in {where} " if len(path) <= 1 else ""
    shown = quote(_dotted(path[2:]) if len(path) > 2 else key)
    message = f"{owner}unknown key {shown} {context}".rstrip()
    if len(close) == 1:
        message += f"; did you mean '{close[0]}'?"
    elif close:
        message += f"; did you mean one of {', '.join(repr(c) for c in close)}?"
    edits: tuple[Edit, ...] = ()
    duplicated = path in dupes
    if (
        len(close) == 1
        and span is not None
        and not duplicated  # renaming one of two copies would change the data
        and not (isinstance(siblings, dict) and close[0] in siblings)
        and (mapping is None or _first_to_claim(key, close[0], mapping[1]))
    ):
        edits = (Edit(span.start, span.end, close[0]),)
        fix = f"Rename {quote(key)} to '{close[0]}'"
    else:
        fix = f"Remove {quote(key)}, or use one of: {', '.join(known)}"
    return Problem("KPI003", pos, message, fix, path, edits)


def _first_to_claim(key: str, name: str, claimed: dict[str, tuple[int, str]]) -> bool:
    """Of the unknown keys of one mapping that would all be renamed to ``name``
    (``Goal`` and ``gaol`` to ``goal``), only one may be: two would make a duplicate
    key and lose a value. The rivals for ``name`` are the mapping's string keys, not
    known, whose only close match is ``name``; when there are two or more, the first
    written whose normal form (lower case, ``-`` as ``_``, trimmed) is ``name`` claims
    it, else the first written.
    """
    count, claimant = claimed.get(name, (0, key))
    return count <= 1 or key == claimant


def _claims_of(
    siblings: dict[Any, Any], known: tuple[str, ...], claims: _Claims
) -> tuple[dict[str, list[str]], dict[str, tuple[int, str]]]:
    """The close matches and claims of one mapping, worked out once for all its
    unknown keys: n near-miss keys cost n look-ups, not n squared."""
    done = claims.get((id(siblings), known))
    if done is not None:
        return done
    closes: dict[str, list[str]] = {}
    rivals: dict[str, list[str]] = {}
    exact: dict[str, str] = {}
    for other in siblings:
        if not isinstance(other, str) or other in known:
            continue
        close = closes[other] = _close_matches(other, known)
        if len(close) != 1:
            continue
        name = close[0]
        rivals.setdefault(name, []).append(other)
        if name not in exact and other.lower().replace("-", "_").strip() == name:
            exact[name] = other
    claimed = {name: (len(keys), exact.get(name, keys[0])) for name, keys in rivals.items()}
    done = claims[id(siblings), known] = (closes, claimed)
    return done


def _close_matches(key: str, known: tuple[str, ...]) -> list[str]:
    lowered = key.lower().replace("-", "_").strip()
    exact = [k for k in known if k == lowered]
    if exact:
        return exact
    import difflib  # only for an unknown key: the check path of a valid project skips it

    return difflib.get_close_matches(lowered, known, n=3, cutoff=0.75)
