"""Submitting applications (收件): ≥ 100 submits per second sustained, two worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_submit_bench .venv/bin/python bench/cases_submit.py
    … --worker-class gthread --threads 4          # gunicorn's threaded workers (docs/operations.md)
    .venv/bin/python bench/cases_submit.py --historical 100000 --open 5000 --submits 1000   # SQLite

Method (`--mode http`, the default):
1. Set-up, not timed: `--warmup` + `--submits` drafts of the demo applicant 林示范, spread over the
   demo items with the same Zipf-like weights as generate_cases_load (a few items take most
   submissions, so the per-item daily number counter is contended as in a real hall). Each draft is
   made by the intake service (form filled); its required materials point at one stored PDF (bulk
   rows: uploading is not what is measured here).
2. A real server: gunicorn with `--web-workers` (default 2) processes of `--worker-class` (sync, or
   gthread with `--threads`) on 127.0.0.1, plus `--background-workers` (default 2)
   `manage.py worker` processes running the task queue (one task per submit: the receipt event's
   dispatch to supervision and the SMS) and the outbox sweep — all on this machine, next to the
   database and to the load generator.
3. The load generator (`--client wrk`, the default): Debian's `wrk`, one C thread with
   `--connections` (default 8) connections, bench/cases_submit.lua: every draft is submitted once
   through the applicant's REST endpoint POST /api/v1/cases/mine/<id>/submit/ (the same
   `case_submit` service the portal page calls) with the session cookie, CSRF token and an
   Idempotency-Key. First `--warmup` drafts (not counted; the workers then drain), then the
   measured `--submits`. `--client python` is the old client (threads of `requests`), kept for
   comparison: it takes much of the CPU the server needs.
4. Reported: submits per second (wrk's run time, and the server's first-to-last receipt), the
   slowest and median 5-second window from the cases' `submitted_at`, latency p50/p95/p99 (wrk),
   the worker backlog (task rows ready, events undispatched) sampled every second — its peak, what
   is left when the load stops and how long the workers take to drain it —, the CPU time per
   submit of each process group (web, task workers, PostgreSQL, the client, the whole machine; from
   /proc), and the check that every draft got exactly one number, one receipt event (dispatched)
   and one SMS sent (0 duplicates). The verdict is the rate over the whole measured run (tens of
   seconds of continuous load); until 2026-12-06 it was the slowest 5-second window, which still
   is printed.

`--mode service`: the same drafts submitted by two processes calling `case_submit` directly
(no HTTP), for the cost of the transaction alone.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from cases_common import ROOT, arguments, ensure_volume, percentiles, setup_django

TARGET = 100.0
PERSON = "13800000001"


def ready_drafts(count: int, seed: int = 11) -> list[int]:
    """`count` drafts of 林示范, every required field and material present (see the module doc)."""
    from django.contrib.auth import get_user_model

    from zhengwu.cases.models import CaseFile, CaseMaterial, MaterialState
    from zhengwu.cases.services.intake import case_draft_create
    from zhengwu.catalog.selectors.for_cases import effective_versions
    from zhengwu.catalog.selectors.public import public_items
    from zhengwu.core.access.actor import actor_for
    from zhengwu.core.files.services import file_store
    from zhengwu.core.files.tests.samples import pdf_bytes

    user = get_user_model().objects.get(username=PERSON)
    actor = actor_for(user)
    versions = list(effective_versions(list(public_items().values_list("pk", flat=True))).values())
    versions = [v for v in versions if {"online", "mobile"} & set(v.channels or ["online"])]
    versions.sort(key=lambda v: v.item_id)
    rnd = random.Random(seed)
    ranks = list(range(len(versions)))
    rnd.shuffle(ranks)
    weights = [1 / (r + 1) ** 0.9 for r in ranks]
    from django.core.files.uploadedfile import SimpleUploadedFile

    stored = file_store(
        actor=actor,
        upload=SimpleUploadedFile("材料.pdf", pdf_bytes("bench"), content_type="application/pdf"),
        purpose="case_material",
        owner_user_id=user.pk,
    )
    chosen = [rnd.choices(versions, weights=weights)[0] for _n in range(count)]
    numbers_left_today(chosen)
    ids: list[int] = []
    started = time.perf_counter()
    for version in chosen:
        case = case_draft_create(
            actor=actor, item_id=version.item_id, channel="online", form_data=form_for(version)
        )
        ids.append(case.pk)
    materials = list(CaseMaterial.objects.filter(case_id__in=ids, required=True))
    CaseFile.objects.bulk_create(
        [
            CaseFile(material=m, file_id=stored.pk, original_name=f"{m.name}.pdf", uploaded_by_id=user.pk)
            for m in materials
        ],
        batch_size=2000,
    )
    CaseMaterial.objects.filter(pk__in=[m.pk for m in materials]).update(state=MaterialState.SUBMITTED)
    print(
        f"set-up: {count:,} drafts over {len(versions)} items in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return ids


def numbers_left_today(chosen: list[Any]) -> None:
    """Stop early when an item would run out of today's case numbers (9,999 per item and day,
    DOMAIN §3): every run submits today, and the top item takes about a quarter of them, so after
    a dozen runs on one day the server would rightly refuse the rest (409)."""
    from collections import Counter as Tally

    from zhengwu.cases.services._base import today
    from zhengwu.core.numbering.models import Counter

    planned = Tally(f"cases:{version.item.implementation_code}" for version in chosen)
    used = dict(Counter.objects.filter(key__in=planned, day=today()).values_list("key", "value"))
    over = [
        f"{key} ({used[key]:,} used + {n:,})" for key, n in planned.items() if used.get(key, 0) + n > 9999
    ]
    if over:
        raise SystemExit(
            "today's case numbers would run out for "
            + ", ".join(over)
            + ": use a fresh database (createdb) or run tomorrow"
        )


def form_for(version: Any) -> dict[str, Any]:
    from zhengwu.org.demo import org_uscc

    values: dict[str, Any] = {}
    for f in version.form_fields.all():
        kind = f.field_type
        if kind in ("choice",) and f.choices:
            values[f.key] = f.choices[0]
        elif kind == "multi_choice" and f.choices:
            values[f.key] = [f.choices[0]]
        elif kind == "number":
            values[f.key] = 10
        elif kind == "boolean":
            values[f.key] = True
        elif kind == "date":
            values[f.key] = "2026-01-05"
        elif kind == "phone":
            values[f.key] = PERSON
        elif kind == "uscc":
            values[f.key] = org_uscc("449900000000", 4242)
        elif kind in ("text", "textarea", "address") and f.required:
            values[f.key] = "林示范"
    return values


def dry_run(ids: list[int]) -> list[int]:
    """Submit one draft per item through the service first; drop items whose form the filler cannot
    satisfy (a rule it does not know). Returns the drafts left to submit."""
    from django.core.exceptions import ValidationError

    from zhengwu.cases.models import Case
    from zhengwu.cases.services.intake import case_submit
    from zhengwu.core.access.actor import actor_for

    actor = actor_for(Case.objects.get(pk=ids[0]).applicant_user)
    by_item: dict[int, list[int]] = {}
    for pk, item_id in Case.objects.filter(pk__in=ids).values_list("pk", "item_id"):
        by_item.setdefault(item_id, []).append(pk)
    keep: list[int] = []
    for item_id, pks in by_item.items():
        try:
            case_submit(actor=actor, case_id=pks[0])
        except ValidationError as exc:
            print(f"  item {item_id} left out ({len(pks)} drafts): {exc.message_dict}", flush=True)
            continue
        keep += pks[1:]
    return keep


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_processes(
    port: int,
    web_workers: int,
    background: int = 2,
    worker_class: str = "sync",
    threads: int = 1,
    worker_nice: int = 0,
) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING"}
    python = str(ROOT / ".venv/bin/python")
    log = Path(os.environ["ZHENGWU_VAR_DIR"]) / "bench-server.log"
    out = log.open("ab")
    gunicorn = [
        str(ROOT / ".venv/bin/gunicorn"),
        "zhengwu.wsgi:application",
        "--pythonpath",
        str(ROOT / "src"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(web_workers),
        "--worker-class",
        worker_class,
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        gunicorn += ["--threads", str(threads)]
    procs = [subprocess.Popen(gunicorn, env=env, stdout=out, stderr=out, start_new_session=True)]
    for _n in range(background):
        procs.append(
            subprocess.Popen(
                [
                    *(["nice", "-n", str(worker_nice)] if worker_nice else []),
                    python,
                    str(ROOT / "manage.py"),
                    "worker",
                ],
                env=env,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        )
    import requests

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code < 500:
                return procs
        except requests.RequestException:
            time.sleep(0.5)
    stop_processes(procs)
    raise RuntimeError(f"the server did not start (see {log})")


def stop_processes(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def session_cookies() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=PERSON))
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        "csrftoken": _get_new_csrf_string(),
    }


def run_http(ids: list[int], port: int, clients: int) -> tuple[list[tuple[float, float, int]], float]:
    import requests

    cookies = session_cookies()
    work: queue.Queue[int] = queue.Queue()
    for pk in ids:
        work.put(pk)
    results: list[tuple[float, float, int]] = []  # (finished at, latency ms, status)
    lock = threading.Lock()

    def client_loop() -> None:
        session = requests.Session()
        session.cookies.update(cookies)
        headers = {"X-CSRFToken": cookies["csrftoken"], "Referer": f"http://127.0.0.1:{port}/"}
        while True:
            try:
                pk = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            response = session.post(
                f"http://127.0.0.1:{port}/api/v1/cases/mine/{pk}/submit/",
                headers={**headers, "Idempotency-Key": f"bench-{pk}-{uuid.uuid4().hex[:8]}"},
                timeout=60,
            )
            done = time.perf_counter()
            with lock:
                results.append((done, (done - started) * 1000, response.status_code))

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [(at - started, ms, code) for at, ms, code in results], time.perf_counter() - started


def _service_worker(ids: list[int], out: Any) -> None:
    setup_django_child()
    from django.contrib.auth import get_user_model

    from zhengwu.cases.services.intake import case_submit
    from zhengwu.core.access.actor import actor_for

    actor = actor_for(get_user_model().objects.get(username=PERSON))
    rows = []
    t0 = time.perf_counter()
    for pk in ids:
        started = time.perf_counter()
        case_submit(actor=actor, case_id=pk)
        rows.append((time.perf_counter() - t0, (time.perf_counter() - started) * 1000, 200))
    out.put(rows)


def setup_django_child() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def run_service(ids: list[int]) -> tuple[list[tuple[float, float, int]], float]:
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    halves = [ids[0::2], ids[1::2]]
    started = time.perf_counter()
    procs = [ctx.Process(target=_service_worker, args=(h, out)) for h in halves]
    for p in procs:
        p.start()
    rows = [r for _p in procs for r in out.get()]
    for p in procs:
        p.join()
    return rows, time.perf_counter() - started


def report(rows: list[tuple[float, float, int]], elapsed: float) -> float:
    ok = [r for r in rows if r[2] == 200]
    rate = len(ok) / elapsed
    windows: dict[int, int] = {}
    for at, _ms, _code in ok:
        windows[int(at // 5)] = windows.get(int(at // 5), 0) + 1
    full = [n / 5 for w, n in windows.items() if (w + 1) * 5 <= elapsed]
    p50, p95, worst = percentiles([ms for _a, ms, _c in ok])
    codes: dict[int, int] = {}
    for _a, _ms, code in rows:
        codes[code] = codes.get(code, 0) + 1
    print(f"submits: {len(ok):,} ok of {len(rows):,} in {elapsed:.1f} s → {rate:.1f} /s; answers {codes}")
    if full:
        median = sorted(full)[len(full) // 2]
        print(f"5-second windows: min {min(full):.1f} /s, median {median:.1f} /s, max {max(full):.1f} /s")
    print(f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")
    return rate


def check(ids: list[int]) -> bool:
    """Every draft: one number, one receipt event (dispatched), one SMS sent; no duplicates."""
    from django.db.models import Count, Min

    from zhengwu.cases.models import Case, CaseStatus
    from zhengwu.core.events.models import Event
    from zhengwu.core.notify.models import Notification

    submitted = Case.objects.filter(pk__in=ids, status=CaseStatus.SUBMITTED)
    numbers = submitted.values("number").annotate(n=Count("id")).filter(n__gt=1).count()
    events = Event.objects.filter(type="cases.case_received", aggregate_id__in=[str(i) for i in ids])
    per_case = events.values("aggregate_id").annotate(n=Count("id")).filter(n__gt=1).count()
    dispatched = events.filter(dispatched_at__isnull=False).count()
    numbered = dict(submitted.values_list("pk", "number"))
    wanted = set(numbered.values())
    sms_seen: dict[str, int] = {}
    sent = 0
    since = submitted.aggregate(first=Min("submitted_at"))["first"]
    rows = Notification.objects.filter(channel="sms", template="cases.received", created_at__gte=since)
    for body, status in rows.values_list("body", "status"):
        found = re.search(r"办件编号([0-9A-Za-z]+)", body)
        if found and found.group(1) in wanted:
            sms_seen[found.group(1)] = sms_seen.get(found.group(1), 0) + 1
            sent += status == "sent"
    sms_total = sum(sms_seen.values())
    print(
        f"check: {len(numbered):,}/{len(ids):,} submitted, {numbers} duplicated numbers, "
        f"{events.count():,} receipt events ({per_case} cases with more than one; "
        f"{dispatched:,} dispatched), {sms_total:,} receipt SMS for {len(sms_seen):,} cases ({sent:,} sent)"
    )
    return (
        len(numbered) == len(ids)
        and numbers == 0
        and per_case == 0
        and events.count() == len(ids) == dispatched
        and sms_total == len(sms_seen) == len(ids) == sent
    )


def run_wrk_mode(ids: list[int], warm: list[int], args: Any) -> tuple[float, bool]:
    """Warm-up, then the measured run with wrk; prints the report; returns (rate over the run, check)."""
    import cases_submit_wrk as w
    from django.db import connection
    from django.db import connections as db_connections

    port = free_port()
    procs = start_processes(
        port, args.web_workers, args.background_workers, args.worker_class, args.threads, args.worker_nice
    )
    var = Path(os.environ["ZHENGWU_VAR_DIR"])
    cookies = session_cookies()
    session, csrf = cookies["sessionid"], cookies["csrftoken"]
    tag = uuid.uuid4().hex[:8]
    database = str(connection.settings_dict["NAME"])
    db_connections.close_all()
    threads = f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    nice = f" (nice {args.worker_nice})" if args.worker_nice else ""
    print(
        f"server: gunicorn {args.web_workers} {args.worker_class} workers{threads} on 127.0.0.1:{port} "
        f"+ {args.background_workers} × manage.py worker{nice}; client wrk, {args.connections} connections",
        flush=True,
    )
    try:
        if warm:
            w.run_wrk(
                warm,
                port=port,
                connections=args.connections,
                session=session,
                csrf=csrf,
                tag=f"{tag}w",
                var=var,
            )
            w.drain()
            print(f"warm-up: {len(warm)} submits, workers drained", flush=True)
        start = w.CpuMeter(procs[0].pid, [p.pid for p in procs[1:]], database).snapshot()
        with w.BacklogMonitor(start) as monitor:
            result = w.run_wrk(
                ids, port=port, connections=args.connections, session=session, csrf=csrf, tag=tag, var=var
            )
            at_stop = monitor.tick()
            left = w.backlog()
            drained = w.drain()
            after = monitor.tick()
        assert at_stop is not None and after is not None
    finally:
        stop_processes(procs)
    ok = result.codes.get(200, 0)
    rate_db, rates = w.windows(ids)
    print(
        f"submits: {ok:,} answered 200 of {len(ids):,} drafts in {result.elapsed:.1f} s → "
        f"{ok / result.elapsed:.1f} /s (server clock, first to last receipt: {rate_db:.1f} /s); "
        f"answers {dict(sorted(result.codes.items()))}, socket errors {result.errors}"
    )
    if rates:
        print(
            f"5-second windows ({len(rates)}): slowest {min(rates):.1f} /s, "
            f"median {sorted(rates)[len(rates) // 2]:.1f} /s, fastest {max(rates):.1f} /s"
        )
    lat = result.latency_ms
    print(
        f"latency (wrk): p50 {lat.get('p50', 0):.1f} ms, p90 {lat.get('p90', 0):.1f} ms, "
        f"p95 {lat.get('p95', 0):.1f} ms, p99 {lat.get('p99', 0):.1f} ms, max {lat.get('max', 0):.1f} ms"
    )
    peak_tasks = max((s[1] for s in monitor.samples), default=0)
    peak_events = max((s[2] for s in monitor.samples), default=0)
    drain_text = f"drained {drained:.1f} s after the load stopped" if drained is not None else "NOT drained"
    print(
        f"worker backlog: peak {peak_tasks} task rows / {peak_events} undispatched events; "
        f"when the load stopped {left[0]} / {left[1]}; {drain_text}"
    )
    during = at_stop.since(start)
    total = after.since(start)
    n = max(ok, 1)
    print(f"CPU per submit (ms; web and client during the run, the rest until drained), {n:,} submits:")
    rows = [
        ("web (gunicorn)", during["web"]),
        ("task workers", total["task workers"]),
        ("postgres, benchmark db backends", total["postgres (benchmark db)"]),
        ("postgres, shared processes", total["postgres (shared)"]),
        ("client (wrk)", result.client_cpu_ms),
    ]
    for name, ms in rows:
        print(f"  {name:<34} {ms / n:6.1f}")
    ours = sum(ms for _name, ms in rows)
    print(f"  {'sum':<34} {ours / n:6.1f}  → at most {2000 / (ours / n):.0f} submits/s on 2 cores")
    machine = total["machine (all processes)"]
    print(
        f"  machine, all processes            {machine / n:6.1f}  (other work on the machine: "
        f"{max(machine - ours, 0) / n:.1f}); cores busy during the run: "
        f"{during['machine (all processes)'] / 1000 / result.elapsed:.2f} of 2"
    )
    return ok / result.elapsed, check(ids)


def main() -> int:
    parser = arguments(__doc__.splitlines()[0], historical=1_000_000, open_cases=20_000)
    parser.add_argument("--submits", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=300, help="submits before the measured run")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--clients", type=int, default=8, help="threads of --client python")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--background-workers", type=int, default=2, help="manage.py worker processes")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="run the task workers at this nice level (docs/operations.md)",
    )
    parser.add_argument("--mode", choices=["http", "service"], default="http")
    args = parser.parse_args()
    label = setup_django(args.db)
    volume = ensure_volume(args.historical, args.open)
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    print(f"# {label}: {volume['closed']:,} closed + {volume['open']:,} open cases; mode {args.mode}")
    warmup = args.warmup if args.mode == "http" and args.client == "wrk" else 0
    drafts = dry_run(ready_drafts(args.submits + warmup + 50))
    warm, ids = drafts[:warmup], drafts[warmup : warmup + args.submits]
    from django.db import connections

    connections.close_all()
    if args.mode == "http" and args.client == "wrk":
        sustained, good = run_wrk_mode(ids, warm, args)
    else:
        if args.mode == "service":
            rows, elapsed = run_service(ids)
        else:
            port = free_port()
            procs = start_processes(
                port, args.web_workers, args.background_workers, args.worker_class, args.threads
            )
            try:
                print(
                    f"server: gunicorn {args.web_workers} {args.worker_class} workers on "
                    f"127.0.0.1:{port} + {args.background_workers} × manage.py worker; "
                    f"{args.clients} client threads",
                    flush=True,
                )
                cpu = time.process_time()
                rows, elapsed = run_http(ids, port, args.clients)
                client_ms = (time.process_time() - cpu) * 1000 / len(ids)
                print(f"client CPU (python threads): {client_ms:.1f} ms per submit")
                time.sleep(3)  # let the workers catch up a little before counting
            finally:
                stop_processes(procs)
        sustained = report(rows, elapsed)
        good = check(ids)
    verdict = "ok" if sustained >= TARGET else "UNDER"
    print(
        f"sustained over the whole run {sustained:.1f} submits/s (target {TARGET:g}): {verdict} "
        "(the 5-second windows above show how steady)"
    )
    print(f"check: {'ok' if good else 'FAILED'}")
    return 0 if sustained >= TARGET and good else 1


if __name__ == "__main__":
    sys.exit(main())
