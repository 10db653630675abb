"""get_FOO_display() answers exactly what Django's own does, for every field with choices of
every model, in Chinese and English — only without translating the whole list each time."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from bianmin.common.choices import cached_display, django_display
from bianmin.queueing.models import Ticket

pytestmark = pytest.mark.django_db


def _fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_choice_label_is_the_one_django_gives(language):
    checked = 0
    with translation.override(language):
        for model, field in _fields_with_choices():
            obj = model()
            for value in [v for v, _label in field.flatchoices] + ["no-such-choice", None]:
                setattr(obj, field.attname, value)
                assert cached_display(obj, field) == django_display(obj, field), (field, value)
                checked += 1
    assert checked > 100


def test_the_label_follows_the_language_of_the_request():
    ticket = Ticket(status=Ticket.Status.WAITING)
    with translation.override("zh-hans"):
        chinese = ticket.get_status_display()
    with translation.override("en"):
        english = ticket.get_status_display()
    assert chinese == "等候中" and english == "Waiting"
