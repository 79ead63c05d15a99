"""`manage.py worker`: the one background process of a Zhengwu installation.

It runs the django-tasks-db queue and, every few seconds, the outbox sweep (undispatched events,
retries that are due) and a heartbeat that /healthz reports. SIGINT/SIGTERM finish the current
task and exit; a second signal exits at once.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading
import time
from argparse import ArgumentParser
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, OperationalError, close_old_connections, connection, connections
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from zhengwu.core.events import background, periodic, services
from zhengwu.core.events.tasks import run_batch_task

logger = logging.getLogger("zhengwu.worker")


def refresh_connections() -> None:
    """Drop broken or expired connections between iterations, as Django does between requests.

    Never inside an atomic block: a test's transaction (or a caller's) would be closed under it.
    """
    if not connection.in_atomic_block:
        close_old_connections()


# Tasks claimed in one go: a backlog is worked off in batches, whose events are dispatched together.
CLAIM_TASKS = 20
RUN_BATCH_TASK = f"{run_batch_task.func.__module__}.{run_batch_task.func.__qualname__}"


class QueueWorker(Worker):
    """django-tasks-db's worker, driven one claim at a time so our loop can interleave the sweep."""

    @classmethod
    def make(
        cls,
        *,
        worker_id: str,
        backend: str = DEFAULT_TASK_BACKEND_ALIAS,
        queues: str = "*",
        interval: float = 0,
    ) -> QueueWorker:
        return cls(
            queue_names=queues.split(","),
            interval=interval,
            batch=False,
            backend_name=backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

    def run_one(self) -> int:
        """Claim up to CLAIM_TASKS ready tasks and run them; how many ran.

        The claimed `run_batch_task`s (what transactions handed to the background) run together:
        their events are dispatched in one go (core.events.background.run_batches), so a backlog
        costs fewer statements per event the longer it is. Other tasks run one by one as
        django-tasks-db runs them.
        """
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                _custom_plan(tasks.db)
                claimed = list(tasks.select_for_update(skip_locked=True)[:CLAIM_TASKS])
                if claimed:
                    now = timezone.now()
                    DBTaskResult.objects.filter(pk__in=[t.pk for t in claimed]).update(
                        status=TaskResultStatus.RUNNING, started_at=now, worker_ids=[self.worker_id]
                    )
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return 0
            raise
        together = {
            t.pk: (t, args)
            for t in claimed
            if t.task_path == RUN_BATCH_TASK and (args := _batch_args(t)) is not None
        }
        if together:
            self._run_together(list(together.values()))
        for task_result in claimed:
            if task_result.pk not in together:
                self.run_task(task_result)
        return len(claimed)

    def _run_together(self, claimed: list[tuple[DBTaskResult, tuple[list[str], list[list[Any]]]]]) -> None:
        try:
            counts = background.run_batches([args for _task, args in claimed])
        except Exception as exc:  # run_batches logs its parts' failures itself: this is the database
            logger.exception("Background batches failed; the outbox sweep will catch up")
            for task_result, _args in claimed:
                task_result.set_failed(exc)
            return
        now = timezone.now()
        by_count: dict[int, list[Any]] = {}
        for (task_result, _args), count in zip(claimed, counts, strict=True):
            by_count.setdefault(count, []).append(task_result.pk)
        for count, ids in by_count.items():
            DBTaskResult.objects.filter(pk__in=ids).update(
                status=TaskResultStatus.SUCCESSFUL,
                finished_at=now,
                return_value=count,
                exception_class_path="",
                traceback="",
            )

    def prune(self, *, days: int) -> int:
        """Forget finished task results after `days`: every event leaves one, the outbox keeps the record."""
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = (
            DBTaskResult.objects.finished()
            .filter(backend_name=self.backend_name, finished_at__lt=cutoff)
            .delete()
        )
        return deleted


def _custom_plan(alias: str) -> None:
    """Plan the claim for its actual values (PostgreSQL; this transaction only).

    django-tasks-db's claim filters `status = %s`. With prepared statements (`server_side_binding`,
    docs/operations.md) PostgreSQL soon switches to a generic plan, which cannot use the partial
    index on READY rows and scans every task result still kept (14 days): 5.7 ms at 26,000 rows,
    and it grows with the table. Planned for 'READY', the claim uses the index.
    """
    conn = connections[alias]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")


def _batch_args(task_result: DBTaskResult) -> tuple[list[str], list[list[Any]]] | None:
    """The (event ids, jobs) of a claimed run_batch_task, or None when they are not as Batch.flush
    writes them (the task then runs the ordinary way)."""
    stored = task_result.args_kwargs or {}
    args = stored.get("args") or []
    if stored.get("kwargs") or len(args) != 2 or not all(isinstance(a, list) for a in args):
        return None
    return args[0], args[1]


class Command(BaseCommand):
    help = "Run the background worker: task queue, outbox sweep and heartbeat."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name", default="*", help="Queues to process, comma-separated; * for all."
        )
        parser.add_argument("--backend", default=DEFAULT_TASK_BACKEND_ALIAS, help="Task backend alias.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when idle.")
        parser.add_argument(
            "--linger",
            type=float,
            default=0.2,
            help="Seconds to wait after a claim that found fewer tasks than it could take, so that "
            "under load tasks are claimed (and their events dispatched) in batches.",
        )
        parser.add_argument(
            "--sweep-every", type=float, default=5.0, help="Seconds between sweeps/heartbeats."
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: host:pid).")
        parser.add_argument("--max-loops", type=int, default=None, help="Stop after N loops (tests).")
        parser.add_argument(
            "--once", action="store_true", help="One loop: a task if any, a sweep, a heartbeat."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hostname = socket.gethostname()
        self.worker_id = (options["worker_id"] or f"{hostname}:{os.getpid()}")[:64]
        self.hostname = hostname
        self.stopping = False
        self.wake = threading.Event()
        max_loops = 1 if options["once"] else options["max_loops"]
        if max_loops is not None and max_loops < 1:
            raise CommandError("--max-loops must be at least 1")

        backend = task_backends[options["backend"]]
        queue: QueueWorker | None = None
        if isinstance(backend, DatabaseBackend):
            queue = QueueWorker.make(
                worker_id=self.worker_id,
                backend=options["backend"],
                queues=options["queue_name"],
                interval=options["interval"],
            )
        else:
            logger.warning(
                "Task backend %r is not a database backend: running sweep only", options["backend"]
            )

        self._install_signals()
        if max_loops is None:
            gc.freeze()  # what start-up loaded never becomes garbage: keep full collections off it
        logger.info("Worker %s started", self.worker_id)
        try:
            self._loop(
                queue,
                max_loops=max_loops,
                interval=options["interval"],
                linger=options["linger"],
                sweep_every=options["sweep_every"],
            )
        finally:
            self._restore_signals()
            try:
                refresh_connections()
                services.worker_stopped(worker_id=self.worker_id)
            except DatabaseError:
                logger.exception("Could not remove the heartbeat of %s", self.worker_id)
            logger.info("Worker %s stopped", self.worker_id)

    def _loop(
        self,
        queue: QueueWorker | None,
        *,
        max_loops: int | None,
        interval: float,
        linger: float,
        sweep_every: float,
    ) -> None:
        loops = 0
        last_sweep = last_prune = float("-inf")
        keep_days = int(getattr(settings, "EVENTS_TASK_RESULT_DAYS", 14))
        while not self.stopping:
            refresh_connections()
            ran = 0
            try:
                if queue is not None:
                    ran = queue.run_one()
                if time.monotonic() - last_sweep >= sweep_every:
                    last_sweep = time.monotonic()
                    services.worker_heartbeat(
                        worker_id=self.worker_id, hostname=self.hostname, pid=os.getpid()
                    )
                    result = services.outbox_sweep()
                    if result.dispatched or result.retried:
                        logger.info(
                            "Outbox sweep: %s dispatched, %s retried", result.dispatched, result.retried
                        )
                    periodic.run_due()
                if queue is not None and time.monotonic() - last_prune >= 3600:
                    last_prune = time.monotonic()
                    queue.prune(days=keep_days)
            except DatabaseError:
                # A database restart must not kill the worker: wait, reconnect, go on.
                logger.exception("Worker loop: database error; retrying")
                refresh_connections()
            loops += 1
            if max_loops is not None and loops >= max_loops:
                return
            if not ran:
                self.wake.wait(interval)
            elif ran < CLAIM_TASKS and linger > 0:
                # A partial claim: let the next tasks gather rather than claim them one by one.
                self.wake.wait(linger)

    def _install_signals(self) -> None:
        self._previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread (e.g. call_command in a thread)
        for sig in self._previous:
            signal.signal(sig, self._shutdown)

    def _restore_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)

    def _shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            logger.warning("Second %s: exiting now", signal.strsignal(signum))
            raise SystemExit(1)
        logger.warning("%s: finishing the current task, then stopping", signal.strsignal(signum))
        self.stopping = True
        self.wake.set()
