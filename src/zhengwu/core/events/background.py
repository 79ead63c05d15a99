"""One background task per transaction: the events it emitted and the tasks it deferred.

A service that emits an event and sends an SMS used to leave two task rows behind it (one dispatch,
one delivery), each claimed, run and finished by the worker separately. Instead, everything a
transaction hands to the background travels together:

    emit(...)                                   # the event's dispatch joins the batch
    after_commit(deliver_notification, row.pk)  # so does any django-tasks task

After the transaction commits, the batch is enqueued as ONE task (`run_batch_task`): the worker
dispatches the events (core.events.services.dispatch_event), then runs the deferred tasks.
A rolled-back transaction (or savepoint) enqueues nothing of what it deferred. Nothing is lost if a
part fails: an undispatched event is picked up by the outbox sweep, a notification left queued by
its requeue job, and one failing part does not stop the others.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.module_loading import import_string
from django_tasks.base import Task

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Batch:
    events: list[str] = field(default_factory=list)
    jobs: list[tuple[str, list[Any]]] = field(default_factory=list)
    done: bool = False
    key: Any = None  # _transaction_key() when the batch was opened

    def flush(self) -> None:
        """On commit: enqueue the batch as one task (if that fails, the sweeps catch up)."""
        self.done = True
        if not (self.events or self.jobs):
            return
        from .tasks import run_batch_task

        try:
            run_batch_task.enqueue([*self.events], [[path, args] for path, args in self.jobs])
        except Exception:
            logger.exception("Could not enqueue the background batch %s; the sweeps will retry", self)


# The open batch of each connection (connections are per thread); weak, so a closed thread's goes too.
_open: weakref.WeakKeyDictionary[Any, Batch] = weakref.WeakKeyDictionary()


def _transaction_key(connection: Any) -> Any:
    """Which transaction the work belongs to: None for the outermost block's own transaction.

    Under a test case the outermost atomic blocks are the test's, never committed; a block opened
    inside them stands for a transaction of its own (as it would be outside the test), so its work
    must not join a batch left open by an earlier one (a fixture's service call, say): that batch's
    flush was registered before the test began to capture on-commit callbacks and would never run.
    """
    blocks = connection.atomic_blocks
    depth = sum(1 for block in blocks if getattr(block, "_from_testcase", False))
    if depth == 0 or depth >= len(blocks):
        return None
    return connection.savepoint_ids[depth - 1]


def _current_batch(using: str = DEFAULT_DB_ALIAS) -> tuple[Batch, bool]:
    """The batch of the transaction in progress (created if needed) and whether it is new.

    A batch belongs to the transaction whose on-commit list holds its flush: after a commit it is
    done, after a rollback (of the transaction, or of the savepoint it was created in) its flush is
    gone from the list, and the next caller starts a fresh one.
    """
    connection = connections[using]
    batch = _open.get(connection)
    key = _transaction_key(connection) if connection.in_atomic_block else None
    if (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and batch.key == key
        and any(entry[1] == batch.flush for entry in connection.run_on_commit)
    ):
        return batch, False
    batch = Batch(key=key)
    _open[connection] = batch
    return batch, True


def _join(add: Any) -> None:
    batch, new = _current_batch()
    add(batch)
    if new:
        # Outside a transaction on_commit runs the flush at once, so the batch is filled first.
        transaction.on_commit(batch.flush)


def dispatch_after_commit(event_id: Any) -> None:
    """The event's dispatch runs in the background once the current transaction commits."""
    _join(lambda batch: batch.events.append(str(event_id)))


def after_commit(task: Task[Any, Any], *args: Any) -> None:
    """Run a django-tasks `task(*args)` in the background once the current transaction commits,
    in the same task row as the rest of the transaction's background work. Arguments must be JSON."""
    path = task.module_path
    _join(lambda batch: batch.jobs.append((path, list(args))))


# task path → a function taking the argument lists of many deferred calls of that task at once.
_runners: dict[str, Callable[[list[list[Any]]], None]] = {}


def run_together(task: Task[Any, Any], runner: Callable[[list[list[Any]]], None]) -> None:
    """Let the worker run the deferred calls of `task` it has at hand as one `runner(argument lists)`
    call (one claim for many notifications, say). If the runner raises, each call runs alone, so
    it must be as safe to repeat as the task itself."""
    _runners[task.module_path] = runner


def run_batch(event_ids: list[str], jobs: list[list[Any]]) -> int:
    """The worker's side: dispatch the events, then run the deferred tasks. Returns the parts done."""
    return run_batches([(event_ids, jobs)])[0]


def run_batches(batches: list[tuple[list[str], list[list[Any]]]]) -> list[int]:
    """Several batches at once (the tasks the worker has at hand): all their events are dispatched
    together (core.events.services.dispatch_events: one transaction, a batch handler called once),
    then the deferred tasks (the calls of one task together, see run_together). Returns the parts
    done per batch."""
    from .services import dispatch_event, dispatch_events

    event_ids = [event_id for ids, _jobs in batches for event_id in ids]
    dispatched: set[str] = set()
    try:
        dispatch_events(event_ids)
        dispatched.update(event_ids)
    except Exception:
        logger.exception("Dispatch of %s events failed; dispatching them one by one", len(event_ids))
        for event_id in event_ids:
            try:
                dispatch_event(event_id)
                dispatched.add(event_id)
            except Exception:
                logger.exception("Dispatch of event %s failed; the outbox sweep will retry", event_id)
    done = [sum(1 for event_id in ids if event_id in dispatched) for ids, _jobs in batches]
    calls: dict[str, list[tuple[int, list[Any]]]] = {}
    for index, (_ids, jobs) in enumerate(batches):
        for path, args in jobs:
            calls.setdefault(path, []).append((index, args))
    for path, path_calls in calls.items():
        for index in _run_calls(path, path_calls):
            done[index] += 1
    return done


def _run_calls(path: str, calls: list[tuple[int, list[Any]]]) -> list[int]:
    """Run the deferred calls of one task (together when it has a runner); the batch index of each
    call that succeeded."""
    try:
        task = import_string(path)  # importing the task's module registers its runner
        if not isinstance(task, Task):
            raise TypeError(f"{path} is not a task")
    except Exception:
        logger.exception("Deferred task %s cannot be run (%s calls)", path, len(calls))
        return []
    runner = _runners.get(path)
    if runner is not None and len(calls) > 1:
        try:
            runner([args for _index, args in calls])
            return [index for index, _args in calls]
        except Exception:
            logger.exception(
                "Deferred task %s failed for %s calls together; running them alone", path, len(calls)
            )
    succeeded = []
    for index, args in calls:
        try:
            task.call(*args)
            succeeded.append(index)
        except Exception:
            logger.exception("Deferred task %s%r failed", path, tuple(args))
    return succeeded
