"""Creating and editing drafts: a new item, a change draft of an existing item, its fields and parts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.core.files.models import StoredFile
from zhengwu.org import selectors as org_selectors

from .. import validation as v
from ..models import FormField, ItemVersion, MaterialRequirement, ProcedureStep, ServiceItem
from ..models.choices import Audience, ChangeKind, FieldType, ItemType, VersionStatus
from ..models.items import content_field_names
from ._common import lock_item, lock_version, require_drafter, status_label, today, user_id_of

OPEN_STATUSES = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.RETURNED,
    VersionStatus.REVIEWED,
    VersionStatus.ANNOUNCED,
)
EDITABLE_EXTRA_FIELDS = ("change_reason", "requested_effective_on")
PUBLIC_FILE_PURPOSES = ("catalog_form", "catalog_sample")


def _choice(field: str, value: Any, choices: type[models.TextChoices], label: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: [_("%(label)s“%(v)s”无效。") % {"label": label, "v": value}]})
    return str(value)


@transaction.atomic
def item_create_draft(
    *,
    actor: Actor,
    department_id: int,
    item_type: str,
    name: str,
    basic_code: str,
    implementation_code: str,
    audience: str = Audience.BOTH,
    themes: Iterable[str] = (),
    aliases: Iterable[str] = (),
) -> ItemVersion:
    """A new item and its version 1 as a draft (change kind 新增)."""
    require_drafter(actor)
    errors: dict[str, list[str]] = {}
    try:
        dept_pk = int(department_id)
    except (TypeError, ValueError):
        dept_pk = 0
    dept = org_selectors.departments_for(actor).filter(pk=dept_pk, active=True).first()
    if dept is None:
        errors["department_id"] = [_("实施部门不存在或不在您的管辖范围内。")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写事项名称。")]
    elif len(name) > 200:
        errors["name"] = [_("事项名称不超过200个字。")]
    for field, value, choices, label in (
        ("item_type", item_type, ItemType, _("事项类型")),
        ("audience", audience, Audience, _("服务对象")),
    ):
        try:
            _choice(field, value, choices, label)
        except ValidationError as exc:
            v.merge_errors(errors, exc)
    clean_themes: list[str] = []
    clean_aliases: list[str] = []
    for fn, arg in ((v.validate_themes, list(themes)), (v.validate_aliases, list(aliases))):
        try:
            out = fn(arg)
        except ValidationError as exc:
            v.merge_errors(errors, exc)
        else:
            if fn is v.validate_themes:
                clean_themes = out
            else:
                clean_aliases = out
    basic_code = (basic_code or "").strip()
    implementation_code = (implementation_code or "").strip()
    if dept is not None:
        try:
            v.validate_codes(
                department_uscc=dept.uscc, basic_code=basic_code, implementation_code=implementation_code
            )
        except ValidationError as exc:
            v.merge_errors(errors, exc)
        if (
            "implementation_code" not in errors
            and ServiceItem.objects.filter(
                region_id=dept.region_id, implementation_code=implementation_code
            ).exists()
        ):
            errors["implementation_code"] = [
                _("本区划已有实施编码为“%(c)s”的事项。") % {"c": implementation_code}
            ]
    v.raise_if(errors)
    assert dept is not None
    try:
        with transaction.atomic():
            item = ServiceItem.objects.create(
                department_id=dept.pk,
                region_id=dept.region_id,
                item_type=item_type,
                name=name,
                basic_code=basic_code,
                implementation_code=implementation_code,
                audience=audience,
                themes=clean_themes,
                aliases=clean_aliases,
            )
    except IntegrityError:
        # Lost a race with another drafter using the same code.
        raise ValidationError(
            {"implementation_code": [_("本区划已有实施编码为“%(c)s”的事项。") % {"c": implementation_code}]}
        ) from None
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        status=VersionStatus.DRAFT,
        change_kind=ChangeKind.ADD,
        name=name,
        created_by_id=user_id_of(actor),
        # The department's own phones are the usual answer; the drafter may change them.
        consultation_phone=dept.consultation_phone or "",
        supervision_phone=dept.complaint_phone or "",
    )
    audit_record(
        actor=actor,
        action="catalog.item.create_draft",
        obj_type="catalog.item",
        obj_id=item.pk,
        summary=_("新建事项草稿“%(name)s”（%(code)s）") % {"name": name, "code": implementation_code},
        extra={"version_id": version.pk, "department_id": dept.pk},
    )
    return version


@transaction.atomic
def item_update_metadata(
    *,
    actor: Actor,
    item_id: int,
    audience: str | None = None,
    themes: Iterable[str] | None = None,
    aliases: Iterable[str] | None = None,
) -> ServiceItem:
    """Browsing metadata (audience, themes, aliases) is not part of the versioned guide."""
    require_drafter(actor)
    item = lock_item(actor, item_id)
    changes: dict[str, list[Any]] = {}
    if audience is not None and audience != item.audience:
        _choice("audience", audience, Audience, _("服务对象"))
        changes["audience"] = [item.audience, audience]
        item.audience = audience
    if themes is not None:
        new_themes = v.validate_themes(list(themes))
        if new_themes != item.themes:
            changes["themes"] = [item.themes, new_themes]
            item.themes = new_themes
    if aliases is not None:
        new_aliases = v.validate_aliases(list(aliases))
        if new_aliases != item.aliases:
            changes["aliases"] = [item.aliases, new_aliases]
            item.aliases = new_aliases
    if changes:
        item.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action="catalog.item.update_metadata",
            obj_type="catalog.item",
            obj_id=item.pk,
            summary=_("修改事项“%(name)s”的主题和别名") % {"name": item.name},
            changes=changes,
        )
    return item


@transaction.atomic
def version_create_draft(
    *, actor: Actor, item_id: int, change_kind: str = ChangeKind.ADJUST, reason: str
) -> ItemVersion:
    """A change draft n+1: a copy of the effective version with its materials, form fields and steps."""
    require_drafter(actor)
    item = lock_item(actor, item_id)
    if change_kind not in (ChangeKind.ADJUST, ChangeKind.CANCEL):
        raise ValidationError({"change_kind": [_("变更类型应为“调整”或“取消”。")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写变更理由。")]})
    open_version = item.versions.filter(status__in=OPEN_STATUSES).order_by("-number").first()
    if open_version is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("该事项已有未完成的变更（第%(n)d版，%(s)s），请先完成或撤回后再新建变更草稿。")
                    % {"n": open_version.number, "s": status_label(open_version.status)}
                ]
            }
        )
    if not item.is_active or item.current_version_id is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("该事项没有生效的版本（未生效或已取消），不能新建变更。")]}
        )
    source = item.versions.get(pk=item.current_version_id)
    last_number = item.versions.aggregate(m=models.Max("number"))["m"] or 0
    draft = ItemVersion(
        item=item,
        number=last_number + 1,
        status=VersionStatus.DRAFT,
        change_kind=change_kind,
        change_reason=reason,
        created_by_id=user_id_of(actor),
    )
    for field in content_field_names():
        setattr(draft, field, getattr(source, field))
    draft.status = VersionStatus.DRAFT  # content_field_names() excludes it; keep explicit
    draft.save(force_insert=True)
    _copy_parts(source, draft)
    audit_record(
        actor=actor,
        action="catalog.version.create_draft",
        obj_type="catalog.version",
        obj_id=draft.pk,
        summary=_("新建“%(name)s”第%(n)d版变更草稿（%(kind)s）")
        % {"name": item.name, "n": draft.number, "kind": ChangeKind(change_kind).label},
        reason=reason,
        extra={"item_id": item.pk, "copied_from": source.pk},
    )
    return draft


def _copy_parts(source: ItemVersion, target: ItemVersion) -> None:
    models_: tuple[type[Any], ...] = (MaterialRequirement, FormField, ProcedureStep)
    for model in models_:
        rows: list[Any] = []
        for row in model.objects.filter(version=source).order_by("order", "id"):
            row.pk = None
            row.id = None
            row.version = target
            rows.append(row)
        model.objects.bulk_create(rows)


def _editable(version: ItemVersion) -> None:
    if not version.is_editable:
        if version.status in (VersionStatus.ANNOUNCED, VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED):
            raise ValidationError({NON_FIELD_ERRORS: [_("已发布的版本不可修改，请新建变更草稿")]})
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("该版本当前状态为“%(s)s”，不可修改。") % {"s": status_label(version.status)}
                ]
            }
        )


def _writable_fields() -> set[str]:
    return (set(content_field_names()) - {"status"}) | set(EDITABLE_EXTRA_FIELDS)


def _normalise(field: str, value: Any) -> Any:
    if field == "fees":
        return v.normalize_fees(value)
    if field == "channels":
        return v.validate_channels(value)
    if field == "service_point_ids":
        ids = v.validate_int_list(field, value, _("办理地点"))
        known = set(org_selectors.public_service_points().filter(pk__in=ids).values_list("pk", flat=True))
        if missing := [str(i) for i in ids if i not in known]:
            raise ValidationError({field: [_("办理地点不存在：%(ids)s。") % {"ids": "、".join(missing)}]})
        return ids
    if field == "result_sample_file_id":
        file_id = v.validate_file_id(value, field, _("审批结果样本"))
        _check_files_exist({file_id} - {None}, field)
        return file_id
    if isinstance(value, str):
        return value.strip()
    return value


def _check_files_exist(ids: set[Any], field: str) -> None:
    if not ids:
        return
    found = set(
        StoredFile.objects.filter(pk__in=ids, purpose__in=PUBLIC_FILE_PURPOSES).values_list("pk", flat=True)
    )
    if ids - found:
        raise ValidationError({field: [_("文件不存在或不是事项表格/样表文件，请重新上传。")]})


@transaction.atomic
def version_update(*, actor: Actor, version_id: int, **fields: Any) -> ItemVersion:
    """Change fields of a draft (or a returned version). Every bad field is reported at once."""
    require_drafter(actor)
    version = lock_version(actor, version_id)
    _editable(version)
    writable = _writable_fields()
    errors: dict[str, list[str]] = {}
    for field in fields:
        if field not in writable:
            errors[field] = [_("字段“%(f)s”不存在或不可修改。") % {"f": field}]
    v.raise_if(errors)
    before = {f: getattr(version, f) for f in fields}
    for field, value in fields.items():
        try:
            setattr(version, field, _normalise(field, value))
        except ValidationError as exc:
            v.merge_errors(errors, exc)
    try:
        version.full_clean(
            exclude=["item", "created_by", "reviewed_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        v.merge_errors(errors, exc)
    v.raise_if(errors)
    _check_version_rules(version, errors, set(fields))
    v.raise_if(errors)
    changes = {f: [before[f], getattr(version, f)] for f in fields if before[f] != getattr(version, f)}
    if changes:
        version.save()
        audit_record(
            actor=actor,
            action="catalog.version.update",
            obj_type="catalog.version",
            obj_id=version.pk,
            summary=_("修改“%(name)s”第%(n)d版草稿") % {"name": version.item.name, "n": version.number},
            changes=changes,
        )
    return version


def _check_version_rules(version: ItemVersion, errors: dict[str, list[str]], touched: set[str]) -> None:
    if v.promised_exceeds_statutory(
        version.promised_limit, version.promised_unit, version.statutory_limit, version.statutory_unit
    ):
        errors.setdefault("promised_limit", []).append(_("承诺办结时限不能长于法定办结时限。"))
    if version.valid_from and version.valid_until and version.valid_from > version.valid_until:
        errors.setdefault("valid_until", []).append(_("有效期止不能早于有效期起。"))
    for field in ("consultation_phone", "supervision_phone"):
        value = getattr(version, field)
        if value and (msgs := v.phone_errors(value)):
            errors.setdefault(field, []).extend(msgs)
    if (
        "requested_effective_on" in touched
        and version.requested_effective_on
        and version.requested_effective_on <= today()
    ):
        errors.setdefault("requested_effective_on", []).append(_("拟生效日期应晚于今天。"))


# --- parts ---------------------------------------------------------------------------------

MATERIAL_KEYS = {
    "name",
    "source",
    "license_type_code",
    "originals",
    "copies",
    "medium",
    "required",
    "deferrable",
    "is_form",
    "blank_form_file_id",
    "sample_file_id",
    "notes",
}
FIELD_KEYS = {"key", "label", "field_type", "required", "choices", "validation", "help_text", "prefill"}
STEP_KEYS = {"name", "stage", "role", "limit", "description"}
VALIDATION_KEYS = {"min_length", "max_length", "pattern", "min", "max"}


def _build_rows(
    model: type[Any],
    version: ItemVersion,
    rows: Any,
    allowed: set[str],
    list_field: str,
    what: str,
) -> tuple[list[Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(rows, (list, tuple)):
        return [], {list_field: [_("%(what)s应为列表。") % {"what": what}]}
    built = []
    for i, data in enumerate(rows, start=1):
        prefix = _("第%(i)d项%(what)s：") % {"i": i, "what": what}
        if not isinstance(data, dict):
            errors.setdefault(list_field, []).append(prefix + _("格式不正确。"))
            continue
        unknown = sorted(set(data) - allowed - {"id", "order"})
        if unknown:
            errors.setdefault(list_field, []).append(
                prefix + _("未知字段 %(f)s。") % {"f": "、".join(unknown)}
            )
            continue
        values = {
            k: (val.strip() if isinstance(val, str) else val) for k, val in data.items() if k in allowed
        }
        row = model(version=version, order=i, **values)
        try:
            row.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                label = (
                    getattr(model._meta.get_field(field), "verbose_name", field)
                    if field != NON_FIELD_ERRORS
                    else ""
                )
                errors.setdefault(list_field, []).extend(
                    f"{prefix}{label}{'：' if label else ''}{m}" for m in msgs
                )
            continue
        built.append(row)
    return built, errors


def _replace_parts(
    actor: Actor, version: ItemVersion, model: type[Any], rows: list[Any], what: str, label_attr: str
) -> None:
    old = list(model.objects.filter(version=version).values_list(label_attr, flat=True))
    model.objects.filter(version=version).delete()
    model.objects.bulk_create(rows)
    new = [getattr(r, label_attr) for r in rows]
    if old != new or rows:
        audit_record(
            actor=actor,
            action=f"catalog.version.set_{model._meta.model_name}",
            obj_type="catalog.version",
            obj_id=version.pk,
            summary=_("设置“%(name)s”第%(n)d版的%(what)s（%(count)d项）")
            % {"name": version.item.name, "n": version.number, "what": what, "count": len(rows)},
            changes={model._meta.model_name or what: [old, new]},
        )
    version.save(update_fields=["updated_at"])


@transaction.atomic
def material_set(
    *, actor: Actor, version_id: int, materials: list[dict[str, Any]]
) -> list[MaterialRequirement]:
    """Replace the whole material list of a draft, in the given order."""
    require_drafter(actor)
    version = lock_version(actor, version_id)
    _editable(version)
    rows, errors = _build_rows(MaterialRequirement, version, materials, MATERIAL_KEYS, "materials", _("材料"))
    v.raise_if(errors)
    names = [r.name for r in rows]
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise ValidationError({"materials": [_("材料名称重复：%(n)s。") % {"n": "、".join(dupes)}]})
    file_ids = {fid for r in rows for fid in (r.blank_form_file_id, r.sample_file_id) if fid}
    _check_files_exist(file_ids, "materials")
    _replace_parts(actor, version, MaterialRequirement, rows, _("申请材料"), "name")
    return rows


@transaction.atomic
def form_fields_set(*, actor: Actor, version_id: int, fields: list[dict[str, Any]]) -> list[FormField]:
    """Replace the application form's fields of a draft, in the given order."""
    require_drafter(actor)
    version = lock_version(actor, version_id)
    _editable(version)
    rows, errors = _build_rows(FormField, version, fields, FIELD_KEYS, "form_fields", _("表单字段"))
    for i, row in enumerate(rows, start=1):
        msgs = _field_definition_errors(row)
        errors.setdefault("form_fields", []).extend(_("第%(i)d项表单字段：") % {"i": i} + m for m in msgs)
    keys = [r.key for r in rows]
    if dupes := sorted({k for k in keys if keys.count(k) > 1}):
        errors.setdefault("form_fields", []).append(_("字段标识重复：%(k)s。") % {"k": "、".join(dupes)})
    v.raise_if(errors)
    _replace_parts(actor, version, FormField, rows, _("表单字段"), "key")
    return rows


def _field_definition_errors(row: FormField) -> list[str]:
    msgs: list[str] = []
    if row.field_type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        if (
            not isinstance(row.choices, list)
            or not row.choices
            or not all(isinstance(c, str) and c.strip() for c in row.choices)
        ):
            msgs.append(_("单选或多选字段须列出选项。"))
    elif row.choices:
        msgs.append(_("只有单选或多选字段可以设置选项。"))
    rules = row.validation or {}
    if not isinstance(rules, dict):
        return [*msgs, _("校验规则格式不正确。")]
    if unknown := sorted(set(rules) - VALIDATION_KEYS):
        msgs.append(_("未知的校验规则：%(k)s。") % {"k": "、".join(unknown)})
    for key in ("min_length", "max_length", "min", "max"):
        if key in rules and not isinstance(rules[key], (int, float)):
            msgs.append(_("校验规则 %(k)s 应为数字。") % {"k": key})
    if "pattern" in rules:
        try:
            re.compile(str(rules["pattern"]))
        except re.error:
            msgs.append(_("校验规则中的正则表达式无效。"))
    return msgs


@transaction.atomic
def steps_set(*, actor: Actor, version_id: int, steps: list[dict[str, Any]]) -> list[ProcedureStep]:
    """Replace the procedure steps of a draft, in the given order."""
    require_drafter(actor)
    version = lock_version(actor, version_id)
    _editable(version)
    rows, errors = _build_rows(ProcedureStep, version, steps, STEP_KEYS, "steps", _("办理环节"))
    for i, row in enumerate(rows, start=1):
        if row.role not in Role.values:
            errors.setdefault("steps", []).append(
                _("第%(i)d项办理环节：办理角色“%(r)s”无效。") % {"i": i, "r": row.role}
            )
    v.raise_if(errors)
    _replace_parts(actor, version, ProcedureStep, rows, _("办理环节"), "name")
    return rows
