"""The peaks the manager expects: entered by the center's manager only, checked field by field
(a clear Chinese message naming the field, nothing saved), kept with who entered and removed
them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.identity.roles import Role
from bianmin.staffing import services
from bianmin.staffing.models import ExpectedPeak

from .conftest import FRIDAY, PENSION_PEAK

GOOD = {**PENSION_PEAK, "factor": "", "note": "村里统一通知"}


def refused(actor, center, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.add_peak(actor, center, **{**GOOD, **changes})
    assert not ExpectedPeak.objects.exists()  # nothing saved
    return caught.value.message_dict


def test_the_manager_enters_a_peak_and_who_and_when_is_kept(friday, muchang, manager, queues):
    peak = services.add_peak(manager, muchang, **GOOD)
    assert (peak.queue, peak.starts_hour, peak.ends_hour, peak.extra_people) == (
        queues["C"],
        9,
        11,
        20,
    )
    assert (peak.created_by, peak.created_at) == (manager, FRIDAY)
    assert peak.factor is None


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"ends_hour": "9", "starts_hour": "11"},
            "ends_hour",
            "结束时间：结束（9:00）必须晚于开始（11:00）。",
        ),
        (
            {"ends_hour": "9", "starts_hour": "9"},
            "ends_hour",
            "结束时间：结束（9:00）必须晚于开始（9:00）。",
        ),
        ({"day": "2026-11-26"}, "day", "日期：这一天已经过去，高峰只能登记今天或以后的日子。"),
        ({"day": "30/11/2026"}, "day", "日期：请按 YYYY-MM-DD 填写日期。"),
        ({"queue": "Z"}, "queue", "队列：本中心没有在用的这个队列。"),
        ({"queue": ""}, "queue", "队列：本中心没有在用的这个队列。"),
        ({"extra_people": "二十"}, "extra_people", "额外人数：请填写整数人数，如 30。"),
        ({"extra_people": "2.5"}, "extra_people", "额外人数：请填写整数人数，如 30。"),
        ({"extra_people": "0"}, "extra_people", "额外人数：应在 1 到 5000 之间。"),
        ({"extra_people": "", "factor": "一倍半"}, "factor", "倍数：请填写数字，如 1.5。"),
        ({"extra_people": "", "factor": "NaN"}, "factor", "倍数：请填写数字，如 1.5。"),
        ({"extra_people": "", "factor": "50"}, "factor", "倍数：应在 0.1 到 20 之间。"),
        (
            {"extra_people": "", "factor": ""},
            "extra_people",
            "额外人数：请填写预计增加的人数，或填写平常到达人数的倍数。",
        ),
        ({"starts_hour": "九点"}, "starts_hour", "开始时间：请填写 0 到 23 之间的整点。"),
        ({"starts_hour": "24"}, "starts_hour", "开始时间：请填写 0 到 23 之间的整点。"),
        ({"starts_hour": ""}, "starts_hour", "开始时间：必填（整点，如 9）。"),
        ({"ends_hour": "25"}, "ends_hour", "结束时间：请填写 1 到 24 之间的整点。"),
        ({"ends_hour": "10.5"}, "ends_hour", "结束时间：请填写 1 到 24 之间的整点。"),
        ({"name": "  "}, "name", "高峰名称：必填（如 养老保险集中参保缴费）。"),
        ({"name": "高" * 61}, "name", "高峰名称：最多 60 个字。"),
        ({"note": "注" * 201}, "note", "备注：最多 200 个字。"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_naming_the_field(
    friday, muchang, manager, queues, changes, field, message
):
    assert refused(manager, muchang, **changes)[field] == [message]


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"starts_hour": "12", "ends_hour": "14"},  # the lunch break
            "开始时间：当天 12:00 到 14:00 大厅不开放（请看办公时间和值班安排）。",
        ),
        (
            {"day": "2026-11-29", "starts_hour": "9", "ends_hour": "11"},  # a Sunday
            "开始时间：当天 9:00 到 11:00 大厅不开放（请看办公时间和值班安排）。",
        ),
    ],
)
def test_a_peak_when_the_hall_is_closed_is_refused(
    friday, muchang, manager, queues, changes, message
):
    assert refused(manager, muchang, **changes)["starts_hour"] == [message]


def test_a_peak_on_a_day_of_extra_duty_is_taken(friday, muchang, manager, queues):
    import datetime as dt

    from bianmin.hall import services as hall

    hall.add_extra_duty(
        manager,
        muchang,
        kind="weekend",
        date=dt.date(2026, 11, 29),
        opens=dt.time(9),
        closes=dt.time(12),
        note="医保集中参保期周末服务",
    )
    peak = services.add_peak(manager, muchang, **{**GOOD, "day": "2026-11-29"})
    assert peak.day == dt.date(2026, 11, 29)


def test_every_bad_field_is_named_at_once(friday, muchang, manager, queues):
    errors = refused(
        manager, muchang, queue="Z", day="2026-11-01", starts_hour="x", extra_people="many"
    )
    assert set(errors) == {"queue", "day", "starts_hour", "extra_people"}


def test_a_queue_of_another_center_is_unknown_here(friday, muchang, maotanchang, manager, queues):
    # By id: the queue must belong to the center named.
    from bianmin.queueing.models import Queue

    foreign = Queue.objects.create(center=maotanchang, letter="C", name="社会保障类")
    assert refused(manager, muchang, queue=str(foreign.pk))["queue"] == [
        "队列：本中心没有在用的这个队列。"
    ]


def test_today_is_not_in_the_past(friday, muchang, manager, queues):
    peak = services.add_peak(manager, muchang, **{**GOOD, "day": "2026-11-27"})
    assert peak.day.isoformat() == "2026-11-27"


def test_a_factor_alone_is_enough(friday, muchang, manager, queues):
    peak = services.add_peak(manager, muchang, **{**GOOD, "extra_people": "", "factor": "1.5"})
    assert str(peak.factor) == "1.50" and peak.extra_people is None


def test_only_the_centers_manager_enters_or_removes_peaks(
    friday, muchang, maotanchang, manager, make_user, queues
):
    clerk = make_user(Role.WINDOW_CLERK, center=muchang)
    other_manager = make_user(Role.CENTER_MANAGER, center=maotanchang)
    from bianmin.org.models import Region

    county = make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code="341502000000"))
    for user in (clerk, other_manager, county):
        with pytest.raises(PermissionDenied):
            services.add_peak(user, muchang, **GOOD)
    peak = services.add_peak(manager, muchang, **GOOD)
    with pytest.raises(PermissionDenied):
        services.remove_peak(clerk, peak)


def test_a_removed_peak_stays_on_record_with_who_removed_it(friday, muchang, manager, queues):
    peak = services.add_peak(manager, muchang, **GOOD)
    services.remove_peak(manager, peak)
    peak.refresh_from_db()
    assert (peak.removed_by, peak.removed_at) == (manager, FRIDAY)
    assert not peak.active
    with pytest.raises(ValidationError) as caught:
        services.remove_peak(manager, peak)
    assert caught.value.message_dict == {"peak": ["高峰：已经撤销过了。"]}


@pytest.mark.parametrize(
    "values, field, message",
    [
        (
            {"target_minutes": "0"},
            "target_minutes",
            "等候目标（分钟）：请填写 1 到 120 之间的整数。",
        ),
        (
            {"target_share": "100"},
            "target_share",
            "目标内叫号比例（%）：请填写 50 到 99 之间的整数。",
        ),
        (
            {"target_share": "八十"},
            "target_share",
            "目标内叫号比例（%）：请填写 50 到 99 之间的整数。",
        ),
        ({"history_weeks": "30"}, "history_weeks", "参考历史周数：请填写 1 到 26 之间的整数。"),
    ],
)
def test_the_waiting_target_is_checked(friday, muchang, manager, values, field, message):
    with pytest.raises(ValidationError) as caught:
        services.update_settings(manager, muchang, **values)
    assert caught.value.message_dict[field] == [message]


def test_the_manager_sets_the_waiting_target(friday, muchang, manager, make_user):
    s = services.update_settings(manager, muchang, target_minutes="10", target_share="90")
    assert (s.target_minutes, s.target_share, s.history_weeks) == (10, 90, 6)
    with pytest.raises(PermissionDenied):
        services.update_settings(make_user(Role.WINDOW_CLERK, center=muchang), muchang)
