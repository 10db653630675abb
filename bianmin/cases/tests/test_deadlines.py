"""限时办结: working days from the day after the materials are complete, across 2026's National Day
and Spring Festival with their make-up days, paused by a suspension, moved by an approved
extension, yellow and red warnings, overdue lists, provisional years."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.cases import deadlines, scheduler, selectors, services
from bianmin.cases.machine import Refused

from .conftest import at

pytestmark = pytest.mark.django_db


def accepted(open_wang, clerk, when):
    return services.accept(clerk, open_wang(now=when), now=when)


def test_the_limit_runs_across_national_day_and_its_make_up_saturday(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 9, 28))
    # 29, 30 Sep; 1–7 Oct off; 8, 9, Sat 10 (make-up), 12–16 Oct: the 10th working day is 16 Oct.
    assert case.due_at.date() == dt.date(2026, 10, 16)
    assert not case.due_provisional
    assert case.intake_deadline == dt.date(2026, 10, 10)  # the make-up Saturday counts


def test_an_online_business_registration_is_due_on_the_make_up_saturday(clerk, muchang, catalogue):
    from bianmin.cases.services import ApplicantIn

    from .conftest import DAUGHTER_ID, all_provided

    business = catalogue["business"]
    case = services.open_case(
        clerk,
        center=muchang,
        item=business,
        applicant=ApplicantIn(name="李会计", id_number=DAUGHTER_ID, mobile="18756410001"),
        checklist=all_provided(business),
        channel="online",
        accept=True,
        now=at(2026, 9, 30, 21),
    )
    assert case.due_at.date() == dt.date(2026, 10, 10)  # 3 working days: 8, 9 and Sat 10 Oct


def test_the_limit_runs_across_the_spring_festival(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 2, 12))
    # 13 Feb, Sat 14 Feb (make-up); 15–23 Feb off; 24–27 Feb, Sat 28 Feb (make-up), 2–4 Mar.
    assert case.due_at.date() == dt.date(2026, 3, 4)
    assert case.warn_at.date() == dt.date(2026, 3, 2)  # the 8th working day


def test_a_suspension_pauses_the_clock_and_moves_the_due_date(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 2, 12))
    services.suspend(clerk, case, reason="等待申请人户籍地核查结果", now=at(2026, 2, 13, 10))
    case.refresh_from_db()
    assert deadlines.level(case, at(2026, 3, 20)) == "paused"
    case = services.resume(clerk, case, now=at(2026, 2, 25, 9))
    # Working days after 13 Feb up to 25 Feb: Sat 14 Feb (make-up), 24 and 25 Feb.
    assert case.paused_days == 3
    assert case.due_at.date() == dt.date(2026, 3, 9)
    assert case.due_at >= case.received_at


def test_a_suspended_case_is_never_marked_overdue(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 3, 3))
    services.suspend(clerk, case, reason="专家论证", now=at(2026, 3, 4))
    assert scheduler.run_timers(at(2026, 4, 30))["mark_overdue"] == 0


def test_an_extension_needs_the_leaders_approval_and_tells_the_applicant(open_wang, clerk, manager):
    case = accepted(open_wang, clerk, at(2026, 3, 3))
    case = services.request_extension(clerk, case, days=5, reason="需实地核查", now=at(2026, 3, 10))
    assert case.due_at.date() == dt.date(2026, 3, 17)  # unchanged until approved
    with pytest.raises(PermissionDenied):
        services.approve_extension(clerk, case, now=at(2026, 3, 10))
    case = services.approve_extension(manager, case, now=at(2026, 3, 11))
    assert case.extended_days == 5 and case.due_at.date() == dt.date(2026, 3, 24)
    sms = case.notifications.get(kind="extended")
    assert "2026-03-24" in sms.text


def test_a_second_extension_is_refused(open_wang, clerk, manager):
    case = accepted(open_wang, clerk, at(2026, 3, 3))
    services.request_extension(clerk, case, days=5, reason="需实地核查", now=at(2026, 3, 10))
    services.approve_extension(manager, case, now=at(2026, 3, 10))
    with pytest.raises(Refused):
        services.request_extension(clerk, case, days=3, reason="再延", now=at(2026, 3, 12))


def test_an_extension_after_the_limit_ran_out_is_refused(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 3, 3))
    with pytest.raises(Refused):
        services.request_extension(clerk, case, days=5, reason="太晚了", now=at(2026, 3, 18))


def test_an_extension_of_zero_days_names_the_field(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 3, 3))
    with pytest.raises(ValidationError) as e:
        services.request_extension(clerk, case, days=0, reason="x", now=at(2026, 3, 10))
    assert "延期" in e.value.message_dict["days"][0]


def test_yellow_then_red_warnings_go_to_the_clerk_the_officer_and_the_manager(
    open_wang, clerk, officer, manager
):
    case = accepted(open_wang, clerk, at(2026, 3, 3))  # due 17 March, yellow after 13 March
    assert deadlines.level(case, at(2026, 3, 12)) == "green"
    assert scheduler.run_timers(at(2026, 3, 13, 12))["warn_deadline"] == 0
    assert scheduler.run_timers(at(2026, 3, 14, 8))["warn_deadline"] == 1
    case.refresh_from_db()
    assert deadlines.level(case, at(2026, 3, 16)) == "yellow"
    assert scheduler.run_timers(at(2026, 3, 18, 8))["mark_overdue"] == 1
    assert scheduler.run_timers(at(2026, 3, 18, 9))["mark_overdue"] == 0
    case.refresh_from_db()
    assert deadlines.level(case, at(2026, 3, 18)) == "red" and case.overdue_marked
    for user in (clerk, officer, manager):
        kinds = set(user.case_notifications.values_list("kind", flat=True))
        assert {"yellow", "red"} <= kinds, user


def test_the_overdue_list_per_center_and_department(open_wang, clerk, officer, muchang):
    late = accepted(open_wang, clerk, at(2026, 3, 3))
    accepted(open_wang, clerk, at(2026, 3, 16))
    now = at(2026, 3, 18)
    assert [c.number for c in selectors.overdue(center_id=muchang.pk, now=now)] == [late.number]
    assert [c.number for c in selectors.overdue(department_id=officer.department_id, now=now)] == [
        late.number
    ]
    assert [c.number for c in selectors.overdue_in_scope(officer, now=now)] == [late.number]


def test_a_deadline_in_a_year_without_a_published_calendar_is_provisional(open_wang, clerk):
    case = accepted(open_wang, clerk, at(2026, 12, 24))
    assert case.due_at.date() == dt.date(2027, 1, 8) and case.due_provisional
    assert "暂定" in selectors.clock_text(case, at(2026, 12, 25))


def test_the_clock_stops_at_the_decision(open_wang, clerk, officer):
    case = accepted(open_wang, clerk, at(2026, 3, 3))
    services.claim(officer, case, now=at(2026, 3, 4))
    services.complete_step(officer, case, now=at(2026, 3, 5))
    case = services.approve(officer, case, now=at(2026, 3, 19))
    assert deadlines.level(case, at(2026, 3, 30)) == ""
    assert case.events.get(action="approve").data["on_time"] is False
