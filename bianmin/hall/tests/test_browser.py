"""In Chromium: a clerk leaves her window; the board and the manager's live hall page follow."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"
HALL = "/hall/341502100000/"


def log_in(page, user):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def test_away_notice_shows_on_the_board_and_the_managers_page_updates_live(
    chromium, live_server, staffed, zhang, manager
):
    def new_page():
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        p = context.new_page()
        p.base_url = live_server.url
        p.set_default_timeout(15000)
        return p

    boss, clerk, board = new_page(), new_page(), new_page()
    log_in(boss, manager)
    boss.goto(boss.base_url + HALL)
    row = boss.locator("tr[data-window='2']")
    expect(row).to_have_attribute("data-state", "closed")

    log_in(clerk, zhang)
    clerk.goto(clerk.base_url + HALL)
    clerk.get_by_label("离岗事由").fill("参加业务培训")
    clerk.get_by_label("去向").fill("三楼会议室")
    clerk.get_by_role("button", name="提交离岗告知").click()
    expect(clerk.get_by_text("离岗告知已提交")).to_be_visible()
    expected_return = clerk.locator(".nonfield").inner_text()

    board.goto(board.base_url + HALL + "windows/2/board/")
    expect(board.get_by_test_id("board-state")).to_have_text("工作人员暂时离岗")
    expect(board.get_by_test_id("board-reason")).to_have_text("参加业务培训")
    expect(board.get_by_test_id("board-substitute")).to_have_text("李娜")
    assert board.get_by_test_id("board-return").inner_text() in expected_return

    # The manager's page was not reloaded: it polls and shows the away state.
    expect(row).to_have_attribute("data-state", "away", timeout=12000)
    expect(row).to_contain_text("参加业务培训")

    clerk.get_by_role("button", name="我已返回").click()
    expect(row).to_have_attribute("data-state", "closed", timeout=12000)
    expect(board.get_by_test_id("board-state")).to_have_text("暂停服务", timeout=12000)


SCREENSHOTS = __import__("pathlib").Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def test_the_window_table_reads_as_cards_on_a_phone_without_sideways_scrolling(
    chromium, live_server, staffed, zhang, manager
):
    """375 × 812 (a small phone): every window is a card inside the screen, each line labelled."""
    import datetime as dt

    from django.utils import timezone

    from bianmin.hall import services

    services.open_window(zhang, staffed[1])
    services.go_away(
        zhang,
        reason="到村里为行动不便的老人上门办理养老保险资格认证",
        destination="木厂镇东风村村委会",
        expected_return_at=timezone.now() + dt.timedelta(minutes=25),
    )
    context = chromium.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    phone = context.new_page()
    phone.base_url = live_server.url
    phone.set_default_timeout(15000)
    log_in(phone, manager)
    phone.goto(phone.base_url + HALL)
    table = phone.locator("table.windows")
    expect(table.locator("tr[data-window='2']")).to_contain_text("上门办理养老保险资格认证")

    assert table.locator("thead").bounding_box()["width"] <= 1  # headings only for readers
    for row in table.locator("tbody tr").all():
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
        assert row.evaluate("r => r.scrollWidth <= r.clientWidth")
    wrap = phone.locator(".windows-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    # each line says what it is: the label comes from the column heading
    state = table.locator("tr[data-window='2'] td[data-label]").first
    assert state.evaluate("td => getComputedStyle(td, '::before').content") == '"状态"'

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    table.screenshot(path=str(SCREENSHOTS / "hall-windows-375.png"))
    context.close()
