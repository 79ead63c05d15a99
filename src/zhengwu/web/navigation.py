"""Navigation of the two layouts and the staff landing cards.

Other apps are built in parallel, so a link is shown only when its page really exists: a name that
reverses or a path that resolves. A link to a page that is not there would be a broken promise to
the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role


def url_for(*candidates: str) -> str | None:
    """The first of several URL names or plain paths that exists, or None."""
    for candidate in candidates:
        if candidate.startswith("/"):
            try:
                resolve(candidate)
            except Resolver404:
                continue
            return candidate
        try:
            return reverse(candidate)
        except NoReverseMatch:
            continue
    return None


@dataclass(frozen=True)
class Link:
    label: str | Promise
    candidates: tuple[str, ...]
    # Empty: every staff member; otherwise any of these roles (a sysadmin sees everything).
    roles: frozenset[Role] = field(default_factory=frozenset)
    signed_in_only: bool = False
    exact: bool = False  # a landing page is current only on itself; a section on its sub-pages too

    def visible_to(self, actor: Actor) -> bool:
        if self.signed_in_only and not actor.is_authenticated:
            return False
        return not self.roles or actor.has_role(*self.roles)


def _with_fragment(candidates: tuple[str, ...]) -> str | None:
    """Like url_for, but a "name#fragment" candidate links to a section of an existing page."""
    for candidate in candidates:
        base, _sep, fragment = candidate.partition("#")
        url = url_for(base)
        if url is not None:
            return f"{url}#{fragment}" if fragment else url
    return None


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def nav_items(links: Iterable[Link], *, actor: Actor, current_path: str) -> list[NavItem]:
    items = []
    for link in links:
        if not link.visible_to(actor):
            continue
        url = _with_fragment(link.candidates)
        if url is None:
            continue
        current = current_path == url or (not link.exact and "#" not in url and current_path.startswith(url))
        items.append(NavItem(label=str(link.label), url=url, current=current))
    return items


# Later issues add their public pages here (办事指南, 我的办件 …); a link appears once its URL exists.
PORTAL_LINKS: tuple[Link, ...] = (
    Link(_("首页"), ("web:home",), exact=True),
    Link(_("办事指南"), ("catalog:guide_index", "catalog:index")),
    Link(_("我的办件"), ("cases_portal:mine",), signed_in_only=True),
    Link(_("我的消息"), ("notify:inbox", "/inbox/"), signed_in_only=True),
    Link(_("服务网点"), ("web:home#service-points",)),
)

# The same readers as core.audit.selectors.AUDIT_READER_ROLES (sysadmin is implied by has_role).
AUDIT_ROLES = frozenset({Role.SUPERVISOR, Role.HALL_MANAGER})
# Department staff draft their items; the reform office (in the hall) reviews changes.
CATALOG_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.HALL_MANAGER})
CASE_ROLES = frozenset({Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE})

WORKBENCH_LINKS: tuple[Link, ...] = (
    Link(_("工作台首页"), ("web:workbench",), exact=True),
    Link(_("办件"), ("cases_staff:tasks",), CASE_ROLES),
    Link(_("事项管理"), ("catalog_staff:items",), CATALOG_ROLES),
    Link(_("电子监察"), ("supervision:wall",), frozenset({Role.SUPERVISOR})),
    Link(_("组织机构"), ("org:index", "/workbench/org/")),  # every staff role, scoped inside
    Link(_("审计日志"), ("audit:list", "audit:index", "/workbench/audit/"), AUDIT_ROLES),
    Link(_("消息"), ("notify:inbox", "/inbox/")),
    Link(_("管理后台"), ("admin:index",), frozenset({Role.SYSADMIN})),
)


@dataclass(frozen=True)
class RoleCard:
    role: Role
    duties: str | Promise
    links: tuple[Link, ...] = ()


ROLE_CARDS: tuple[RoleCard, ...] = (
    RoleCard(Role.WINDOW_CLERK, _("在窗口接件、受理或不予受理，出具一次性告知书，登记容缺和告知承诺。")),
    RoleCard(
        Role.REVIEWER,
        _("对已受理的办件进行审查，提出审查意见；起草本部门事项的新增、变更和取消。"),
        (Link(_("事项管理"), ("catalog_staff:items",)),),
    ),
    RoleCard(
        Role.APPROVER,
        _("审核审查意见并作出准予或不予许可的决定；审批延期申请；维护本部门信息和事项清单。"),
        (
            Link(_("事项管理"), ("catalog_staff:items",)),
            Link(_("组织机构"), ("org:index", "/workbench/org/")),
        ),
    ),
    RoleCard(Role.CHIEF_REPRESENTATIVE, _("在授权范围内当场决定部门委托的事项。")),
    RoleCard(
        Role.HALL_MANAGER,
        _("管理大厅的服务场所、窗口和人员安排，查看大厅运行情况；审改办审核事项变更，维护“一件事”。"),
        (
            Link(_("事项变更审核"), ("catalog_staff:review_queue",)),
            Link(_("指南检查报告"), ("catalog_staff:report",)),
            Link(_("统计分析"), ("statistics:dashboard",)),
            Link(_("组织机构"), ("org:index", "/workbench/org/")),
            Link(_("审计日志"), ("audit:list", "audit:index", "/workbench/audit/")),
        ),
    ),
    RoleCard(
        Role.SUPERVISOR,
        _("按“两横两纵”范围监察办件时限和办理行为，发出预警、黄牌红牌和纠错通知。"),
        (
            Link(_("统计分析"), ("statistics:dashboard",)),
            Link(_("绩效评估"), ("supervision:assessment",)),
            Link(_("审计日志"), ("audit:list", "audit:index", "/workbench/audit/")),
            Link(_("组织机构"), ("org:index", "/workbench/org/")),
        ),
    ),
    RoleCard(Role.HOTLINE_AGENT, _("受理 12345 热线来电，直接答复或派发工单，开展回访。")),
    RoleCard(Role.UNIT_HANDLER, _("签收、办理和回复派给本单位的热线工单。")),
    RoleCard(Role.KNOWLEDGE_EDITOR, _("编写和维护知识库条目，提交审核后发布。")),
    RoleCard(Role.MARKET_OPERATOR, _("审核入驻中介超市的中介机构，组织选取并公示结果。")),
    RoleCard(
        Role.SYSADMIN,
        _("维护区划、部门、账号和角色等基础配置，查看审计日志。"),
        (
            Link(_("管理后台"), ("admin:index",)),
            Link(_("事项管理"), ("catalog_staff:items",)),
            Link(_("组织机构"), ("org:index", "/workbench/org/")),
            Link(_("审计日志"), ("audit:list", "audit:index", "/workbench/audit/")),
        ),
    ),
)


@dataclass(frozen=True)
class CardView:
    title: str
    duties: str
    links: list[NavItem]


def role_cards(actor: Actor) -> list[CardView]:
    """One card per role the actor holds, with links only to pages that exist."""
    cards = []
    for card in ROLE_CARDS:
        if card.role not in actor.roles:
            continue
        links = []
        for link in card.links:
            url = url_for(*link.candidates)
            if url is not None:
                links.append(NavItem(label=str(link.label), url=url, current=False))
        cards.append(CardView(title=str(card.role.label), duties=str(card.duties), links=links))
    return cards
