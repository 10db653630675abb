"""Settings for scripts/bench_cases.py: the project's settings as deployed (DEBUG off: with it on,
Django wraps every cursor to record each query), with the database connection's lifetime taken
from BENCH_CONN_MAX_AGE (to compare persistent connections with one per request)."""

import os

from bianmin.settings import *  # noqa: F403
from bianmin.settings import DATABASES

if os.environ.get("BENCH_CONN_MAX_AGE") not in (None, ""):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])

ROOT_URLCONF = "bench_cases_urls"
DEBUG = False
