"""In a real Chromium: a citizen types "ylbx", sees the pension items as she types, opens a guide."""

import pytest
from playwright.sync_api import expect

from bianmin.catalog.demo import load_catalogue_demo
from bianmin.catalog.tests.conftest import MINI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_ylbx_finds_the_pension_items_and_opens_a_guide(page, divisions):
    load_catalogue_demo(path=MINI)
    page.goto(page.base_url + "/catalog/")
    box = page.get_by_label("搜索事项")
    box.press_sequentially("ylbx", delay=40)  # typed, not submitted: HTMX searches as one types
    expect(page.get_by_role("status").first).to_have_text("找到2个与“ylbx”相关的事项")
    results = page.locator("#result-list")
    expect(results.get_by_role("link")).to_have_count(2)
    assert "最低生活保障对象认定" not in results.inner_text()
    assert page.url.endswith("/catalog/")  # no page load happened
    results.get_by_role("link", name="城乡居民基本养老保险参保登记").click()
    page.wait_for_url("**/catalog/items/000108014000/")
    assert page.locator("h1").inner_text() == "城乡居民基本养老保险参保登记"
    assert page.get_by_role("heading", name="申请材料").is_visible()
    assert page.get_by_role("cell", name="居民身份证").first.is_visible()
