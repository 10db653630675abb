import pytest

from bianmin.identity import services
from bianmin.identity.models import PersonalDataAccess
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db
NUMBER = "341502194803151230"


def test_clerk_registers_a_person_and_sees_only_the_masked_number(client, clerk):
    client.force_login(clerk)
    response = client.post(
        "/people/", {"name": "王建国", "id_number": NUMBER, "mobile": "13905641234"}
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "3415**********1230" in body and NUMBER not in body
    assert "139****1234" in body


def test_registering_a_bad_number_keeps_what_was_typed_and_names_the_field(client, clerk):
    client.force_login(clerk)
    body = client.post(
        "/people/", {"name": "王建国", "id_number": "341502194803151231"}
    ).content.decode()
    assert "身份证号码：校验码错误（GB 11643）" in body
    assert 'value="王建国"' in body and 'value="341502194803151231"' in body


def test_finding_a_person_by_number(client, clerk):
    person = services.register_person(name="王建国", id_number=NUMBER)
    client.force_login(clerk)
    body = client.get("/people/", {"id_number": NUMBER}).content.decode()
    assert f"/people/{person.pk}/" in body
    body = client.get("/people/", {"id_number": "11010519491231002X"}).content.decode()
    assert "尚无该身份证号码的办事人" in body


def test_revealing_needs_a_purpose_and_is_logged(client, clerk):
    person = services.register_person(name="王建国", id_number=NUMBER)
    client.force_login(clerk)
    url = f"/people/{person.pk}/reveal/id_number/"
    refused = client.post(url, {"purpose": ""}, HTTP_HX_REQUEST="true")
    assert (
        refused.status_code == 200  # swapped in by HTMX
        and "用途：请说明查看完整号码的原因。" in refused.content.decode()
    )
    assert not PersonalDataAccess.objects.exists()
    shown = client.post(url, {"purpose": "核验申请人身份"}, HTTP_HX_REQUEST="true").content.decode()
    assert NUMBER in shown
    assert PersonalDataAccess.objects.get().purpose == "核验申请人身份"


def test_the_manager_audits_her_centers_access_log(client, clerk, make_user, muchang):
    person = services.register_person(name="王建国", id_number=NUMBER)
    services.reveal_id_number(clerk, person, purpose="核验申请人身份")
    client.force_login(make_user(Role.CENTER_MANAGER, center=muchang))
    body = client.get("/people/access-log/").content.decode()
    assert "核验申请人身份" in body and "3415**********1230" in body and NUMBER not in body


def test_a_county_supervisor_may_not_open_people_records(client, make_user, muchang):
    person = services.register_person(name="王建国", id_number=NUMBER)
    client.force_login(make_user(Role.COUNTY_SUPERVISOR, region=muchang.region.parent))
    assert client.get("/people/").status_code == 403
    forbidden = client.get(f"/people/{person.pk}/")
    assert (
        forbidden.status_code == 403 and "您无权查看该办事人的信息。" in forbidden.content.decode()
    )


def test_api_me_shows_role_and_scope(client, clerk):
    assert client.get("/api/v1/identity/me").status_code == 401
    client.force_login(clerk)
    data = client.get("/api/v1/identity/me").json()
    assert data["role"] == "window_clerk" and data["scope"] == "木厂镇便民服务中心"
    assert data["center_code"] == "341502100000"


def test_api_validate_answers_in_chinese(client):
    ok = client.post(
        "/api/v1/identity/validate",
        {"kind": "identity_number", "value": "11010519491231002x"},
        content_type="application/json",
    ).json()
    assert ok == {
        "valid": True,
        "normalized": "11010519491231002X",
        "errors": [],
        "birth_date": "1949-12-31",
        "sex": "F",
    }
    bad = client.post(
        "/api/v1/identity/validate",
        {"kind": "credit_code", "value": "91350100M000100Y44"},
        content_type="application/json",
    ).json()
    assert bad["valid"] is False and bad["errors"][0].startswith("统一社会信用代码：校验码错误")
    wrong_kind = client.post(
        "/api/v1/identity/validate",
        {"kind": "passport", "value": "x"},
        content_type="application/json",
    )
    assert wrong_kind.status_code == 422 and wrong_kind.json()["errors"]["kind"][0].startswith(
        "校验类型："
    )


def test_api_register_and_lookup_return_masked_data_only(client, clerk):
    client.force_login(clerk)
    created = client.post(
        "/api/v1/identity/people",
        {"name": "王建国", "id_number": NUMBER},
        content_type="application/json",
    )
    assert created.status_code == 200 and created.json()["id_number_masked"] == "3415**********1230"
    assert NUMBER not in created.content.decode()
    found = client.post(
        "/api/v1/identity/people/lookup", {"id_number": NUMBER}, content_type="application/json"
    )
    assert found.json()["name"] == "王建国"
    missing = client.post(
        "/api/v1/identity/people/lookup",
        {"id_number": "11010519491231002X"},
        content_type="application/json",
    )
    assert (
        missing.status_code == 404 and missing.json()["detail"] == "未找到该身份证号码对应的人员。"
    )
    bad = client.post(
        "/api/v1/identity/people",
        {"name": "王建国", "id_number": "123"},
        content_type="application/json",
    )
    assert (
        bad.status_code == 422 and bad.json()["detail"] == "身份证号码：应为 18 位，当前为 3 位。"
    )


def test_api_refuses_people_lookup_to_a_supervisor(client, make_user, divisions):
    client.force_login(make_user(Role.CITY_SUPERVISOR, region=divisions))
    response = client.post(
        "/api/v1/identity/people/lookup", {"id_number": NUMBER}, content_type="application/json"
    )
    assert response.status_code == 403 and "无权查看完整个人信息" in response.json()["detail"]


def test_a_device_authenticates_with_its_token(client, make_user, muchang):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    device, token = services.register_device(
        manager, center=muchang, kind="kiosk", name="大厅自助机1"
    )
    assert client.get("/api/v1/identity/devices/me").status_code == 401
    assert (
        client.get("/api/v1/identity/devices/me", HTTP_AUTHORIZATION="Bearer wrong").status_code
        == 401
    )
    data = client.get("/api/v1/identity/devices/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert data == {
        "name": "大厅自助机1",
        "kind": "kiosk",
        "center": "木厂镇便民服务中心",
        "center_code": "341502100000",
    }
    device.refresh_from_db()
    assert device.last_seen_at is not None and token not in device.token_digest


def test_api_writes_with_a_session_need_the_csrf_token(clerk):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk)
    url = "/api/v1/identity/people/lookup"
    refused = strict.post(url, {"id_number": NUMBER}, content_type="application/json")
    assert refused.status_code in (401, 403)
    strict.get("/")  # any page with a form sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    allowed = strict.post(
        url, {"id_number": NUMBER}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert allowed.status_code == 404  # authenticated; nobody registered with that number
