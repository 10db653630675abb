"""URLs for scripts/bench_cases.py: the project's, plus the bare reference endpoint.

``POST /bench/bare`` is a bare Django + django-ninja endpoint that inserts a case row and an event
row in one transaction (no login, no rules): the ceiling of this machine, server and database,
measured by the same load generator as the real API.
"""

import secrets

from django.db import connection, transaction
from django.urls import path
from ninja import NinjaAPI

from bianmin.urls import urlpatterns as project_urls

bare = NinjaAPI(urls_namespace="bench", docs_url=None, openapi_url=None)


@bare.post("/bare")
def bare_insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_case (number, center_id, state, received_at) "
            "VALUES (%s, 1, 'accepted', now()) RETURNING id",
            [secrets.token_hex(8)],
        )
        case_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO bench_event (case_id, seq, action, at, after) "
            "VALUES (%s, 1, 'open', now(), '{}')",
            [case_id],
        )
    return {"id": case_id}


urlpatterns = [path("bench/", bare.urls), *project_urls]
