"""Benchmark of case handling on PostgreSQL, end to end through the HTTP API.

    .venv/bin/python scripts/bench_cases.py [--workers 3] [--users 16] [--seconds 20]
                                            [--cases 1000000] [--interface wsgi|asgi] [--keep]

1. Starts a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh), migrates, and sets up
   the divisions, a small catalogue entered at 8 centers, 16 clerks and an officer, each with a
   logged-in session.
2. Plain SQL: one connection commits transactions that insert a case row and an event row, for
   5 seconds: the reference rate of this machine, measured in the same run. Then, in one
   process without an HTTP server, one request at a time: the wall time, Django's CPU time and
   the SQL statements of the bare endpoint, a creation and a list (less sensitive to the load
   of a shared machine than the rates).
3. Starts the app (uvicorn, --workers processes, no access log) and drives it with --users
   curl processes, each on one keep-alive connection: first a bare Django + ninja endpoint
   that inserts a case row and an event row (the ceiling of this server and machine), then
   POST /api/v1/cases/ with ``accept: true`` (a case received and accepted: two events, the
   acceptance SMS in the outbox, the session saved). Reports cases/s, the median and p95
   latency, and the ratios to the plain-SQL rate and to the bare endpoint.
4. Loads --cases cases (SQL, realistic spread of states over 140 centers and their county
   departments), then drives the clerk's list (GET /api/v1/cases/?tab=…) and the officer's
   queue (GET /api/v1/cases/queue?view=…), the closed list 100 pages deep (by cursor and by
   page number) and the clerk's HTML page (/cases/?tab=…) with one user and with --users
   users, and reports p50 / p95; before that, EXPLAIN ANALYZE of each list's query.
The settings are the project's with DEBUG off (bench_cases_settings.py); the load average and a
speed probe (a fixed loop of pure Python, in ms: higher means a slower host at that moment) are
printed next to each figure (other guests share this machine's host).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")


def sh(*args, env=None, check=True, capture=False):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, text=True, capture_output=capture)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


# --- The same loads through curl (a C client), one keep-alive connection per user -----------------


#: The app servers' process ids, for the CPU accounting of each load (set by main).
SERVER_PIDS: list[int] = []
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def _postgres_cpu() -> float:
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() != "postgres":
                        continue
            except OSError:
                continue
            total += _cpu_seconds(int(entry))
    return total


def _machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def cpu_snapshot() -> dict:
    t = os.times()
    busy, _all = _machine_cpu()
    return {
        "app": sum(_cpu_seconds(p) for p in SERVER_PIDS),
        "postgres": _postgres_cpu(),
        "client": t.children_user + t.children_system,
        "machine": busy,
        "capacity": _all,
    }


def cpu_per_request(before: dict, after: dict, requests: int) -> dict:
    """Milliseconds of CPU per request: the app servers, PostgreSQL, the curl clients, and the
    rest of the machine (other sessions' work, the kernel's share not charged to a process)."""
    d = {k: (after[k] - before[k]) * 1000 / max(requests, 1) for k in before}
    d["other"] = d["machine"] - d["app"] - d["postgres"] - d["client"]
    d["busy_share"] = (after["machine"] - before["machine"]) / max(
        after["capacity"] - before["capacity"], 1e-9
    )
    return d


def cpu_text(c: dict) -> str:
    return (
        f"CPU per request: app {c['app']:.1f} ms, PostgreSQL {c['postgres']:.1f} ms, "
        f"curl {c['client']:.1f} ms, other {c['other']:.1f} ms (machine busy {c['busy_share']:.0%})"
    )


def curl_load(users: int, requests_per_user: int, make_args) -> dict:
    """``users`` curl processes, each sending ``requests_per_user`` requests on one keep-alive
    connection; ``make_args(i)`` gives user i's curl arguments (URL repeated, headers, body).
    Returns the overall rate and the latencies (the first request of each user is left out),
    and the CPU each part of the machine spent per request."""
    procs = []
    before = cpu_snapshot()
    t0 = time.monotonic()
    for i in range(users):
        user_args = make_args(i)
        urls = sum(1 for a in user_args if a.startswith("http"))
        # One "-o /dev/null" per URL: curl pairs outputs with URLs in order.
        args = ["curl", "-s", *(["-o", "/dev/null"] * urls), "-w", "%{http_code} %{time_total}\\n"]
        procs.append(subprocess.Popen([*args, *user_args], stdout=subprocess.PIPE, text=True))
    outputs = [p.communicate()[0] for p in procs]
    elapsed = time.monotonic() - t0
    after = cpu_snapshot()
    latencies, errors, done = [], 0, 0
    for out in outputs:
        pairs = [
            line.split()
            for line in out.splitlines()
            if len(line.split()) == 2 and line.split()[0].isdigit()
        ]
        for k, (code, seconds) in enumerate(pairs):
            done += 1
            if not code.startswith("2"):
                errors += 1
            elif k > 0:
                latencies.append(float(seconds))
    return {
        "rate": done / elapsed,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": pct(latencies, 95) * 1000,
        "requests": done,
        "errors": errors,
        "latencies": latencies,
        "cpu": cpu_per_request(before, after, done),
    }


# --- Set-up inside Django ------------------------------------------------------------------------

SETUP = r"""
import json, secrets, datetime as dt
from bianmin.identity.sessions import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from bianmin.org.services import load_divisions
from bianmin.org.models import Center, Department, Region
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.catalog.models import Domain, ServiceItem, GuideVersion, Material, Step, ItemEntry

load_divisions()
centers = list(Center.objects.select_related("region").order_by("region__code"))
domain = Domain.objects.get_or_create(code="minzheng", defaults={"name": "民政", "full_name": "民政"})[0]
item = ServiceItem.objects.create(domain=domain, basic_code="BENCH0000001", name="高龄津贴申领",
    item_type="administrative_payment", handling_level="township", frequency="high")
guide = GuideVersion.objects.create(item=item, number=1, state="published", promised_days=10,
    statutory_days=20, allows_deferral=True)
materials = []
for i, (name, deferrable) in enumerate([("居民身份证", False), ("户口簿", False), ("本人银行卡（复印件）", True)]):
    materials.append(Material.objects.create(guide=guide, order=i, name=name, deferrable=deferrable).pk)
for i, name in enumerate(["申请与受理", "审核", "审批", "送达"]):
    Step.objects.create(guide=guide, order=i, name=name)
for c in centers:
    ItemEntry.objects.create(center=c, item=item, mode="delegated", entered_on=dt.date(2020, 1, 1))
departments = {}
for county in Region.objects.filter(level="county"):
    departments[county.pk] = Department.objects.create(region=county, name=county.name + "民政局", domain="民政")

def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "bianmin.identity.backends.LockoutBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.set_expiry(24 * 3600)
    s.save()
    return s.session_key

clerks = []
bench_centers = centers[:8]
for i in range(16):
    center = bench_centers[i % len(bench_centers)]
    u = User(username=f"bench_clerk{i}", full_name=f"窗口{i}", role=Role.WINDOW_CLERK, center=center)
    u.set_unusable_password(); u.save()
    clerks.append({"session": session_for(u), "center": center.region.code})
officers = []
for i in range(4):
    dept = departments[bench_centers[0].region.parent_id]
    u = User(username=f"bench_officer{i}", full_name=f"审批{i}", role=Role.BACK_OFFICE_OFFICER, department=dept)
    u.set_unusable_password(); u.save()
    officers.append({"session": session_for(u)})
print("BENCH-SETUP " + json.dumps({"item": item.pk, "materials": materials, "clerks": clerks,
      "officers": officers}))
"""


def id_number(rng: random.Random) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    birth = f"{rng.randint(1930, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = "341502" + birth + f"{rng.randint(0, 999):03d}"
    return (
        first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
    )


# --- Bulk cases for the list benchmark -----------------------------------------------------------

BULK = r'''
import random, sys
from django.db import connection
from bianmin.cases.models import Case
from bianmin.identity.services import register_person
from bianmin.identity.validators import id_check_char

n = int(sys.argv[-1]) if sys.argv[-1].isdigit() else 1000000
first17 = "34150219480315123"
person = register_person(name="王大爷", id_number=first17 + id_check_char(first17))
from bianmin.catalog.models import ServiceItem, GuideVersion
item = ServiceItem.objects.get(basic_code="BENCH0000001")
guide = GuideVersion.objects.get(item=item, state="published")
fields = {f.column: f for f in Case._meta.concrete_fields if f.column != "id"}
expr = {
    "number": "'B' || lpad(g::text, 9, '0')",
    "center_id": "c.id",
    "item_id": str(item.pk),
    "guide_id": str(guide.pk),
    "department_id": "d.id",
    "channel": "'window'",
    "state": "s.state",
    "applicant_kind": "'person'",
    "person_id": str(person.pk),
    "applicant_name": "'王大爷'",
    "applicant_masked": "'3415**********1230'",
    "checklist": "'[]'::jsonb",
    "pledge_materials": "'[]'::jsonb",
    "received_at": "now() - mod(g, 400) * interval '1 day' - mod(g, 1440) * interval '1 minute'",
    "intake_deadline": "(now() - mod(g, 400) * interval '1 day')::date + 7",
    "accepted_at": "now() - mod(g, 400) * interval '1 day'",
    "clock_started_on": "(now() - mod(g, 400) * interval '1 day')::date",
    "promised_days": "10",
    "due_at": "now() - mod(g, 400) * interval '1 day' + interval '14 days'",
    "warn_at": "now() - mod(g, 400) * interval '1 day' + interval '11 days'",
    "decision": "CASE WHEN s.state IN ('approved', 'result_ready', 'closed') THEN 'approved' WHEN s.state = 'denied' THEN 'denied' ELSE '' END",
    "closed_at": "CASE WHEN s.state IN ('closed', 'rejected', 'withdrawn', 'terminated') THEN now() - mod(g, 400) * interval '1 day' + interval '5 days' END",
    "progress_token": "md5(g::text)",
    "pledge_status": "''",
}
cols, vals = [], []
for column, f in fields.items():
    cols.append('"' + column + '"')
    if column in expr:
        vals.append(expr[column])
    elif f.null:
        vals.append("NULL")
    elif f.get_internal_type() == "BooleanField":
        vals.append("false")
    elif f.get_internal_type() in ("PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField"):
        vals.append("0")
    elif f.get_internal_type() == "JSONField":
        vals.append("'{}'::jsonb")
    else:
        vals.append("''")
states = [("closed", 80), ("accepted", 4), ("in_back_office", 4), ("received", 2), ("notice_issued", 1),
          ("forwarded", 1), ("result_ready", 2), ("suspended", 1), ("approved", 1), ("rejected", 1),
          ("withdrawn", 1), ("terminated", 1), ("returned", 1)]
weights = ",".join(f"('{s}', {w})" for s, w in states)
sql = f"""
WITH st AS (SELECT state, sum(w) OVER (ORDER BY state) AS hi, w FROM (VALUES {weights}) v(state, w)),
     cs AS (SELECT row_number() OVER (ORDER BY c.id) - 1 AS k, c.id, r.parent_id FROM org_center c JOIN org_region r ON r.id = c.region_id),
     ncs AS (SELECT count(*) AS n FROM cs)
INSERT INTO cases_case ({", ".join(cols)})
SELECT {", ".join(vals)}
FROM generate_series(1, %s) g
JOIN ncs ON true
JOIN cs c ON c.k = mod(g, ncs.n)
LEFT JOIN org_department d ON d.region_id = c.parent_id AND d.domain = '民政'
JOIN LATERAL (SELECT state FROM st WHERE st.hi > mod(g::bigint * 7919, 100) ORDER BY st.hi LIMIT 1) s ON true
"""
with connection.cursor() as cursor:
    cursor.execute(sql, [n])
    cursor.execute("ANALYZE cases_case")
    cursor.execute("SELECT count(*) FROM cases_case")
    print("BENCH-BULK", cursor.fetchone()[0])
'''


EXPLAIN = r"""
from django.db import connection
from bianmin.cases import selectors
from bianmin.identity.models import User
import json
clerk = User.objects.get(username="bench_clerk0")
officer = User.objects.get(username="bench_officer0")
out = {"plans": {}, "cursors": {}}
for label, qs in [
    ("clerk, running", selectors.center_cases(clerk.center_id, "running")),
    ("clerk, closed", selectors.center_cases(clerk.center_id, "closed")),
    ("officer, waiting", selectors.department_queue(officer, "waiting")),
    ("officer, overdue", selectors.department_queue(officer, "overdue")),
]:
    sql, params = qs.values(*selectors.ROW_VALUES)[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        out["plans"][label] = [row[0] for row in cursor.fetchall()]
# A cursor 100 pages (5,000 rows) deep in the clerk's closed list, for the deep-page figures.
deep = selectors.center_cases(clerk.center_id, "closed").values("id", "received_at")
deep = list(deep[4999:5000]) or list(deep[:1])  # (a small --cases run has fewer)
out["cursors"]["closed"] = selectors.cursor_of(deep[0], "received_at") if deep else ""
closed = selectors.center_cases(clerk.center_id, "closed")
for label, rows in [
    (
        "clerk, closed, 100 pages deep by cursor",
        selectors.after_cursor(closed, out["cursors"]["closed"]).values(*selectors.ROW_VALUES)[:51],
    ),
    ("clerk, closed, 100 pages deep by OFFSET", closed.values(*selectors.ROW_VALUES)[5000:5051]),
]:
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        out["plans"][label] = [row[0] for row in cursor.fetchall()]
print("BENCH-EXPLAIN " + json.dumps(out))
"""


INPROCESS = r"""
import json, random, time
from django.db import connection
from django.test import Client
from bianmin.catalog.models import Material, ServiceItem
from bianmin.identity.models import User
from bench_cases import id_number

item = ServiceItem.objects.get(basic_code="BENCH0000001")
materials = list(Material.objects.filter(guide__item=item).values_list("pk", flat=True))
client = Client()
client.force_login(User.objects.get(username="bench_clerk15"))
rng = random.Random(99)


def body():
    return json.dumps({"item": item.pk, "applicant": {"kind": "person", "name": "王大爷",
        "id_number": id_number(rng), "mobile": "13905641234"},
        "checklist": [{"material": m, "status": "provided", "original_seen": True, "copies": 1}
                      for m in materials], "accept": True})


calls = {
    "bare endpoint": lambda: client.post("/bench/bare"),
    "case creation": lambda: client.post("/api/v1/cases/", body(), content_type="application/json"),
    "clerk's list": lambda: client.get("/api/v1/cases/?tab=running"),
}
out = {}
for label, call in calls.items():
    for _ in range(20):
        status = call().status_code
        assert status in (200, 201), (label, status)
    count = [0]

    def counter(execute, sql, params, many, context, count=count):
        count[0] += 1  # (Django clears connection.queries when a request starts)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        call()
    n = 300
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        call()
    out[label] = {"wall_ms": (time.perf_counter() - wall) / n * 1000,
                  "cpu_ms": (time.process_time() - cpu) / n * 1000,
                  "queries": count[0]}
print("BENCH-INPROCESS " + json.dumps(out))
"""


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def speed_probe() -> float:
    """Milliseconds for a fixed piece of pure Python (the best of five): how fast this virtual
    machine's CPU is at the moment. The same code gives rates twice apart on this shared host;
    the probe lets a reader tell a slow host from a slow app."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i & 7
        best = min(best, time.perf_counter() - start)
    return best * 1000


def wait_until_up(port: int, timeout: float = 60.0) -> None:
    import urllib.error
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    time.sleep(1.0)  # the other workers
                    return
        except urllib.error.HTTPError:
            # Up, but unhealthy: typically a migration another app added after ours ran
            # (the tree is shared while the benchmark runs). The cases' tables are there.
            time.sleep(1.0)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit("the app did not come up")


def plain_sql_rate(url: str, seconds: float = 5.0) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_case (id bigserial primary key, number text unique, "
            "center_id int, state text, received_at timestamptz)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_event (id bigserial primary key, case_id bigint "
            "references bench_case(id), seq int, action text, at timestamptz, after jsonb)"
        )
        n = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with conn.transaction():
                case_id = conn.execute(
                    "INSERT INTO bench_case (number, center_id, state, received_at) "
                    "VALUES (%s, 1, 'accepted', now()) RETURNING id",
                    [f"P{n:09d}-{secrets.token_hex(3)}"],
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO bench_event (case_id, seq, action, at, after) "
                    "VALUES (%s, 1, 'open', now(), '{}')",
                    [case_id],
                )
            n += 1
        return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3)  # as `bianmin serve` on 2 cores
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=0, help="first port (default: free ports)")
    parser.add_argument(
        "--interface",
        choices=["wsgi", "asgi"],
        default="asgi",
        help="asgi (default): bianmin.asgi, what `bianmin serve` runs (Django's WSGI handler "
        "on a small thread pool, each process's connection pool); wsgi: uvicorn's own WSGI "
        "interface (its 10-thread pool) over bench_cases_wsgi.py",
    )
    parser.add_argument("--conn-max-age", default="", help="override CONN_MAX_AGE (seconds)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster (prints its dir)")
    parser.add_argument(
        "--front",
        choices=["ports", "uvicorn"],
        default="ports",
        help="ports: --workers single-worker uvicorns on their own ports, users spread over "
        "them; uvicorn: one uvicorn with --workers (slower: see the comment in main)",
    )
    args = parser.parse_args()

    import socket

    ports = []
    for k in range(args.workers if args.front == "ports" else 1):
        if args.port:
            ports.append(args.port + k)
            continue
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    pgdir = tempfile.mkdtemp(prefix="bench-cases-pg.")
    vardir = tempfile.mkdtemp(prefix="bench-cases-var.")
    url = (
        sh("bash", "scripts/pg-test-cluster.sh", "start", pgdir, capture=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    port = url.rsplit(":", 1)[1].split("/")[0]
    psql = shutil.which("psql") or "psql"
    sh(
        psql,
        "-h",
        "127.0.0.1",
        "-p",
        port,
        "-U",
        "postgres",
        "-c",
        "CREATE DATABASE bianmin",
        capture=True,
    )
    env = {
        **os.environ,
        "BIANMIN_DATABASE_URL": url,
        "BIANMIN_VAR_DIR": vardir,
        "DJANGO_SETTINGS_MODULE": "bianmin.settings",
        "BIANMIN_LOG_LEVEL": "WARNING",
    }
    app_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench_cases_settings",
        "PYTHONPATH": str(ROOT / "scripts"),
        "BENCH_CONN_MAX_AGE": args.conn_max_age,
    }
    servers: list[subprocess.Popen] = []
    try:
        sh(PY, "manage.py", "migrate", "-v", "0", env=env)
        out = sh(PY, "manage.py", "shell", "-c", SETUP, env=env, capture=True).stdout
        setup = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH-SETUP "))[12:])
        baseline = plain_sql_rate(url.replace("postgres://", "postgresql://"))
        print(f"load average before: {load_average()}; speed probe {speed_probe():.0f} ms")
        print(f"plain SQL, one connection: {baseline:.0f} transactions/s (case row + event row)")

        app = (
            "bench_cases_wsgi:application"
            if args.interface == "wsgi"
            else "bianmin.asgi:application"
        )
        # --front ports: one single-worker uvicorn per port, the users spread over the ports (as
        # behind a load balancer); --front uvicorn: uvicorn's own --workers. Uvicorn 0.38's
        # multi-worker mode adds a constant ~45 ms to every keep-alive request after the first
        # (measured here: one list request 12 ms on a single worker, 56 ms on four), so the
        # default is ports.
        per_process = 1 if args.front == "ports" else args.workers
        for port in ports:
            servers.append(
                subprocess.Popen(
                    [
                        PY,
                        "-m",
                        "uvicorn",
                        app,
                        "--interface",
                        "wsgi" if args.interface == "wsgi" else "asgi3",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--workers",
                        str(per_process),
                        "--no-access-log",
                        "--log-level",
                        "warning",
                        "--lifespan",
                        "off",
                    ],
                    cwd=ROOT,
                    env=app_env,
                )
            )
        for port in ports:
            wait_until_up(port)
        SERVER_PIDS[:] = [p.pid for p in servers]
        tmp = Path(vardir)
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        per_user = max(int(args.seconds * 8), 20)

        def bare_args(i):
            return ["-X", "POST", *([f"{bases[i % len(bases)]}/bench/bare"] * per_user)]

        def create_args(i):
            clerk = setup["clerks"][i % len(setup["clerks"])]
            csrf = secrets.token_hex(16)
            rng = random.Random(i)
            body = tmp / f"body{i}.json"
            body.write_text(
                json.dumps(
                    {
                        "item": setup["item"],
                        "applicant": {
                            "kind": "person",
                            "name": "王大爷",
                            "id_number": id_number(rng),
                            "mobile": f"139{rng.randint(0, 99999999):08d}",
                        },
                        "checklist": [
                            {
                                "material": m,
                                "status": "provided",
                                "original_seen": True,
                                "copies": 1,
                            }
                            for m in setup["materials"]
                        ],
                        "accept": True,
                    }
                ),
                encoding="utf-8",
            )
            return [
                "-b",
                f"sessionid={clerk['session']}; csrftoken={csrf}",
                "-H",
                f"X-CSRFToken: {csrf}",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                f"@{body}",
                *([f"{bases[i % len(bases)]}/api/v1/cases/"] * per_user),
            ]

        out = sh(PY, "manage.py", "shell", "-c", INPROCESS, env=app_env, capture=True).stdout
        inproc = json.loads(
            next(x for x in out.splitlines() if x.startswith("BENCH-INPROCESS "))[16:]
        )
        for label, r in inproc.items():
            print(
                f"in one process, no HTTP server, one at a time: {label}: {r['wall_ms']:.1f} ms, "
                f"of which Django's CPU {r['cpu_ms']:.1f} ms, {r['queries']} SQL statements (besides BEGIN and COMMIT)"
            )
        ceiling = curl_load(args.users, per_user, bare_args)
        print(
            f"bare Django + ninja endpoint (insert a case row and an event row, no login), same "
            f"server and client: {ceiling['rate']:.0f} req/s, median {ceiling['median_ms']:.1f} ms, "
            f"p95 {ceiling['p95_ms']:.1f} ms, {ceiling['errors']} errors; {cpu_text(ceiling['cpu'])}"
        )
        result = curl_load(args.users, per_user, create_args)
        print(
            f"case creation (received → accepted, 2 events + SMS outbox) through the API, "
            f"{args.users} users, {args.workers} {args.interface} workers ({args.front})"
            f"{', CONN_MAX_AGE=' + args.conn_max_age if args.conn_max_age else ''}: "
            f"{result['rate']:.0f} cases/s, median {result['median_ms']:.1f} ms, "
            f"p95 {result['p95_ms']:.1f} ms, {result['errors']} errors of {result['requests']}; "
            f"ratio to plain SQL {result['rate'] / baseline:.2f}, "
            f"to the bare endpoint {result['rate'] / ceiling['rate']:.2f}; load {load_average()}; "
            f"speed probe {speed_probe():.0f} ms"
        )
        print(f"  {cpu_text(result['cpu'])}")

        if args.cases:
            t0 = time.monotonic()
            out = sh(
                PY,
                "manage.py",
                "shell",
                "-c",
                BULK.replace("sys.argv[-1]", f"'{args.cases}'"),
                env=env,
                capture=True,
                check=False,
            )
            if out.returncode:
                raise SystemExit("loading the cases failed:\n" + out.stderr[-3000:])
            out = out.stdout
            total = next(x for x in out.splitlines() if x.startswith("BENCH-BULK")).split()[1]
            print(f"loaded cases in {time.monotonic() - t0:.0f} s: {total} cases in the table")
            out = sh(PY, "manage.py", "shell", "-c", EXPLAIN, env=env, capture=True).stdout
            explain = json.loads(
                next(x for x in out.splitlines() if x.startswith("BENCH-EXPLAIN "))[14:]
            )
            for label, plan in explain["plans"].items():
                shown = [
                    line.strip()
                    for line in plan
                    if "Index" in line
                    or "Sort" in line
                    or "Seq Scan" in line
                    or "Execution" in line
                ]
                print(f"EXPLAIN ANALYZE {label}: " + " | ".join(shown))
            deep_after = explain["cursors"]["closed"]
            clerk_sessions = [c["session"] for c in setup["clerks"]]
            officer_sessions = [o["session"] for o in setup["officers"]]
            for label, sessions, paths in (
                (
                    "clerk's list (API)",
                    clerk_sessions,
                    [
                        "/api/v1/cases/?tab=intake",
                        "/api/v1/cases/?tab=running",
                        "/api/v1/cases/?tab=results",
                        "/api/v1/cases/?tab=overdue",
                        "/api/v1/cases/?tab=closed",
                    ],
                ),
                (
                    "officer's queue (API)",
                    officer_sessions,
                    [
                        "/api/v1/cases/queue?view=waiting",
                        "/api/v1/cases/queue?view=mine",
                        "/api/v1/cases/queue?view=overdue",
                        "/api/v1/cases/queue?view=decided",
                    ],
                ),
                (
                    "clerk's closed list 100 pages deep, by cursor (API)",
                    clerk_sessions[:1],
                    [f"/api/v1/cases/?tab=closed&after={deep_after}"],
                ),
                (
                    "clerk's closed list 100 pages deep, by page number (OFFSET, API)",
                    clerk_sessions[:1],
                    ["/api/v1/cases/?tab=closed&page=101"],
                ),
                (
                    "clerk's page (HTML)",
                    clerk_sessions,
                    ["/cases/?tab=intake", "/cases/?tab=running", "/cases/?tab=overdue"],
                ),
            ):
                for users in sorted({1, args.users}):
                    n = 150 if users == 1 else 40

                    def list_args(i, sessions=sessions, paths=paths, n=n):
                        base = bases[i % len(bases)]
                        urls = [base + paths[(i + k) % len(paths)] for k in range(n)]
                        return ["-b", f"sessionid={sessions[i % len(sessions)]}", *urls]

                    r = curl_load(users, n, list_args)
                    print(
                        f"{label} over {total} cases, {users} user(s): {r['rate']:.0f} req/s, "
                        f"p50 {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
                        f"{r['errors']} errors; load {load_average()}"
                    )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(10)
        if args.keep:
            print(f"cluster kept: {pgdir} ({url})")
        else:
            sh("bash", "scripts/pg-test-cluster.sh", "stop", pgdir, check=False)
        shutil.rmtree(vardir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
