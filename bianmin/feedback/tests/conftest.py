"""Finished services to rate: a window visit (with its ticket) and a handed-out case."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

import pytest

from bianmin.cases.models import Case
from bianmin.catalog.models import Domain, GuideVersion, ServiceItem
from bianmin.hall.models import Window
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.identity.services import register_person
from bianmin.identity.validators import id_check_char
from bianmin.queueing.models import Queue, Ticket, Visit

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def id_number(birth="19480315", seq="123", region="341502") -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def reference_data(muchang):
    """The standard reasons and conduct tags (migration 0002). A browser test's flush empties
    the tables after it, so tests that follow one load them again."""
    from bianmin.feedback import reference
    from bianmin.feedback.models import ConductTag, Reason

    if not Reason.objects.exists():
        reference.load(Reason, ConductTag)


@pytest.fixture
def window(muchang, reference_data):
    return Window.objects.create(center=muchang, number=3, name="社会保障类", kind="domain")


@pytest.fixture
def other_window(muchang):
    return Window.objects.create(center=muchang, number=4, name="综合事务类", kind="domain")


@pytest.fixture
def staff(make_user, muchang, divisions, reference_data):
    from bianmin.org.models import Region

    clerk = make_user(Role.WINDOW_CLERK, center=muchang)
    clerk.full_name, clerk.staff_number = "张敏", "C0303"
    clerk.save()
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    manager.full_name = "陈主任"
    manager.save()
    county = make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code="341502000000"))
    return {"clerk": clerk, "manager": manager, "county": county}


@pytest.fixture
def wang(db):
    citizen = User.objects.create(username="wang", full_name="王大爷", role=Role.CITIZEN)
    return register_person(name="王大爷", id_number=id_number(), mobile="13905641234", user=citizen)


@pytest.fixture
def item(db):
    domain, _ = Domain.objects.get_or_create(
        code="minzheng",
        defaults={"name": "民政", "full_name": "民政", "window_group": "social_assistance"},
    )
    item = ServiceItem.objects.create(
        domain=domain,
        basic_code="FB0000000001",
        name="高龄津贴申领",
        item_type="administrative_payment",
        handling_level="township",
        frequency="high",
        for_person=True,
    )
    GuideVersion.objects.create(
        item=item, number=1, state="published", promised_days=10, statutory_days=20
    )
    return item


@pytest.fixture
def make_case(muchang, item, staff, wang):
    def make(state="handed_out", when=None, channel="window", person=None):
        when = when or at(2026, 3, 10)
        person = person or wang
        return Case.objects.create(
            number=f"MC{secrets.token_hex(5)}",
            center=muchang,
            item=item,
            guide=GuideVersion.objects.get(item=item),
            channel=channel,
            state=state,
            applicant_kind="person",
            person=person,
            applicant_name=person.name,
            applicant_masked=person.id_number_masked,
            received_by=staff["clerk"],
            received_at=when - dt.timedelta(days=10),
            intake_deadline=(when - dt.timedelta(days=3)).date(),
            handed_out_at=when if state in ("handed_out", "closed") else None,
            closed_at=when if state in ("closed", "rejected", "terminated", "withdrawn") else None,
            progress_token=secrets.token_hex(8),
        )

    return make


@pytest.fixture
def make_visit(muchang, window, staff, item):
    counter = {"n": 0}

    def make(*, finished=True, outcome="enquiry", when=None, person=None, at_window=None):
        counter["n"] += 1
        when = when or at(2026, 3, 10)
        w = at_window or window
        queue, _ = Queue.objects.get_or_create(
            center=muchang, letter="C", defaults={"name": "社保"}
        )
        visit = Visit.objects.create(
            center=muchang,
            person=person,
            opened_at=when - dt.timedelta(minutes=8),
            first_responder=staff["clerk"],
            first_window=w,
            ended_at=when if finished else None,
            ended_by=staff["clerk"] if finished else None,
            outcome=outcome if finished else "",
        )
        Ticket.objects.create(
            center=muchang,
            day=when.date(),
            issued_queue=queue,
            number=counter["n"],
            code=f"C{counter['n']:03d}",
            public_id=secrets.token_hex(6),
            queue=queue,
            status="done" if finished else "serving",
            place_at=when - dt.timedelta(minutes=20),
            ready_at=when - dt.timedelta(minutes=20),
            purpose="item",
            item=item,
            channel="kiosk",
            issued_at=when - dt.timedelta(minutes=20),
            window=w,
            clerk=staff["clerk"],
            called_at=when - dt.timedelta(minutes=8),
            first_called_at=when - dt.timedelta(minutes=8),
            finished_at=when if finished else None,
            visit=visit,
        )
        return visit

    return make


@pytest.fixture
def pad(staff, window):
    from bianmin.feedback.services import register_pad

    pad, token = register_pad(staff["manager"], window)
    pad.token = token
    return pad
