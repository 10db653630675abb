"""The staffing page and its API: who may see a center's plan (its manager and clerks, the
supervisors over it), who may change it (its manager), and what they see."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from bianmin.identity.roles import Role
from bianmin.org.models import Region
from bianmin.staffing import services
from bianmin.staffing.models import ExpectedPeak

from .conftest import PENSION_PEAK

URL = "/staffing/341502100000/"
API = "/api/v1/staffing/centers/341502100000"


@pytest.fixture
def pension_peak(friday, muchang, manager, queues, usual_mondays):
    return services.add_peak(manager, muchang, **PENSION_PEAK)


def logged_in(client, user):
    client.force_login(user)
    return client


def test_the_manager_sees_next_monday_short_of_a_window_from_9_to_11(
    client, manager, pension_peak, django_assert_max_num_queries
):
    logged_in(client, manager)
    # A fixed number, whatever the queues, hours and weeks of history: the center's set-up
    # (read once per process and cached), then one query each for the history, the service
    # times, the bookings and the peaks.
    with django_assert_max_num_queries(20):
        response = client.get(URL)
    with django_assert_max_num_queries(10):
        client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年11月30日" in html  # the next working day by default
    assert (
        "C 社会保障类：09:00–11:00 需要 2 个窗口，已安排 1 个 → 09:00–11:00 为本队列加开第二个分领域窗口。"
        in html
    )
    assert html.count('class="short"') == 2  # C at 9 and at 10, in red
    assert "养老保险集中参保缴费" in html and "陈主任" in html
    assert 'data-testid="peak-form"' in html  # the manager may add peaks
    assert "staffing-chart" in html and "echarts-5.6.0.min.js" in html
    # Each forecast links to the days it came from (their queue figures).
    assert "/queue/341502100000/figures/?day=2026-11-23" in html


def test_the_page_reads_a_chosen_day(client, manager, pension_peak):
    html = logged_in(client, manager).get(URL + "?day=2026-12-01").content.decode()
    assert "2026年12月1日" in html and 'class="short"' not in html


def test_a_clerk_of_the_center_reads_the_plan_but_cannot_change_it(
    client, make_user, muchang, pension_peak
):
    clerk = make_user(Role.WINDOW_CLERK, center=muchang)
    html = logged_in(client, clerk).get(URL).content.decode()
    assert "为本队列加开第二个分领域窗口" in html
    assert 'data-testid="peak-form"' not in html
    response = client.post(URL + "peaks/", {"queue": "C", "name": "x"})
    assert response.status_code == 403


def test_a_clerk_of_another_center_is_refused(client, make_user, maotanchang, pension_peak):
    stranger = make_user(Role.WINDOW_CLERK, center=maotanchang)
    assert logged_in(client, stranger).get(URL).status_code == 403


def test_supervisors_see_the_centers_in_their_scope_only(client, make_user, pension_peak):
    county = make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code="341502000000"))
    assert logged_in(client, county).get(URL).status_code == 200
    other = make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code="341524000000"))
    assert logged_in(Client(), other).get(URL).status_code == 403


def test_the_manager_adds_a_peak_through_the_form(client, manager, friday, queues, usual_mondays):
    logged_in(client, manager)
    response = client.post(URL + "peaks/", PENSION_PEAK)
    assert response.status_code == 302
    assert response["Location"] == URL + "?day=2026-11-30"
    html = client.get(response["Location"]).content.decode()
    assert "为本队列加开第二个分领域窗口" in html


def test_bad_input_in_the_form_is_shown_by_the_field_and_kept(client, manager, friday, queues):
    logged_in(client, manager)
    response = client.post(
        URL + "peaks/",
        {**PENSION_PEAK, "starts_hour": "11", "ends_hour": "9", "extra_people": "二十"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "结束时间：结束（9:00）必须晚于开始（11:00）。" in html
    assert "额外人数：请填写整数人数，如 30。" in html
    assert 'value="养老保险集中参保缴费"' in html  # what was typed is not lost
    assert not ExpectedPeak.objects.exists()


def test_the_manager_removes_a_peak(client, manager, pension_peak):
    logged_in(client, manager)
    response = client.post(f"{URL}peaks/{pension_peak.pk}/remove/")
    assert response.status_code == 302
    pension_peak.refresh_from_db()
    assert pension_peak.removed_by == manager
    html = client.get(URL).content.decode()
    assert 'class="short"' not in html and "peak-removed" in html


def test_the_manager_saves_the_waiting_target(client, manager, friday, queues):
    logged_in(client, manager)
    response = client.post(
        URL + "target/", {"target_minutes": "10", "target_share": "90", "history_weeks": "4"}
    )
    assert response.status_code == 302
    bad = client.post(
        URL + "target/", {"target_minutes": "0", "target_share": "90", "history_weeks": "4"}
    )
    assert bad.status_code == 422
    assert "等候目标（分钟）：请填写 1 到 120 之间的整数。" in bad.content.decode()


def test_the_index_leads_to_the_users_center(client, manager):
    response = logged_in(client, manager).get("/staffing/")
    assert response["Location"] == URL


# --- API -----------------------------------------------------------------------------------------


def test_the_api_gives_the_plan_per_queue_and_hour(client, manager, pension_peak):
    response = logged_in(client, manager).get(f"{API}/plan?day=2026-11-30")
    assert response.status_code == 200
    data = response.json()
    assert (data["day"], data["target_minutes"], data["target_share"]) == ("2026-11-30", 15, 80)
    c = next(q for q in data["queues"] if q["letter"] == "C")
    nine = next(h for h in c["hours"] if h["hour"] == 9)
    assert (nine["forecast"], nine["needed"], nine["planned"], nine["shortfall"]) == (14.0, 2, 1, 1)
    assert nine["usual"] == 4.0 and nine["peak_extra"] == 10.0
    assert {"day": "2026-11-23", "tickets": 4} in nine["history"]
    (short,) = [r for r in data["recommendations"] if r["kind"] == "open"]
    assert (short["queue"], short["starts"], short["ends"]) == ("C", "09:00", "11:00")
    assert data["peaks"][0]["entered_by"] == "陈主任"


def test_the_api_plans_the_next_working_day_by_default(client, manager, pension_peak):
    assert logged_in(client, manager).get(f"{API}/plan").json()["day"] == "2026-11-30"


def test_the_api_refuses_a_bad_day_and_strangers(client, manager, make_user, maotanchang, friday):
    logged_in(client, manager)
    bad = client.get(f"{API}/plan?day=2026-13-01")
    assert bad.status_code == 422 and bad.json()["detail"] == "日期：请按 YYYY-MM-DD 填写日期。"
    stranger = make_user(Role.WINDOW_CLERK, center=maotanchang)
    assert logged_in(Client(), stranger).get(f"{API}/plan").status_code == 403
    assert Client().get(f"{API}/plan").status_code == 401


def test_the_api_enters_and_removes_peaks(client, manager, friday, queues):
    logged_in(client, manager)
    body = {**PENSION_PEAK, "starts_hour": 9, "ends_hour": 11, "extra_people": 20}
    created = client.post(f"{API}/peaks", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    peak = created.json()
    assert (peak["queue"], peak["extra_people"], peak["entered_by"]) == ("C", 20, "陈主任")
    gone = client.delete(f"{API}/peaks/{peak['id']}")
    assert gone.status_code == 204
    assert ExpectedPeak.objects.get().removed_by == manager


def test_the_api_refuses_bad_peaks_in_chinese(client, manager, make_user, muchang, friday, queues):
    logged_in(client, manager)
    body = {**PENSION_PEAK, "starts_hour": 11, "ends_hour": 9}
    bad = client.post(f"{API}/peaks", json.dumps(body), content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"]["ends_hour"] == ["结束时间：结束（9:00）必须晚于开始（11:00）。"]
    clerk = make_user(Role.WINDOW_CLERK, center=muchang)
    body["ends_hour"] = 12
    refused = logged_in(Client(), clerk).post(
        f"{API}/peaks", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 403
    assert not ExpectedPeak.objects.exists()


def test_the_api_wants_the_csrf_token_on_writes(manager, friday, queues):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    body = PENSION_PEAK
    response = client.post(f"{API}/peaks", json.dumps(body), content_type="application/json")
    assert response.status_code == 403
    assert not ExpectedPeak.objects.exists()


def test_the_openapi_schema_describes_the_staffing_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/staffing/centers/{code}/plan" in paths
    assert "post" in paths["/api/v1/staffing/centers/{code}/peaks"]
    assert "delete" in paths["/api/v1/staffing/centers/{code}/peaks/{pk}"]
