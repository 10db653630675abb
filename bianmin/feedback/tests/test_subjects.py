"""The staff ratings page names what a finished visit was for."""

from bianmin.catalog.models import LifeEvent
from bianmin.feedback.selectors import ticket_subject
from bianmin.queueing.models import Ticket


def test_a_life_event_visit_is_named_by_its_life_event(db):
    event = LifeEvent.objects.create(name="新生儿出生")
    ticket = Ticket(purpose=Ticket.Purpose.LIFE_EVENT, life_event=event)
    assert ticket_subject(ticket).endswith("：新生儿出生")


def test_a_visit_without_item_or_life_event_is_named_by_its_purpose(db):
    ticket = Ticket(purpose=Ticket.Purpose.LIFE_EVENT)
    assert ticket_subject(ticket) == str(ticket.get_purpose_display())
