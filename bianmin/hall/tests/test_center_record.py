"""The center's record (address, phones, opening hours): who may change it, what is refused
with which Chinese message, and the history each change leaves."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.hall import services
from bianmin.hall.models import OpeningHours
from bianmin.identity.roles import Role
from bianmin.org.models import CenterRecordChange, Region

pytestmark = pytest.mark.django_db

T = dt.time
WEEKDAYS = {d: (T(8, 30), T(12, 0), T(14, 30), T(17, 30)) for d in range(5)} | {5: None, 6: None}
GOOD = {
    "address": "金安区木厂镇政府一楼",
    "phone": "0564-3330000",
    "complaint_phone": "12345",
    "hours": WEEKDAYS,
}


@pytest.fixture
def manager(make_user, muchang):
    return make_user(Role.CENTER_MANAGER, center=muchang)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_the_manager_saves_the_record_and_the_change_is_recorded(manager, muchang):
    change = services.update_center_record(manager, muchang, **GOOD)
    muchang.refresh_from_db()
    assert (muchang.address, muchang.phone, muchang.complaint_phone) == (
        "金安区木厂镇政府一楼",
        "0564-3330000",
        "12345",
    )
    assert OpeningHours.objects.filter(center=muchang).count() == 5
    assert change.actor == manager and change.center == muchang
    assert change.changes["phone"] == {"from": "", "to": "0564-3330000"}
    assert change.changes["hours"]["to"] == "周一至周五 上午8:30-12:00，下午14:30-17:30"


def test_saving_the_same_record_again_records_nothing(manager, muchang):
    services.update_center_record(manager, muchang, **GOOD)
    assert services.update_center_record(manager, muchang, **GOOD) is None
    assert CenterRecordChange.objects.filter(center=muchang).count() == 1


def test_a_blank_day_closes_it_and_saturday_morning_opens(manager, muchang):
    services.update_center_record(manager, muchang, **GOOD)
    hours = dict(WEEKDAYS) | {4: None, 5: (T(9, 0), T(12, 0), None, None)}
    services.update_center_record(manager, muchang, **{**GOOD, "hours": hours})
    assert sorted(
        OpeningHours.objects.filter(center=muchang).values_list("weekday", flat=True)
    ) == [
        0,
        1,
        2,
        3,
        5,
    ]


def test_the_history_is_append_only(manager, muchang):
    change = services.update_center_record(manager, muchang, **GOOD)
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()


@pytest.mark.parametrize(
    ("role", "where", "allowed"),
    [
        (Role.CENTER_MANAGER, "muchang", True),
        (Role.COUNTY_SUPERVISOR, "341502000000", True),  # 金安区
        (Role.CITY_SUPERVISOR, "341500000000", True),
        (Role.SYSTEM_ADMIN, None, True),
        (Role.CENTER_MANAGER, "maotanchang", False),  # another center's manager
        (Role.COUNTY_SUPERVISOR, "341524000000", False),  # 金寨县 supervisor
        (Role.WINDOW_CLERK, "muchang", False),
        (Role.BACK_OFFICE_OFFICER, "minzheng", False),
    ],
)
def test_who_may_change_the_record(role, where, allowed, make_user, muchang, maotanchang, minzheng):
    scope = {}
    if where == "muchang":
        scope = {"center": muchang}
    elif where == "maotanchang":
        scope = {"center": maotanchang}
    elif where == "minzheng":
        scope = {"department": minzheng}
    elif where:
        scope = {"region": Region.objects.get(code=where)}
    user = make_user(role, **scope)
    assert services.may_edit_center_record(user, muchang) is allowed
    if allowed:
        services.update_center_record(user, muchang, **GOOD)
    else:
        with pytest.raises(PermissionDenied):
            services.update_center_record(user, muchang, **GOOD)
        muchang.refresh_from_db()
        assert muchang.phone == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "3330000", "咨询电话：“3330000”不是电话号码。"),
        ("phone", "12345", "咨询电话：“12345”不是电话号码。"),
        ("phone", "1390564123", "咨询电话：“1390564123”不是电话号码。"),
        ("complaint_phone", "0564-33", "投诉电话：“0564-33”不是电话号码。"),
        ("address", "", "地址：此项必填"),
        ("phone", "", "咨询电话：此项必填"),
    ],
)
def test_a_bad_phone_or_a_missing_field_is_refused_naming_the_field(
    manager, muchang, field, value, message
):
    with pytest.raises(ValidationError) as excinfo:
        services.update_center_record(manager, muchang, **{**GOOD, field: value})
    assert errors_of(excinfo)[field][0].startswith(message)
    muchang.refresh_from_db()
    assert muchang.address == "" and not OpeningHours.objects.filter(center=muchang).exists()


@pytest.mark.parametrize(
    "good", ["0564-3330000、13905641234", "05643330000", "0564-3330000-801", "13905641234"]
)
def test_landlines_with_area_code_and_mobiles_are_accepted(manager, muchang, good):
    services.update_center_record(manager, muchang, **{**GOOD, "phone": good})
    muchang.refresh_from_db()
    assert muchang.phone == good


@pytest.mark.parametrize(
    ("day", "key", "message"),
    [
        (
            (T(12, 0), T(8, 30), None, None),
            "morning_closes",
            "星期一上午下班时间：须晚于上午上班时间（12:00）。",
        ),
        (
            (T(8, 30), T(12, 0), T(11, 0), T(17, 30)),
            "afternoon_opens",
            "星期一下午上班时间：午休在上下午之间",
        ),
        (
            (T(8, 30), T(12, 0), T(14, 30), T(14, 0)),
            "afternoon_closes",
            "星期一下午下班时间：须晚于下午上班时间（14:30）。",
        ),
        (
            (T(8, 30), T(12, 0), T(14, 30), None),
            "afternoon_closes",
            "星期一下午下班时间：下午的上班和下班时间须同时填写",
        ),
        ((None, T(12, 0), None, None), "morning_opens", "星期一上午上班时间：此项必填。"),
    ],
)
def test_hours_out_of_order_are_refused_naming_the_day_and_the_field(
    manager, muchang, day, key, message
):
    with pytest.raises(ValidationError) as excinfo:
        services.update_center_record(manager, muchang, **{**GOOD, "hours": WEEKDAYS | {0: day}})
    assert errors_of(excinfo)[f"hours.0.{key}"][0].startswith(message)
    assert not OpeningHours.objects.filter(center=muchang).exists()


def test_a_week_without_any_open_day_is_refused(manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.update_center_record(
            manager, muchang, **{**GOOD, "hours": dict.fromkeys(range(7))}
        )
    assert errors_of(excinfo)["hours"] == ["开放时间：至少填写一周中一天的开放时间。"]


def test_every_problem_is_reported_at_once(manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.update_center_record(
            manager,
            muchang,
            address="",
            phone="3330000",
            complaint_phone="55",
            hours=WEEKDAYS | {2: (T(12, 0), T(8, 0), None, None)},
        )
    assert set(errors_of(excinfo)) == {
        "address",
        "phone",
        "complaint_phone",
        "hours.2.morning_closes",
    }


def test_the_api_reads_and_changes_the_record(client, manager, muchang):
    client.force_login(manager)
    url = f"/api/v1/hall/centers/{muchang.region.code}/record"
    body = {
        "address": "木厂镇政府一楼",
        "phone": "0564-3330000",
        "complaint_phone": "12345",
        "hours": [
            {
                "weekday": d,
                "morning_opens": "08:30",
                "morning_closes": "12:00",
                "afternoon_opens": "14:30",
                "afternoon_closes": "17:30",
            }
            for d in range(5)
        ],
    }
    answer = client.put(url, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["changed"] and data["hours_text"] == "周一至周五 上午8:30-12:00，下午14:30-17:30"
    assert client.get(url).json()["phone"] == "0564-3330000"
    assert client.put(url, body, content_type="application/json").json()["changed"] is False


def test_the_api_refuses_bad_input_with_422_in_chinese(client, manager, muchang):
    client.force_login(manager)
    url = f"/api/v1/hall/centers/{muchang.region.code}/record"
    bad = {
        "address": "木厂镇政府一楼",
        "phone": "3330000",
        "complaint_phone": "12345",
        "hours": [{"weekday": 0, "morning_opens": "12:00", "morning_closes": "08:30"}],
    }
    answer = client.put(url, bad, content_type="application/json")
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert errors["phone"][0].startswith("咨询电话：“3330000”不是电话号码。")
    assert errors["hours.0.morning_closes"][0].startswith("星期一上午下班时间")
    twice = {**bad, "phone": "0564-3330000", "hours": [{"weekday": 7, "morning_opens": "08:00"}]}
    assert client.put(url, twice, content_type="application/json").status_code == 422


def test_the_api_refuses_a_clerk_with_403(client, clerk, muchang):
    client.force_login(clerk)
    url = f"/api/v1/hall/centers/{muchang.region.code}/record"
    answer = client.put(url, {**GOOD, "hours": None}, content_type="application/json")
    assert answer.status_code == 403 and "角色" in answer.json()["detail"]
