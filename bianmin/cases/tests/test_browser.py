"""In Chromium, journey 1: a clerk calls 王大爷's ticket, takes his 高龄津贴 application with the
bank-card copy deferred under a pledge, prints the acceptance notice (a real PDF), an officer of
民政 approves, the clerk hands the result out, and the progress page shows each step."""

import datetime as dt
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from bianmin.cases.models import Case
from bianmin.hall import services as hall
from bianmin.queueing import services as queue
from bianmin.queueing.models import Channel

from .conftest import WANG_ID

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"


def log_in(page, user):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def new_page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.base_url = live_server.url
    p.set_default_timeout(15000)
    return p


@pytest.fixture
def called_ticket(muchang, manager, clerk, make_user, old_age):
    """Window 2 (social assistance) open with 张敏 at it, and 王大爷's ticket waiting."""
    from bianmin.identity.roles import Role

    backup = make_user(Role.WINDOW_CLERK, center=muchang)
    windows = hall.apply_template(manager, muchang)
    window = next(w for w in windows if w.name.startswith("社会救助"))
    hall.assign_post(manager, window, primary=clerk, backup=backup)
    hall.open_window(clerk, window)
    queue.ensure_queues(muchang)
    ticket = queue.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=old_age, id_number=WANG_ID
    )
    return window, ticket


def test_journey_of_the_old_age_allowance_in_the_browser(
    chromium, live_server, called_ticket, clerk, officer, muchang
):
    window, ticket = called_ticket
    desk = new_page(chromium, live_server)
    log_in(desk, clerk)

    # 叫号: the clerk calls the next ticket at her window.
    desk.goto(desk.base_url + f"/queue/{muchang.region.code}/?window={window.number}")
    desk.get_by_test_id("call-next").click()
    expect(desk.get_by_test_id("current-ticket")).to_contain_text(ticket.code)

    # From the called ticket's visit to intake.
    desk.goto(desk.base_url + "/cases/")
    expect(desk.get_by_test_id("serving")).to_contain_text(ticket.code)
    desk.get_by_role("link", name="为此号开办件").click()
    expect(desk.get_by_test_id("visit")).to_contain_text("张敏")
    expect(desk.get_by_label("“本人银行卡（复印件）”的核验状态")).to_be_visible()
    desk.get_by_label("姓名或单位名称").fill("王大爷")
    desk.get_by_label("身份证号码", exact=True).fill(WANG_ID)
    desk.get_by_label("手机号码", exact=True).fill("13905641234")
    desk.get_by_label("“本人银行卡（复印件）”的核验状态").select_option("deferred")
    desk.get_by_role("button", name="收件").click()
    expect(desk.get_by_test_id("state")).to_have_text("已收件")
    case = Case.objects.get()
    ticket.refresh_from_db()
    assert case.visit_id == ticket.visit_id and case.person.name == "王大爷"

    # 容缺受理: the pledge within 3 working days, then the printed notices.
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    desk.get_by_label("承诺补交日期").fill(due)
    desk.get_by_role("button", name="受理", exact=True).click()
    expect(desk.get_by_test_id("state")).to_have_text("已受理")
    expect(desk.get_by_role("link", name="容缺受理承诺书")).to_be_visible()
    href = desk.get_by_role("link", name="受理通知书", exact=True).get_attribute("href")
    pdf = desk.request.get(desk.base_url + href)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "受理通知书" in text and case.number in text

    # Two days later the bank-card copy arrives.
    desk.get_by_label("已补交的承诺材料").select_option(label="本人银行卡（复印件）")
    desk.get_by_role("button", name="容缺材料已补交").click()
    expect(desk.get_by_text("已履行")).to_be_visible()

    # The back office of 民政 claims, checks and approves.
    back = new_page(chromium, live_server)
    log_in(back, officer)
    back.goto(back.base_url + "/cases/")
    back.get_by_role("link", name=case.number).click()
    back.get_by_role("button", name="认领").click()
    back.get_by_label("环节意见").fill("户籍、年龄核实无误")
    back.get_by_role("button", name="完成本环节").click()
    back.get_by_role("button", name="准予").click()
    expect(back.get_by_test_id("state")).to_have_text("准予")
    back.get_by_role("button", name="结果送达窗口待出件").click()
    expect(back.get_by_test_id("state")).to_have_text("待出件")

    # Hand-out at the window after the identity check.
    desk.goto(desk.base_url + f"/cases/{case.number}/")
    desk.get_by_label("领取人身份证号码").fill(WANG_ID)
    desk.get_by_role("button", name="窗口出件").click()
    expect(desk.get_by_test_id("state")).to_have_text("已办结")

    # His daughter follows the QR code: each step, in plain Chinese, his name masked.
    progress_url = desk.get_by_test_id("progress-link").get_attribute("href")
    daughter = new_page(chromium, live_server)
    daughter.goto(progress_url)
    steps = daughter.get_by_test_id("progress-steps")
    for text in (
        "已收到您的申请材料",
        "已受理",
        "已收到承诺补交的材料",
        "审批部门已开始审批",
        "审批部门已准予",
        "办理结果已送达窗口，可以领取",
        "已在窗口领取办理结果",
        "办结",
    ):
        expect(steps).to_contain_text(text)
    body = daughter.content()
    assert "王**" in body and "王大爷" not in body and WANG_ID not in body
