"""The portal's pages through the test client: login by code, first-time registration, the
draft form with good and bad uploads, the case page, lookups, the kiosk, the demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bianmin.cases.models import Case
from bianmin.portal import sms
from bianmin.portal.demo import load_portal_demo
from bianmin.portal.models import Application

from .conftest import PDF_BYTES, WANG_ID, WANG_MOBILE, id_number, jpeg_bytes, materials

pytestmark = pytest.mark.django_db
MUCHANG = "341502100000"


def code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1][1]).group(0)


def login(client, mobile=WANG_MOBILE, next_url=""):
    client.post("/portal/login/", {"mobile": mobile, "action": "send"})
    return client.post(
        "/portal/login/", {"mobile": mobile, "code": code(), "action": "verify", "next": next_url}
    )


def test_home_search_and_guide_are_public(client, online_item):
    body = client.get("/portal/").content.decode()
    assert "按人生事件" in body and "大字模式" in body and "htmx" not in body
    found = client.get("/portal/search/?q=gljt").content.decode()
    assert "高龄津贴申领" in found
    partial = client.get("/portal/search/?q=gljt", HTTP_HX_REQUEST="true").content.decode()
    assert "高龄津贴申领" in partial and "<html" not in partial
    guide = client.get(f"/portal/guides/{online_item.basic_code}/").content.decode()
    assert "居民身份证" in guide and "户口簿" in guide and "登录后可网上申请" in guide


def test_login_by_code_and_the_next_page(client, citizen, online_item):
    target = f"/portal/guides/{online_item.basic_code}/"
    response = login(client, next_url=target)
    assert response.status_code == 302 and response["Location"] == target
    assert "网上申请" in client.get(target).content.decode()


def test_login_refuses_an_outside_next(client, citizen):
    response = login(client, next_url="https://evil.example/")
    assert response["Location"] == "/portal/me/"


def test_a_wrong_code_is_told_in_chinese(client, citizen):
    client.post("/portal/login/", {"mobile": WANG_MOBILE, "action": "send"})
    response = client.post(
        "/portal/login/", {"mobile": WANG_MOBILE, "code": "12345", "action": "verify"}
    )
    assert response.status_code == 400 and "验证码：不正确或已过期" in response.content.decode()


def test_a_new_mobile_registers_then_lands_on_my_affairs(client, divisions):
    response = login(client, mobile="13800001111")
    assert response["Location"].startswith("/portal/register/")
    bad = client.post("/portal/register/", {"name": "李秀英", "id_number": "123"})
    assert bad.status_code == 400 and "身份证" in bad.content.decode()
    ok = client.post(
        "/portal/register/", {"name": "李秀英", "id_number": id_number("19920708", "246")}
    )
    assert ok.status_code == 302
    assert "李秀英，您好" in client.get("/portal/me/").content.decode()


def test_my_pages_need_a_citizen_login(client, clerk):
    assert client.get("/portal/me/")["Location"].startswith("/portal/login/")
    client.force_login(clerk)
    assert client.get("/portal/me/")["Location"].startswith("/portal/login/")


def test_the_draft_form_saves_uploads_and_refuses_path_tricks(client, citizen, online_item):
    login(client)
    response = client.post(f"/portal/guides/{online_item.basic_code}/apply/", {"center": MUCHANG})
    app = Application.objects.get()
    assert response["Location"] == f"/portal/me/applications/{app.pk}/"
    m = materials(online_item)
    url = f"/portal/me/applications/{app.pk}/"
    bad = client.post(
        url,
        {
            "center": MUCHANG,
            "note": "本人申领",
            "upload": m["居民身份证"],
            f"file_{m['居民身份证']}": SimpleUploadedFile(".htaccess.jpg", jpeg_bytes()),
        },
    )
    assert bad.status_code == 400
    assert "含有路径或隐藏文件字符" in bad.content.decode()
    app.refresh_from_db()
    assert app.note == "本人申领" and app.files.count() == 0
    big = client.post(
        url,
        {
            "center": MUCHANG,
            "note": "本人申领",
            "upload": m["户口簿"],
            f"file_{m['户口簿']}": SimpleUploadedFile("户口簿.pdf", PDF_BYTES),
            f"file_{m['居民身份证']}": SimpleUploadedFile("身份证.jpg", jpeg_bytes()),
        },
    )
    assert big.status_code == 302
    assert app.files.count() == 2
    page = client.get(url).content.decode()
    assert "户口簿.pdf" in page and "身份证.jpg" in page
    file_id = app.files.get(name="户口簿.pdf").pk
    client.post(url, {"center": MUCHANG, "note": "本人申领", "remove": file_id})
    assert app.files.count() == 1
    done = client.post(url, {"center": MUCHANG, "note": "本人申领", "action": "submit"})
    case = Case.objects.get()
    assert done["Location"] == f"/portal/me/cases/{case.number}/"
    assert "已收件" in client.get(done["Location"]).content.decode()
    assert client.get(url)["Location"] == done["Location"]


def test_an_oversized_upload_is_refused_and_named(client, citizen, online_item, settings):
    settings.BIANMIN_PORTAL_UPLOAD_MAX_BYTES = 50_000
    login(client)
    client.post(f"/portal/guides/{online_item.basic_code}/apply/", {"center": MUCHANG})
    app = Application.objects.get()
    m = materials(online_item)
    response = client.post(
        f"/portal/me/applications/{app.pk}/",
        {
            "center": MUCHANG,
            "upload": m["户口簿"],
            f"file_{m['户口簿']}": SimpleUploadedFile("户口簿.pdf", PDF_BYTES + b"0" * 60_000),
        },
    )
    assert response.status_code == 400 and "最大只能上传" in response.content.decode()


def test_other_peoples_applications_and_cases_are_not_found(
    client, citizen, online_item, make_user
):
    login(client)
    client.post(f"/portal/guides/{online_item.basic_code}/apply/", {"center": MUCHANG})
    app = Application.objects.get()
    other = make_user("citizen")
    from bianmin.identity.services import register_person

    register_person(name="李秀英", id_number=id_number("19920708", "246"), user=other)
    client.force_login(other)
    assert client.get(f"/portal/me/applications/{app.pk}/").status_code == 404


def test_progress_lookup_page_answers_the_same_for_a_wrong_phone(
    client, citizen, online_item, muchang
):
    from bianmin.cases import online

    m = materials(online_item)
    case = online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[online.OnlineFile(m["居民身份证"], "a.pdf", PDF_BYTES)],
    )
    wrong = client.post("/portal/progress/", {"number": case.number, "secret": "13800009999"})
    unknown = client.post("/portal/progress/", {"number": "X-1", "secret": WANG_MOBILE})
    assert wrong.status_code == unknown.status_code == 400
    alert = re.compile(r'<p class="nonfield" role="alert">(.*?)</p>')
    assert alert.search(wrong.content.decode()).group(1) == alert.search(
        unknown.content.decode()
    ).group(1)
    ok = client.post("/portal/progress/", {"number": case.number, "secret": WANG_ID})
    assert ok.status_code == 200 and "王**" in ok.content.decode()


def test_the_kiosk_pages_and_identification(client, citizen, online_item):
    home = client.get(f"/portal/kiosk/{MUCHANG}/").content.decode()
    assert "24小时自助服务" in home and f"/queue/{MUCHANG}/kiosk/" in home
    assert f"/queue/{MUCHANG}/kiosk/checkin/" in home
    assert "高龄津贴申领" in client.get(f"/portal/kiosk/{MUCHANG}/guides/").content.decode()
    wrong = client.post(f"/portal/kiosk/{MUCHANG}/me/", {"id_number": WANG_ID, "name": "王建"})
    assert (
        wrong.status_code == 400 and "没有与该身份证号码和姓名相符的记录" in wrong.content.decode()
    )
    ok = client.post(f"/portal/kiosk/{MUCHANG}/me/", {"id_number": WANG_ID, "name": "王建国"})
    assert "王**" in ok.content.decode()
    assert "王**" in client.get(f"/portal/kiosk/{MUCHANG}/me/").content.decode()
    client.post(f"/portal/kiosk/{MUCHANG}/me/", {"action": "end"})
    assert "王**" not in client.get(f"/portal/kiosk/{MUCHANG}/me/").content.decode()


def test_the_report_page_leads_to_the_ratings_app_when_present(client, divisions):
    response = client.get("/portal/report/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == "/report/"


def test_the_demo_gives_wang_jianguo_a_draft_and_a_submitted_application(
    citizen, online_item, muchang
):
    from bianmin.catalog.models import GuideVersion, ItemEntry, Material

    second = type(online_item).objects.get(pk=online_item.pk)
    second.pk = None
    second.basic_code = "PT0000000002"
    second.name = "尊老金申领"
    second.save()
    guide = GuideVersion.objects.create(item=second, number=1, state="published", promised_days=5)
    Material.objects.create(guide=guide, name="居民身份证", necessity="required", form="original")
    ItemEntry.objects.create(center=muchang, item=second, mode="delegated", entered_on="2020-01-01")
    assert load_portal_demo() == 2
    assert load_portal_demo() == 0  # a second run changes nothing
    statuses = sorted(Application.objects.filter(user=citizen).values_list("status", flat=True))
    assert statuses == ["draft", "submitted"]
    case = Application.objects.get(status="submitted").case
    assert case.channel == "online" and case.state == "received" and case.files.count() == 2


def test_a_finished_case_links_to_its_rating_page(client, citizen, online_item, muchang):
    pytest.importorskip("bianmin.feedback.services")
    from bianmin.cases import online

    m = materials(online_item)
    case = online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[online.OnlineFile(m["居民身份证"], "a.pdf", PDF_BYTES)],
    )
    login(client)
    page = client.get(f"/portal/me/cases/{case.number}/").content.decode()
    assert "/rate/" not in page  # not finished: nothing to rate yet
    Case.objects.filter(pk=case.pk).update(state="closed", closed_at=case.received_at)  # as if done
    page = client.get(f"/portal/me/cases/{case.number}/").content.decode()
    token = re.search(r'href="/rate/([^/"]+)/"', page).group(1)
    assert client.get(f"/rate/{token}/").status_code == 200


def test_a_citizen_gets_the_portal_top_bar_with_one_logout(client, citizen, online_item):
    login(client)
    html = client.get("/portal/me/").content.decode()
    topbar = html.split('<header class="topbar">')[1].split("</header>")[0]
    assert 'href="/portal/search/"' in topbar and 'href="/portal/me/"' in topbar
    assert "/catalog/" not in topbar and "/workdays/" not in topbar
    assert html.count('action="/portal/logout/"') == 1
    assert "/logout/" in topbar


def test_staff_keep_the_staff_top_bar(client, clerk):
    client.force_login(clerk)
    html = client.get("/portal/").content.decode()
    topbar = html.split('<header class="topbar">')[1].split("</header>")[0]
    assert "/catalog/" in topbar and "/portal/me/" not in topbar


def test_a_reload_after_the_code_was_sent_still_asks_for_the_code(client, citizen):
    client.post("/portal/login/", {"mobile": WANG_MOBILE, "action": "send"})
    html = client.get("/portal/login/").content.decode()
    assert 'name="code"' in html and WANG_MOBILE in html and "?change=1" in html
    # the code typed after the reload logs in
    response = client.post(
        "/portal/login/", {"mobile": WANG_MOBILE, "code": code(), "action": "verify"}
    )
    assert response.status_code == 302
    client.post("/portal/logout/")
    assert 'name="code"' not in client.get("/portal/login/").content.decode()


def test_changing_the_number_goes_back_to_the_mobile_step(client, citizen):
    client.post("/portal/login/", {"mobile": WANG_MOBILE, "action": "send"})
    html = client.get("/portal/login/?change=1").content.decode()
    assert 'name="code"' not in html
    assert 'name="code"' not in client.get("/portal/login/").content.decode()


def test_online_files_are_named_by_their_material_for_clerk_and_citizen(
    client, citizen, online_item, muchang
):
    from bianmin.cases import online

    m = materials(online_item)
    case = online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[online.OnlineFile(m["居民身份证"], "licence.jpg", PDF_BYTES)],
    )
    f = case.files.get()
    assert f.material_id == m["居民身份证"] and f.name == "居民身份证（licence.jpg）"
    login(client)
    page = client.get(f"/portal/me/cases/{case.number}/").content.decode()
    assert "居民身份证（licence.jpg）" in page


def test_the_center_list_is_grouped_by_county_and_remembers_the_last_choice(
    client, citizen, online_item, muchang, maotanchang, jinzhai_center
):
    from bianmin.catalog.models import ItemEntry

    for c in (maotanchang, jinzhai_center):
        ItemEntry.objects.create(
            center=c, item=online_item, mode="delegated", entered_on=dt.date(2020, 1, 1)
        )
    url = f"/portal/guides/{online_item.basic_code}/"
    html = client.get(url).content.decode()
    assert html.count("<optgroup") == 2
    assert f'<optgroup label="{jinzhai_center.region.parent.name}">' in html
    assert html.count(f">{muchang.name}</option>") == 1
    client.get(url + f"?center={maotanchang.region.code}")
    html = client.get(url).content.decode()
    assert f'value="{maotanchang.region.code}" selected' in html


def test_large_text_on_a_phone_keeps_the_logo_on_one_line():
    from django.contrib.staticfiles import finders

    css = open(finders.find("portal/portal.css"), encoding="utf-8").read()
    phone = css[css.index("@media (max-width: 480px)") :]
    assert "html.a11y-large .brand { white-space: nowrap" in phone


def test_the_progress_lookup_names_the_county_authority_while_a_forwarded_case_waits(
    client, citizen, clerk, online_item, muchang
):
    """转报: the applicant looking up the case sees who decides it now, since when, and the
    county's time limit (the guide's promised 10 working days)."""
    from bianmin.cases import online
    from bianmin.cases import services as case_services

    online_item.frequency = "forwarded"  # decided at county level, received here
    online_item.save()
    m = materials(online_item)
    case = online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[
            online.OnlineFile(m["居民身份证"], "a.pdf", PDF_BYTES),
            online.OnlineFile(m["户口簿"], "b.pdf", PDF_BYTES),
        ],
    )
    case_services.accept(clerk, case.number)
    case_services.forward(clerk, case.number, authority="金安区民政局")
    body = client.post("/portal/progress/", {"number": case.number, "secret": WANG_ID})
    html = body.content.decode()
    assert body.status_code == 200
    county = re.search(r'data-testid="progress-county">([^<]+)', html)
    assert county and county.group(1).strip() == "金安区民政局"
    limit = re.search(r'data-testid="progress-county-limit">([^<]+)', html)
    assert limit and "10个工作日" in limit.group(1)
