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


# --- The facilities page: a refused row keeps what was typed, each message names its field -----

URL = "/hall/341502100000/facilities/"


def _row(body: str, kind: str) -> str:
    row = body[body.index(f'id="f-{kind}"') :]
    return row[: row.index("</tr>")]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("1000", "数量：应在 0 到 999 之间。"),
        ("-3", "数量：应在 0 到 999 之间。"),
        ("两", "数量：请输入整数。"),
    ],
)
def test_a_refused_facility_row_keeps_what_was_typed_and_names_the_quantity(
    client, manager, muchang, quantity, message
):
    from bianmin.hall.models import Facility

    client.force_login(manager)
    typed = {
        "kind": "wheelchair",
        "quantity": quantity,
        "status": "faulty",
        "last_checked_on": "2026-11-02",
        "notes": "左轮松动",
    }
    response = client.post(URL, typed)
    assert response.status_code == 422
    row = _row(response.content.decode(), "wheelchair")
    assert message in row and 'aria-invalid="true"' in row
    assert f'value="{quantity}"' in row
    assert 'value="faulty" selected' in row
    assert 'value="2026-11-02"' in row and 'value="左轮松动"' in row
    assert "error" not in _row(response.content.decode(), "hearing_aid")  # other rows untouched
    assert not Facility.objects.filter(center=muchang, kind="wheelchair").exists()


def test_a_malformed_date_is_refused_naming_the_field_and_kept(client, manager):
    client.force_login(manager)
    response = client.post(
        URL, {"kind": "wheelchair", "quantity": "2", "status": "ok", "last_checked_on": "11/02"}
    )
    row = _row(response.content.decode(), "wheelchair")
    assert "最近检查日期：请按 2026-11-30 的格式填写日期。" in row
    assert 'value="11/02"' in row and 'value="2"' in row


def test_a_good_row_is_saved_and_a_missing_aid_needs_no_quantity(client, manager, muchang):
    from bianmin.hall.models import Facility

    client.force_login(manager)
    response = client.post(URL, {"kind": "hearing_aid", "quantity": "", "status": "missing"})
    assert response.status_code == 302 and response["Location"].endswith("#f-hearing_aid")
    assert Facility.objects.get(center=muchang, kind="hearing_aid").quantity == 0
    client.post(URL, {"kind": "wheelchair", "quantity": "2", "status": "ok", "notes": "已检查"})
    row = _row(client.get(URL).content.decode(), "wheelchair")
    assert 'value="2"' in row and 'value="ok" selected' in row and 'value="已检查"' in row


def test_a_clerk_sees_the_inventory_but_cannot_save(client, zhang):
    client.force_login(zhang)
    assert "<form" not in _row(client.get(URL).content.decode(), "wheelchair")
    assert (
        client.post(URL, {"kind": "wheelchair", "quantity": "2", "status": "ok"}).status_code == 403
    )
