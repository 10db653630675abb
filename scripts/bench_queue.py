"""Load benchmark of the walk-in queue: a real `bianmin serve` on loopback, PostgreSQL, open-loop
ticket cycles and hundreds of display boards listening by server push.

    .venv/bin/python scripts/bench_queue.py                      # the documented run
    .venv/bin/python scripts/bench_queue.py --rates 25,50,100 --duration 40 --displays 200

What it does, bounded in time (a few minutes) and on 127.0.0.1 only:

1. starts a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh), migrates it and loads
   the demo (六安市's 140 centers, their windows and clerks, the catalogue);
2. for the first ``--centers`` centers: opens every window, registers a kiosk and a display
   device, and logs every window's clerk in (a session cookie and a CSRF token, as a browser);
3. starts ``bianmin serve`` (uvicorn, ``--workers`` processes, DEBUG off, no access log);
4. opens ``--displays`` event streams (``/queue/<code>/events/``, the display's device token),
   spread over those centers, and keeps them open for the whole run;
5. for each rate in ``--rates``: for ``--duration`` seconds, starts ticket cycles on a fixed
   schedule (open loop: a slow server does not slow the schedule down). A cycle is the kiosk's
   ``POST tickets`` (Idempotency-Key), then at a window of the ticket's queue the clerk's
   ``POST call``, ``POST start`` and ``POST finish`` — 4 requests;
6. measures every request's latency (p50/p95/p99 per kind), the cycles completed per second,
   the errors, and call → display latency: from sending the call to the event arriving on a
   display board of that center;
7. stops the server and deletes the cluster.

The load generator is one asyncio process (on uvloop, as the server) with a small HTTP/1.1
client of its own (keep-alive connections). It runs on the same 2 cores as the server and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


# --- A small HTTP/1.1 client ------------------------------------------------------------------


class StaleConnection(ConnectionError):
    """The server had closed the kept-alive connection (its idle timeout) before this request:
    nothing was answered, so the request is sent again on a new connection, as browsers do."""


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        if self.writer is None:
            await self.open()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            status_line = await self.reader.readline()
            if not status_line:
                raise StaleConnection("closed before answering")
            status = int(status_line.split()[1])
            length, chunked, close = 0, False, False
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "transfer-encoding" and "chunked" in value:
                    chunked = True
                elif name == "connection" and "close" in value.lower():
                    close = True
            if chunked:
                data = b""
                while True:
                    size = int((await self.reader.readline()).strip(), 16)
                    if size == 0:
                        await self.reader.readline()
                        break
                    data += await self.reader.readexactly(size)
                    await self.reader.readline()
            else:
                data = await self.reader.readexactly(length) if length else b""
            if close:
                self.close()
            return status, data
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Pool:
    def __init__(self, host: str, port: int, size: int):
        self.free: asyncio.Queue = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(Connection(host, port))

    async def request(self, method, path, headers, body=b""):
        conn = await self.free.get()
        try:
            try:
                return await conn.request(method, path, headers, body)
            except StaleConnection:
                return await conn.request(method, path, headers, body)
        except BaseException:
            # Cut off mid-request (a stage's cancelled cycle, an error): the answer may still
            # come on this connection, so it is closed, never reused for another request.
            conn.close()
            raise
        finally:
            self.free.put_nowait(conn)


# --- Set-up (runs Django in this process against the benchmark database) ---------------------


def prepare(n_centers: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from bianmin.hall import selectors as hall_selectors
    from bianmin.hall import services as hall
    from bianmin.hall.models import Attendance, Window
    from bianmin.identity.models import Device, User
    from bianmin.identity.services import register_device
    from bianmin.identity.sessions import SessionStore
    from bianmin.org.models import Center
    from bianmin.queueing import selectors, services

    call_command("migrate", verbosity=0)
    print("loading the demo (140 centers, catalogue, halls) …", flush=True)
    # The parts of the demo the queue stands on (divisions, accounts, catalogue, halls, queues),
    # not the apps above it: a benchmark of the queue does not wait for (or break with) them.
    from django.contrib.auth.hashers import make_password

    from bianmin.catalog.demo import load_catalogue_demo
    from bianmin.core.demo import DEMO_PASSWORD, load_demo
    from bianmin.hall.demo import load_hall_demo
    from bianmin.queueing.demo import load_queue_demo

    quiet = lambda *a, **k: None  # noqa: E731
    load_demo(progress=quiet, stage=quiet, full=False)
    load_catalogue_demo(progress=quiet)
    load_hall_demo(User.objects.get(username="admin"), make_password(DEMO_PASSWORD), progress=quiet)
    load_queue_demo(progress=quiet)
    admin = User.objects.get(username="admin")
    centers = list(
        Center.objects.filter(windows__post__isnull=False)
        .distinct()
        .select_related("region")
        .order_by("region__code")[:n_centers]
    )
    # Whatever the demo left at a window (its replayed morning) is done before the load starts.
    from bianmin.queueing.models import Ticket

    Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES).update(status=Ticket.Status.DONE)
    from django.utils import timezone

    from bianmin.hall.models import AwayNotice

    AwayNotice.objects.filter(returned_at__isnull=True).update(returned_at=timezone.now())
    plan = {"centers": []}
    from bianmin.hall.models import ExtraDuty

    today = timezone.localdate()
    for center in centers:
        services.ensure_queues(center)
        # The load runs whenever the benchmark is started: the centers are on duty all that day
        # (at night a kiosk is refused walk-in tickets, as it should be).
        for day in (today, today + dt.timedelta(days=1)):  # a run across midnight too
            ExtraDuty.objects.get_or_create(
                center=center,
                date=day,
                opens=dt.time(0, 0),
                closes=dt.time(23, 59, 59),
                defaults={"kind": ExtraDuty.Kind.EXTENDED, "note": "bench_queue"},
            )
        _kiosk, kiosk_token = register_device(
            admin, center=center, kind=Device.Kind.KIOSK, name="bench"
        )
        _display, display_token = register_device(
            admin, center=center, kind=Device.Kind.DISPLAY, name="bench"
        )
        cfg = selectors.center_config(center)
        routes = hall_selectors.routing_table(center)
        windows = []
        for window in Window.objects.filter(
            center=center, active=True, post__isnull=False
        ).select_related("post__primary"):
            clerk = window.post.primary
            if not Attendance.objects.filter(window=window, closed_at__isnull=True).exists():
                hall.open_window(clerk, window)
            session = SessionStore()
            session[SESSION_KEY] = str(clerk.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = clerk.get_session_auth_hash()
            session.create()
            items = [r.item.pk for r in routes if r.window and r.window.pk == window.pk]
            if not items and window.kind != Window.Kind.ENQUIRY:
                continue
            windows.append(
                {
                    "number": window.number,
                    "items": items if window.kind != Window.Kind.ENQUIRY else [None],
                    "session": session.session_key,
                    "csrf": get_random_string(32),
                    "queues": sorted(
                        cfg.queues[q].letter for q in cfg.window_queues.get(window.pk, ())
                    ),
                }
            )
        plan["centers"].append(
            {
                "code": center.region.code,
                "kiosk": kiosk_token,
                "display": display_token,
                "windows": windows,
            }
        )
    return plan


# --- The load --------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.cycles = 0
        self.last_answer = 0.0
        self.late_starts: list[float] = []
        self.display: list[float] = []
        self.arrivals: list[tuple] = []  # (center, ticket, when a board received the call)
        self.samples: dict[str, list[str]] = {}

    @staticmethod
    def summary(values: list[float]) -> dict:
        if not values:
            return {"n": 0}
        ordered = sorted(values)

        def q(p):
            return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

        return {
            "n": len(values),
            "p50_ms": q(0.50),
            "p95_ms": q(0.95),
            "p99_ms": q(0.99),
            "max_ms": round(1000 * ordered[-1], 1),
        }


async def display_reader(host, port, center_code, token, sent_calls, stats: Stats, ready, stop):
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(
                (
                    f"GET /queue/{center_code}/events/ HTTP/1.1\r\nHost: {host}\r\n"
                    f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
                ).encode()
            )
            status = await reader.readline()
            if b" 200 " not in status:
                raise ConnectionError(status)
            ready.append(1)
            while not stop.is_set():
                line = await reader.readline()
                if not line:
                    raise ConnectionError("closed")
                if b'"type":"call"' in line:
                    arrived = time.perf_counter()
                    start = line.find(b'"ticket":"') + 10
                    ticket = line[start : line.find(b'"', start)].decode()
                    # The event often arrives before the call's own response: matched later.
                    stats.arrivals.append((center_code, ticket, arrived))
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            if stop.is_set():
                return
            await asyncio.sleep(0.5)
        finally:
            try:
                writer.close()
            except Exception:
                pass


async def run_stage(args, plan, pool, rate, duration, stats: Stats, sent_calls):
    rng = random.Random(rate)
    open_tickets: dict = {}
    desks = [(c, w) for c in plan["centers"] for w in c["windows"]]
    locks = {(c["code"], w["number"]): asyncio.Lock() for c, w in desks}
    tasks = []

    async def timed(kind, method, path, headers, body=b""):
        started = time.perf_counter()
        try:
            status, data = await pool.request(method, path, headers, body)
        except Exception:
            stats.errors[kind + " (connection)"] += 1
            return None, None
        stats.latency[kind].append(time.perf_counter() - started)
        if status >= 400:
            key = f"{kind} {status}"
            stats.errors[key] += 1
            if len(stats.samples.setdefault(key, [])) < 2:
                stats.samples[key].append(data[:200].decode("utf-8", "replace"))
        return status, data

    async def cycle(scheduled):
        stats.late_starts.append(time.perf_counter() - scheduled)
        center, window = rng.choice(desks)
        item = rng.choice(window["items"])
        body = json.dumps({"item_id": item} if item else {}).encode()
        kiosk = {
            "Authorization": f"Bearer {center['kiosk']}",
            "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        status, _ = await timed(
            "issue", "POST", f"/api/v1/queue/centers/{center['code']}/tickets", kiosk, body
        )
        if status != 201:
            return
        clerk = {
            "Cookie": f"sessionid={window['session']}; csrftoken={window['csrf']}",
            "X-CSRFToken": window["csrf"],
            "Content-Type": "application/json",
        }
        base = f"/api/v1/queue/centers/{center['code']}"
        async with locks[(center["code"], window["number"])]:  # one person at a window at a time
            sent = time.perf_counter()
            status, data = await timed(
                "call", "POST", f"{base}/windows/{window['number']}/call", clerk
            )
            if status != 200:
                return
            ticket = json.loads(data)
            sent_calls[(center["code"], ticket["code"])] = sent
            open_tickets[(center["code"], window["number"])] = (base, ticket["id"], clerk)
            status, _ = await timed("start", "POST", f"{base}/tickets/{ticket['id']}/start", clerk)
            status, _ = await timed(
                "finish",
                "POST",
                f"{base}/tickets/{ticket['id']}/finish",
                clerk,
                b'{"outcome": "enquiry"}',
            )
            if status == 200:
                stats.cycles += 1
                stats.last_answer = time.perf_counter()
                open_tickets.pop((center["code"], window["number"]), None)

    begin = time.perf_counter()
    n = int(rate * duration)
    for i in range(n):
        scheduled = begin + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(cycle(scheduled)))
    done, pending = await asyncio.wait(tasks, timeout=args.drain)
    for task in pending:
        task.cancel()
    elapsed = max(stats.last_answer, begin + duration) - begin
    # Cycles cut off leave a ticket at a window: finish it, so that the next stage starts clean.
    for base, pk, clerk in list(open_tickets.values()):
        try:
            await pool.request("POST", f"{base}/tickets/{pk}/finish", clerk, b"{}")
        except Exception:
            pass
    return elapsed, len(pending)


async def load(args, plan, port):
    host = "127.0.0.1"
    stop = asyncio.Event()
    sent_calls: dict = {}
    ready: list = []
    displays = []
    centers = plan["centers"]
    reader_stats = Stats()
    for i in range(args.displays):
        c = centers[i % len(centers)]
        displays.append(
            asyncio.create_task(
                display_reader(
                    host, port, c["code"], c["display"], sent_calls, reader_stats, ready, stop
                )
            )
        )
    for _ in range(100):
        if len(ready) >= args.displays:
            break
        await asyncio.sleep(0.1)
    print(
        f"{len(ready)} display streams open; {_db_connections()} database connections", flush=True
    )
    pool = Pool(host, port, args.connections)
    results = []
    for rate in args.rates:
        stats = Stats()
        reader_stats.arrivals = stats.arrivals
        sent_calls.clear()
        await asyncio.sleep(2)
        peak = [0]

        async def watch(peak=peak):
            while True:
                peak[0] = max(peak[0], await asyncio.to_thread(_db_connections))
                await asyncio.sleep(1)

        watcher = asyncio.create_task(watch())
        cpu_before = _cpu(port)
        sessions_before = _db_sessions()
        elapsed, unfinished = await run_stage(
            args, plan, pool, rate, args.duration, stats, sent_calls
        )
        watcher.cancel()
        cpu = {k: round(v - cpu_before.get(k, 0), 1) for k, v in _cpu(port).items()}
        new_sessions = max(0, _db_sessions() - sessions_before - 2 - args.duration)  # less our own
        await asyncio.sleep(1)  # the last events on their way to the boards
        # A call event often reaches a board before the call's response reaches the clerk:
        # arrivals are matched with the calls' send times afterwards.
        stats.display = [
            arrived - sent_calls[(center, ticket)]
            for center, ticket, arrived in stats.arrivals
            if (center, ticket) in sent_calls
        ]
        open_streams = len(ready)
        row = {
            "target_cycles_per_s": rate,
            # Over the time from the first start to the last answer (a stage's cycles may go on
            # after its schedule while the server catches up).
            "completed_cycles_per_s": round(stats.cycles / elapsed, 1),
            "requests_per_s": round(sum(len(v) for v in stats.latency.values()) / elapsed, 1),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "unfinished_cycles": unfinished,
            "errors": dict(stats.errors),
            "error_samples": stats.samples,
            "cpu_seconds": cpu,
            "new_database_connections": new_sessions,
            "latency": {k: Stats.summary(v) for k, v in stats.latency.items()},
            "all_requests": Stats.summary([x for v in stats.latency.values() for x in v]),
            "call_to_display": Stats.summary(stats.display),
            "displays_connected": open_streams,
            "database_connections_peak": peak[0],
            "seconds": round(elapsed, 1),
        }
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    stop.set()
    for task in displays:
        task.cancel()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rates", default="25,50,75,100", help="ticket cycles per second, one stage each"
    )
    parser.add_argument("--duration", type=int, default=30, help="seconds per stage")
    parser.add_argument(
        "--drain", type=int, default=20, help="seconds to let a stage's cycles finish"
    )
    parser.add_argument("--centers", type=int, default=60)
    parser.add_argument("--displays", type=int, default=200)
    parser.add_argument(
        "--connections", type=int, default=64, help="keep-alive connections of the load"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="bianmin serve --workers (default as `bianmin serve`: 3 on PostgreSQL, 1 on SQLite)",
    )
    parser.add_argument(
        "--database",
        choices=["postgresql", "sqlite"],
        default="postgresql",
        help="postgresql: a throwaway cluster; sqlite: a file in WAL mode, one process",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--output", help="write the results as JSON here")
    parser.add_argument(
        "--app",
        choices=["shipped", "bridge"],
        default="shipped",
        help="shipped: `bianmin serve` as it is (bianmin.asgi); bridge: the same uvicorn serving "
        "bianmin.queueing.asgi:application (requests through the WSGI handler in a thread pool, "
        "event streams through the ASGI handler)",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="load pg_stat_statements and print the statements that took PostgreSQL's time",
    )
    parser.add_argument(
        "--db",
        choices=["shipped", "kept", "pool"],
        default="shipped",
        help="database connections: shipped (the project's settings: a new one per request), "
        "kept (one per serving thread) or pool (Django's psycopg pool); "
        "see scripts/bench_queue_settings.py",
    )
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    sqlite = args.database == "sqlite"
    if sqlite:
        args.workers = args.workers or 1
        args.statements = False
    args.workers = args.workers or 3  # `bianmin serve` on PostgreSQL with 2 cores: cores + 1

    workdir = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    pgdir = Path(tempfile.mkdtemp(prefix="bench-queue-pg-"))  # the script hands it to postgres
    url = (
        ""
        if sqlite
        else subprocess.run(
            ["bash", str(ROOT / "scripts" / "pg-test-cluster.sh"), "start", str(pgdir)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    server = None
    try:
        import psycopg

        if not sqlite:
            with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
                conn.execute("CREATE DATABASE bianmin")
                if args.statements:
                    conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        if args.statements:
            bindir = subprocess.run(
                "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1",
                shell=True, capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            restart = [
                f"{bindir}/pg_ctl", "-D", str(pgdir / "data"), "-l", str(pgdir / "server.log"),
                "-w", "restart", "-m", "fast",
            ]  # fmt: skip
            if os.geteuid() == 0:
                restart = ["runuser", "-u", "postgres", "--", *restart]
            subprocess.run(
                restart, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION pg_stat_statements")
        env = {
            **os.environ,
            "BIANMIN_DATABASE_URL": url,  # empty: SQLite under BIANMIN_VAR_DIR
            "BIANMIN_VAR_DIR": str(workdir / "var"),
            "BIANMIN_DEBUG": "0",
            "BIANMIN_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bianmin.settings",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        started = time.perf_counter()
        plan = prepare(args.centers)
        windows = sum(len(c["windows"]) for c in plan["centers"])
        print(
            f"set-up: {len(plan['centers'])} centers, {windows} open windows, {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        port = args.port or _free_port()
        server_env = dict(env)
        if args.db != "shipped":
            server_env["DJANGO_SETTINGS_MODULE"] = "bench_queue_settings"
            server_env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "scripts"), str(ROOT)])
            server_env["BENCH_DB"] = args.db
        if args.app == "shipped":
            command = [str(BIN / "bianmin"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        else:  # what `bianmin serve` runs, with the other application
            command = [
                str(BIN / "python"), "-m", "uvicorn", "bianmin.queueing.asgi:application",
                "--host", "127.0.0.1", "--port", str(port), "--proxy-headers",
                "--lifespan", "off", "--log-level", "warning",
            ]  # fmt: skip
        print(
            "server:", " ".join(command[1:]), "--workers", args.workers, "db:", args.db, flush=True
        )
        server = subprocess.Popen(
            [*command, "--workers", str(args.workers)],
            env=server_env,
            cwd=ROOT,
            start_new_session=True,  # its workers are stopped with it, as a process group
        )
        os.environ["BENCH_SERVER_PID"] = str(server.pid)
        if not sqlite:
            postmaster = (pgdir / "data" / "postmaster.pid").read_text().split()[0]
            os.environ["BENCH_POSTMASTER_PID"] = postmaster
        _wait_for(port)
        if args.statements:  # the load's statements only, not the set-up's
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SELECT pg_stat_statements_reset()")
        # The load generator shares the 2 cores with the server: it runs on uvloop (as the
        # server does), about a third less CPU per cycle than asyncio's own loop.
        import uvloop

        results = uvloop.run(load(args, plan, port))
        summary = {
            "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()},
            "workers": args.workers,
            "database": args.database,
            "database_connections": args.db,
            "app": args.app,
            "centers": len(plan["centers"]),
            "windows": windows,
            "displays": args.displays,
            "duration_per_stage_s": args.duration,
            "stages": results,
        }
        if args.statements:
            with psycopg.connect(url, autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT calls, round(total_exec_time::numeric, 0), round(total_plan_time::numeric, 0), "
                    "left(regexp_replace(query, '\\s+', ' ', 'g'), 700) FROM pg_stat_statements "
                    "ORDER BY total_exec_time + total_plan_time DESC LIMIT 30"
                ).fetchall()
            print("\nPostgreSQL's time by statement (calls, exec ms, plan ms, statement):")
            for calls, exec_ms, plan_ms, query in rows:
                print(f"{calls:>8} {exec_ms:>8} {plan_ms:>6}  {query}")
        if args.output:
            Path(args.output).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
        _print_table(summary)
    finally:
        if server is not None:
            _stop_group(server)
        if not sqlite:
            subprocess.run(
                ["bash", str(ROOT / "scripts" / "pg-test-cluster.sh"), "stop", str(pgdir)],
                check=False,
            )
        shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop_group(process: subprocess.Popen) -> None:
    """Stop the server and its worker processes (open event streams would hold a graceful
    shutdown up; after 10 s they are killed)."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _proc_table() -> dict[int, tuple[int, float, float]]:
    """pid → (parent pid, own CPU seconds, CPU seconds of its waited-for children)."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(entry)] = (
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / tick,
            (int(fields[13]) + int(fields[14])) / tick,
        )
    return table


def _tree_cpu(table: dict, root: int) -> float:
    """CPU seconds of a process, its live descendants and the children it has reaped."""
    if root not in table:
        return 0.0
    total = table[root][1] + table[root][2]
    stack = [root]
    while stack:
        parent = stack.pop()
        for pid, (ppid, own, _reaped) in table.items():
            if ppid == parent:
                total += own
                stack.append(pid)
    return total


def _cpu(port: int) -> dict:
    """CPU seconds used so far by the server's processes, PostgreSQL's and the load generator."""
    table = _proc_table()
    return {
        "server": round(_tree_cpu(table, int(os.environ["BENCH_SERVER_PID"])), 2),
        "postgres": round(_tree_cpu(table, int(os.environ.get("BENCH_POSTMASTER_PID", 0))), 2),
        "load_generator": round(table[os.getpid()][1], 2),
    }


def _db_sessions() -> int:
    """Connections PostgreSQL has accepted so far (a new server process each)."""
    import psycopg

    if not os.environ.get("BIANMIN_DATABASE_URL"):
        return 0
    with psycopg.connect(os.environ["BIANMIN_DATABASE_URL"], autocommit=True) as conn:
        return conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = 'bianmin'"
        ).fetchone()[0]


def _db_connections() -> int:
    try:
        return _count_db_connections()
    except Exception:  # PostgreSQL is out of connections: counted as unknown
        return -1


def _count_db_connections() -> int:
    import psycopg

    if not os.environ.get("BIANMIN_DATABASE_URL"):
        return 0
    with psycopg.connect(os.environ["BIANMIN_DATABASE_URL"], autocommit=True) as conn:
        return (
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bianmin'"
            ).fetchone()[0]
            - 1
        )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int) -> None:
    import urllib.request

    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise SystemExit("the server did not come up")


def _print_table(summary: dict) -> None:
    print()
    print(
        f"{'target/s':>9} {'done/s':>7} {'req/s':>7} {'p95 issue':>10} {'p95 call':>9} {'p95 start':>10} {'p95 finish':>11} {'p95 all':>8} {'display p95':>12} {'errors':>7}"
    )
    for row in summary["stages"]:

        def p95(kind, lat=row["latency"]):
            return lat.get(kind, {}).get("p95_ms", "—")

        print(
            f"{row['target_cycles_per_s']:>9} {row['completed_cycles_per_s']:>7} {row['requests_per_s']:>7} "
            f"{p95('issue'):>10} {p95('call'):>9} {p95('start'):>10} {p95('finish'):>11} "
            f"{row['all_requests'].get('p95_ms', '—'):>8} {row['call_to_display'].get('p95_ms', '—'):>12} "
            f"{sum(row['errors'].values()):>7}"
        )


if __name__ == "__main__":
    main()
