from zhengwu.core.access.actor import ANONYMOUS
from zhengwu.web.navigation import PORTAL_LINKS, nav_items


def current_labels(path: str) -> list[str]:
    return [i.label for i in nav_items(PORTAL_LINKS, actor=ANONYMOUS, current_path=path) if i.current]


def test_home_is_current_only_on_itself():
    assert current_labels("/") == ["首页"]
    assert "首页" not in current_labels("/services/search/")


def test_a_section_stays_current_on_its_sub_pages():
    assert current_labels("/services/") == ["办事指南"]
    assert current_labels("/services/search/") == ["办事指南"]
    assert current_labels("/services/items/1/") == ["办事指南"]


def test_every_link_leads_somewhere():
    """A link whose URL names do not resolve is hidden silently; so every one must resolve."""
    from zhengwu.core.access.actor import Actor
    from zhengwu.core.access.roles import Role
    from zhengwu.web.navigation import WORKBENCH_LINKS

    citizen = Actor(user_id=1, roles=frozenset({Role.APPLICANT}))
    assert [i.label for i in nav_items(PORTAL_LINKS, actor=citizen, current_path="/")] == [
        "首页",
        "办事指南",
        "我的办件",
        "我的消息",
        "服务网点",
    ]
    admin = Actor(user_id=2, roles=frozenset({Role.SYSADMIN}))
    assert len(nav_items(WORKBENCH_LINKS, actor=admin, current_path="/")) == len(WORKBENCH_LINKS)
