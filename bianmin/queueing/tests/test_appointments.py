"""预约: slots with a capacity, booking, check-in by code or identity number within the early and
late windows, late arrivals in the normal queue, no-shows recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bianmin.queueing import services
from bianmin.queueing.models import Appointment, AppointmentSlot, Channel, QueueEvent, Ticket

from .conftest import OLD_WANG, TUESDAY, YOUNG, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(muchang, queues, clock):
    """C (社会保障类), Tuesday 09:30–10:00, two places."""
    return AppointmentSlot.objects.create(
        center=muchang,
        queue=queues["C"],
        day=TUESDAY.date(),
        starts=dt.time(9, 30),
        ends=dt.time(10),
        capacity=2,
    )


def book(slot, who=YOUNG, name="李秀英", **kwargs):
    return services.book_appointment(slot, name=name, id_number=who, **kwargs)


def test_a_booking_past_capacity_is_refused(slot):
    book(slot)
    book(slot, who=OLD_WANG, name="王建国")
    with pytest.raises(ValidationError) as error:
        book(slot, who=id_number("19800101", "555"), name="赵六")
    assert error.value.message_dict["slot"][0].startswith("预约时段：")
    assert "约满" in error.value.message_dict["slot"][0]
    slot.refresh_from_db()
    assert slot.booked == 2 and Appointment.objects.count() == 2


def test_the_database_itself_refuses_more_bookings_than_places(slot):
    AppointmentSlot.objects.filter(pk=slot.pk).update(booked=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentSlot.objects.filter(pk=slot.pk).update(booked=3)


def test_one_booking_per_person_and_day(slot, muchang, queues):
    book(slot)
    later = AppointmentSlot.objects.create(
        center=muchang,
        queue=queues["C"],
        day=slot.day,
        starts=dt.time(10),
        ends=dt.time(10, 30),
        capacity=2,
    )
    with pytest.raises(ValidationError) as error:
        book(later)
    assert "09:30" in error.value.message_dict["slot"][0]


def test_a_booking_with_bad_fields_names_each_one(slot):
    with pytest.raises(ValidationError) as error:
        services.book_appointment(slot, name="", id_number="12345", mobile="0564")
    fields = error.value.message_dict
    assert set(fields) == {"name", "id_number", "mobile"}
    assert fields["id_number"][0].startswith("身份证号码") and fields["mobile"][0].startswith(
        "手机号码"
    )
    assert Appointment.objects.count() == 0


def test_a_past_slot_cannot_be_booked(slot, clock):
    clock.shift(dt.timedelta(hours=1))  # 10:00
    with pytest.raises(ValidationError) as error:
        book(slot)
    assert "slot" in error.value.message_dict


def test_the_same_booking_request_twice_gives_one_booking(slot):
    first = book(slot, idempotency_key="portal-1")
    second = book(slot, idempotency_key="portal-1")
    assert first.pk == second.pk
    slot.refresh_from_db()
    assert slot.booked == 1


def test_check_in_on_time_by_code_serves_ahead_of_walk_ins_from_the_slot(
    slot, muchang, manager, staff, opened, entered, clock
):
    booking = book(slot)
    walk_in = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    clock.shift(dt.timedelta(minutes=25))  # 09:25
    ticket = services.check_in(
        muchang, code=booking.code.lower(), actor=manager, channel=Channel.CLERK
    )
    assert ticket.lane == Ticket.Lane.APPOINTMENT and ticket.channel == Channel.APPOINTMENT
    booking.refresh_from_db()
    assert booking.status == "checked_in" and not booking.late and booking.ticket == ticket
    assert (
        services.check_in(muchang, code=booking.code, actor=manager, channel=Channel.CLERK).pk
        == ticket.pk
    )
    clock.shift(dt.timedelta(minutes=6))  # 09:31: the slot has begun
    later = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    zhang = staff["张敏"]
    assert services.call_next(zhang, opened[3]).pk == ticket.pk
    services.finish_service(zhang, Ticket.objects.get(pk=ticket.pk))
    assert services.call_next(zhang, opened[3]).pk == walk_in.pk
    services.finish_service(zhang, Ticket.objects.get(pk=walk_in.pk))
    assert services.call_next(zhang, opened[3]).pk == later.pk


def test_check_in_by_identity_number(slot, muchang, manager, clock):
    book(slot, who=OLD_WANG, name="王建国")
    clock.shift(dt.timedelta(minutes=20))
    ticket = services.check_in(muchang, id_number=OLD_WANG, actor=manager, channel=Channel.CLERK)
    assert ticket.person.name == "王建国" and ticket.age >= 77


def test_too_early_to_check_in(slot, muchang, manager):
    booking = book(slot)
    with pytest.raises(
        ValidationError
    ) as error:  # 09:00, check-in opens 09:00? no: 30 min before 09:30
        services.check_in(
            muchang,
            code=booking.code,
            actor=manager,
            channel=Channel.CLERK,
            now=TUESDAY - dt.timedelta(minutes=1),
        )
    assert "09:00" in error.value.message_dict["code"][0]


def test_a_late_arrival_joins_the_normal_queue(slot, muchang, manager, clock):
    booking = book(slot)
    clock.shift(dt.timedelta(minutes=50))  # 09:50: more than 15 minutes after 09:30
    ticket = services.check_in(muchang, code=booking.code, actor=manager, channel=Channel.CLERK)
    booking.refresh_from_db()
    assert booking.late and ticket.lane == Ticket.Lane.NORMAL


def test_the_late_window_follows_the_centers_setting(slot, muchang, manager, clock):
    services.update_settings(manager, muchang, checkin_late_minutes=30)
    booking = book(slot)
    clock.shift(dt.timedelta(minutes=50))  # 09:50, within 30 minutes of 09:30
    assert (
        services.check_in(muchang, code=booking.code, actor=manager, channel=Channel.CLERK).lane
        == 0
    )


def test_no_shows_are_recorded_and_cannot_check_in(slot, muchang, manager, clock):
    booking = book(slot)
    clock.shift(dt.timedelta(hours=2))  # 11:00: the slot (and its grace) has passed
    assert services.record_no_shows(muchang) == 1
    booking.refresh_from_db()
    assert booking.status == "no_show"
    assert QueueEvent.objects.filter(appointment=booking, kind="booking_no_show").exists()
    with pytest.raises(ValidationError) as error:
        services.check_in(muchang, code=booking.code, actor=manager, channel=Channel.CLERK)
    assert "普通号" in error.value.message_dict["code"][0]


def test_unknown_codes_and_numbers_are_refused_naming_the_field(slot, muchang, manager):
    with pytest.raises(ValidationError) as error:
        services.check_in(muchang, code="ZZZZZZ", actor=manager, channel=Channel.CLERK)
    assert "ZZZZZZ" in error.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as error:
        services.check_in(muchang, id_number=YOUNG, actor=manager, channel=Channel.CLERK)
    assert "id_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.check_in(muchang, actor=manager, channel=Channel.CLERK)
    assert "code" in error.value.message_dict


def test_cancelling_frees_the_place(slot):
    booking = book(slot)
    services.cancel_appointment(booking)
    slot.refresh_from_db()
    assert slot.booked == 0
    with pytest.raises(ValidationError):
        services.cancel_appointment(booking)


def test_slots_are_generated_over_the_opening_hours_of_working_days(muchang, queues, manager):
    made = services.generate_slots(
        manager, muchang, days=[dt.date(2026, 3, 3), dt.date(2026, 3, 7)], minutes=30, capacity=3
    )
    # Tuesday: 8:30–12:00 (7 slots) and 14:30–17:30 (6 slots), for 4 queues; Saturday: none.
    assert made == 13 * 4
    assert services.generate_slots(manager, muchang, days=[dt.date(2026, 3, 3)]) == 0


def test_a_slots_capacity_cannot_drop_below_its_bookings(slot, manager):
    book(slot)
    with pytest.raises(ValidationError) as error:
        services.save_slot(
            manager, slot.queue, day=slot.day, starts=slot.starts, ends=slot.ends, capacity=0
        )
    assert "capacity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.save_slot(
            manager, slot.queue, day=slot.day, starts=dt.time(11), ends=dt.time(10), capacity=1
        )
    assert "ends" in error.value.message_dict
