"""Item entries (进驻) per center and the coverage per county."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bianmin.catalog import selectors, services
from bianmin.catalog.models import CatalogEvent, ItemEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh(pension, muchang):
    ItemEntry.objects.filter(center=muchang).delete()
    return pension


def test_a_manager_enters_an_item_at_her_center(manager, muchang, fresh):
    entry = services.enter_item(manager, muchang, fresh, mode="delegated")
    assert fresh in selectors.entered_items(muchang)
    assert CatalogEvent.objects.get(kind="entry_added", center=muchang).actor == manager
    services.change_entry_mode(manager, entry, mode="commissioned")
    entry.refresh_from_db()
    assert entry.mode == "commissioned"


def test_a_manager_may_not_touch_another_centers_items(manager, maotanchang, pension):
    entry = ItemEntry.objects.get(center=maotanchang, item=pension)
    with pytest.raises(PermissionDenied) as error:
        services.withdraw_entry(manager, entry, reason="x")
    assert "不在您的管辖范围内" in str(error.value) or "毛坦厂镇便民服务中心" in str(error.value)


def test_a_supervisor_does_not_manage_a_centers_entries(county_supervisor, muchang, fresh):
    with pytest.raises(PermissionDenied):
        services.enter_item(county_supervisor, muchang, fresh, mode="delegated")


def test_an_item_is_entered_once_and_needs_a_valid_mode(manager, muchang, fresh):
    with pytest.raises(ValidationError) as error:
        services.enter_item(manager, muchang, fresh, mode="sometimes")
    assert error.value.messages == ["进驻方式：请选择集中授权、委托办理或帮办代办。"]
    services.enter_item(manager, muchang, fresh, mode="delegated")
    with pytest.raises(ValidationError) as error:
        services.enter_item(manager, muchang, fresh, mode="delegated")
    assert error.value.messages == ["事项：城乡居民基本养老保险参保登记已在本中心进驻。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemEntry.objects.create(
            center=muchang, item=fresh, mode="assisted", entered_on=dt.date.today()
        )


def test_withdrawing_needs_a_reason_and_frees_the_item_for_a_new_entry(manager, muchang, fresh):
    entry = services.enter_item(manager, muchang, fresh, mode="delegated")
    with pytest.raises(ValidationError) as error:
        services.withdraw_entry(manager, entry, reason="")
    assert error.value.messages == ["原因：请说明本中心不再办理该事项的原因。"]
    services.withdraw_entry(manager, entry, reason="移交县级大厅办理")
    assert fresh not in selectors.entered_items(muchang)
    with pytest.raises(ValidationError):
        services.withdraw_entry(manager, entry, reason="again")
    services.enter_item(manager, muchang, fresh, mode="assisted")
    assert ItemEntry.objects.filter(center=muchang, item=fresh).count() == 2


def test_a_cancelled_item_cannot_be_entered(manager, county_supervisor, muchang, fresh):
    services.cancel_item(county_supervisor, fresh, reason="取消")
    with pytest.raises(ValidationError) as error:
        services.enter_item(manager, muchang, fresh, mode="delegated")
    assert "已取消，不能进驻" in error.value.messages[0]


def test_an_entry_planned_for_later_counts_from_its_date(manager, muchang, fresh):
    services.enter_item(
        manager,
        muchang,
        fresh,
        mode="delegated",
        entered_on=dt.date.today() + dt.timedelta(days=10),
    )
    assert fresh not in selectors.entered_items(muchang)
    assert fresh in selectors.entered_items(muchang, on=dt.date.today() + dt.timedelta(days=10))


def test_coverage_counts_each_centers_items(manager, muchang, fresh, catalogue):
    county = muchang.region.parent
    cov = selectors.coverage(county)
    assert cov.per_center[muchang.pk] == 0
    assert cov.cells.get((fresh.pk, muchang.pk)) is None
    services.enter_item(manager, muchang, fresh, mode="commissioned")
    cov = selectors.coverage(county)
    assert cov.per_center[muchang.pk] == 1
    assert cov.cells[(fresh.pk, muchang.pk)] == "commissioned"
    assert cov.per_item[fresh.pk] == len(cov.centers)


# --- A forwarded item (转报) is decided by the county: never entered by delegated authority ------


@pytest.fixture
def dibao(catalogue, muchang):
    """最低生活保障对象认定: forwarded (转报), decided by the county's 民政局."""
    item = catalogue["MZ0001"]
    ItemEntry.objects.filter(center=muchang, item=item).delete()
    return item


def test_a_forwarded_item_is_refused_as_delegated_naming_the_mode(manager, muchang, dibao):
    assert dibao.is_forwarded
    with pytest.raises(ValidationError) as error:
        services.enter_item(manager, muchang, dibao, mode="delegated")
    assert error.value.message_dict["mode"] == [
        "进驻方式：“最低生活保障对象认定”是转报事项，由县级部门审批（本中心受理并转报），"
        "不能以集中授权进驻。请选择帮办代办或委托办理。"
    ]
    assert not ItemEntry.objects.filter(center=muchang, item=dibao).exists()


@pytest.mark.parametrize("mode", ["assisted", "commissioned"])
def test_a_forwarded_item_is_entered_as_assisted_or_commissioned(manager, muchang, dibao, mode):
    assert services.enter_item(manager, muchang, dibao, mode=mode).mode == mode


def test_a_forwarded_entry_cannot_be_changed_to_delegated(manager, muchang, dibao):
    entry = services.enter_item(manager, muchang, dibao, mode="assisted")
    with pytest.raises(ValidationError) as error:
        services.change_entry_mode(manager, entry, mode="delegated")
    assert error.value.message_dict["mode"][0].startswith(
        "进驻方式：“最低生活保障对象认定”是转报事项"
    )
    entry.refresh_from_db()
    assert entry.mode == "assisted"


def test_a_township_item_is_still_entered_by_delegated_authority(manager, muchang, fresh):
    assert not fresh.is_forwarded
    assert services.enter_item(manager, muchang, fresh, mode="delegated").mode == "delegated"


def test_the_entries_page_does_not_offer_delegated_for_a_forwarded_item(
    client, manager, muchang, dibao
):
    client.force_login(manager)
    url = f"/catalog/centers/{muchang.region.code}/entries/"
    body = client.get(url).content.decode()
    row = body[body.index('id="item-MZ0001"') :]
    row = row[: row.index("</tr>")]
    assert 'value="delegated" disabled>集中授权（转报事项不适用）' in row
    assert 'value="assisted" selected' in row
    response = client.post(f"{url}MZ0001/enter/", {"mode": "delegated"}, follow=True)
    assert "不能以集中授权进驻" in response.content.decode()
    assert not ItemEntry.objects.filter(center=muchang, item=dibao).exists()
