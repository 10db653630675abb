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
        if "identity_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
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


def _session_and_user_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and ("identity_session" in q["sql"] or '"identity_user"' in q["sql"])
    ]


def test_a_signed_in_request_reads_its_session_user_and_center_in_one_query(
    client, clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    with django_assert_max_num_queries(50) as queries:
        response = client.get("/api/v1/identity/me")
    assert response.status_code == 200, response.content
    reads = _session_and_user_reads(queries)
    assert len(reads) == 1 and "org_center" in reads[0], reads
    assert not any(
        q["sql"].startswith("SELECT") and 'FROM "org_center"' in q["sql"]
        for q in queries.captured_queries
    )


def test_a_changed_password_signs_the_user_out_of_other_sessions(client, clerk):
    client.force_login(clerk)
    assert client.get("/").status_code == 200
    clerk.set_password("another-Bianmin-2")
    clerk.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, clerk):
    client.force_login(clerk)
    assert client.get("/").status_code == 200
    clerk.is_active = False
    clerk.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_session_row_names_its_user_and_signing_out_removes_it(client, clerk):
    from bianmin.identity.models import Session

    client.post("/login/", {"username": clerk.username, "password": PW})
    assert list(Session.objects.values_list("user_id", flat=True)) == [clerk.pk]
    client.post("/logout/")
    assert not Session.objects.filter(user=clerk).exists()


def test_the_api_hands_services_the_signed_in_user_itself_not_a_lazy_proxy(clerk):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils.functional import SimpleLazyObject

    from bianmin.identity.auth import session_auth
    from bianmin.identity.models import User

    request = RequestFactory().get("/api/v1/identity/me")
    request.user = SimpleLazyObject(lambda: clerk)
    request._cached_user = clerk  # what the middleware's lazy read leaves
    assert type(session_auth.authenticate(request, None)) is User
    assert session_auth.authenticate(request, None) is clerk

    request = RequestFactory().get("/api/v1/identity/me")
    request.user = SimpleLazyObject(AnonymousUser)
    assert session_auth.authenticate(request, None) is None  # signed out: refused as before
