"""Search by name, pinyin, initials, other names, domain, life event and channel."""

import pytest

from bianmin.catalog import services
from bianmin.catalog.search import normalize_query, search_keys
from bianmin.catalog.selectors import SearchFilters, search_items

pytestmark = pytest.mark.django_db


def names(**filters):
    return [i.name for i in search_items(SearchFilters(**filters))]


def test_pinyin_initials_find_the_pension_items(catalogue):
    assert names(q="ylbx") == ["城乡居民养老保险待遇申领", "城乡居民基本养老保险参保登记"]


@pytest.mark.parametrize(
    "query", ["养老保险", "yanglao", "YangLao", "yang'lao", "cxjm", "参保 登记", "canbao dengji"]
)
def test_chinese_full_pinyin_and_several_words_find_the_registration(catalogue, query):
    assert "城乡居民基本养老保险参保登记" in names(q=query)


def test_everyday_names_find_official_ones(catalogue):
    assert names(q="低保") == ["最低生活保障对象认定"]
    assert names(q="db") == ["最低生活保障对象认定"]
    assert names(q="残疾证") == ["第二代残疾人证申请（转报）"]


def test_the_name_starting_with_the_query_ranks_first(catalogue):
    assert names(q="最低")[0] == "最低生活保障对象认定"


def test_polyphonic_characters_are_found_by_each_reading():
    keys, initials = search_keys("长三角一网通办")
    assert "changsanjiao" in keys and "csj" in keys and "zhangsanjiao" in keys
    keys, _ = search_keys("重度残疾人护理补贴")
    assert "zhongdu" in keys and "zdcjrhlbt" in keys


def test_filters_by_domain_life_event_channel_and_center(catalogue, muchang, manager):
    assert names(domain="canlian") == ["第二代残疾人证申请（转报）"]
    assert names(life_event="退休") == ["城乡居民养老保险待遇申领"]
    assert set(names(channel="online")) == {"城乡居民基本养老保险参保登记", "最低生活保障对象认定"}
    assert names(q="ylbx", channel="online") == ["城乡居民基本养老保险参保登记"]
    assert names(frequency="forwarded", domain="minzheng") == ["最低生活保障对象认定"]
    assert len(names(center=muchang)) == 4


def test_cancelled_items_are_left_out_unless_asked_for(catalogue, county_supervisor, pension):
    services.cancel_item(county_supervisor, pension, reason="合并")
    assert names(q="ylbx") == ["城乡居民养老保险待遇申领"]
    assert len(names(q="ylbx", include_cancelled=True)) == 2


def test_nothing_found_is_an_empty_list(catalogue):
    assert names(q="qwxz") == []


def test_queries_are_normalized():
    assert normalize_query("  Yang'Lao  保险 ") == ["yanglao", "保险"]
