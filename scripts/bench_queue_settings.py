"""Settings for `scripts/bench_queue.py --connections-per-thread/--pool`: the project's settings,
with the PostgreSQL connections kept instead of opened for every request.

The project's settings open a new PostgreSQL connection for every request (``CONN_MAX_AGE=0``):
under Django's ASGI handler each request runs in a thread of its own, so a kept connection
would never be used again and they would pile up. Served through ``bianmin.queueing.asgi``
(requests in a fixed pool of threads) a kept connection per thread is safe and bounded; Django's
own pool (``OPTIONS["pool"]``, package ``psycopg-pool``) is the other way. The benchmark
measures the settings as shipped and these.
"""

import os

from bianmin.settings import *  # noqa: F403
from bianmin.settings import DATABASES

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    if os.environ.get("BENCH_DB") == "pool":
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 8}
    else:  # one kept connection per serving thread
        DATABASES["default"]["CONN_MAX_AGE"] = 600
