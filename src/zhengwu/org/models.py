"""The organisation: regions, departments, halls, windows, staff and applicants (DOMAIN §1).

Models hold data and invariants only; every write goes through org.services, which validates
with Chinese messages, audits and emits events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengwu.core.audit.masking import mask_address, mask_id_number, mask_phone


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区/县")
        TOWN = "town", _("乡镇/街道")
        VILLAGE = "village", _("村/社区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(models.Model):
    name = models.CharField(_("部门名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # 条线: the same code at every level, so a city bureau can watch its district counterparts.
    line = models.CharField(_("条线"), max_length=32, blank=True, db_index=True)
    supervision_contact_name = models.CharField(_("监察联系人"), max_length=32, blank=True)
    supervision_contact_phone = models.CharField(_("监察联系人电话"), max_length=20, blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=20, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=20, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class ServicePoint(models.Model):
    class Kind(models.TextChoices):
        CENTER = "center", _("政务服务中心")
        CONVENIENCE = "convenience", _("便民服务中心")
        STATION = "station", _("服务站")

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Region.Level.choices)  # copied from region
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="service_points"
    )
    address = models.CharField(_("地址"), max_length=255)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=255, blank=True)
    # [{"weekday": 1..7, "open": "09:00", "close": "12:00", "appointment": false}, ...]
    weekday_hours = models.JSONField(_("分时段办公时间"), default=list, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_servicepoint_region_name")
        ]
        verbose_name = _("服务场所")
        verbose_name_plural = _("服务场所")

    def __str__(self) -> str:
        return self.name


class WindowCategory(models.TextChoices):
    REGISTRATION = "registration", _("注册登记类")
    CONSTRUCTION = "construction", _("工程建设类")
    BUSINESS_LICENSE = "business_license", _("经营许可类")
    PUBLIC_RESOURCE = "public_resource", _("公共资源交易类")
    OTHER = "other", _("其他")


class Window(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("综合窗口")
        DEPARTMENT = "department", _("部门窗口")

    service_point = models.ForeignKey(
        ServicePoint, verbose_name=_("服务场所"), on_delete=models.PROTECT, related_name="windows"
    )
    code = models.CharField(_("窗口编号"), max_length=16)
    name = models.CharField(_("窗口名称"), max_length=64)
    kind = models.CharField(_("窗口类型"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="windows",
    )
    categories = models.JSONField(_("受理类别"), default=list, blank=True)  # WindowCategory values
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["service_point_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service_point", "code"], name="org_window_point_code")
        ]
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def category_labels(self) -> list[str]:
        labels = dict(WindowCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories]


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="staff"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("工作区划"), on_delete=models.PROTECT, related_name="staff"
    )
    roles = models.JSONField(_("角色"), default=list)  # core.access.roles.Role values
    windows = models.ManyToManyField(Window, verbose_name=_("窗口"), blank=True, related_name="staff")
    # 首席代表: the item codes delegated to this officer (catalog items come later).
    delegated_item_codes = models.JSONField(_("授权事项编码"), default=list, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return str(self.user)

    def role_labels(self) -> list[str]:
        from zhengwu.core.access.roles import Role

        return [str(Role(r).label) for r in self.roles if r in Role.values]


class PersonProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="person_profile",
    )
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    phone = models.CharField(_("手机号"), max_length=11)
    address = models.CharField(_("地址"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("个人信息")
        verbose_name_plural = _("个人信息")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)


class Company(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        AGENCY = "agency", _("中介机构")

    name = models.CharField(_("名称"), max_length=128)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.ENTERPRISE)
    legal_rep_name = models.CharField(_("法定代表人"), max_length=64)
    legal_rep_id_number = models.CharField(_("法定代表人身份证号码"), max_length=18, blank=True)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CompanyAgent", verbose_name=_("经办人"), related_name="companies"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_legal_rep_id_number(self) -> str:
        return mask_id_number(self.legal_rep_id_number)


class CompanyAgent(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="agent_links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.CASCADE,
        related_name="agent_links",
    )
    authorised_from = models.DateField(_("授权起始日"))
    authorised_until = models.DateField(_("授权截止日"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="org_companyagent_company_user")
        ]
        verbose_name = _("企业经办人授权")
        verbose_name_plural = _("企业经办人授权")

    def __str__(self) -> str:
        return f"{self.company} · {self.user}"
