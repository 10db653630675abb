"""Login in Chinese, lockout after repeated failures, idle timeout, Argon2 hashing."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bianmin.identity.models import LoginAttempt
from bianmin.identity.services import lock_status

pytestmark = pytest.mark.django_db
PW = "pw-Bianmin-1"


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_the_login_page_is_in_chinese(client):
    body = client.get("/login/").content.decode()
    assert "登录便民服务平台" in body and "账号" in body and "密码" in body


def test_a_clerk_logs_in_and_lands_on_her_centers_home_page(client, clerk):
    response = login(client, clerk.username, PW)
    assert response.status_code == 302 and response.url == "/"
    body = client.get("/").content.decode()
    assert "木厂镇便民服务中心" in body and "综合窗口人员" in body


def test_a_wrong_password_says_so_in_chinese_and_counts_down(client, clerk):
    body = login(client, clerk.username, "wrong").content.decode()
    assert "账号或密码错误。再错 4 次账号将被锁定。" in body


def test_empty_fields_are_named_in_the_message(client):
    body = client.post("/login/", {"username": "", "password": ""}).content.decode()
    assert "账号：请输入账号。" in body and "密码：请输入密码。" in body


def test_five_failures_lock_the_account_even_for_the_right_password(client, clerk):
    for _ in range(4):
        login(client, clerk.username, "wrong")
    body = login(client, clerk.username, "wrong").content.decode()
    assert "登录失败次数过多，该账号已被锁定" in body
    body = login(client, clerk.username, PW).content.decode()
    assert "该账号已被锁定" in body
    assert not client.session.get("_auth_user_id")


def test_the_lock_lifts_after_the_window(client, clerk, settings):
    for _ in range(5):
        login(client, clerk.username, "wrong")
    assert lock_status(clerk.username).locked
    later = timezone.now() + dt.timedelta(minutes=settings.BIANMIN_LOCKOUT_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert not lock_status(clerk.username).locked
        assert login(client, clerk.username, PW).status_code == 302


def test_a_success_resets_the_count(client, clerk):
    for _ in range(4):
        login(client, clerk.username, "wrong")
    assert login(client, clerk.username, PW).status_code == 302
    client.logout()
    body = login(client, clerk.username, "wrong").content.decode()
    assert "再错 4 次" in body


def test_deleting_the_failed_attempts_unlocks_the_account(client, clerk):
    for _ in range(5):
        login(client, clerk.username, "wrong")
    LoginAttempt.objects.filter(username=clerk.username).delete()
    assert login(client, clerk.username, PW).status_code == 302


def test_an_idle_session_expires_after_thirty_minutes(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, clerk.username, PW)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200  # activity renews the session
    with time_machine.travel(start + dt.timedelta(minutes=51), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_login_page_says_why_when_an_idle_session_has_ended(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, clerk.username, PW)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get("/", follow=True)
        assert "登录已失效" in response.content.decode()
    # A first visit, with no session cookie at all, is not told its login ended.
    client.cookies.clear()
    assert "登录已失效" not in client.get("/login/").content.decode()


def test_a_page_poll_after_the_session_ended_sends_the_whole_page_to_login(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, clerk.username, PW)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get(
            "/",
            follow=True,
            headers={
                "HX-Request": "true",
                "HX-Current-URL": "http://testserver/cases/?state=received",
            },
        )
    # Not a login page swapped into a panel: HTMX is told to load the login page itself,
    # with the way back to the page the clerk was on.
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?next=%2Fcases%2F%3Fstate%3Dreceived"


def test_a_poll_from_another_site_is_not_sent_back_there(client):
    response = client.get(
        "/login/", headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"}
    )
    assert response.status_code == 204 and response["HX-Redirect"] == "/login/"


def test_passwords_are_hashed_with_argon2_in_production_settings(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert make_password("x").startswith("argon2")
    from bianmin import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
