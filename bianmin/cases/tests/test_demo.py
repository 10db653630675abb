"""The demo: cases at 木厂镇 and other centers in every state, every one with its events."""

import pytest

from bianmin.cases import events
from bianmin.cases.demo import load_cases_demo
from bianmin.cases.machine import State
from bianmin.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_a_whole_event_log(divisions):
    made = load_cases_demo()
    assert made > 25
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(State.values) - {"handed_out"}  # a hand-out closes the case at once
    assert Case.objects.filter(pledge_status="open").exists()
    assert Case.objects.filter(pledge_status="overdue").exists()
    assert Case.objects.filter(overdue_marked=True).exists()
    assert Case.objects.exclude(center__region__code="341502100000").exists()
    checked, problems = events.verify_all()
    assert checked == made and problems == []
    assert load_cases_demo() == 0
