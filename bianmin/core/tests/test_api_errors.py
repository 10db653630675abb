"""A request the API's schemas refuse is answered in Chinese, naming the field in Chinese (with
its key for the integrator) and what is wrong with it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, make_user, divisions):
    from bianmin.identity.roles import Role
    from bianmin.org.models import Center

    clerk = make_user(Role.WINDOW_CLERK, center=Center.objects.get(region__code="341502100000"))
    client.force_login(clerk)
    return client


def test_a_missing_field_is_named_in_chinese(clerk_client):
    response = clerk_client.post(
        "/api/v1/cases/", {"applicant": {"name": "王大爷"}}, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 422
    assert body["errors"]["item"] == ["事项（item）：此项必填。"]
    assert body["detail"] in sum(body["errors"].values(), [])


def test_a_wrong_type_says_what_it_should_be(clerk_client):
    response = clerk_client.post(
        "/api/v1/cases/",
        {
            "item": "高龄津贴",
            "applicant": {"name": "王大爷"},
            "pledge": {"due": "下周五", "signer": "王大爷"},
        },
        content_type="application/json",
    )
    errors = response.json()["errors"]
    assert errors["item"] == ["事项（item）：必须是整数。"]
    assert errors["pledge.due"] == ["承诺补交日期（pledge.due）：应为日期（YYYY-MM-DD）。"]


def test_a_body_that_is_not_json_is_refused_in_chinese(clerk_client):
    response = clerk_client.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["detail"] == "请求内容不是有效的 JSON。"
