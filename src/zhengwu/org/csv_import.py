"""CSV import of regions and departments: every row is checked, and nothing is written if any fails.

Rows go through the ordinary services (same checks, audit and events) inside one transaction; each
row runs in a savepoint so a bad row is reported and the rest are still checked. Any error rolls the
whole file back.

regions.csv:      code,name,parent_code            (parent_code may be empty: found from the code)
departments.csv:  name,short_name,uscc,region_code,parent_uscc,line,supervision_contact_name,
                  supervision_contact_phone,consultation_phone,complaint_phone
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor

from . import services
from ._checks import require_admin
from .models import Department

KINDS = ("regions", "departments")
COLUMNS = {
    "regions": ("code", "name", "parent_code"),
    "departments": (
        "name",
        "short_name",
        "uscc",
        "region_code",
        "parent_uscc",
        "line",
        "supervision_contact_name",
        "supervision_contact_phone",
        "consultation_phone",
        "complaint_phone",
    ),
}
REQUIRED = {"regions": ("code", "name"), "departments": ("name", "uscc", "region_code")}
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("第%(line)d行 %(field)s：%(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel adds), else GB18030 as saved by Chinese Excel."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def import_org_csv(*, actor: Actor | None, kind: str, text: str) -> ImportResult:
    if kind not in KINDS:
        raise ValueError(kind)
    require_admin(actor)
    result = ImportResult(kind=kind)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        result.errors.append(
            RowError(
                1,
                "表头",
                _("缺少列：%(cols)s（应为：%(all)s）")
                % {"cols": "、".join(missing), "all": ",".join(COLUMNS[kind])},
            )
        )
        return result
    try:
        with transaction.atomic():
            _import_rows(actor, kind, reader, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    return result


def _import_rows(actor: Actor | None, kind: str, reader: csv.DictReader[str], result: ImportResult) -> None:
    seen: dict[str, int] = {}
    key = "code" if kind == "regions" else "uscc"
    count = 0
    for row in reader:
        line = reader.line_num
        count += 1
        if count > MAX_ROWS:
            result.errors.append(RowError(line, "", _("一次最多导入%(n)d行") % {"n": MAX_ROWS}))
            return
        values = {(k or "").strip(): (val or "").strip() for k, val in row.items() if k is not None}
        if None in row:
            result.errors.append(RowError(line, "", _("列数多于表头")))
            continue
        if not any(values.values()):
            continue  # blank line
        natural = values.get(key, "").upper() if key == "uscc" else values.get(key, "")
        if natural and natural in seen:
            result.errors.append(RowError(line, key, _("与第%(other)d行重复") % {"other": seen[natural]}))
            continue
        if natural:
            seen[natural] = line
        try:
            with transaction.atomic():
                if kind == "regions":
                    _region_row(actor, values)
                else:
                    _department_row(actor, values)
            result.created += 1
        except ValidationError as exc:
            for fld, messages in exc.message_dict.items():
                for message in messages:
                    result.errors.append(RowError(line, fld, message))
        except PermissionDenied as exc:
            result.errors.append(RowError(line, "", str(exc)))
            return


def _region_row(actor: Actor | None, values: dict[str, str]) -> None:
    services.region_create(
        actor=actor,
        code=values.get("code", ""),
        name=values.get("name", ""),
        parent_code=values.get("parent_code") or None,
    )


def _department_row(actor: Actor | None, values: dict[str, str]) -> None:
    parent_id = None
    parent_uscc = values.get("parent_uscc", "").upper()
    if parent_uscc:
        parent = Department.objects.filter(uscc=parent_uscc).only("pk").first()
        if parent is None:
            raise ValidationError(
                {"parent_uscc": [_("上级部门不存在（统一社会信用代码%(uscc)s）") % {"uscc": parent_uscc}]}
            )
        parent_id = parent.pk
    services.department_create(
        actor=actor,
        name=values.get("name", ""),
        short_name=values.get("short_name", ""),
        uscc=values.get("uscc", ""),
        region_code=values.get("region_code", ""),
        parent_id=parent_id,
        line=values.get("line", ""),
        supervision_contact_name=values.get("supervision_contact_name", ""),
        supervision_contact_phone=values.get("supervision_contact_phone", ""),
        consultation_phone=values.get("consultation_phone", ""),
        complaint_phone=values.get("complaint_phone", ""),
    )
