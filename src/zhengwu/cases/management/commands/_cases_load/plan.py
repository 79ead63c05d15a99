"""What a generated case copies from the catalogue: its effective items, their steps and materials."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhengwu.catalog.selectors.for_cases import Stage, effective_versions, window_category_for
from zhengwu.catalog.selectors.public import public_items


@dataclass(frozen=True)
class StepSpec:
    order: int
    name: str
    stage: str
    role: str
    limit: int


@dataclass(frozen=True)
class MaterialSpec:
    requirement_id: int
    order: int
    name: str
    required: bool
    deferrable: bool


@dataclass
class ItemSpec:
    item_id: int
    version_id: int
    name: str
    code: str
    department_id: int
    line: str
    region: str
    audience: str
    window_category: str
    promised: tuple[int | None, str]
    statutory: tuple[int | None, str]
    steps: list[StepSpec] = field(default_factory=list)
    materials: list[MaterialSpec] = field(default_factory=list)


def load_items() -> list[ItemSpec]:
    """Every effective item of the catalogue, with what a case copies (catalog selectors only)."""
    ids = list(public_items().values_list("pk", flat=True))
    specs = []
    for version in effective_versions(ids).values():
        item = version.item
        dept = item.department
        # The back-office steps; none for an item decided at acceptance (即办).
        steps = [
            StepSpec(s.order, s.name, s.stage, s.role, s.limit or 0)
            for s in version.steps.all()
            if s.stage in (Stage.REVIEW, Stage.DECIDE)
        ]
        specs.append(
            ItemSpec(
                item_id=item.pk,
                version_id=version.pk,
                name=version.name,
                code=item.implementation_code,
                department_id=dept.pk,
                line=dept.line,
                region=dept.region.code,
                audience=getattr(item, "audience", "person") or "person",
                window_category=window_category_for(item),
                promised=(version.promised_limit, version.promised_unit),
                statutory=(version.statutory_limit, version.statutory_unit),
                steps=steps,
                materials=[
                    MaterialSpec(m.pk, m.order, m.name, m.required, m.deferrable)
                    for m in version.materials.all()
                ],
            )
        )
    specs.sort(key=lambda s: s.item_id)
    return specs
