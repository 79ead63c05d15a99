import pytest

from zhengwu.org.demo import seed_demo


@pytest.fixture
def demo_org(db):
    """The demo city's regions, departments, halls and accounts (no catalogue)."""
    seed_demo()
