"""In Chromium, journey 4: on Friday 陈主任 opens the staffing page, enters Monday's
pension-enrolment peak (first with the hours the wrong way round), and sees the 社会保障类 line
short of a window from 9 to 11, in the table, the sentence and the chart."""

import pytest
from playwright.sync_api import expect

from bianmin.staffing.models import ExpectedPeak

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_enters_the_pension_peak_and_sees_the_window_short(
    page, friday, manager, queues, usual_mondays
):
    page.goto(page.base_url + "/login/")
    page.get_by_label("账号").fill(manager.username)
    page.get_by_label("密码").fill("pw-Bianmin-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/staffing/")
    expect(page.get_by_test_id("plan-day")).to_contain_text("2026年11月30日")
    expect(page.get_by_test_id("all-met")).to_be_visible()

    form = page.get_by_test_id("peak-form")
    form.get_by_label("高峰名称").fill("养老保险集中参保缴费")
    form.get_by_label("队列").select_option("C")
    form.get_by_label("高峰日期").fill("2026-11-30")
    form.get_by_label("开始时间（时）").fill("11")
    form.get_by_label("结束时间（时）").fill("9")
    form.get_by_label("预计增加人数（整个时段合计）").fill("20")
    form.get_by_role("button", name="登记高峰").click()
    expect(page.get_by_text("结束时间：结束（9:00）必须晚于开始（11:00）。")).to_be_visible()
    assert not ExpectedPeak.objects.exists()

    form = page.get_by_test_id("peak-form")
    expect(form.get_by_label("高峰名称")).to_have_value("养老保险集中参保缴费")
    form.get_by_label("开始时间（时）").fill("9")
    form.get_by_label("结束时间（时）").fill("11")
    form.get_by_role("button", name="登记高峰").click()
    expect(page.get_by_text("高峰已登记：当天的测算已计入。")).to_be_visible()
    expect(page.get_by_test_id("recommendations")).to_contain_text(
        "C 社会保障类：09:00–11:00 需要 2 个窗口，已安排 1 个 → 09:00–11:00 为本队列加开第二个分领域窗口。"
    )
    expect(page.locator("table.plan td.short")).to_have_count(2)
    # The chart is drawn, one per queue.
    page.wait_for_function("window.bianminStaffingCharts && window.bianminStaffingCharts.length")
    assert page.evaluate("window.bianminStaffingCharts.length") == 4
    expect(page.locator("#chart-queue-2 canvas")).to_have_count(1)
