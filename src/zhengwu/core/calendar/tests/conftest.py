import pytest

from zhengwu.core.calendar import invalidate


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # A rolled-back test transaction sends no signal, so drop cached tables on both sides of a test.
    invalidate()
    yield
    invalidate()
