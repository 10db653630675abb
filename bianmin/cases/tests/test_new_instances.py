"""``rows.new(Model, **values)`` builds what ``Model(**values)`` builds: the same attributes,
the same cached related objects, the same state — for the models intake builds on every case
(the case, its events, the applicant's person, the notification) — and falls back to the
constructor for anything it does not cover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models.signals import post_init

from bianmin.cases.models import Case, CaseEvent, Notification
from bianmin.common import rows
from bianmin.identity.models import Person

pytestmark = pytest.mark.django_db


def _same(a, b):
    assert type(a) is type(b)
    assert a.__dict__.keys() == b.__dict__.keys()
    for name, value in a.__dict__.items():
        if name == "_state":
            continue
        assert b.__dict__[name] == value, name
    assert (a._state.adding, a._state.db) == (b._state.adding, b._state.db)
    assert a._state.fields_cache == b._state.fields_cache


def test_a_new_case_is_the_case_the_constructor_builds(open_wang, clerk, muchang, old_age):
    on_file = open_wang()
    now = dt.datetime(2026, 3, 3, 9, 10, tzinfo=dt.UTC)
    values = dict(
        center=muchang,
        item=old_age,
        guide=on_file.guide,
        department=on_file.department,
        visit=None,
        channel="window",
        state="received",
        applicant_kind="person",
        person=on_file.person,
        organisation=None,
        applicant_name="王大爷",
        applicant_masked="王*爷",
        proxy=None,
        proxy_kind="",
        proxy_authorization="",
        application_note="",
        received_at=now,
        received_by=clerk,
    )
    built, expected = rows.new(Case, **values), Case(**values)
    _same(built, expected)
    assert built.center is muchang and built.center_id == muchang.pk
    assert built.checklist == [] and built.checklist is not expected.checklist  # a fresh default
    assert built._state.adding is True


def test_a_new_event_notification_and_person_are_the_constructors(open_wang, clerk):
    case = open_wang()
    now = case.received_at
    for model, values in [
        (
            CaseEvent,
            dict(action="open", from_state="", to_state="received", actor=clerk,
                 actor_name="张敏", actor_role="clerk", channel="window", at=now,
                 reason="", before={}, after={"state": "received"}, data={}),
        ),
        (
            CaseEvent,  # by the scheduler: no actor
            dict(action="warn", from_state="accepted", to_state="accepted", actor=None,
                 actor_name="", actor_role="system", channel="system", at=now),
        ),
        (
            Notification,
            dict(key="accepted:1:2:p3", channel="sms", person=case.person, case=case,
                 kind="accepted", text="您的申请已受理", created_at=now),
        ),
        (Person, dict(name="李娜", id_number_digest="ab" * 32, birth_date=dt.date(1990, 1, 2),
                      sex="F", user=None)),
    ]:  # fmt: skip
        _same(rows.new(model, **values), model(**values))


def test_a_person_with_an_account_is_known_from_the_account_as_the_constructor_has_it(make_user):
    citizen = make_user("citizen")
    values = dict(name="李娜", id_number_digest="cd" * 32, user=citizen)
    expected = Person(**values)
    built = rows.new(Person, **values)
    _same(built, expected)
    assert citizen.person is built  # the one-to-one's other side, cached as the descriptor does


def test_anything_else_goes_to_the_constructor(clerk):
    # a property or an unknown name: the constructor's own handling, and its own refusal
    with pytest.raises(TypeError, match="unexpected keyword"):
        rows.new(Notification, no_such_field=1)
    with pytest.raises(ValueError, match="must be a"):
        rows.new(Notification, user=clerk.center)  # not a user: the descriptor's refusal


def test_a_post_init_receiver_still_hears_every_new_instance():
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=Notification)
    try:
        built = rows.new(Notification, key="k", kind="x", text="t")
    finally:
        post_init.disconnect(receiver, sender=Notification)
    assert heard == [built] and built.key == "k"
