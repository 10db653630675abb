import pytest

from bianmin.identity.roles import Role
from bianmin.org.models import Region

pytestmark = pytest.mark.django_db


def test_public_api_lists_the_centers_of_a_county(client, divisions):
    data = client.get("/api/v1/org/centers", {"county": "341502000000"}).json()
    names = [c["name"] for c in data]
    assert "木厂镇便民服务中心" in names
    assert all(c["county"] == "金安区" for c in data)
    assert len(data) == Region.objects.filter(parent__code="341502000000").count()


def test_public_api_shows_one_center_and_answers_404_in_chinese(client, divisions):
    assert client.get("/api/v1/org/centers/341502100000").json()["township"] == "木厂镇"
    missing = client.get("/api/v1/org/centers/999999999999")
    assert missing.status_code == 404 and missing.json()["detail"] == "未找到。"


def test_public_api_lists_the_seven_counties(client, divisions):
    data = client.get("/api/v1/org/regions", {"level": "county"}).json()
    assert [r["name"] for r in data] == [
        "金安区",
        "裕安区",
        "叶集区",
        "霍邱县",
        "舒城县",
        "金寨县",
        "霍山县",
    ]


def test_county_supervisor_sees_only_the_centers_of_her_county(client, make_user):
    jinan = Region.objects.get(code="341502000000")
    client.force_login(make_user(Role.COUNTY_SUPERVISOR, region=jinan))
    body = client.get("/centers/").content.decode()
    assert "木厂镇便民服务中心" in body
    assert "梅山镇便民服务中心" not in body  # 金寨县
    assert client.get("/centers/341524100000/").status_code == 403


def test_city_supervisor_sees_all_140_centers(client, make_user):
    client.force_login(
        make_user(Role.CITY_SUPERVISOR, region=Region.objects.get(code="341500000000"))
    )
    body = client.get("/centers/").content.decode()
    assert "140 个中心" in body


def test_clerk_sees_her_own_center_but_not_the_next_township(client, clerk):
    client.force_login(clerk)
    assert client.get("/centers/341502100000/").status_code == 200
    response = client.get("/centers/341502104000/")
    assert response.status_code == 403
