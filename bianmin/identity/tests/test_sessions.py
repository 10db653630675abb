"""The idle timeout without a session write per request: renewed at most once a minute."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db
PW = "pw-Bianmin-1"


def session_writes(queries) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    )


def test_a_busy_session_is_written_at_most_once_a_minute(
    client, clerk, django_assert_max_num_queries
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/login/", {"username": clerk.username, "password": PW})
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        with django_assert_max_num_queries(50) as queries:
            assert client.get("/").status_code == 200
        assert session_writes(queries) == 0
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        with django_assert_max_num_queries(50) as queries:
            assert client.get("/").status_code == 200
        assert session_writes(queries) == 1


def test_activity_every_few_minutes_keeps_the_session_for_hours(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/login/", {"username": clerk.username, "password": PW})
    for minutes in range(20, 200, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + dt.timedelta(minutes=180 + 31), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith("/login/")
