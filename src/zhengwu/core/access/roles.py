"""The roles of the platform (issue 2). Codes are stable; labels are Chinese first."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("办事群众")
    COMPANY_AGENT = "company_agent", _("企业经办人")
    WINDOW_CLERK = "window_clerk", _("窗口受理人员")
    REVIEWER = "reviewer", _("审查人员")
    APPROVER = "approver", _("审批人/部门负责人")
    CHIEF_REPRESENTATIVE = "chief_rep", _("首席代表")
    HALL_MANAGER = "hall_manager", _("大厅管理人员")
    SUPERVISOR = "supervisor", _("电子监察人员")
    HOTLINE_AGENT = "hotline_agent", _("热线话务员")
    UNIT_HANDLER = "unit_handler", _("成员单位承办人")
    KNOWLEDGE_EDITOR = "knowledge_editor", _("知识库编辑")
    AGENCY = "agency", _("中介机构")
    MARKET_OPERATOR = "market_operator", _("中介超市运营方")
    SYSADMIN = "sysadmin", _("系统管理员")


STAFF_ROLES = frozenset(Role) - {Role.APPLICANT, Role.COMPANY_AGENT, Role.AGENCY}
PUBLIC_ROLES = frozenset({Role.APPLICANT, Role.COMPANY_AGENT, Role.AGENCY})
