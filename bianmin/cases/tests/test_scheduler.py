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
