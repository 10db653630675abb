"""二11 设施, 二12 特殊群体设施, 三(三) 业务培训."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bianmin.hall import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_a_missing_hearing_aid_is_recorded_with_quantity_zero(manager, muchang):
    f = services.record_facility(
        manager,
        muchang,
        kind="hearing_aid",
        quantity=1,
        status="missing",
        last_checked_on=dt.date(2026, 11, 2),
    )
    assert (f.quantity, f.status, f.get_kind_display()) == (0, "missing", "助听器")


def test_bad_facility_input_is_refused_naming_the_field(manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.record_facility(
            manager, muchang, kind="jetpack", quantity=1, status="ok", last_checked_on=None
        )
    assert excinfo.value.message_dict["kind"] == ["设施：请从列表中选择。"]
    with pytest.raises(ValidationError) as excinfo:
        services.record_facility(
            manager, muchang, kind="wheelchair", quantity="两", status="ok", last_checked_on=None
        )
    assert excinfo.value.message_dict["quantity"] == ["数量：请输入整数。"]
    future = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        services.record_facility(
            manager, muchang, kind="wheelchair", quantity=1, status="ok", last_checked_on=future
        )
    assert excinfo.value.message_dict["last_checked_on"] == ["最近检查日期：不能是将来的日期。"]


def test_a_clerk_may_not_change_the_inventory(zhang, muchang):
    with pytest.raises(PermissionDenied):
        services.record_facility(
            zhang, muchang, kind="wheelchair", quantity=1, status="ok", last_checked_on=None
        )


def test_training_is_recorded_for_a_clerk(manager, zhang):
    r = services.add_training(
        manager,
        zhang,
        topic="城乡居民养老保险经办",
        held_on=dt.date(2026, 11, 10),
        hours="3.5",
        organiser="金安区",
    )
    assert str(r.hours) == "3.5" and zhang.training_records.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"topic": ""}, "topic", "培训内容：此项必填。"),
        ({"held_on": None}, "held_on", "培训日期：此项必填。"),
        ({"hours": "0"}, "hours", "学时：须大于 0 且不超过 40。"),
        ({"hours": "三"}, "hours", "学时：请输入数字，如 1.5。"),
    ],
)
def test_bad_training_records_are_refused(manager, zhang, kwargs, field, text):
    data = {"topic": "业务培训", "held_on": dt.date(2026, 11, 10), "hours": "2"}
    data.update(kwargs)
    with pytest.raises(ValidationError) as excinfo:
        services.add_training(manager, zhang, **data)
    assert excinfo.value.message_dict[field] == [text]


def test_a_training_cannot_be_recorded_in_advance(manager, zhang):
    with pytest.raises(ValidationError) as excinfo:
        services.add_training(
            manager, zhang, topic="x", held_on=timezone.localdate() + dt.timedelta(days=1), hours=1
        )
    assert excinfo.value.message_dict["held_on"] == ["培训日期：培训结束后才能登记。"]
