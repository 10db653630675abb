"""The pages (the checklist on a tablet, saved answer by answer) and the API."""

from __future__ import annotations

import json

import pytest

from bianmin.supervision.models import Inspection, RectificationTask

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", HTTP_X_CSRFTOKEN="x")


@pytest.fixture
def api(client, people):
    client.force_login(people["county"])
    return client


def test_the_overview_starts_an_inspection_and_the_checklist_saves_each_answer(
    client, people, muchang
):
    client.force_login(people["county"])
    page = client.get("/supervision/").content.decode()
    assert "四不两直" in page and "木厂镇便民服务中心" in page
    r = client.post("/supervision/inspections/start/", {"center": "341502100000"})
    insp = Inspection.objects.get()
    assert r["Location"] == f"/supervision/inspections/{insp.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert "配备助听器" in page and "hx-post=" in page and "基础服务设施" in page
    a = insp.answers.get(code="sp_hearing_aid")
    url = f"/supervision/inspections/{insp.pk}/answers/{a.pk}/"
    bad = client.post(url, {"result": "fail", "note": ""}, HTTP_HX_REQUEST="true")
    assert "备注" in bad.content.decode() and 'role="alert"' in bad.content.decode()
    ok = client.post(
        url, {"result": "fail", "note": "未见助听器", "deadline_days": "7"}, HTTP_HX_REQUEST="true"
    )
    body = ok.content.decode()
    assert ok.status_code == 200 and body.startswith("<form") and "已保存" in body
    a.refresh_from_db()
    assert a.result == "fail" and a.deadline_days == 7
    # Finishing too early says what is missing; nothing is lost.
    client.post(f"/supervision/inspections/{insp.pk}/finish/")
    insp.refresh_from_db()
    assert insp.is_open
    for other in insp.answers.exclude(pk=a.pk):
        client.post(f"/supervision/inspections/{insp.pk}/answers/{other.pk}/", {"result": "pass"})
    client.post(f"/supervision/inspections/{insp.pk}/finish/", {"summary": "突击检查"})
    insp.refresh_from_db()
    assert not insp.is_open and RectificationTask.objects.filter(inspection=insp).count() == 1
    page = client.get(f"/supervision/inspections/{insp.pk}/").content.decode()
    assert "hx-post=" not in page and "检查小结（PDF）" in page
    pdf = client.get(f"/supervision/inspections/{insp.pk}/summary.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_another_countys_supervisor_cannot_open_the_checklist(client, people, inspect):
    insp = inspect(finish=False)
    client.force_login(people["county"])
    assert client.get(f"/supervision/inspections/{insp.pk}/summary.pdf").status_code == 404
    client.force_login(people["other_county"])
    assert client.get(f"/supervision/inspections/{insp.pk}/").status_code == 403
    client.force_login(people["clerk"])
    assert client.get("/supervision/").status_code == 403


def test_the_checklist_page_edits_items(client, people):
    client.force_login(people["city"])
    assert "助听器" in client.get("/supervision/checklist/").content.decode()
    bad = client.post("/supervision/checklist/", {"code": "", "area": "layout", "text": "x"})
    assert bad.status_code == 422 and "代码" in bad.content.decode()
    client.post(
        "/supervision/checklist/",
        {"code": "sp_cups", "area": "special_groups", "text": "提供水杯", "active": "1"},
    )
    assert "提供水杯" in client.get("/supervision/checklist/").content.decode()


def test_the_api_runs_an_inspection(api, people):
    r = _post(api, "/api/v1/supervision/inspections", {"center": "341502100000"})
    assert r.status_code == 201, r.content
    body = r.json()
    pk = body["id"]
    assert len(body["answers"]) == 35 and body["unannounced"] is True
    bad = _post(
        api,
        f"/api/v1/supervision/inspections/{pk}/answers/sp_hearing_aid",
        {"result": "fail", "deadline_days": 0, "note": "缺"},
    )
    assert bad.status_code == 422 and "整改期限" in bad.json()["detail"]
    r = _post(
        api,
        f"/api/v1/supervision/inspections/{pk}/answers/sp_hearing_aid",
        {"result": "fail", "note": "缺失", "deadline_days": 3},
    )
    assert r.status_code == 200 and r.json()["deadline_days"] == 3
    for a in body["answers"]:
        if a["code"] != "sp_hearing_aid":
            _post(
                api, f"/api/v1/supervision/inspections/{pk}/answers/{a['code']}", {"result": "na"}
            )
    r = _post(api, f"/api/v1/supervision/inspections/{pk}/finish", {"summary": "API"})
    assert r.status_code == 200 and r.json()["state"] == "finished" and len(r.json()["tasks"]) == 1
    again = _post(
        api, f"/api/v1/supervision/inspections/{pk}/answers/sp_hearing_aid", {"result": "pass"}
    )
    assert again.status_code == 422 and "已结束" in again.json()["detail"]
    task_id = r.json()["tasks"][0]
    tasks = api.get("/api/v1/supervision/tasks").json()
    assert [t["id"] for t in tasks] == [task_id]
    api.force_login(people["manager"])
    r = _post(api, f"/api/v1/supervision/tasks/{task_id}/respond", {"response": "已配备"})
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    api.force_login(people["county"])
    r = _post(api, f"/api/v1/supervision/tasks/{task_id}/verify", {"accept": False})
    assert r.status_code == 422 and "理由" in r.json()["detail"]
    r = _post(api, f"/api/v1/supervision/tasks/{task_id}/verify", {"accept": True})
    assert r.json()["state"] == "accepted"


def test_the_api_refuses_bad_input_and_other_counties(api, people):
    r = _post(api, "/api/v1/supervision/inspections", {"center": "999"})
    assert r.status_code == 422 and "中心" in r.json()["detail"]
    api.force_login(people["other_county"])
    r = _post(api, "/api/v1/supervision/inspections", {"center": "341502100000"})
    assert r.status_code == 403
    assert api.get("/api/v1/supervision/assessment/2026/counties/341502000000").status_code == 403
    assert api.get("/api/v1/supervision/assessment/1990/centers/341502100000").status_code == 422
    assert api.get("/api/v1/supervision/assessment/2026/counties/341599000000").status_code == 422


def test_the_api_gives_the_assessment(api, inspect):
    inspect(fails={"sp_hearing_aid": "缺失"})
    one = api.get("/api/v1/supervision/assessment/2026/centers/341502100000").json()
    keys = [c["key"] for c in one["components"]]
    assert keys[:2] == ["ratings", "cases_on_time"] and one["center"] == "木厂镇便民服务中心"
    counted = [c for c in one["components"] if c["points"] is not None]
    assert sum(c["points"] for c in counted) == pytest.approx(one["score"], abs=0.01)
    ranking = api.get("/api/v1/supervision/assessment/2026/counties/341502000000").json()
    first = ranking[0]
    assert first["center"] == "木厂镇便民服务中心" and first["score"] is not None
    # Measured on inspections alone (20 of 100 weight): listed first, but not ranked.
    assert first["weight_counted"] == 20 and first["ranked"] is False and first["rank"] is None
    assert len(ranking) > 1 and all(r["score"] is None for r in ranking[1:])


def test_the_openapi_schema_names_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for p in (
        "/api/v1/supervision/inspections",
        "/api/v1/supervision/inspections/{pk}/answers/{code}",
        "/api/v1/supervision/inspections/{pk}/finish",
        "/api/v1/supervision/tasks/{pk}/respond",
        "/api/v1/supervision/tasks/{pk}/verify",
        "/api/v1/supervision/assessment/{year}/counties/{code}",
    ):
        assert p in paths
