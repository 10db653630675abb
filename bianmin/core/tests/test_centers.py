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


# --- Editing the center's record -----------------------------------------------------------------

GOOD_POST = {
    "address": "金安区木厂镇政府一楼",
    "phone": "0564-3330000",
    "complaint_phone": "12345",
    **{
        f"hours.{d}.{part}": value
        for d in range(5)
        for part, value in (
            ("morning_opens", "08:30"),
            ("morning_closes", "12:00"),
            ("afternoon_opens", "14:30"),
            ("afternoon_closes", "17:30"),
        )
    },
}


def test_the_manager_edits_address_phones_and_hours_and_the_center_page_shows_them(
    client, make_user, muchang
):
    client.force_login(make_user(Role.CENTER_MANAGER, center=muchang))
    page = client.get("/centers/341502100000/").content.decode()
    assert "/centers/341502100000/edit/" in page
    response = client.post("/centers/341502100000/edit/", GOOD_POST)
    assert response.status_code == 302
    page = client.get("/centers/341502100000/").content.decode()
    assert "金安区木厂镇政府一楼" in page and "0564-3330000" in page
    assert "周一至周五 上午8:30-12:00，下午14:30-17:30" in page
    assert "中心信息变更记录" in page


def test_a_refused_edit_keeps_every_typed_value_and_names_the_fields(client, make_user, muchang):
    client.force_login(make_user(Role.CENTER_MANAGER, center=muchang))
    bad = {**GOOD_POST, "phone": "3330000", "hours.0.morning_closes": "08:00"}
    response = client.post("/centers/341502100000/edit/", bad, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="center-record"' in body and "<html" not in body  # the HTMX fragment
    assert "咨询电话：“3330000”不是电话号码。" in body
    assert "星期一上午下班时间：须晚于上午上班时间（08:30）。" in body
    for typed in ("3330000", "金安区木厂镇政府一楼", "12345", 'value="08:00"', 'value="17:30"'):
        assert typed in body
    muchang.refresh_from_db()
    assert muchang.phone == ""


def test_a_good_htmx_edit_redirects_to_the_center_page(client, make_user, muchang):
    client.force_login(make_user(Role.CENTER_MANAGER, center=muchang))
    response = client.post("/centers/341502100000/edit/", GOOD_POST, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/centers/341502100000/"


def test_a_time_that_is_not_a_time_is_refused_naming_the_field(client, make_user, muchang):
    client.force_login(make_user(Role.CENTER_MANAGER, center=muchang))
    response = client.post(
        "/centers/341502100000/edit/", {**GOOD_POST, "hours.1.afternoon_opens": "2点半"}
    )
    body = response.content.decode()
    assert "星期二下午上班时间：请按 08:30 的格式填写时间。" in body and 'value="2点半"' in body


def test_a_county_supervisor_edits_a_center_of_her_county_but_not_another(client, make_user):
    jinan = Region.objects.get(code="341502000000")
    client.force_login(make_user(Role.COUNTY_SUPERVISOR, region=jinan))
    assert client.get("/centers/341502100000/edit/").status_code == 200
    assert client.get("/centers/341524100000/edit/").status_code == 403  # 金寨县


def test_a_clerk_sees_the_record_but_may_not_edit_it(client, clerk):
    client.force_login(clerk)
    assert "/edit/" not in client.get("/centers/341502100000/").content.decode()
    assert client.get("/centers/341502100000/edit/").status_code == 403
    assert client.post("/centers/341502100000/edit/", GOOD_POST).status_code == 403


def _log_in(page, base_url: str, user) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill("pw-Bianmin-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base_url + "/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_a_refused_edit_is_swapped_in_place_and_a_good_one_goes_back(
    page, make_user, divisions
):
    """HTMX: the refused form comes back in place with the typed values; a good save returns to
    the center's page, which shows the new record."""
    from playwright.sync_api import expect

    muchang = Region.objects.get(code="341502100000").center
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    _log_in(page, page.base_url, manager)
    page.goto(page.base_url + "/centers/341502100000/edit/")
    page.get_by_label("地址").fill("木厂镇政府一楼")
    page.get_by_label("咨询电话").fill("3330000")
    page.get_by_label("投诉电话").fill("12345")
    page.get_by_label("星期一上午上班时间").fill("08:30")
    page.get_by_label("星期一上午下班时间").fill("12:00")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("咨询电话：“3330000”不是电话号码。")).to_be_visible()
    assert page.url.endswith("/centers/341502100000/edit/")
    expect(page.get_by_label("地址")).to_have_value("木厂镇政府一楼")
    expect(page.get_by_label("星期一上午下班时间")).to_have_value("12:00")
    page.get_by_label("咨询电话").fill("0564-3330000")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(page.base_url + "/centers/341502100000/")
    expect(page.get_by_text("周一 上午8:30-12:00", exact=True)).to_be_visible()
    expect(page.get_by_text("0564-3330000").first).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_edit_page_fits_a_375_px_phone(chromium, live_server, make_user, divisions):
    """The week's hours scroll sideways inside their box (the day column stays); the page does not."""
    from pathlib import Path

    muchang = Region.objects.get(code="341502100000").center
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    context = chromium.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    phone = context.new_page()
    _log_in(phone, live_server.url, manager)
    phone.goto(live_server.url + "/centers/341502100000/edit/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    form = phone.locator("#center-record")
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    shots = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(shots / "center-edit-375.png"))
    context.close()
