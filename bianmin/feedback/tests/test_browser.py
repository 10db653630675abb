"""In Chromium: a finished case is rated 不满意 on the rating pad beside window 3; 陈主任 sees the
rectification, verifies, rectifies, answers and closes it after the call back; 王大爷 sees the
answer on his rating link; the figures page shows the rate and the counts."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bianmin.feedback.models import Rating, RatingInvitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"


def new_page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.base_url = live_server.url
    p.set_default_timeout(15000)
    return p


def log_in(page, user):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def test_a_bad_rating_on_the_pad_is_rectified_and_answered(
    chromium, live_server, staff, make_case, pad, window
):
    case = make_case(when=timezone.now() - dt.timedelta(minutes=5))
    # 张敏 asks 王大爷 to rate the case he just collected, on the pad beside window 3.
    desk = new_page(chromium, live_server)
    log_in(desk, staff["clerk"])
    desk.goto(desk.base_url + "/feedback/")
    row = desk.get_by_test_id("finished-row").filter(has_text=case.number)
    row.get_by_role("button", name="推送到评价器").click()
    expect(desk.get_by_text("已推送到3号窗口评价器")).to_be_visible()

    tablet = new_page(chromium, live_server)
    tablet.goto(tablet.base_url + "/rate/pad/")
    tablet.get_by_label("令牌").fill(pad.token)
    tablet.get_by_role("button", name="将本平板设为评价器").click()
    expect(tablet.get_by_test_id("pad-service")).to_contain_text(case.number)
    tablet.get_by_text("不满意", exact=True).click()
    tablet.get_by_label("服务效率").check()
    tablet.get_by_label("意见建议（选填）").fill("材料说了两次才说清楚")
    tablet.get_by_role("button", name="提交").click()
    expect(tablet.get_by_test_id("pad-thanks")).to_be_visible()
    rating = Rating.objects.get(invitation__case=case)
    assert (
        rating.level == 2 and rating.channel == "pad" and rating.reasons == ["service_efficiency"]
    )
    # The pad goes back to its welcome screen.
    expect(tablet.get_by_test_id("pad-idle")).to_be_visible(timeout=10000)
    tablet.context.close()  # stop its polling before the live server shuts down

    # 陈主任 sees the rectification and works it through.
    office = new_page(chromium, live_server)
    log_in(office, staff["manager"])
    office.goto(office.base_url + "/feedback/")
    office.get_by_test_id("rect-row").filter(has_text=case.number).get_by_role("link").first.click()
    expect(office.get_by_test_id("rect-state")).to_have_text("待核实")
    office.get_by_label("属实", exact=True).check()
    office.get_by_label("核实情况").fill("调取录像，属实")
    office.get_by_role("button", name="记录核实情况").click()
    expect(office.get_by_test_id("rect-state")).to_have_text("待整改")
    office.get_by_label("整改措施").fill("组织一次性告知培训")
    office.get_by_role("button", name="记录整改措施").click()
    office.get_by_label("答复评价人（显示在其评价链接页面，并短信告知）").fill(
        "已对窗口人员进行一次性告知培训，感谢您的监督。"
    )
    office.get_by_role("button", name="答复评价人").click()
    expect(office.get_by_test_id("rect-state")).to_have_text("已答复，待回访")
    office.get_by_label("对处理满意", exact=True).check()
    office.get_by_role("button", name="办结整改").click()
    expect(office.get_by_test_id("rect-state")).to_have_text("已办结")

    # 王大爷 opens his rating link (the SMS carries it) and sees the answer.
    token = RatingInvitation.objects.get(case=case).token
    citizen = new_page(chromium, live_server)
    citizen.goto(citizen.base_url + f"/rate/{token}/")
    expect(citizen.get_by_test_id("my-rating")).to_contain_text("不满意")
    expect(citizen.get_by_test_id("answer")).to_contain_text("一次性告知培训")

    # The figures page shows the rate and the counts.
    office.goto(office.base_url + "/feedback/figures/")
    expect(office.get_by_test_id("positive-rate")).to_have_text("0%")
    expect(office.get_by_test_id("total")).to_have_text("1")
    expect(office.get_by_test_id("bad")).to_have_text("1")
    office.wait_for_function("window.bianminFeedbackCharts !== undefined")
