import pytest

pytestmark = pytest.mark.django_db


def test_calculator_counts_across_national_day(client, clerk):
    client.force_login(clerk)
    response = client.get("/workdays/", {"mode": "add", "start": "2026-09-30", "days": "3"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2026-10-10" in body
    assert "国庆节" in body


def test_calculator_missing_start_gets_a_chinese_message_naming_the_field(client, clerk):
    client.force_login(clerk)
    body = client.get("/workdays/", {"mode": "add", "start": "", "days": "3"}).content.decode()
    assert "起始日期：此项必填。" in body
    body = client.get(
        "/workdays/", {"mode": "add", "start": "2026-13-40", "days": "3"}
    ).content.decode()
    assert "起始日期：请输入日期" in body


def test_calculator_flags_a_provisional_result(client, clerk):
    client.force_login(clerk)
    body = client.get(
        "/workdays/", {"mode": "between", "start": "2026-12-30", "end": "2027-01-10"}
    ).content.decode()
    assert "暂定结果" in body


def test_api_adds_working_days(client):
    data = client.get("/api/v1/workdays/add", {"start": "2026-09-30", "days": 3}).json()
    assert data == {"date": "2026-10-10", "provisional": False, "provisional_years": []}


def test_api_refuses_an_absurd_count_in_chinese(client):
    response = client.get("/api/v1/workdays/add", {"start": "2026-09-30", "days": 99999})
    assert response.status_code == 422
    assert response.json()["detail"] == "工作日数：必须在 -3650 到 3650 之间。"


def test_api_refuses_a_malformed_date(client):
    response = client.get("/api/v1/workdays/add", {"start": "2026-02-30", "days": 1})
    assert response.status_code == 422
    assert "start" in response.json()["errors"]


def test_api_explains_a_day(client):
    data = client.get("/api/v1/workdays/day/2026-02-28").json()
    assert (
        data["is_workday"] is True
        and data["name"] == "春节调休上班"
        and data["source"] == "official"
    )


def test_the_calculator_page_gives_every_input_its_own_id(client, clerk):
    import re

    client.force_login(clerk)
    body = client.get("/workdays/").content.decode()
    ids = re.findall(r'id="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for="add_start"' in body and 'for="between_start"' in body
