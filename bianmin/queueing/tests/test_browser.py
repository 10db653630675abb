"""In Chromium: 王大爷 takes a ticket at the kiosk, 刘洋 calls it at window 2, and the display
board (paired as a device, live through server push) shows and announces it."""

import re

import pytest
from playwright.sync_api import expect

from bianmin.hall import services as hall
from bianmin.identity.models import Device
from bianmin.identity.services import register_device

from .conftest import OLD_WANG, open_all_day_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"
MUCHANG = "341502100000"


def new_page(chromium, live_server, viewport=(1280, 900)):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    return page


def pair(page, token):
    page.goto(page.base_url + "/queue/device/")
    page.get_by_label("设备令牌").fill(token)
    page.get_by_role("button", name="配对").click()


def log_in(page, user):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def test_a_kiosk_ticket_called_at_the_window_appears_on_the_display_board(
    chromium, live_server, windows, queues, staff, manager, muchang
):
    liu = staff["刘洋"]
    hall.open_window(liu, windows[2])
    open_all_day_today(muchang)
    _kiosk_device, kiosk_token = register_device(
        manager, center=muchang, kind=Device.Kind.KIOSK, name="大厅取号机"
    )
    _display_device, display_token = register_device(
        manager, center=muchang, kind=Device.Kind.DISPLAY, name="大厅显示屏"
    )

    board = new_page(chromium, live_server)
    pair(board, display_token)
    board.wait_for_url(re.compile(r".*/display/$"))
    expect(board.get_by_test_id("board-connection")).to_have_attribute("data-state", "online")

    kiosk = new_page(chromium, live_server)
    pair(kiosk, kiosk_token)
    kiosk.wait_for_url(re.compile(r".*/kiosk/$"))
    kiosk.get_by_role("link", name="民政").click()
    kiosk.get_by_role("link", name="高龄津贴申领").click()
    expect(kiosk.get_by_test_id("kiosk-chosen")).to_have_text("高龄津贴申领")
    kiosk.get_by_label(re.compile("身份证号码")).fill(OLD_WANG)
    kiosk.get_by_test_id("kiosk-take").click()
    expect(kiosk.get_by_test_id("ticket-code")).to_have_text("B001")
    expect(kiosk.get_by_test_id("ticket-priority")).to_have_text("绿色通道")
    expect(kiosk.get_by_test_id("ticket-ahead")).to_have_text("下一位就是您")
    assert kiosk.locator(".t-qr svg").count() == 1
    # The board learnt of the new ticket by push: B has one waiting.
    expect(board.locator("[data-queue=B] .bq-n")).to_have_text("1")

    clerk = new_page(chromium, live_server)
    log_in(clerk, liu)
    clerk.goto(clerk.base_url + f"/queue/{MUCHANG}/?window=2")
    clerk.get_by_test_id("call-next").click()
    expect(clerk.get_by_test_id("current-ticket")).to_contain_text("B001")
    expect(clerk.get_by_test_id("first-responder")).to_contain_text("刘洋")

    expect(board.get_by_test_id("board-latest")).to_have_text("请B001号到2号窗口办理", timeout=3000)
    expect(board.get_by_test_id("window-2-ticket")).to_have_text("B001")
    expect(board.locator("[data-queue=B] .bq-n")).to_have_text("0")
    spoken = board.evaluate("window.bianminAnnouncer.log")
    assert spoken == ["请，B零零一号，到2号窗口办理"]

    clerk.get_by_test_id("start").click()
    clerk.get_by_test_id("finish").click()
    expect(board.get_by_test_id("window-2-ticket")).to_have_count(0)
    for page in (board, kiosk, clerk):
        page.context.close()
