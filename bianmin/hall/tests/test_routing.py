"""二5: items go to their domain window; low-frequency and uncovered items to the enquiry window."""

import pytest

from bianmin.catalog.audit import registered_checks
from bianmin.hall import selectors, services
from bianmin.hall.checks import unserved_items_check

pytestmark = pytest.mark.django_db


def routes(center):
    return {
        r.item.name: r.window.number if r.window else None for r in selectors.routing_table(center)
    }


def test_items_go_to_their_domain_window_and_low_frequency_ones_to_enquiry(
    staffed, entered, muchang
):
    table = routes(muchang)
    assert table["城乡居民基本养老保险参保登记"] == 2  # 人社, high frequency → social security
    assert table["高龄津贴申领"] == 3  # 民政 → social assistance
    assert (
        table["第二代残疾人证申请（转报）"] == 3
    )  # forwarded items still go to their domain window
    assert table["社会保障卡注销"] == 1  # low frequency → enquiry window (兜底)
    assert table["异地就医备案"] == 2  # cross-region, but no cross-region window here


def test_a_cross_region_window_takes_cross_region_items(staffed, entered, manager, muchang):
    services.create_window(manager, muchang, number=4, name="跨省通办窗口", kind="cross_region")
    assert routes(muchang)["异地就医备案"] == 4


def test_a_domain_without_a_window_falls_back_to_enquiry(manager, muchang, entered, domains):
    services.create_window(manager, muchang, number=1, name="综合咨询窗口", kind="enquiry")
    services.create_window(
        manager, muchang, number=2, name="社会保障类", kind="domain", domains=[domains["renshe"]]
    )
    table = routes(muchang)
    assert table["高龄津贴申领"] == 1 and table["城乡居民基本养老保险参保登记"] == 2
    assert selectors.unserved_items(muchang) == []


def test_items_are_unserved_without_an_enquiry_window(manager, muchang, entered, domains):
    services.create_window(
        manager, muchang, number=2, name="社会保障类", kind="domain", domains=[domains["renshe"]]
    )
    names = {i.name for i in selectors.unserved_items(muchang)}
    assert "高龄津贴申领" in names and "城乡居民基本养老保险参保登记" not in names


def test_the_manager_can_route_an_item_by_hand(staffed, entered, manager, muchang):
    services.set_routing_override(manager, muchang, entered["glory"], staffed[1])
    assert routes(muchang)["社会保障卡注销"] == 2
    services.set_routing_override(manager, muchang, entered["glory"], None)
    assert routes(muchang)["社会保障卡注销"] == 1


def test_the_catalogue_audit_runs_the_halls_check(manager, muchang, entered, domains):
    assert unserved_items_check in registered_checks()
    services.create_window(
        manager, muchang, number=2, name="社会保障类", kind="domain", domains=[domains["renshe"]]
    )
    findings = list(unserved_items_check(muchang))
    assert {f.item.name for f in findings} >= {"高龄津贴申领", "个体工商户登记"}
    assert all(f.code == "hall_unserved_item" and f.severity == "error" for f in findings)


def test_a_center_without_windows_is_not_reported_yet(muchang, entered):
    assert list(unserved_items_check(muchang)) == []
