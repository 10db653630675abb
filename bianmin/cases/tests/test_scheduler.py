"""The timers run in an idempotent scheduler (its own `bianmin worker`, or a thread inside the
server), and messages go through the one notification interface (console/file backend)."""

import pytest
from django.core.management import call_command

from bianmin.cases import notifications, scheduler, services
from bianmin.cases.models import Notification

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_second_round_changes_nothing(open_wang, clerk):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))
    first = scheduler.run_timers(at(2026, 3, 20))
    count = case.events.count()
    second = scheduler.run_timers(at(2026, 3, 20, 10))
    assert first["warn_deadline"] == first["mark_overdue"] == 1
    assert sum(second.values()) == 0 and case.events.count() == count


def test_the_worker_command_runs_one_round(open_wang, clerk, capsys):
    services.accept(clerk, open_wang(now=at(2025, 3, 3)), now=at(2025, 3, 3))
    call_command("worker", "--once")
    assert "mark_overdue" in capsys.readouterr().out


def test_the_in_process_timers_start_once_and_stop(settings):
    thread = scheduler.start_in_process(interval=3600)
    assert scheduler.start_in_process(interval=3600) is thread and thread.daemon
    scheduler.stop_in_process()
    assert not thread.is_alive()


def test_messages_go_to_the_file_backend_after_the_commit(
    open_wang, clerk, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))
    sms = Notification.objects.get(case=case, kind="accepted")
    assert sms.sent_at is not None and sms.channel == "sms"
    line = (settings.VAR_DIR / "notifications.log").read_text(encoding="utf-8")
    assert case.number in line and "139****1234" in line and "13905641234" not in line


def test_a_failing_gateway_leaves_the_message_for_the_next_round(
    open_wang, clerk, settings, django_capture_on_commit_callbacks
):
    settings.BIANMIN_NOTIFICATION_BACKEND = "bianmin.cases.tests.test_scheduler.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))
    assert Notification.objects.get(case=case).sent_at is None
    settings.BIANMIN_NOTIFICATION_BACKEND = notifications.DEFAULT_BACKEND
    assert notifications.send_pending() == 1
    assert Notification.objects.get(case=case).sent_at is not None


class BrokenGateway:
    def send(self, notification):
        raise ConnectionError("SMS gateway down")


@pytest.fixture
def outbox():
    """This process delivers from an outbox, as under `bianmin serve` (its thread idle here:
    the test sends with ``flush``)."""
    box = notifications.start_outbox(interval=3600)
    yield box
    notifications.stop_outbox()


def test_with_an_outbox_the_acceptance_sms_goes_out_after_the_request_not_in_it(
    open_wang, clerk, settings, outbox, django_capture_on_commit_callbacks
):
    log = settings.VAR_DIR / "notifications.log"
    with django_capture_on_commit_callbacks(execute=True):
        case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))
    sms = Notification.objects.get(case=case, kind="accepted")
    assert sms.sent_at is None  # handed to the outbox: the clerk did not wait for the gateway
    assert not log.exists() or case.number not in log.read_text(encoding="utf-8")
    assert outbox.flush() >= 1
    sms.refresh_from_db()
    assert sms.sent_at is not None and case.number in log.read_text(encoding="utf-8")
    assert outbox.flush() == 0  # sent once


def test_a_message_just_written_is_the_outboxs_to_send_not_the_schedulers(
    open_wang, clerk, settings
):
    import datetime as dt

    from django.utils import timezone

    settings.BIANMIN_NOTIFICATION_BACKEND = "bianmin.cases.tests.test_scheduler.BrokenGateway"
    case = services.accept(clerk, open_wang(), now=timezone.now())  # its SMS was not sent
    settings.BIANMIN_NOTIFICATION_BACKEND = notifications.DEFAULT_BACKEND
    assert notifications.send_pending() == 0  # an outbox may be about to send it
    Notification.objects.filter(case=case).update(
        created_at=timezone.now() - notifications.PENDING_AFTER - dt.timedelta(seconds=1)
    )
    assert notifications.send_pending() == 1
    assert Notification.objects.get(case=case).sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_outbox_thread_sends_committed_messages_within_a_second(open_wang, clerk, settings):
    import time

    notifications.start_outbox(interval=0.1)
    try:
        case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if Notification.objects.filter(case=case, sent_at__isnull=False).exists():
                break
            time.sleep(0.05)
        assert Notification.objects.get(case=case, kind="accepted").sent_at is not None
    finally:
        notifications.stop_outbox()


def test_a_message_held_by_an_outbox_and_the_scheduler_at_once_is_sent_once(
    open_wang, clerk, settings
):
    settings.BIANMIN_NOTIFICATION_BACKEND = "bianmin.cases.tests.test_scheduler.BrokenGateway"
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))  # the gateway was down
    settings.BIANMIN_NOTIFICATION_BACKEND = notifications.DEFAULT_BACKEND
    held = list(Notification.objects.filter(case=case, sent_at__isnull=True))
    assert held
    notifications._deliver(held)  # one holder claims and sends
    notifications._deliver(held)  # the other finds them claimed
    assert notifications.send_pending() == 0
    line = (settings.VAR_DIR / "notifications.log").read_text(encoding="utf-8")
    assert line.count(case.number) == len(held)


class BrokenBatchGateway:
    """One message at a time goes through; a batch is refused whole."""

    def send(self, notification):
        pass

    def send_many(self, notifications):
        raise ConnectionError("SMS gateway refused the batch")


def test_an_outbox_sends_a_batch_at_once_and_a_refused_batch_comes_back_whole(
    clerk, muchang, old_age, settings, outbox, django_capture_on_commit_callbacks
):
    from bianmin.cases.services import ApplicantIn
    from bianmin.cases.tests.conftest import all_provided, id_number

    def accepted(seq: str):
        applicant = ApplicantIn(
            kind="person", name="王大爷", id_number=id_number(seq=seq), mobile="13905641234"
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.open_case(
                clerk, center=muchang, item=old_age, applicant=applicant,
                checklist=all_provided(old_age), accept=True, now=at(2026, 3, 3),
            )  # fmt: skip

    first, second = accepted("201"), accepted("202")
    assert outbox.flush() == 2  # one batch: the file opened once, both lines in it
    text = (settings.VAR_DIR / "notifications.log").read_text(encoding="utf-8")
    assert first.number in text and second.number in text
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0

    settings.BIANMIN_NOTIFICATION_BACKEND = "bianmin.cases.tests.test_scheduler.BrokenBatchGateway"
    third, fourth = accepted("203"), accepted("204")
    assert outbox.flush() == 2
    unsent = Notification.objects.filter(sent_at__isnull=True)
    assert {n.case_id for n in unsent} == {third.pk, fourth.pk}  # given back, both
