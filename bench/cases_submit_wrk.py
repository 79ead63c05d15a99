"""The load generator and the meters of bench/cases_submit.py.

- `run_wrk`: Debian's `wrk` (C, one thread, N connections) with bench/cases_submit.lua walks the list
  of drafts, each submitted once; it costs a small fraction of the CPU a Python client does, so the
  two cores go to the server. Latency percentiles come from wrk.
- `CpuMeter`: CPU time per process group from /proc (same machine): gunicorn master + workers, the
  task workers, the PostgreSQL backends of the benchmark database, PostgreSQL's shared processes
  (WAL writer, checkpointer, autovacuum …), the load generator, and the whole machine (other work
  running on it shows up as the difference).
- `BacklogMonitor`: every second, the task rows still waiting and the events not yet dispatched, so
  "do the workers keep up" is a measured curve, not a guess; `drain` waits until both are zero.
- `windows`: submits per 5-second window from the cases' own `submitted_at` (server-side clock).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cases_common import ROOT

TICK = os.sysconf("SC_CLK_TCK")


# --- wrk ----------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    codes: dict[int, int]
    elapsed: float
    latency_ms: dict[str, float]
    errors: int
    client_cpu_ms: float


def run_wrk(
    ids: list[int], *, port: int, connections: int, session: str, csrf: str, tag: str, var: Path
) -> WrkResult:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk), or use --client python")
    ids_file = var / f"bench-ids-{tag}.txt"
    ids_file.write_text("\n".join(str(pk) for pk in ids) + "\n")
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        "-d3600s",
        "--timeout",
        "60s",
        "-s",
        str(ROOT / "bench" / "cases_submit.lua"),
        f"http://127.0.0.1:{port}",
        "--",
        str(ids_file),
        session,
        csrf,
        tag,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wrk runs for its whole duration even when the script has stopped its thread: interrupt it
    # (it then prints its summary) as soon as the server has received every draft.
    while proc.poll() is None:
        if received(ids) >= len(ids):
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.2)
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, -signal.SIGINT):
        raise RuntimeError(f"wrk failed: {stderr or stdout}")
    values: dict[str, int] = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("-").isdigit():
            values[parts[0]] = int(parts[1])
    codes = {int(k.removeprefix("status_")): v for k, v in values.items() if k.startswith("status_")}
    latency = {
        k.removeprefix("latency_").removesuffix("_us"): v / 1000
        for k, v in values.items()
        if k.startswith("latency_")
    }
    client = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return WrkResult(
        codes=codes,
        elapsed=values.get("duration_us", int(elapsed * 1e6)) / 1e6,
        latency_ms=latency,
        errors=values.get("errors", 0),
        client_cpu_ms=client,
    )


def received(ids: list[int]) -> int:
    from zhengwu.cases.models import Case

    return Case.objects.filter(pk__in=ids, submitted_at__isnull=False).count()


# --- CPU per process group ----------------------------------------------------------------------


def _ticks(pid: int) -> tuple[int, int] | None:
    """(ppid, utime + stime) of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12])


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _machine_busy() -> tuple[int, int]:
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


@dataclass
class CpuMeter:
    """Snapshots of CPU ticks per group; `since(start)` gives CPU ms per group between them."""

    web_master: int
    task_workers: list[int]
    database: str
    ticks: dict[str, dict[int, int]] = field(default_factory=dict)
    machine: tuple[int, int] = (0, 0)

    def snapshot(self) -> CpuMeter:
        groups: dict[str, dict[int, int]] = {
            "web": {},
            "task workers": {},
            "postgres (benchmark db)": {},
            "postgres (shared)": {},
        }
        workers = set(self.task_workers)
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            got = _ticks(pid)
            if got is None:
                continue
            ppid, ticks = got
            if pid == self.web_master or ppid == self.web_master:
                groups["web"][pid] = ticks
            elif pid in workers:
                groups["task workers"][pid] = ticks
            else:
                command = _cmdline(pid)
                if not command.startswith("postgres"):
                    continue
                if f" {self.database} " in command:
                    groups["postgres (benchmark db)"][pid] = ticks
                elif command.startswith("postgres: ") and "main:" in command:
                    groups["postgres (shared)"][pid] = ticks
        return CpuMeter(self.web_master, self.task_workers, self.database, groups, _machine_busy())

    def update(self, previous: CpuMeter) -> CpuMeter:
        """A new snapshot that keeps the last ticks of processes gone since `previous` (a database
        connection reopened after CONN_MAX_AGE is a new backend: the old one's CPU still counts)."""
        now = self.snapshot()
        for group, pids in previous.ticks.items():
            for pid, ticks in pids.items():
                now.ticks[group].setdefault(pid, ticks)
        return now

    def since(self, start: CpuMeter) -> dict[str, float]:
        out: dict[str, float] = {}
        for group, now in self.ticks.items():
            before = start.ticks.get(group, {})
            out[group] = sum(t - before.get(pid, 0) for pid, t in now.items()) * 1000 / TICK
        busy = self.machine[0] - start.machine[0]
        out["machine (all processes)"] = busy * 1000 / TICK
        return out


# --- worker backlog -----------------------------------------------------------------------------


class BacklogMonitor:
    """Samples (seconds since start, task rows ready, events undispatched) once a second."""

    def __init__(self, meter: CpuMeter | None = None) -> None:
        self.samples: list[tuple[float, int, int]] = []
        self.meter = meter  # kept up to date once a second (see CpuMeter.update)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()

    def __enter__(self) -> BacklogMonitor:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.is_set():
                self.samples.append((time.perf_counter() - self._started, *backlog()))
                self.tick()
                self._stop.wait(1.0)
        finally:
            connection.close()

    def tick(self) -> CpuMeter | None:
        with self._lock:
            if self.meter is not None:
                self.meter = self.meter.update(self.meter)
            return self.meter


def backlog() -> tuple[int, int]:
    from django_tasks_db.models import DBTaskResult

    from zhengwu.core.events.models import Event

    ready = DBTaskResult.objects.filter(status="READY").count()
    undispatched = Event.objects.filter(dispatched_at__isnull=True).count()
    return ready, undispatched


def drain(timeout: float = 600.0) -> float | None:
    """Seconds until no task row waits and every event is dispatched (None: not within timeout)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if backlog() == (0, 0):
            return time.perf_counter() - started
        time.sleep(0.25)
    return None


# --- throughput from the server's clock ---------------------------------------------------------


def windows(ids: list[int], width: float = 5.0) -> tuple[float, list[float]]:
    """(submits per second from the first to the last receipt, rates of the full 5-second windows)."""
    from zhengwu.cases.models import Case

    stamps = sorted(
        t.timestamp()
        for t in Case.objects.filter(pk__in=ids, submitted_at__isnull=False).values_list(
            "submitted_at", flat=True
        )
    )
    if len(stamps) < 2:
        return 0.0, []
    first, last = stamps[0], stamps[-1]
    counts: dict[int, int] = {}
    for t in stamps:
        counts[int((t - first) // width)] = counts.get(int((t - first) // width), 0) + 1
    full = int((last - first) // width)
    rates = [counts.get(w, 0) / width for w in range(full)]
    return len(stamps) / (last - first), rates
