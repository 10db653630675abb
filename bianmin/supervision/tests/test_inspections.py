"""Inspections (三(四) 督导检查): the checklist from the policy, unannounced visits, each answer
saved as given, failed items turned into rectification tasks with working-day deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.hall.models import Facility
from bianmin.supervision import services
from bianmin.supervision.models import (
    ChecklistItem,
    InspectionAnswer,
    RectificationTask,
    SupervisionEvent,
)
from bianmin.workdays.services import add_working_days

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_default_checklist_covers_the_policys_areas(checklist):
    items = ChecklistItem.objects.filter(checklist=checklist)
    areas = set(items.values_list("area", flat=True))
    assert areas == {
        "layout",
        "windows",
        "facilities",
        "special_groups",
        "management",
        "conduct",
        "service",
    }
    texts = " ".join(items.values_list("text", flat=True))
    for words in (
        "岗位公示牌",
        "助听器",
        "老花镜",
        "轮椅",
        "首问负责",
        "一次性告知",
        "限时办结",
        "离岗告知",
        "AB岗",
        "评价器",
    ):
        assert words in texts
    # Loading again adds nothing (the migration and the demo both call it).
    n = items.count()
    services.load_default_checklist()
    assert ChecklistItem.objects.filter(checklist=checklist).count() == n


def test_a_failed_item_becomes_a_task_due_after_its_working_days(inspect, muchang):
    when = at(2026, 3, 2, 9)  # a Monday
    insp = inspect(fails={"sp_hearing_aid": "未见助听器"}, when=when, days=10)
    task = RectificationTask.objects.get(inspection=insp)
    assert task.center == muchang and task.title == "配备助听器" and task.finding == "未见助听器"
    finished = when + dt.timedelta(hours=1)
    expected = add_working_days(finished, 10).date
    assert expected == dt.date(2026, 3, 16)  # ten working days after, the start day not counted
    assert task.due_at.astimezone(at(2026, 1, 1).tzinfo).date() == expected
    assert task.deadline_days == 10 and task.state == "open"


def test_the_default_deadline_is_ten_working_days(inspect):
    insp = inspect(fails={"fac_post_board": "岗位牌过期"})
    task = insp.tasks.get()
    assert task.deadline_days == services.DEFAULT_DEADLINE_DAYS == 10


def test_only_failed_items_become_tasks(inspect):
    insp = inspect(fails={"sp_hearing_aid": "缺失", "fac_post_board": "过期"})
    assert sorted(insp.tasks.values_list("answer__code", flat=True)) == [
        "fac_post_board",
        "sp_hearing_aid",
    ]


def test_a_finished_inspection_cannot_be_changed(inspect, people):
    insp = inspect(fails={"sp_hearing_aid": "缺失"})
    answer = insp.answers.get(code="sp_hearing_aid")
    with pytest.raises(ValidationError) as e:
        services.answer_item(people["county"], answer, result="pass")
    assert "已结束" in e.value.message_dict["inspection"][0]
    with pytest.raises(ValidationError):
        services.finish_inspection(people["county"], insp)
    answer.refresh_from_db()
    assert answer.result == "fail" and insp.tasks.count() == 1


def test_an_inspection_is_finished_only_when_every_item_is_answered(people, muchang):
    insp = services.start_inspection(people["county"], muchang)
    first = insp.answers.order_by("order").first()
    services.answer_item(people["county"], first, result="pass")
    with pytest.raises(ValidationError) as e:
        services.finish_inspection(people["county"], insp)
    assert "尚未回答" in e.value.message_dict["answers"][0]
    insp.refresh_from_db()
    assert insp.is_open


def test_a_failed_item_needs_a_note_saying_what_was_found(people, muchang):
    insp = services.start_inspection(people["county"], muchang)
    a = insp.answers.get(code="sp_hearing_aid")
    with pytest.raises(ValidationError) as e:
        services.answer_item(people["county"], a, result="fail", note="  ")
    assert e.value.message_dict["note"][0].startswith("备注")
    services.answer_item(people["county"], a, result="fail", note="未配备")
    a.refresh_from_db()
    assert a.result == "fail" and a.deadline_days == 10


@pytest.mark.parametrize(
    "bad,words",
    [
        ("0", "至少1个工作日"),
        ("-3", "至少1个工作日"),
        ("61", "最多60个工作日"),
        ("十天", "不是工作日数"),
    ],
)
def test_a_deadline_of_zero_days_or_in_the_past_is_refused(people, muchang, bad, words):
    insp = services.start_inspection(people["county"], muchang)
    a = insp.answers.get(code="sp_hearing_aid")
    with pytest.raises(ValidationError) as e:
        services.answer_item(people["county"], a, result="fail", note="缺失", deadline=bad)
    message = e.value.message_dict["deadline_days"][0]
    assert message.startswith("整改期限") and words in message
    a.refresh_from_db()
    assert a.result == ""  # nothing half-saved


@pytest.mark.parametrize("good", ["1", "5", "60", 20])
def test_a_deadline_from_one_to_sixty_working_days_is_taken(people, muchang, good):
    insp = services.start_inspection(people["county"], muchang)
    a = insp.answers.get(code="sp_hearing_aid")
    services.answer_item(people["county"], a, result="fail", note="缺失", deadline=good)
    a.refresh_from_db()
    assert a.deadline_days == int(good)


def test_an_unknown_result_is_refused(people, muchang):
    insp = services.start_inspection(people["county"], muchang)
    a = insp.answers.first()
    with pytest.raises(ValidationError) as e:
        services.answer_item(people["county"], a, result="maybe")
    assert e.value.message_dict["result"][0].startswith("结果")


def test_an_unknown_center_is_refused_naming_the_field(db):
    with pytest.raises(ValidationError) as e:
        services.center_by_code("341502999999")
    assert "341502999999" in e.value.message_dict["center"][0]
    assert e.value.message_dict["center"][0].startswith("中心")
    with pytest.raises(ValidationError) as e:
        services.center_by_code("")
    assert "必填" in e.value.message_dict["center"][0]


def test_a_supervisor_of_another_county_is_refused(people, muchang):
    with pytest.raises(PermissionDenied) as e:
        services.start_inspection(people["other_county"], muchang)
    assert "木厂镇" in str(e.value)


def test_the_city_supervisor_may_inspect_any_center(people, jinzhai_center):
    insp = services.start_inspection(people["city"], jinzhai_center)
    assert insp.center == jinzhai_center


@pytest.mark.parametrize("who", ["manager", "clerk"])
def test_center_staff_do_not_inspect(people, muchang, who):
    with pytest.raises(PermissionDenied):
        services.start_inspection(people[who], muchang)


def test_hints_come_from_the_halls_records(people, muchang):
    Facility.objects.create(center=muchang, kind="hearing_aid", quantity=1, status="missing")
    Facility.objects.create(center=muchang, kind="reading_glasses", quantity=3, status="ok")
    insp = services.start_inspection(people["county"], muchang)
    aid = insp.answers.get(code="sp_hearing_aid")
    glasses = insp.answers.get(code="sp_reading_glasses")
    wheelchair = insp.answers.get(code="sp_wheelchair")
    assert "助听器" in aid.hint and aid.hint_suggests == "fail"
    assert glasses.hint_suggests == "pass"
    assert "台账" in wheelchair.hint and wheelchair.hint_suggests == "fail"  # not in the inventory
    assert aid.result == ""  # a hint never answers by itself


def test_each_answer_and_the_finish_are_logged_with_before_and_after(people, muchang):
    county = people["county"]
    insp = services.start_inspection(county, muchang)
    a = insp.answers.get(code="sp_hearing_aid")
    services.answer_item(county, a, result="pass")
    services.answer_item(county, a, result="fail", note="其实没有")
    events = list(SupervisionEvent.objects.filter(inspection=insp, kind="answered"))
    assert events[-1].before["result"] == "pass" and events[-1].after["result"] == "fail"
    assert events[-1].actor == county
    with pytest.raises(ValidationError):
        events[-1].save()


def test_a_photo_is_stored_outside_the_web_root_by_its_checksum(people, muchang, settings):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    insp = services.start_inspection(people["county"], muchang)
    a = insp.answers.get(code="sp_hearing_aid")
    services.answer_item(people["county"], a, result="fail", note="缺失", photo=png)
    a.refresh_from_db()
    assert a.photo_type == "image/png"
    assert (settings.VAR_DIR / "case-files" / a.photo_path).read_bytes() == png
    with pytest.raises(ValidationError) as e:
        services.answer_item(people["county"], a, result="fail", note="缺失", photo=b"GIF89a....")
    assert e.value.message_dict["photo"][0].startswith("照片")


def test_editing_the_checklist_raises_its_version_and_spares_inspections_made(
    people, muchang, checklist
):
    insp = services.start_inspection(people["county"], muchang)
    item = ChecklistItem.objects.get(code="sp_hearing_aid")
    services.save_checklist_item(
        people["city"],
        item,
        code=item.code,
        area=item.area,
        clause="二12",
        text="配备助听器（至少2副）",
        hint=item.hint,
        order=item.order,
    )
    checklist.refresh_from_db()
    assert checklist.version == 2
    assert insp.answers.get(code="sp_hearing_aid").text == "配备助听器"
    later = services.start_inspection(people["county"], muchang)
    assert later.answers.get(code="sp_hearing_aid").text == "配备助听器（至少2副）"
    assert later.checklist_version == 2


def test_a_checklist_item_with_bad_input_is_refused(people, checklist):
    with pytest.raises(ValidationError) as e:
        services.save_checklist_item(people["county"], None, code="x y", area="layout", text="t")
    assert e.value.message_dict["code"][0].startswith("代码")
    with pytest.raises(ValidationError) as e:
        services.save_checklist_item(people["county"], None, code="new", area="nowhere", text="t")
    assert e.value.message_dict["area"][0].startswith("检查领域")
    with pytest.raises(ValidationError) as e:
        services.save_checklist_item(
            people["county"], None, code="sp_hearing_aid", area="layout", text="t"
        )
    assert "sp_hearing_aid" in e.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as e:
        services.save_checklist_item(
            people["county"], None, code="new", area="layout", text="t", hint="facility:unicorn"
        )
    assert e.value.message_dict["hint"][0].startswith("提示")
    with pytest.raises(PermissionDenied):
        services.save_checklist_item(people["manager"], None, code="n", area="layout", text="t")
    services.save_checklist_item(
        people["county"], None, code="sp_water_cups", area="special_groups", text="提供一次性水杯"
    )
    assert InspectionAnswer.objects.count() == 0
