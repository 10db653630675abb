"""Policy 三(二): staff the windows to the demand (人等事 vs 事等人). The forecast of a day is
the usual arrivals of the same weekday, the bookings and the peaks the manager expects; the
windows needed follow from the waiting target; the plan says where windows are short."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.queueing.models import Appointment, AppointmentSlot, Channel, QueueSettings
from bianmin.staffing import forecast, selectors, services
from bianmin.staffing.models import StaffingSettings

from .conftest import FRIDAY, MONDAY, PAST_MONDAYS, PENSION_PEAK


def cell(plan, letter, hour):
    queue = next(q for q in plan.queues if q.letter == letter)
    return next(c for c in queue.cells if c.hour == hour)


def test_on_friday_the_page_plans_next_monday(db, friday):
    assert selectors.next_working_day() == MONDAY


def test_the_history_is_the_same_weekday_of_the_last_weeks():
    assert forecast.history_days(MONDAY, FRIDAY.date(), 6) == PAST_MONDAYS
    # Planning a day further ahead still reads only days that are over.
    later = MONDAY + dt.timedelta(days=14)
    assert forecast.history_days(later, FRIDAY.date(), 2) == PAST_MONDAYS[:2]


def test_the_usual_arrivals_are_the_mean_of_the_same_weekday(
    friday, muchang, queues, history, usual_mondays
):
    # Other weekdays and appointment check-ins do not count as usual walk-ins.
    history(queues["C"], MONDAY - dt.timedelta(days=3), {9: 30})  # a Friday
    history(queues["C"], PAST_MONDAYS[0], {9: 3}, channel=Channel.APPOINTMENT)
    plan = forecast.plan(muchang, MONDAY)
    c9 = cell(plan, "C", 9)
    assert c9.usual == pytest.approx(4.0)
    assert c9.forecast == pytest.approx(4.0)
    assert c9.history == [(d, 4) for d in sorted(PAST_MONDAYS)]
    assert cell(plan, "C", 15).usual == pytest.approx(2.0)
    assert cell(plan, "B", 9).usual == 0
    assert plan.history_used == sorted(PAST_MONDAYS)


def test_a_day_without_any_ticket_is_left_out_not_counted_as_nobody(
    friday, muchang, queues, history
):
    # Only the last two Mondays were recorded (the center went live then).
    for day in PAST_MONDAYS[:2]:
        history(queues["C"], day, {9: 6})
    plan = forecast.plan(muchang, MONDAY)
    assert cell(plan, "C", 9).usual == pytest.approx(6.0)
    skipped = [h for h in plan.history if not h.used]
    assert [h.day for h in skipped] == PAST_MONDAYS[2:]
    assert {h.reason for h in skipped} == {"没有取号记录"}


def test_the_hours_follow_the_halls_opening_hours(friday, muchang, queues):
    plan = forecast.plan(muchang, MONDAY)
    a = plan.queues[0]
    assert [c.span for c in a.cells] == [
        "08:30–09:00",
        "09:00–10:00",
        "10:00–11:00",
        "11:00–12:00",
        "14:30–15:00",
        "15:00–16:00",
        "16:00–17:00",
        "17:00–17:30",
    ]
    assert a.cells[0].open_minutes == 30
    # A Sunday: the hall is closed, nothing to plan.
    assert not forecast.plan(muchang, dt.date(2026, 11, 29)).open


def test_bookings_of_the_day_add_to_the_forecast(friday, muchang, queues, usual_mondays):
    from bianmin.identity.services import register_person
    from bianmin.queueing.tests.conftest import OLD_WANG

    from .conftest import SHANGHAI

    person = register_person(name="王大爷", id_number=OLD_WANG)
    slot = AppointmentSlot.objects.create(
        center=muchang,
        queue=queues["C"],
        day=MONDAY,
        starts=dt.time(9, 30),
        ends=dt.time(10),
        capacity=5,
        booked=3,
    )
    for i, status in enumerate(["booked", "booked", "cancelled"]):
        Appointment.objects.create(
            center=muchang,
            slot=slot,
            person=person,
            code=f"BK{i:04d}",
            status=status,
            channel=Channel.PORTAL,
            booked_at=dt.datetime(2026, 11, 26, 9, tzinfo=SHANGHAI),
        )
    c9 = cell(forecast.plan(muchang, MONDAY), "C", 9)
    assert c9.booked == 2
    assert c9.forecast == pytest.approx(6.0)


def test_a_peak_adds_its_extra_people_to_its_hours(friday, muchang, manager, queues, usual_mondays):
    services.add_peak(manager, muchang, **PENSION_PEAK)
    plan = forecast.plan(muchang, MONDAY)
    assert cell(plan, "C", 9).forecast == pytest.approx(14.0)
    assert cell(plan, "C", 10).forecast == pytest.approx(14.0)
    assert cell(plan, "C", 11).forecast == pytest.approx(0.0)
    assert cell(plan, "A", 9).forecast == pytest.approx(5.0)  # other queues unchanged


def test_a_peak_by_a_factor_multiplies_the_usual_arrivals(
    friday, muchang, manager, queues, usual_mondays
):
    peak = services.add_peak(
        manager,
        muchang,
        queue="A",
        name="医保缴费",
        day=MONDAY,
        starts_hour=9,
        ends_hour=10,
        factor="1.5",
    )
    assert cell(forecast.plan(muchang, MONDAY), "A", 9).forecast == pytest.approx(7.5)
    services.remove_peak(manager, peak)
    assert cell(forecast.plan(muchang, MONDAY), "A", 9).forecast == pytest.approx(5.0)


def test_the_service_time_is_measured_or_falls_back_to_the_centers_assumption(
    friday, muchang, queues, usual_mondays
):
    plan = forecast.plan(muchang, MONDAY)
    c = next(q for q in plan.queues if q.letter == "C")
    b = next(q for q in plan.queues if q.letter == "B")
    # 60 services of 6 minutes, pulled a little towards the assumed 5 minutes (3 of weight).
    assert c.services_measured == 60
    assert c.service_minutes == pytest.approx((60 * 6 + 3 * 5) / 63, abs=0.05)
    # Nothing measured for B: the center's assumed service time.
    QueueSettings.objects.create(center=muchang, default_service_minutes=8)
    plan = forecast.plan(muchang, MONDAY)
    b = next(q for q in plan.queues if q.letter == "B")
    assert (b.services_measured, b.service_minutes) == (0, 8.0)


def test_the_windows_planned_are_the_halls_windows_serving_the_queue(
    friday, muchang, manager, queues, windows
):
    plan = forecast.plan(muchang, MONDAY)
    assert {q.letter: q.window_numbers for q in plan.queues} == {
        "A": [1],
        "B": [2],
        "C": [3],
        "D": [4],
    }
    queues["C"].windows.add(windows[4])
    plan = forecast.plan(muchang, MONDAY)
    assert next(q for q in plan.queues if q.letter == "C").planned == 2


def test_journey_4_the_pension_peak_needs_another_domain_window_from_9_to_11(
    friday, muchang, manager, queues, usual_mondays
):
    """陈主任 on Friday: next Monday morning's pension-enrolment peak needs another window for
    社会保障类 from 9 to 11; the rest of the day one window is enough."""
    before = forecast.plan(muchang, MONDAY)
    assert not any(r.kind == "open" for r in before.recommendations)
    services.add_peak(manager, muchang, **PENSION_PEAK)
    plan = forecast.plan(muchang, MONDAY)
    c9, c10, c11 = (cell(plan, "C", h) for h in (9, 10, 11))
    assert (c9.needed, c9.planned, c9.shortfall) == (2, 1, 1)
    assert (c10.needed, c10.planned, c10.shortfall) == (2, 1, 1)
    assert c11.shortfall == 0
    # With the one window planned the line would grow without end.
    assert c9.wait_planned is None and c9.share_planned == 0
    short = [r for r in plan.recommendations if r.kind == "open"]
    assert len(short) == 1
    assert short[0].text == (
        "C 社会保障类：09:00–11:00 需要 2 个窗口，已安排 1 个 → 09:00–11:00 为本队列加开第二个分领域窗口。"
    )


def test_a_stricter_target_needs_more_windows(friday, muchang, manager, queues, usual_mondays):
    services.update_settings(manager, muchang, target_minutes=5, target_share=95)
    assert StaffingSettings.objects.get(center=muchang).target_minutes == 5
    assert cell(forecast.plan(muchang, MONDAY), "C", 9).needed == 2


def test_spare_windows_are_named_too(friday, muchang, manager, queues, windows, usual_mondays):
    """事等人: two windows for a queue one window serves within the target."""
    queues["C"].windows.add(windows[4])
    plan = forecast.plan(muchang, MONDAY)
    spare = [r for r in plan.recommendations if r.kind == "spare" and r.letter == "C"]
    assert spare and "可安排 1 人" in spare[0].text
