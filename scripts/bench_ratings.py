"""Benchmark of ratings: how fast ratings are recorded, and how long the figures take over the
demo's 50,000 ratings.

    BIANMIN_VAR_DIR=<a var dir with the demo loaded> .venv/bin/python scripts/bench_ratings.py [--n 2000]

1. in one transaction that is rolled back at the end: ``--n`` finished visits at 木厂镇, each
   rated through ``services.submit_rating`` (one transaction per rating, as the pad does; 2 % bad,
   each opening its rectification) — ratings per second and per-rating p50/p95;
2. ``figures.compute`` for 木厂镇 and for the county (all centers in 金安区) over a year:
   the time of the whole figures page's queries (median of 5).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianmin.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bianmin.feedback import figures, services  # noqa: E402
from bianmin.hall.models import Window  # noqa: E402
from bianmin.identity.models import User  # noqa: E402
from bianmin.org.models import Center  # noqa: E402
from bianmin.queueing.models import Visit  # noqa: E402


class Rollback(Exception):
    pass


def rate_many(n: int) -> None:
    center = Center.objects.get(region__code="341502100000")
    clerk = User.objects.get(username="clerk")
    window = Window.objects.get(center=center, number=3)
    now = timezone.now()
    rng = random.Random(3)
    times = []
    try:
        with transaction.atomic():
            visits = Visit.objects.bulk_create(
                [
                    Visit(
                        center=center,
                        opened_at=now - dt.timedelta(minutes=10),
                        first_responder=clerk,
                        first_window=window,
                        ended_at=now - dt.timedelta(minutes=1),
                        ended_by=clerk,
                        outcome="enquiry",
                    )
                    for _ in range(n)
                ]
            )
            start = time.perf_counter()
            for v in visits:
                t = time.perf_counter()
                inv = services.invitation_for_visit(v)
                services.submit_rating(
                    token=inv.token, level=2 if rng.random() < 0.02 else 5, channel="sms"
                )
                times.append(time.perf_counter() - t)
            total = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    times.sort()
    print(
        f"ratings: {n} in {total:.1f} s = {n / total:.0f}/s; per rating p50 "
        f"{times[len(times) // 2] * 1000:.1f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms "
        f"({connection.vendor})"
    )


def figures_time() -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=364)
    for label, centers in [
        ("木厂镇", Center.objects.filter(region__code="341502100000")),
        ("金安区", Center.objects.filter(region__parent__code="341502000000")),
    ]:
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            f = figures.compute(centers, start, today)
            runs.append(time.perf_counter() - t)
        print(
            f"figures {label}: {f.total} ratings, rate {f.rate_text}, "
            f"median {statistics.median(runs) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    print("load:", open("/proc/loadavg").read().strip())
    rate_many(args.n)
    figures_time()
