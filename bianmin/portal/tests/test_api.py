"""The portal's API: login codes, progress lookups, my applications."""

from __future__ import annotations

import pytest

from bianmin.cases import online
from bianmin.portal import services, sms

from .conftest import PDF_BYTES, WANG_MOBILE, materials

pytestmark = pytest.mark.django_db


def test_a_code_is_requested_and_the_second_is_refused_in_chinese(client, citizen):
    ok = client.post(
        "/api/v1/portal/login/code", {"mobile": WANG_MOBILE}, content_type="application/json"
    )
    assert ok.status_code == 202 and ok.json() == {"sent": True, "valid_minutes": 10}
    assert len(sms.outbox) == 1
    again = client.post(
        "/api/v1/portal/login/code", {"mobile": WANG_MOBILE}, content_type="application/json"
    )
    assert again.status_code == 422 and "验证码" in again.json()["detail"]


def test_progress_by_api_answers_the_same_for_a_wrong_phone(client, citizen, online_item, muchang):
    m = materials(online_item)
    case = online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[online.OnlineFile(m["户口簿"], "a.pdf", PDF_BYTES)],
    )
    wrong = client.post(
        "/api/v1/portal/progress",
        {"number": case.number, "secret": "13800009999"},
        content_type="application/json",
    )
    unknown = client.post(
        "/api/v1/portal/progress",
        {"number": "nope", "secret": WANG_MOBILE},
        content_type="application/json",
    )
    assert wrong.status_code == unknown.status_code == 422
    assert wrong.json() == unknown.json()
    ok = client.post(
        "/api/v1/portal/progress",
        {"number": case.number, "secret": WANG_MOBILE},
        content_type="application/json",
    )
    assert (
        ok.status_code == 200
        and ok.json()["applicant"] == "王**"
        and ok.json()["state"] == "received"
    )


def test_my_applications(client, citizen, online_item, muchang, clerk):
    services.start_application(citizen, item=online_item, center=muchang)
    client.force_login(citizen)
    rows = client.get("/api/v1/portal/applications").json()
    assert [(r["item"], r["status"], r["case_number"]) for r in rows] == [
        ("高龄津贴申领", "draft", None)
    ]
    client.force_login(clerk)
    assert client.get("/api/v1/portal/applications").status_code == 403
