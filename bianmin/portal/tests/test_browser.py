"""In Chromium: the online application from login to acceptance (the issue's "done when"), the
accessibility check (axe-core) on the portal's main pages and the kiosk, the large-text mode in
a screenshot, keyboard use, the kiosk's return to the start, and page weight and speed on an
emulated slow 3G network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bianmin.cases.models import Case
from bianmin.portal import sms
from bianmin.portal.models import Application

from .conftest import PDF_BYTES, WANG_ID, WANG_MOBILE, jpeg_bytes, materials, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "bianmin" / "core" / "tests" / "vendor" / "axe-core-4.14.1.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
MUCHANG = "341502100000"
# WebPageTest's "3G Slow" profile: 400 ms round trip, 400 kbit/s down and up.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}


def new_page(chromium, live_server, *, mobile=True):
    viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="zh-CN", viewport=viewport)
    p = context.new_page()
    p.base_url = live_server.url
    p.set_default_timeout(15000)
    return p


def citizen_login(page):
    page.goto(page.base_url + "/portal/login/")
    page.get_by_label("手机号码").fill(WANG_MOBILE)
    page.get_by_role("button", name="发送短信验证码").click()
    expect(page.get_by_text("验证码已通过短信发送")).to_be_visible()
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    page.get_by_label("短信中的6位验证码").fill(code)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(r"/portal/me/"))


def staff_login(page, user):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def test_online_application_from_upload_to_acceptance(
    chromium, live_server, citizen, clerk, online_item, muchang
):
    m = materials(online_item)
    me = new_page(chromium, live_server)
    citizen_login(me)
    me.goto(me.base_url + f"/portal/guides/{online_item.basic_code}/")
    expect(me.get_by_role("heading", name="高龄津贴申领")).to_be_visible()
    me.get_by_role("button", name="网上申请").click()
    me.wait_for_url(re.compile(r"/portal/me/applications/\d+/"))
    me.get_by_label("申请事由（可不填）").fill("本人申领高龄津贴")
    # A wrong file (text named .jpg) is refused in Chinese and the draft keeps its text.
    me.set_input_files(
        f"#file-{m['居民身份证']}",
        files=[{"name": "身份证.jpg", "mimeType": "image/jpeg", "buffer": b"not really a photo"}],
    )
    me.locator(f"#m{m['居民身份证']}").get_by_role("button", name="上传").click()
    expect(me.get_by_test_id("upload-error")).to_contain_text("不是PDF、JPEG或PNG文件")
    expect(me.get_by_label("申请事由（可不填）")).to_have_value("本人申领高龄津贴")
    # A real photo is accepted and downscaled.
    me.set_input_files(
        f"#file-{m['居民身份证']}",
        files=[
            {"name": "身份证.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((3000, 2000))}
        ],
    )
    me.locator(f"#m{m['居民身份证']}").get_by_role("button", name="上传").click()
    expect(me.get_by_text("已上传并保存到草稿")).to_be_visible()
    expect(me.locator(f"#m{m['居民身份证']}")).to_contain_text("身份证.jpg")
    expect(me.get_by_text("尚未上传的必要材料")).to_contain_text("户口簿")
    me.get_by_role("button", name="提交申请").click()
    me.wait_for_url(re.compile(r"/portal/me/cases/"))
    case = Case.objects.get(channel="online")
    expect(me.get_by_test_id("case-state")).to_have_text("已收件")

    # The clerk sees the case at the window, marks the household register missing and issues
    # the one-time notice.
    desk = new_page(chromium, live_server, mobile=False)
    staff_login(desk, clerk)
    desk.goto(desk.base_url + "/cases/")
    desk.get_by_role("link", name=case.number, exact=True).click()
    desk.locator(f"select[name=status_{m['户口簿']}]").select_option("missing")
    desk.locator(f"input[name=reason_{m['户口簿']}]").fill("未上传户口簿首页和本人页")
    desk.get_by_role("button", name="保存核验结果").click()
    desk.get_by_role("button", name="出具一次性告知书").click()
    expect(desk.get_by_text("一次性告知，待补正").first).to_be_visible()

    # The citizen sees the notice and uploads the missing material.
    me.goto(me.base_url + f"/portal/me/cases/{case.number}/")
    expect(me.get_by_test_id("notice")).to_contain_text("户口簿")
    expect(me.get_by_test_id("notice")).to_contain_text("未上传户口簿首页和本人页")
    me.set_input_files(
        f"#fix-{m['户口簿']}",
        files=[{"name": "户口簿.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    me.get_by_role("button", name="提交补正材料").click()
    expect(me.get_by_text("材料已提交")).to_be_visible()
    expect(me.get_by_test_id("case-state")).to_have_text("已收件")

    # The clerk accepts.
    desk.reload()
    expect(desk.get_by_text("户口簿.pdf")).to_be_visible()
    desk.get_by_role("button", name="受理", exact=True).click()
    case.refresh_from_db()
    assert case.state == "accepted"
    me.reload()
    expect(me.get_by_test_id("case-state")).to_have_text("已受理")
    assert Application.objects.get().status == "submitted"


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def portal_data(citizen, online_item, muchang):
    from bianmin.cases import online

    m = materials(online_item)
    case = online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[online.OnlineFile(m["居民身份证"], "身份证.png", png_bytes())],
    )
    from bianmin.portal import services

    draft_item = online_item
    app = Application.objects.create(
        user=citizen, person=citizen.person, item=draft_item, center=muchang
    )
    return {"case": case, "draft": app, "item": online_item, "services": services}


def test_no_serious_accessibility_violation_on_the_portal_and_the_kiosk(
    chromium, live_server, portal_data
):
    item, case, draft = portal_data["item"], portal_data["case"], portal_data["draft"]
    public = [
        "/portal/",
        "/portal/search/?q=gljt",
        f"/portal/guides/{item.basic_code}/",
        "/portal/login/",
        "/portal/progress/",
        f"/portal/kiosk/{MUCHANG}/",
        f"/portal/kiosk/{MUCHANG}/guides/",
        f"/portal/kiosk/{MUCHANG}/guides/{item.basic_code}/",
        f"/portal/kiosk/{MUCHANG}/progress/",
        f"/portal/kiosk/{MUCHANG}/me/",
    ]
    private = [
        "/portal/me/",
        f"/portal/me/applications/{draft.pk}/",
        f"/portal/me/cases/{case.number}/",
    ]
    page = new_page(chromium, live_server)
    found = {}
    for path in public:
        for mode in ("", "large contrast"):
            page.goto(page.base_url + "/portal/")
            page.evaluate(f"localStorage.setItem('bm-a11y', '{mode}')")
            page.goto(page.base_url + path)
            violations = run_axe(page)
            if violations:
                found[f"{path} [{mode or 'normal'}]"] = violations
    citizen_login(page)
    for path in private:
        page.goto(page.base_url + path)
        violations = run_axe(page)
        if violations:
            found[path] = violations
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_large_text_mode_is_visible_and_remembered(chromium, live_server, online_item):
    page = new_page(chromium, live_server)
    page.goto(page.base_url + f"/portal/guides/{online_item.basic_code}/")
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "18px"
    toggle = page.get_by_role("button", name="大字模式")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    page.reload()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    expect(page.get_by_role("button", name="大字模式")).to_have_attribute("aria-pressed", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "portal-large-text.png"))
    page.get_by_role("button", name="高对比度").click()
    page.screenshot(path=str(SCREENSHOTS / "portal-large-text-high-contrast.png"))
    # every button and link of the guide's actions is at least 44 px high
    small = page.evaluate(
        """() => [...document.querySelectorAll('main .p-btn, main .p-tile, .a11y-toggle')]
              .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
              .map(e => e.textContent.trim())"""
    )
    assert small == []


def test_the_portal_works_with_the_keyboard_alone(chromium, live_server, online_item):
    page = new_page(chromium, live_server, mobile=False)
    page.goto(page.base_url + "/portal/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.locator("#q").focus()
    page.keyboard.type("gljt")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portal/search/"))
    link = page.get_by_role("link", name=re.compile("高龄津贴申领"))
    link.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="高龄津贴申领")).to_be_visible()


def test_read_aloud_uses_chinese_speech(chromium, live_server, online_item):
    page = new_page(chromium, live_server)
    page.add_init_script(
        """window.__spoken = [];
        window.speechSynthesis.speak = function (u) { window.__spoken.push([u.lang, u.text]); };"""
    )
    page.goto(page.base_url + f"/portal/guides/{online_item.basic_code}/")
    page.locator("[data-speak=key-text]").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0][0] == "zh-CN" and "年满80周岁" in spoken[0][1]


def test_the_kiosk_returns_to_the_start_after_idle(chromium, live_server, citizen, online_item):
    page = new_page(chromium, live_server, mobile=False)
    page.clock.install()
    page.goto(page.base_url + f"/portal/kiosk/{MUCHANG}/me/")
    page.get_by_label("身份证号码").fill(WANG_ID)
    page.get_by_label("姓名").fill("王建国")
    page.get_by_role("button", name="查看我的办件").click()
    expect(page.get_by_text("王**")).to_be_visible()
    page.clock.run_for(91_000)
    expect(page.get_by_text("还在使用吗")).to_be_visible()
    page.clock.run_for(21_000)
    page.wait_for_url(page.base_url + f"/portal/kiosk/{MUCHANG}/")
    expect(page.get_by_role("heading", name="欢迎使用，请点击您要办的事。")).to_be_visible()


def test_a_wrong_phone_in_the_kiosk_lookup_reveals_nothing(chromium, live_server, portal_data):
    case = portal_data["case"]
    page = new_page(chromium, live_server, mobile=False)
    page.goto(page.base_url + f"/portal/kiosk/{MUCHANG}/progress/")
    page.get_by_label("办件编号").fill(case.number)
    page.get_by_label("申请人的手机号码或身份证号码").fill("13800009999")
    page.get_by_role("button", name="查询", exact=True).click()
    wrong = page.get_by_role("alert").text_content()
    page.get_by_label("办件编号").fill("341502100-20990101-0009")
    page.get_by_label("申请人的手机号码或身份证号码").fill(WANG_MOBILE)
    page.get_by_role("button", name="查询", exact=True).click()
    assert page.get_by_role("alert").text_content() == wrong
    page.get_by_label("办件编号").fill(case.number)
    page.get_by_label("申请人的手机号码或身份证号码").fill(WANG_MOBILE)
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.get_by_test_id("progress-number")).to_have_text(case.number)
    expect(page.get_by_role("button", name="打印")).to_be_visible()


def measure(page, path: str) -> dict:
    """Bytes transferred and times to DOMContentLoaded and load, cold cache, on slow 3G."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    sizes: dict = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(page.base_url + path, wait_until="load")
    timing = page.evaluate(
        """() => { const n = performance.getEntriesByType('navigation')[0];
                   const p = performance.getEntriesByName('first-contentful-paint')[0];
                   return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: p ? p.startTime : null}; }"""
    )
    page.wait_for_timeout(300)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    cdp.detach()
    return {"path": path, "bytes": sum(sizes.values()), "requests": len(sizes), **timing}


def test_portal_pages_are_light_and_quick_on_slow_3g(chromium, live_server, portal_data):
    item = portal_data["item"]
    paths = [
        "/portal/",
        "/portal/search/?q=gljt",
        f"/portal/guides/{item.basic_code}/",
        "/portal/login/",
        "/portal/progress/",
        f"/portal/kiosk/{MUCHANG}/",
        f"/portal/kiosk/{MUCHANG}/progress/",
    ]
    mine = [
        "/portal/me/",
        f"/portal/me/applications/{portal_data['draft'].pk}/",
        f"/portal/me/cases/{portal_data['case'].number}/",
    ]
    page = new_page(chromium, live_server)
    # The server's first rendering of each template is not the network's cost: warm it first;
    # the browser's cache stays off for the measured loads.
    for p in paths:
        page.goto(page.base_url + p)
    rows = [measure(page, p) for p in paths]
    citizen_login(page)
    for p in mine:
        page.goto(page.base_url + p)
    rows += [measure(page, p) for p in mine]
    out = ROOT / "var" / "portal-page-weights.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=1))
    for row in rows:
        assert row["bytes"] < 300 * 1024, row
        assert row["dcl"] < 3000, row
