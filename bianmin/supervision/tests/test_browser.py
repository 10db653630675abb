"""In Chromium, on a tablet (768 px) and a phone (390 px): 刘科长 starts an unannounced
inspection of 木厂镇; each answer is saved as she gives it (no Save button pressed); the hearing
aid fails with a note; the ranking draws its chart."""

import os

import pytest
from playwright.sync_api import expect

from bianmin.supervision.models import InspectionAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "pw-Bianmin-1"
SHOTS = os.environ.get("BIANMIN_SCREENSHOTS")


def new_page(chromium, live_server, width, height):
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height})
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


@pytest.mark.parametrize("width,height", [(768, 1024), (390, 844)])
def test_the_checklist_saves_each_answer_on_a_tablet_and_a_phone(
    chromium, live_server, people, width, height
):
    page = new_page(chromium, live_server, width, height)
    log_in(page, people["county"])
    page.goto(page.base_url + "/supervision/")
    page.get_by_label("中心").select_option("341502100000")
    page.get_by_role("button", name="按清单开始检查").click()
    item = page.locator("form.check-item[data-code=sp_hearing_aid]")
    item.scroll_into_view_if_needed()
    item.get_by_text("不合格", exact=True).click()
    # No note yet: the item says so and keeps the choice.
    expect(page.locator("form.check-item[data-code=sp_hearing_aid] .error")).to_contain_text("备注")
    item = page.locator("form.check-item[data-code=sp_hearing_aid]")
    item.get_by_role("textbox").fill("未见助听器")
    item.get_by_role("textbox").blur()
    expect(page.locator("form.check-item[data-code=sp_hearing_aid] .save-state")).to_contain_text(
        "已保存"
    )
    expect(page.get_by_test_id("progress")).to_contain_text("已回答 1 / 35")
    answer = InspectionAnswer.objects.get(code="sp_hearing_aid")
    assert answer.result == "fail" and answer.note == "未见助听器" and answer.deadline_days == 10
    box = page.locator("form.check-item[data-code=sp_hearing_aid] label.choice.fail").bounding_box()
    assert box["height"] >= 48 and box["x"] + box["width"] <= width  # large, and on screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/checklist-{width}.png")


def test_the_ranking_draws_its_chart(chromium, live_server, people, inspect):
    inspect(fails={"sp_hearing_aid": "缺失"})
    page = new_page(chromium, live_server, 1280, 900)
    log_in(page, people["county"])
    page.goto(page.base_url + "/supervision/assessment/2026/")
    expect(page.locator("#chart-ranking canvas")).to_have_count(1)
    expect(page.get_by_test_id("ranking")).to_contain_text("木厂镇便民服务中心")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/ranking.png", full_page=True)
        page.goto(page.base_url + "/supervision/assessment/2026/341502100000/")
        page.screenshot(path=f"{SHOTS}/breakdown.png", full_page=True)


def test_an_answer_given_offline_is_saved_when_the_network_is_back(chromium, live_server, people):
    page = new_page(chromium, live_server, 768, 1024)
    log_in(page, people["county"])
    page.goto(page.base_url + "/supervision/")
    page.get_by_role("button", name="按清单开始检查").click()
    item = page.locator("form.check-item[data-code=sp_wheelchair]")
    item.scroll_into_view_if_needed()
    page.context.set_offline(True)
    item.get_by_text("合格", exact=True).click()
    expect(page.locator("form.check-item[data-code=sp_wheelchair] .save-state")).to_contain_text(
        "尚未保存"
    )
    assert InspectionAnswer.objects.get(code="sp_wheelchair").result == ""
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("form.check-item[data-code=sp_wheelchair] .save-state")).to_contain_text(
        "已保存"
    )
    assert InspectionAnswer.objects.get(code="sp_wheelchair").result == "pass"
