"""Entities as rules see them: the validated model, the raw mapping and positions.

A rule asks an entity where a key is (``kpi.at("target")``) and whether it is
present (``kpi.has("target")``); it never touches YAML nodes or files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from kpilint.findings import Edit, EntityRef, Pos
from kpilint.loader import Path_, SourceFile, Span
from kpilint.model import Goal, Incentive, Kpi, Metric, TargetSpec
from kpilint.quoting import quote

if TYPE_CHECKING:
    from kpilint.targets import ParsedTarget

M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields; the engine adds code, severity, path and fingerprint."""

    message: str
    pos: Pos
    file: SourceFile
    entity: EntityRef | None = None
    key: str | None = None
    fix: str | None = None  # overrides the rule's fix text when the case needs more
    edits: tuple[Edit, ...] = ()


def entity_pos(file: SourceFile, path: Path_, raw: Any) -> Pos:
    """Where the entity at ``path`` is: its first key (the ``- id:`` line).

    An entity read from a source is located at its record's first key, which
    the source stores as the entity's own key (a list item has none otherwise).
    """
    span = file.keys.get(path)
    if span is not None:
        return span.pos
    if isinstance(raw, dict) and raw:
        span = file.keys.get((*path, next(iter(raw))))
        if span is not None:
            return span.pos
    span = file.values.get(path)
    return span.pos if span is not None else Pos(1, 1)


class Entity(Generic[M]):
    """One goal, metric, KPI or incentive, in its file, in project order."""

    kind: ClassVar[str]
    __slots__ = ("file", "id", "model", "order", "path", "raw")

    def __init__(
        self, file: SourceFile, path: Path_, raw: dict[str, Any], model: M, order: int = 0
    ) -> None:
        self.file = file
        self.path = path  # ("kpis", 3)
        self.raw = raw
        self.model = model
        self.order = order
        raw_id = raw.get("id")
        self.id: str | None = raw_id if isinstance(raw_id, str) else None

    def __repr__(self) -> str:
        return f"<{self.kind} {self.id!r} {self.file.display}:{self.pos.line}>"

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.kind, self.id)

    @property
    def label(self) -> str:
        """How messages name it: ``KPI 'mrr'`` (or its line when it has no id)."""
        noun = "KPI" if self.kind == "kpi" else self.kind
        if self.id is not None:
            return f"{noun} {quote(self.id)}"
        return f"{noun} at line {self.pos.line}"

    @property
    def pos(self) -> Pos:
        """The entity's first key (the ``- id:`` line), as RULES.md locates entities."""
        return entity_pos(self.file, self.path, self.raw)

    def key_span(self, key: str) -> Span | None:
        return self.file.keys.get((*self.path, *key.split(".")))

    def value_span(self, key: str) -> Span | None:
        return self.file.values.get((*self.path, *key.split(".")))

    def at(self, key: str) -> Pos:
        """Position of ``key`` (dotted for nested keys); the entity when absent."""
        span = self.key_span(key)
        return span.pos if span is not None else self.pos

    def has(self, key: str) -> bool:
        """Present and not empty; an invalid value still counts as present.

        ``timeline.end`` under a ``timeline`` that is not a mapping counts as
        present too: KPI002 reports the timeline, and "has no X" rules stay quiet.
        """
        value: Any = self.raw
        for part in key.split("."):
            if not isinstance(value, dict):
                return value is not None and value != ""
            if part not in value:
                return False
            value = value[part]
        return value is not None and value != "" and value != [] and value != {}

    def violation(
        self,
        message: str,
        key: str | None = None,
        *,
        fix: str | None = None,
        edits: tuple[Edit, ...] = (),
        pos: Pos | None = None,
    ) -> Violation:
        """A finding on this entity, located at ``key`` or at the entity itself."""
        where = pos or (self.at(key) if key else self.pos)
        return Violation(message, where, self.file, self.ref, key, fix, edits)


class GoalEntity(Entity[Goal]):
    kind = "goal"
    __slots__ = ()


class MetricEntity(Entity[Metric]):
    kind = "metric"
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class TargetView:
    """A KPI's target with text targets parsed: what the measurability rules read."""

    value: float | None
    unit: str | None
    direction: str | None
    baseline: float | None
    text: str | None  # the free text, for a string target
    change: float | None = None  # how far to move from the baseline, instead of a value
    parsed: ParsedTarget | None = None  # the reading of a text target

    strict: bool = False  # the value itself does not meet the target

    @property
    def measurable(self) -> bool:
        """A number to measure against: KPI201 fires when a text has none."""
        return self.numeric or (self.parsed is not None and self.parsed.measurable)

    @property
    def numeric(self) -> bool:
        """A value or change, what KPI202-KPI206 read: a statement, rate, rank or range has none."""
        return self.value is not None or self.change is not None


class KpiEntity(Entity[Kpi]):
    kind = "kpi"
    __slots__ = ("_target",)

    def __init__(
        self, file: SourceFile, path: Path_, raw: dict[str, Any], model: Kpi, order: int = 0
    ) -> None:
        super().__init__(file, path, raw, model, order)
        self._target: TargetView | bool | None = False

    @property
    def target(self) -> TargetView | None:
        """The valid target, parsed once; None when absent or invalid."""
        if self._target is False:
            self._target = _view(self.model.target)
        return self._target  # type: ignore[return-value]

    @property
    def deadline(self) -> date | None:
        """``timeline.end``, else the one deadline a text target gives (``by 2030``)."""
        timeline = self.model.timeline
        if timeline is not None and timeline.end is not None:
            return timeline.end
        target = self.target
        return target.parsed.deadline if target is not None and target.parsed else None

    @property
    def live(self) -> bool:
        """Checked by rules: anything but retired."""
        return self.model.status != "retired"

    @property
    def active(self) -> bool:
        """Counted by the focus rules."""
        return self.model.status == "active"


def _view(target: TargetSpec | str | None) -> TargetView | None:
    if target is None:
        return None
    if isinstance(target, TargetSpec):
        return TargetView(
            target.value,
            target.unit or None,
            target.direction,
            target.baseline,
            None,
            target.change,
            strict=bool(target.strict),
        )
    if not target.strip():
        return None
    from kpilint.targets import parse_target

    parsed = parse_target(target)
    return TargetView(
        parsed.value,
        parsed.unit,
        parsed.direction,
        parsed.baseline,
        target,
        parsed.change,
        parsed,
        strict=parsed.strict,
    )


class IncentiveEntity(Entity[Incentive]):
    kind = "incentive"
    __slots__ = ()


ENTITY_CLASSES: dict[str, type[Entity[Any]]] = {
    "goals": GoalEntity,
    "metrics": MetricEntity,
    "kpis": KpiEntity,
    "incentives": IncentiveEntity,
}
