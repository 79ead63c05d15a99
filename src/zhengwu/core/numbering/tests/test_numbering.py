from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from zhengwu.core.numbering.models import Counter
from zhengwu.core.numbering.services import NumbersUsedUp, format_number, next_number

DAY = dt.date(2025, 9, 26)


@pytest.mark.django_db
class TestNextNumber:
    def test_sequential_per_key_and_day(self):
        assert [next_number(key="case", day=DAY) for _ in range(3)] == [1, 2, 3]
        assert next_number(key="case", day=DAY + dt.timedelta(days=1)) == 1  # a new day starts again
        assert next_number(key="ticket", day=DAY) == 1  # keys are independent
        assert next_number(key="case", day=DAY) == 4
        assert Counter.objects.get(key="case", day=DAY).value == 4

    def test_rolled_back_caller_gives_its_number_back(self):
        assert next_number(key="case", day=DAY) == 1
        with pytest.raises(RuntimeError), transaction.atomic():
            assert next_number(key="case", day=DAY) == 2
            raise RuntimeError("the case was not created")
        assert next_number(key="case", day=DAY) == 2

    def test_other_databases_lock_the_row_then_update(self):
        from zhengwu.core.numbering.services import _select_then_update

        assert [_select_then_update("case", DAY) for _ in range(2)] == [1, 2]
        assert next_number(key="case", day=DAY) == 3  # the same row as the one-statement path
        assert _select_then_update("case", DAY) == 4

    def test_first_use_race_retries_after_unique_violation(self, monkeypatch):
        """Other databases lose the first-use race: the row was not there when we looked, but is
        when we insert. (PostgreSQL and SQLite create or increment in one statement.)"""
        from zhengwu.core.numbering import services

        real = Counter.objects
        real.create(key="case", day=DAY, value=5)  # the winner's row
        calls = {"filter": 0, "create": 0}

        class Racing:
            def select_for_update(self):
                return self

            def filter(self, **kwargs):
                calls["filter"] += 1
                if calls["filter"] == 1:
                    return real.none()  # looked before the winner committed
                return real.select_for_update().filter(**kwargs)

            def create(self, **kwargs):
                calls["create"] += 1
                return real.create(**kwargs)  # violates the unique constraint

        monkeypatch.setattr(services.Counter, "objects", Racing())
        assert services._select_then_update("case", DAY) == 6
        assert calls == {"filter": 2, "create": 1}

    def test_bad_arguments(self):
        with pytest.raises(TypeError):
            next_number(key="case", day=dt.datetime(2025, 9, 26, 10, 0, tzinfo=dt.UTC))  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="序列名"):
            next_number(key="", day=DAY)


def test_format_number():
    assert format_number("11440600MB2C1234567100001", DAY, 7) == "11440600MB2C1234567100001202509260007"
    assert format_number("T", DAY, 123, width=6) == "T20250926000123"
    assert format_number("X", DAY, 9999) == "X202509269999"
    with pytest.raises(NumbersUsedUp, match="超出 4 位"):
        format_number("X", DAY, 10000)
    with pytest.raises(ValueError):
        format_number("X", DAY, 0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.parametrize("existing", [False, True], ids=["first-use-race", "existing-row"])
def test_parallel_calls_give_distinct_consecutive_numbers(existing):
    if existing:
        Counter.objects.create(key="case", day=DAY, value=100)
    n = 16
    barrier = threading.Barrier(n)
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                number = next_number(key="case", day=DAY)
            with lock:
                results.append(number)
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    start = 101 if existing else 1
    assert sorted(results) == list(range(start, start + n))
