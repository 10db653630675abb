"""二3 离岗告知 and AB岗: going away, the backup taking over, approval, return."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bianmin.hall import selectors, services
from bianmin.hall.models import AwayNotice

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 30, 10, 0))


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def away(user, minutes=20, **kw):
    data = {
        "reason": "参加业务培训",
        "destination": "三楼会议室",
        "expected_return_at": NOW + dt.timedelta(minutes=minutes),
        "now": NOW,
    }
    data.update(kw)
    return services.go_away(user, **data)


def test_a_short_absence_hands_the_post_to_the_backup_without_approval(staffed, zhang, li):
    notice = away(zhang)
    assert notice.substitute == li and notice.approval == "not_needed"
    assert services.current_server(staffed[1].post) == li
    state = next(
        s for s in selectors.window_states(staffed[1].center, now=NOW) if s.window == staffed[1]
    )
    assert state.state == "away" and state.server == li and state.substitute_window == staffed[2]


def test_an_absence_beyond_the_threshold_waits_for_the_manager(staffed, zhang, manager):
    notice = away(zhang, minutes=40)
    assert notice.approval == "pending"
    assert list(selectors.pending_approvals(staffed[0].center)) == [notice]
    services.decide_away(manager, notice, approve=True)
    notice.refresh_from_db()
    assert notice.approval == "approved" and notice.decided_by == manager


def test_a_clerk_may_not_approve_absences(staffed, zhang, li):
    notice = away(zhang, minutes=40)
    with pytest.raises(PermissionDenied):
        services.decide_away(li, notice, approve=True)


def test_an_away_notice_without_a_reason_is_refused(staffed, zhang):
    with pytest.raises(ValidationError) as excinfo:
        away(zhang, reason="  ")
    assert excinfo.value.message_dict["reason"] == ["离岗事由：请说明离开窗口的原因。"]
    assert not AwayNotice.objects.exists()


def test_an_away_notice_without_whereabouts_is_refused(staffed, zhang):
    with pytest.raises(ValidationError) as excinfo:
        away(zhang, destination="")
    assert excinfo.value.message_dict["destination"] == ["去向：请说明去哪里。"]


def test_a_return_time_before_leaving_is_refused(staffed, zhang):
    with pytest.raises(ValidationError) as excinfo:
        away(zhang, minutes=-5)
    assert excinfo.value.message_dict["expected_return_at"] == ["预计返回时间：必须晚于离岗时间。"]


def test_a_and_b_may_not_both_be_away(staffed, zhang, li):
    away(li)  # li is A of window 3 and B of window 2
    with pytest.raises(ValidationError) as excinfo:
        away(zhang)  # zhang's backup is li
    assert "A、B岗不能同时离岗" in excinfo.value.message_dict["reason"][0]


def test_a_backup_standing_in_may_not_leave(staffed, wang, li):
    away(wang)  # li stands in for wang at window 1; li's own backup (zhang) is in
    with pytest.raises(ValidationError) as excinfo:
        away(li)
    assert "正在替" in excinfo.value.message_dict["reason"][0]


def test_the_return_is_recorded_and_the_post_comes_back(staffed, zhang):
    away(zhang)
    notice = services.come_back(zhang, returned_at=NOW + dt.timedelta(minutes=15))
    assert notice.returned_at == NOW + dt.timedelta(minutes=15)
    assert services.current_server(staffed[1].post) == zhang


def test_a_return_before_leaving_is_refused(staffed, zhang):
    away(zhang)
    with pytest.raises(ValidationError) as excinfo:
        services.come_back(zhang, returned_at=NOW - dt.timedelta(minutes=1))
    assert excinfo.value.message_dict["returned_at"] == ["返回时间：不能早于离岗时间。"]


def test_an_overdue_away_warns_the_manager(staffed, zhang):
    away(zhang, minutes=20)
    assert not selectors.overdue_aways(
        staffed[0].center, now=NOW + dt.timedelta(minutes=10)
    ).exists()
    overdue = selectors.overdue_aways(staffed[0].center, now=NOW + dt.timedelta(minutes=25))
    assert [n.clerk for n in overdue] == [zhang]


def test_only_the_primary_files_the_away_notice_of_a_post(staffed, li):
    with pytest.raises(PermissionDenied):
        services.go_away(
            li,
            post=staffed[1].post,
            reason="x",
            destination="y",
            expected_return_at=NOW + dt.timedelta(minutes=5),
            now=NOW,
        )


def test_opening_and_closing_a_window(staffed, zhang):
    window = staffed[1]
    services.open_window(zhang, window)
    with pytest.raises(ValidationError):
        services.open_window(zhang, window)
    states = {s.window.number: s.state for s in selectors.window_states(window.center)}
    assert states[2] == "open" and states[1] == "closed"
    services.close_window(zhang, window)
    with pytest.raises(ValidationError):
        services.close_window(zhang, window)


def test_a_clerk_may_not_open_someone_elses_window(staffed, wang):
    with pytest.raises(PermissionDenied):
        services.open_window(wang, staffed[1])


def test_an_empty_away_notice_names_every_missing_field_at_once(staffed, zhang):
    with pytest.raises(ValidationError) as excinfo:
        services.go_away(
            zhang, reason="", destination="", expected_return_at=None, phone="abc", now=NOW
        )
    assert set(excinfo.value.message_dict) == {
        "reason",
        "destination",
        "expected_return_at",
        "phone",
    }
    assert excinfo.value.message_dict["phone"] == [
        "联系电话：请输入手机号码或固定电话，如 0564-3330000。"
    ]


@pytest.mark.parametrize("phone", ["13905641234", "0564-3330000", "05643330000", ""])
def test_good_contact_phones_are_accepted(staffed, zhang, phone):
    assert away(zhang, phone=phone).phone == phone


def test_the_backup_is_told_on_the_hall_page_that_she_stands_in(client, staffed, zhang, li):
    away(zhang, now=timezone.now(), expected_return_at=timezone.now() + dt.timedelta(minutes=20))
    client.force_login(li)
    body = client.get("/hall/341502100000/").content.decode()
    assert "您正在为 张敏（2号窗口 社会保障类综合窗口）顶岗" in body
    assert "请打开您的窗口" in body
