"""Rectification tasks (整改任务): the center records what was done, the supervisor verifies;
a task not rectified by its deadline, or rectified after it, is overdue (red)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.supervision import services
from bianmin.supervision.models import SupervisionEvent

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(inspect):
    insp = inspect(fails={"sp_hearing_aid": "未见助听器"}, when=at(2026, 3, 2, 9), days=5)
    return insp.tasks.get()  # due 2026-03-09 23:59:59


def test_a_task_rectified_in_time_and_accepted_counts_as_on_time(task, people):
    services.submit_task(people["manager"], task, response="已购置助听器2副", now=at(2026, 3, 5))
    task.refresh_from_db()
    assert task.state == "submitted" and not task.is_overdue(at(2026, 3, 20))
    services.verify_task(people["county"], task, accept=True, now=at(2026, 3, 6))
    task.refresh_from_db()
    assert task.state == "accepted" and task.on_time is True


def test_a_task_answered_late_is_overdue(task, people):
    assert not task.is_overdue(at(2026, 3, 9, 18))
    assert task.is_overdue(at(2026, 3, 10, 9))  # past the fifth working day: red
    services.submit_task(people["manager"], task, response="已购置", now=at(2026, 3, 12))
    task.refresh_from_db()
    assert task.is_overdue(at(2026, 3, 12, 12))  # still red: submitted after the deadline
    services.verify_task(people["county"], task, accept=True, now=at(2026, 3, 13))
    task.refresh_from_db()
    assert task.on_time is False
    event = SupervisionEvent.objects.get(task=task, kind="submitted")
    assert event.after["late"] is True


def test_sending_back_needs_a_reason_and_reopens_the_task(task, people):
    services.submit_task(people["manager"], task, response="已买", now=at(2026, 3, 4))
    with pytest.raises(ValidationError) as e:
        services.verify_task(people["county"], task, accept=False, reason="")
    assert e.value.message_dict["reason"][0].startswith("理由")
    services.verify_task(
        people["county"], task, accept=False, reason="未见实物照片", now=at(2026, 3, 5)
    )
    task.refresh_from_db()
    assert task.state == "open" and task.times_sent_back == 1
    assert task.sent_back_reason == "未见实物照片"
    services.submit_task(people["manager"], task, response="已买，附照片", now=at(2026, 3, 6))
    services.verify_task(people["county"], task, accept=True, now=at(2026, 3, 6, 15))
    task.refresh_from_db()
    assert task.state == "accepted" and task.on_time is True
    kinds = list(SupervisionEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["task_opened", "submitted", "sent_back", "submitted", "accepted"]
    sent_back = SupervisionEvent.objects.get(task=task, kind="sent_back")
    assert sent_back.before["state"] == "submitted" and sent_back.after["state"] == "open"


def test_what_was_done_is_required(task, people):
    with pytest.raises(ValidationError) as e:
        services.submit_task(people["manager"], task, response=" ")
    assert e.value.message_dict["response"][0].startswith("整改情况")


def test_a_task_is_verified_only_after_it_is_submitted(task, people):
    with pytest.raises(ValidationError) as e:
        services.verify_task(people["county"], task, accept=True)
    assert "待整改" in e.value.message_dict["state"][0]


def test_only_the_centers_manager_answers_its_tasks(task, people):
    with pytest.raises(PermissionDenied):
        services.submit_task(people["other_manager"], task, response="x")
    with pytest.raises(PermissionDenied):
        services.submit_task(people["county"], task, response="x")
    with pytest.raises(PermissionDenied):
        services.submit_task(people["clerk"], task, response="x")


def test_a_supervisor_of_another_county_cannot_verify(task, people):
    services.submit_task(people["manager"], task, response="已买")
    with pytest.raises(PermissionDenied):
        services.verify_task(people["other_county"], task, accept=True)
    services.verify_task(people["city"], task, accept=True)


def test_an_overdue_task_is_red_on_the_overview(client, task, people):
    client.force_login(people["manager"])
    page = client.get("/supervision/?tasks=overdue").content.decode()
    assert "配备助听器" in page and 'class="overdue"' in page and "已超期" in page
    assert client.get(f"/supervision/tasks/{task.pk}/").status_code == 200


def test_the_task_page_records_submit_and_verify(client, task, people):
    client.force_login(people["manager"])
    bad = client.post(f"/supervision/tasks/{task.pk}/", {"step": "submit", "response": ""})
    assert bad.status_code == 422 and "整改情况" in bad.content.decode()
    png = b"\x89PNG\r\n\x1a\n" + b"1" * 32
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(
        f"/supervision/tasks/{task.pk}/",
        {
            "step": "submit",
            "response": "已购置",
            "photo": SimpleUploadedFile("a.png", png, "image/png"),
        },
    )
    assert ok.status_code == 302
    assert client.get(f"/supervision/photos/tasks/{task.pk}/").content == png
    client.force_login(people["county"])
    client.post(f"/supervision/tasks/{task.pk}/", {"step": "accept"})
    task.refresh_from_db()
    assert task.state == "accepted"
    client.force_login(people["other_manager"])
    assert client.get(f"/supervision/tasks/{task.pk}/").status_code == 403
    assert client.get(f"/supervision/photos/tasks/{task.pk}/").status_code == 403


def test_the_deadline_moves_with_the_calendar_not_the_clock(inspect):
    # Finished on Friday 2026-04-30 before 劳动节: five working days skip the holiday.
    insp = inspect(fails={"sp_wheelchair": "损坏"}, when=at(2026, 4, 30, 9), days=5)
    due = insp.tasks.get().due_at
    assert due.date() > (at(2026, 4, 30) + dt.timedelta(days=7)).date()
