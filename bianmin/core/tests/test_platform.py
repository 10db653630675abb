"""The platform shell: health, the API's description, the demo accounts, translations, deploy mode."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from bianmin.cli import default_workers
from bianmin.core.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_the_database_and_migrations(client):
    response = client.get("/healthz")
    data = response.json()
    assert response.status_code == 200 and data["ok"] is True
    assert data["checks"]["migrations"] == {"ok": True, "pending": []}
    assert data["checks"]["database"]["vendor"] in ("sqlite", "postgresql")


def test_openapi_describes_every_router(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/identity/me",
        "/api/v1/org/centers",
        "/api/v1/workdays/add",
        "/api/v1/identity/devices/me",
    ):
        assert path in paths
    assert "BearerAuth" in str(schema["components"]["securitySchemes"]) or "DeviceTokenAuth" in str(
        schema["components"]["securitySchemes"]
    )


def test_interactive_api_docs_are_served(client):
    assert client.get("/api/v1/docs").status_code == 200


EXPECTED_SCOPES = {
    "admin": ("系统管理员", "全平台"),
    "city": ("市级督导", "六安市"),
    "county": ("县区督导", "金安区"),
    "manager": ("中心负责人", "木厂镇便民服务中心"),
    "clerk": ("综合窗口人员", "木厂镇便民服务中心"),
    "clerk2": ("综合窗口人员", "木厂镇便民服务中心"),
    "clerk_mtc": ("综合窗口人员", "毛坦厂镇便民服务中心"),
    "officer": ("后台审批人员", "金安区民政局"),
}


def test_every_demo_account_logs_in_and_sees_its_scope(client):
    accounts = load_demo(full=False)
    assert {a.username for a in accounts} == set(EXPECTED_SCOPES) | {"citizen"}
    for username, (role, scope) in EXPECTED_SCOPES.items():
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        body = client.get("/").content.decode()
        assert role in body and scope in body, username
        client.post("/logout/")


def test_a_citizen_who_signs_in_on_the_staff_login_lands_on_the_portal(client):
    load_demo(full=False)
    response = client.post(
        "/login/", {"username": "citizen", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/portal/"
    body = response.content.decode()
    assert 'href="/portal/me/"' in body  # the citizen's own bar: 我的办件
    assert "群众/企业" not in body and "综合窗口人员" not in body  # not the staff dashboard
    assert client.get("/")["Location"] == "/portal/"


def test_the_city_supervisor_home_counts_140_centers_by_county(client):
    load_demo(full=False)
    client.post("/login/", {"username": "city", "password": DEMO_PASSWORD})
    body = client.get("/").content.decode()
    assert ">140<" in body and "金寨县" in body


def test_loading_the_demo_twice_is_harmless():
    load_demo(full=False)
    load_demo(full=False)
    from bianmin.identity.models import Person, User

    assert User.objects.filter(username="clerk").count() == 1
    assert Person.objects.count() == 3


CATALOGUES = sorted((ROOT / "bianmin").rglob("locale/zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chinese_catalogue_translates_every_message(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    assert missing == []
    assert not [e.msgid for e in catalogue if "fuzzy" in e.flags]


def test_no_two_catalogues_translate_the_same_message_differently():
    """Django merges the apps' catalogues and the first app wins, so a short msgid such as
    "Notes" translated two ways would show one app's Chinese in the other's page. Use a more
    specific msgid (or pgettext) instead."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    clashes = []
    for path in CATALOGUES:
        for e in polib.pofile(str(path)):
            if e.obsolete or not e.msgstr or e.msgid_plural:
                continue
            key = (e.msgctxt or "", e.msgid)
            where = str(path.relative_to(ROOT / "bianmin")).split("/")[0]
            if key in seen and seen[key][1] != e.msgstr:
                clashes.append(
                    f"{e.msgid!r}: {seen[key][0]} {seen[key][1]!r} vs {where} {e.msgstr!r}"
                )
            seen.setdefault(key, (where, e.msgstr))
    assert clashes == []


def test_each_app_keeps_its_own_catalogue():
    apps = {p.relative_to(ROOT / "bianmin").parts[0] for p in CATALOGUES}
    assert {"locale", "core", "identity", "org", "workdays"} <= apps


def test_english_is_available(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in to Bianmin" in client.get("/login/").content.decode()


def test_time_zone_and_language_defaults():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.LANGUAGE_CODE == "zh-hans"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL run")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_one_worker_on_sqlite(monkeypatch):
    monkeypatch.delenv("BIANMIN_WORKERS", raising=False)
    expected = (
        1
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else min((os.cpu_count() or 1) + 1, 8)
    )
    assert default_workers() == expected
    monkeypatch.setenv("BIANMIN_WORKERS", "3")
    assert default_workers() == 3


def test_production_mode_passes_the_deploy_check_and_refuses_to_start_without_a_secret(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BIANMIN_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        BIANMIN_PRODUCTION="1",
        BIANMIN_ALLOWED_HOSTS="bianmin.example.gov.cn",
        BIANMIN_VAR_DIR=str(tmp_path),
        BIANMIN_DATA_KEY="0f" * 16,
        BIANMIN_LOOKUP_KEY="1e" * 32,
    )
    cmd = [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"]
    refused = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode != 0 and "BIANMIN_SECRET_KEY" in refused.stderr
    env["BIANMIN_SECRET_KEY"] = "k" * 30 + "-production-secret-that-is-long-enough-0123456789"
    passed = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert passed.returncode == 0, passed.stderr + passed.stdout
    env.pop("BIANMIN_DATA_KEY")
    no_key = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert no_key.returncode != 0 and "BIANMIN_DATA_KEY" in no_key.stderr


def test_the_stylesheet_and_htmx_are_served(client):
    for path in ("/static/bianmin/app.css", "/static/vendor/htmx-2.0.8.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 1000, path


def test_a_visitor_who_is_not_logged_in_lands_on_the_citizen_portal(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_staff_whose_session_ran_out_are_sent_to_the_login_page_not_the_portal(client):
    client.cookies["sessionid"] = "expired-session-key"
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
