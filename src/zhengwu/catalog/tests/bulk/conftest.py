import pytest

from zhengwu.core.access.actor import actor_for

from ..factories import staff_user


@pytest.fixture
def admin_actor(demo_org):
    return actor_for(staff_user("admin"))
