"""Pages and the API: the rating link, the pad, staff pages, the citizen's report, figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from bianmin.feedback import services
from bianmin.feedback.models import Rating, UnresolvedReport

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def recent_case(make_case):
    return make_case(when=timezone.now() - dt.timedelta(hours=1))


def test_the_rating_link_page_rates_and_refuses_a_second_time(client, recent_case):
    inv = services.invitation_for_case(recent_case)
    page = client.get(f"/rate/{inv.token}/")
    assert "服务评价" in page.content.decode() and "张敏" in page.content.decode()
    client.post(
        f"/rate/{inv.token}/", {"level": "2", "reasons": ["service_level"], "comment": "慢"}
    )
    rating = Rating.objects.get(invitation=inv)
    assert rating.channel == "sms" and rating.rectification
    page = client.get(f"/rate/{inv.token}/").content.decode()
    assert "中心正在核实您的评价" in page
    again = client.post(f"/rate/{inv.token}/", {"level": "5"})
    assert again.status_code == 200  # the page shows the rating; nothing new is recorded
    assert Rating.objects.filter(invitation=inv).count() == 1


def test_an_unknown_rating_link_is_not_found(client):
    assert client.get("/rate/nothing-here/").status_code == 404


def test_the_pad_needs_its_token_then_shows_the_service(client, pad, make_visit):
    assert "评价器设置" in client.get("/rate/pad/").content.decode()
    bad = client.post("/rate/pad/", {"token": "wrong"})
    assert bad.status_code == 422
    client.post("/rate/pad/", {"token": pad.token})
    page = client.get("/rate/pad/").content.decode()
    assert "3号窗口" in page
    make_visit(when=timezone.now() - dt.timedelta(minutes=1))
    current = client.get("/rate/pad/current/").content.decode()
    assert "高龄津贴申领" in current
    token = current.split('name="token" value="')[1].split('"')[0]
    done = client.post("/rate/pad/rate/", {"token": token, "level": "5"}).content.decode()
    assert "感谢您的评价" in done


def test_staff_pages_answer_in_scope(client, staff, recent_case):
    inv = services.invitation_for_case(recent_case)
    services.submit_rating(token=inv.token, level=1, channel="sms")
    client.force_login(staff["manager"])
    assert recent_case.number in client.get("/feedback/").content.decode()
    rect = Rating.objects.get(invitation=inv).rectification
    assert "待核实" in client.get(f"/feedback/rectifications/{rect.pk}/").content.decode()
    response = client.post(
        f"/feedback/rectifications/{rect.pk}/", {"step": "close", "callback_result": "satisfied"}
    )
    assert "未答复评价人" in response.content.decode()
    figures = client.get("/feedback/figures/").content.decode()
    assert 'data-testid="positive-rate">0%' in figures
    client.force_login(staff["county"])
    assert client.get(f"/feedback/rectifications/{rect.pk}/").status_code == 200


def test_a_citizen_reports_without_logging_in_and_sees_the_progress(client, muchang):
    response = client.post(
        "/report/",
        {
            "center": muchang.pk,
            "wanted": "办理房屋过户",
            "cause": "not_entered",
            "why": "乡镇不能办",
            "mobile": "13905641234",
        },
    )
    report = UnresolvedReport.objects.get()
    assert response.url == f"/report/{report.token}/"
    assert (
        "已受理" in client.get(response.url).content.decode()
        or "办理房屋过户" in client.get(response.url).content.decode()
    )
    missing = client.post(
        "/report/", {"center": muchang.pk, "wanted": "x", "cause": "other", "why": "y"}
    )
    assert "手机号码" in missing.content.decode()


def test_the_clerk_records_a_report_at_the_window(client, staff, window):
    client.force_login(staff["clerk"])
    response = client.post(
        "/feedback/reports/",
        {
            "source": "unresolved_window",
            "window": window.pk,
            "wanted": "开具无犯罪记录证明",
            "cause": "not_entered",
            "why": "需到派出所",
        },
    )
    assert response.status_code == 302
    assert "开具无犯罪记录证明" in client.get("/feedback/reports/").content.decode()


def test_the_api_rates_by_token_and_answers_in_chinese(client, recent_case):
    inv = services.invitation_for_case(recent_case)
    info = client.get(f"/api/v1/feedback/invitations/{inv.token}").json()
    assert info["clerk_name"] == "张敏" and not info["rated"]
    body = {"token": inv.token, "level": 4, "reasons": ["service_attitude"], "channel": "portal"}
    response = client.post(
        "/api/v1/feedback/ratings", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    again = client.post(
        "/api/v1/feedback/ratings", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 422 and "已经评价" in again.json()["detail"]


def test_the_pad_api_uses_the_device_token(client, pad, make_visit):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {pad.token}"}
    assert client.get("/api/v1/feedback/pad/current", **auth).status_code == 204
    make_visit(when=timezone.now() - dt.timedelta(minutes=1))
    current = client.get("/api/v1/feedback/pad/current", **auth).json()
    body = {"token": current["token"], "level": 1, "comment": "态度差"}
    response = client.post(
        "/api/v1/feedback/ratings", json.dumps(body), content_type="application/json", **auth
    )
    assert response.status_code == 201 and response.json()["rectification"]
    assert response.json()["channel"] == "pad"
    wrong = {"HTTP_AUTHORIZATION": "Bearer nope"}
    assert client.get("/api/v1/feedback/pad/current", **wrong).status_code == 401


def test_the_api_walks_a_rectification_and_reports_figures(client, staff, recent_case):
    inv = services.invitation_for_case(recent_case)
    rating = services.submit_rating(token=inv.token, level=2, channel="sms")
    client.force_login(staff["manager"])
    pk = rating.rectification.pk

    def post(path, data):
        return client.post(
            f"/api/v1/feedback{path}", json.dumps(data), content_type="application/json"
        )

    assert (
        post(f"/rectifications/{pk}/verify", {"finding": "maybe", "note": "x"}).status_code == 422
    )
    assert (
        post(f"/rectifications/{pk}/verify", {"finding": "true", "note": "属实"}).status_code == 200
    )
    assert post(f"/rectifications/{pk}/rectify", {"measures": "培训"}).status_code == 200
    assert post(f"/rectifications/{pk}/answer", {"answer": "已整改"}).status_code == 200
    closed = post(f"/rectifications/{pk}/close", {"callback_result": "satisfied"})
    assert closed.json()["state"] == "closed"
    assert client.get(f"/api/v1/feedback/invitations/{inv.token}").json()["answer"] == "已整改"
    f = client.get("/api/v1/feedback/figures").json()
    assert f["total"] == 1 and f["bad"] == 1 and f["rectifications"]["closed_on_time"] == 1
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/feedback/ratings" in schema["paths"]


def test_the_clerk_may_not_close_through_the_api(client, staff, recent_case):
    inv = services.invitation_for_case(recent_case)
    rating = services.submit_rating(token=inv.token, level=2, channel="sms")
    client.force_login(staff["clerk"])
    response = client.post(
        f"/api/v1/feedback/rectifications/{rating.rectification.pk}/verify",
        json.dumps({"finding": "true", "note": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_demo_reproduces_the_policy_scale(staff, window, other_window, monkeypatch, muchang):
    from bianmin.feedback import demo, figures
    from bianmin.identity.models import User

    for username, user in [
        ("manager", staff["manager"]),
        ("clerk", staff["clerk"]),
        ("county", staff["county"]),
    ]:
        User.objects.filter(pk=user.pk).update(username=username)
    other_window.number = 2
    other_window.save()
    monkeypatch.setattr(demo, "PER_CENTER", {demo.MUCHANG: 3000})
    made = demo.load_feedback_demo()
    assert made >= 3000
    assert demo.load_feedback_demo() == 0  # idempotent
    today = timezone.localdate()
    f = figures.compute([muchang], today - dt.timedelta(days=364), today)
    assert f.total >= 3000 and f.bad == 6 and f.excluded == 1 and f.rate > 0.99
    assert f.rect_open == 4 and f.rect_escalated == 1 and f.appeals_upheld == 1
    assert at  # the helper module is shared


def test_the_manager_sets_the_rules_and_registers_a_pad(client, staff, window, muchang):
    client.force_login(staff["manager"])
    page = client.post("/feedback/settings/", {"step": "pad", "window": window.pk}).content.decode()
    token = page.split("<code>")[1].split("</code>")[0]
    assert services.find_invitation(token) is None and len(token) > 30
    bad = client.post(
        "/feedback/settings/",
        {
            "rating_days": "0",
            "unrated_rule": "unrated",
            "rectification_days": "5",
            "report_days": "5",
            "pad_pickup_minutes": "10",
        },
    )
    assert "1 到 90" in bad.content.decode()
    client.post(
        "/feedback/settings/",
        {
            "rating_days": "15",
            "unrated_rule": "satisfied",
            "rectification_days": "3",
            "report_days": "5",
            "pad_pickup_minutes": "10",
        },
    )
    s = services.settings_for(muchang)
    assert (s.rating_days, s.unrated_rule, s.rectification_days, s.sms_invitation) == (
        15,
        "satisfied",
        3,
        False,
    )
    client.force_login(staff["clerk"])
    assert client.get("/feedback/settings/").status_code == 403


def test_a_kiosk_offers_and_takes_a_rating_through_the_api(client, staff, muchang, pad):
    from bianmin.identity.services import register_device

    _kiosk, token = register_device(staff["manager"], center=muchang, kind="kiosk", name="自助机")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = json.dumps({"reference": "print-42", "label": "打印社保参保证明"})
    inv = client.post(
        "/api/v1/feedback/kiosk/invitations", body, content_type="application/json", **auth
    ).json()
    rating = client.post(
        "/api/v1/feedback/ratings",
        json.dumps({"token": inv["token"], "level": 5}),
        content_type="application/json",
        **auth,
    )
    assert rating.status_code == 201 and rating.json()["channel"] == "kiosk"
    # A rating pad is not a kiosk.
    pad_auth = {"HTTP_AUTHORIZATION": f"Bearer {pad.token}"}
    refused = client.post(
        "/api/v1/feedback/kiosk/invitations", body, content_type="application/json", **pad_auth
    )
    assert refused.status_code == 422


def test_the_rater_sees_that_an_excluded_rating_is_not_counted(client, staff, recent_case):
    inv = services.invitation_for_case(recent_case)
    rating = services.submit_rating(token=inv.token, level=1, channel="sms")
    appeal = services.file_appeal(staff["manager"], rating, ground="mistaken", reason="评错了窗口")
    services.review_appeal(staff["county"], appeal, uphold=True, note="评价人来电说明误评")
    page = client.get(f"/rate/{inv.token}/").content.decode()
    assert "不计入统计" in page and "评价人来电说明误评" in page
    assert "中心正在核实" not in page
