"""The parts of a version: materials, form fields and procedure steps (copied whole into a new version)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FieldType, MaterialMedium, MaterialSource, PrefillSource, Stage
from .items import EDITABLE_STATUSES, ImmutableVersionError, ItemVersion, stored_status


class VersionPart(models.Model):
    """A row that belongs to one version: changing or deleting it is allowed only while it is a draft."""

    version_id: int

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        status = stored_status(self.version_id)
        if status is not None and status not in EDITABLE_STATUSES:
            raise ImmutableVersionError(f"version {self.version_id} is {status}; its parts cannot be changed")


class MaterialRequirement(VersionPart):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    source = models.CharField(
        _("来源渠道"), max_length=16, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    license_type_code = models.CharField(_("可复用证照类型"), max_length=21, blank=True)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    medium = models.CharField(
        _("介质"), max_length=12, choices=MaterialMedium.choices, default=MaterialMedium.EITHER
    )
    required = models.BooleanField(_("必要"), default=True)
    deferrable = models.BooleanField(_("可容缺"), default=False)
    is_form = models.BooleanField(_("申请人填写的表格"), default=False)
    blank_form_file_id = models.UUIDField(_("空白表格"), null=True, blank=True)  # core.files
    sample_file_id = models.UUIDField(_("示例样表"), null=True, blank=True)  # core.files
    notes = models.TextField(_("填报须知"), blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class FormField(VersionPart):
    """One field of the application form; the cases app renders the form from these."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="form_fields")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    key = models.SlugField(_("字段标识"), max_length=64)
    label = models.CharField(_("字段名称"), max_length=100)
    field_type = models.CharField(
        _("字段类型"), max_length=16, choices=FieldType.choices, default=FieldType.TEXT
    )
    required = models.BooleanField(_("必填"), default=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)  # ["个体", "企业"]
    # {"min_length": 2, "max_length": 50, "pattern": "...", "min": 0, "max": 100}
    validation = models.JSONField(_("校验规则"), default=dict, blank=True)
    help_text = models.CharField(_("填写说明"), max_length=255, blank=True)
    prefill = models.CharField(_("预填来源"), max_length=32, choices=PrefillSource.choices, blank=True)

    class Meta:
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        ordering = ["version_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="catalog_field_key_unique")]

    def __str__(self) -> str:
        return self.label


class ProcedureStep(VersionPart):
    """One step of the procedure; the cases app runs the workflow from these."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("环节名称"), max_length=64)
    stage = models.CharField(_("监察环节"), max_length=12, choices=Stage.choices)
    role = models.CharField(_("办理角色"), max_length=32)  # core.access.roles.Role value
    limit = models.PositiveSmallIntegerField(_("环节时限（工作日）"), default=0)
    description = models.TextField(_("办理标准"), blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["version_id", "order", "id"]

    def __str__(self) -> str:
        return self.name
