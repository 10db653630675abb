"""In a real Chromium: a clerk logs in and sees her center; a wrong password; lockout; reveal."""

from pathlib import Path

import pytest

from bianmin.identity import services
from bianmin.identity.models import PersonalDataAccess
from bianmin.identity.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def log_in(page, username, password):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_window_clerk_logs_in_and_sees_her_centers_chinese_home_page(page, clerk):
    log_in(page, clerk.username, PW)
    page.wait_for_url(page.base_url + "/")
    assert page.locator("h1").inner_text() == "木厂镇便民服务中心"
    assert page.get_by_text("综合窗口人员").first.is_visible()
    assert page.get_by_role("heading", name="今天").is_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_a_wrong_password_shows_the_chinese_error_and_the_account_locks(page, clerk):
    log_in(page, clerk.username, "wrong-password")
    alert = page.get_by_role("alert").first
    assert "账号或密码错误。再错 4 次账号将被锁定。" in alert.inner_text()
    for _ in range(4):
        log_in(page, clerk.username, "wrong-password")
    assert "该账号已被锁定" in page.get_by_role("alert").first.inner_text()
    log_in(page, clerk.username, PW)
    assert "该账号已被锁定" in page.get_by_role("alert").first.inner_text()
    assert page.url.endswith("/login/")


def test_a_clerk_reveals_a_number_with_a_purpose_and_it_is_logged(page, clerk):
    person = services.register_person(name="王建国", id_number="341502194803151230")
    log_in(page, clerk.username, PW)
    page.wait_for_url(page.base_url + "/")
    page.goto(f"{page.base_url}/people/{person.pk}/")
    assert page.get_by_text("3415**********1230").is_visible()
    page.locator("#purpose-id_number").fill("核验申请人身份")
    page.locator("#reveal-id_number").get_by_role("button", name="显示完整号码").click()
    page.locator("[data-revealed=id_number]").wait_for()
    assert page.locator("[data-revealed=id_number]").inner_text() == "341502194803151230"
    assert PersonalDataAccess.objects.filter(viewer=clerk, purpose="核验申请人身份").count() == 1


def test_a_county_supervisor_filters_her_centers(page, make_user, muchang):
    supervisor = make_user(Role.COUNTY_SUPERVISOR, region=muchang.region.parent)
    log_in(page, supervisor.username, PW)
    page.wait_for_url(page.base_url + "/")
    page.get_by_role("navigation").get_by_role("link", name="便民服务中心", exact=True).click()
    page.get_by_label("名称包含").fill("木厂")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("link", name="木厂镇便民服务中心").is_visible()
    assert page.get_by_text("1 个中心").is_visible()


def test_large_text_on_a_phone_keeps_the_staff_header_compact(page, make_user, muchang):
    """A center manager (the longest menu) at 390 px wide with 大字: the logo on one line, the
    menu on one scrolling row, the header well under a third of the screen, nothing wider than
    the screen. Screenshot: docs/screenshots/staff-large-text-390.png."""
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    manager.full_name = "陈主任"
    manager.save()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, manager.username, PW)
    page.wait_for_url(page.base_url + "/")
    page.get_by_role("button", name="大字模式").click()
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('a11y-large')")
    header = page.locator("header.topbar").bounding_box()
    bar = page.locator(".a11y-bar").bounding_box()
    brand = page.locator(".topbar .brand").bounding_box()
    page.screenshot(path=str(SCREENSHOTS / "staff-large-text-390.png"))
    assert brand["height"] < 60  # 便民 on one line, not 便/民
    assert bar["height"] + header["height"] < 844 / 3, (bar, header)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    menu = page.get_by_role("navigation", name="主菜单")
    assert menu.get_by_role("link", name="叫号", exact=True).count() == 1  # every entry still there
