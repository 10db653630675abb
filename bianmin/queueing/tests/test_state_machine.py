"""The ticket's state machine, walked pair by pair: every action the table does not allow from a
state is refused with a Chinese message naming the ticket and its state, and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from bianmin.queueing import rules, services
from bianmin.queueing.models import Channel, QueueEvent, Ticket

pytestmark = pytest.mark.django_db
S = Ticket.Status


def ticket_in(status, muchang, manager, staff, opened, entered):
    """A real ticket brought to ``status`` through the services."""
    zhang = staff["张敏"]
    ticket = services.issue_ticket(
        muchang, channel=Channel.KIOSK, actor=manager, item=entered["pension"]
    )
    if status == S.WAITING:
        return ticket
    if status == S.CANCELLED:
        return services.cancel_ticket(ticket)
    ticket = services.call_next(zhang, opened[3])
    if status == S.CALLED:
        return ticket
    if status == S.SERVING:
        return services.start_service(zhang, ticket)
    if status == S.HELD:
        return services.hold(zhang, ticket)
    if status == S.DONE:
        return services.finish_service(zhang, ticket)
    if status == S.NO_SHOW:
        services.recall(zhang, ticket)
        services.recall(zhang, ticket)
        return services.mark_no_show(zhang, ticket)
    if status == S.EXPIRED:
        Ticket.objects.filter(pk=ticket.pk).update(day=ticket.day.replace(day=ticket.day.day - 1))
        services.close_day(muchang)
        return Ticket.objects.get(pk=ticket.pk)
    raise AssertionError(status)


def attempt(action, ticket, staff, opened, queues):
    zhang = staff["张敏"]
    if action == rules.Action.RECALL:
        return services.recall(zhang, ticket)
    if action == rules.Action.START:
        return services.start_service(zhang, ticket)
    if action == rules.Action.FINISH:
        return services.finish_service(zhang, ticket)
    if action == rules.Action.HOLD:
        return services.hold(zhang, ticket)
    if action == rules.Action.CALL_BACK:
        return services.call_back(zhang, ticket, opened[3])
    if action == rules.Action.NO_SHOW:
        return services.mark_no_show(zhang, ticket)
    if action == rules.Action.TRANSFER:
        return services.transfer(zhang, ticket, to_queue=queues["B"])
    if action == rules.Action.CANCEL:
        return services.cancel_ticket(ticket)
    raise AssertionError(action)


TICKET_ACTIONS = [
    a for a in rules.ACTION_LABELS if a not in (rules.Action.CALL, rules.Action.EXPIRE)
]
REFUSED = [
    (status, action)
    for status in S.values
    for action in TICKET_ACTIONS
    if rules.next_status(status, action) is None
]


@pytest.mark.parametrize("status, action", REFUSED)
def test_an_action_the_table_does_not_allow_is_refused(
    status, action, muchang, manager, staff, opened, entered, queues
):
    ticket = ticket_in(status, muchang, manager, staff, opened, entered)
    events = QueueEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        attempt(action, ticket, staff, opened, queues)
    message = error.value.message_dict["status"][0]
    assert ticket.code in message and str(ticket.get_status_display()) in message
    assert Ticket.objects.get(pk=ticket.pk).status == status
    assert QueueEvent.objects.count() == events


ALLOWED = [
    (status, action, target)
    for (status, action), target in rules.TRANSITIONS.items()
    if action in TICKET_ACTIONS and (status, action) != (S.CALLED, rules.Action.NO_SHOW)
]  # a no-show needs the recalls first: see test_calling


@pytest.mark.parametrize("status, action, target", ALLOWED)
def test_an_allowed_action_moves_the_ticket_as_the_table_says(
    status, action, target, muchang, manager, staff, opened, entered, queues
):
    ticket = ticket_in(status, muchang, manager, staff, opened, entered)
    result = attempt(action, ticket, staff, opened, queues)
    assert result.status == target
    assert Ticket.objects.get(pk=ticket.pk).status == target
    last = QueueEvent.objects.filter(ticket=ticket).order_by("-id").first()
    assert last.kind != QueueEvent.Kind.ISSUED


def test_the_table_has_a_way_out_of_every_open_state():
    for status in (S.WAITING, S.CALLED, S.SERVING, S.HELD):
        assert rules.allowed_actions(status), status
    for status in Ticket.FINAL_STATUSES:
        assert rules.allowed_actions(status) == [], status
