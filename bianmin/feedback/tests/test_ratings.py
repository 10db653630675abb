"""Rating finished services: 一次一评, 一事一评, five levels, standard reasons, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bianmin.feedback import selectors, services
from bianmin.feedback.models import FeedbackEvent, Rating, Rectification
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.identity.services import register_person

from .conftest import at, id_number

pytestmark = pytest.mark.django_db


def message(error: ValidationError, field="service") -> str:
    return " ".join(error.value.message_dict[field])


def test_a_finished_visit_is_rated_once_on_the_pad_beside_its_window(make_visit, pad):
    visit = make_visit(when=at(2026, 3, 10, 10, 0))
    now = at(2026, 3, 10, 10, 2)
    invitation = selectors.pad_current(pad, now=now)
    assert invitation.visit == visit
    assert invitation.clerk.full_name == "张敏"
    rating = services.submit_rating(
        invitation=invitation,
        level=5,
        reasons=["service_attitude"],
        channel="pad",
        device=pad.device,
        now=now,
    )
    assert rating.level == 5 and rating.window == pad.window
    assert FeedbackEvent.objects.filter(rating=rating, kind="rated").exists()
    assert not Rectification.objects.exists()
    # Rated: the pad offers nothing more, and a second rating is refused (一次一评).
    assert selectors.pad_current(pad, now=now) is None
    with pytest.raises(ValidationError) as error:
        services.submit_rating(
            invitation=invitation, level=1, channel="pad", device=pad.device, now=now
        )
    assert "已经评价" in message(error)


def test_the_pad_does_not_offer_a_visit_finished_long_ago(make_visit, pad):
    make_visit(when=at(2026, 3, 10, 9, 0))
    assert selectors.pad_current(pad, now=at(2026, 3, 10, 9, 30)) is None


def test_a_visit_not_finished_cannot_be_rated(make_visit):
    visit = make_visit(finished=False)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(visit=visit, level=5, channel="api", now=at(2026, 3, 10))
    assert "尚未办结" in message(error)


def test_a_no_show_visit_is_not_a_service_to_rate(make_visit):
    visit = make_visit(outcome="no_show")
    with pytest.raises(ValidationError):
        services.invitation_for_visit(visit)


def test_a_service_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError) as error:
        services.submit_rating(token="no-such-token", level=5, channel="sms")
    assert "不存在" in message(error)


def test_a_case_is_rated_once_per_matter_by_its_link(make_case):
    case = make_case()
    invitation = services.invitation_for_case(case, now=at(2026, 3, 10, 11))
    assert services.invitation_for_case(case) == invitation  # one per matter
    rating = services.submit_rating(
        token=invitation.token,
        level=4,
        reasons=["service_efficiency", "service_level"],
        comment="很快",
        channel="sms",
        now=at(2026, 3, 11),
    )
    assert rating.kind == "case" and rating.reasons == ["service_efficiency", "service_level"]
    with pytest.raises(ValidationError) as error:
        services.submit_rating(token=invitation.token, level=4, channel="sms", now=at(2026, 3, 11))
    assert "一事一评" in message(error)


def test_a_case_still_running_cannot_be_rated(make_case):
    case = make_case(state="in_back_office")
    with pytest.raises(ValidationError) as error:
        services.submit_rating(case=case, level=5, channel="api", now=at(2026, 3, 10))
    assert "尚未办结" in message(error)


def test_a_rejected_case_can_be_rated(make_case):
    case = make_case(state="rejected")
    assert services.invitation_for_case(case).kind == "case"


def test_rating_after_the_period_is_refused(make_case):
    case = make_case(when=at(2026, 3, 10))
    invitation = services.invitation_for_case(case)
    services.submit_rating(token=invitation.token, level=5, channel="sms", now=at(2026, 3, 17, 9))
    case2 = make_case(when=at(2026, 3, 10))
    late = services.invitation_for_case(case2)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(token=late.token, level=5, channel="sms", now=at(2026, 3, 17, 11))
    assert "评价期限" in message(error) or "已于" in message(error)


def test_the_rating_period_is_the_centers_setting(make_case, staff, muchang):
    services.update_settings(staff["manager"], muchang, rating_days=30)
    invitation = services.invitation_for_case(make_case(when=at(2026, 3, 10)))
    assert invitation.expires_at == at(2026, 4, 9)


def test_a_citizen_cannot_rate_a_service_of_someone_else(make_case, wang):
    other_user = User.objects.create(username="li", full_name="李四", role=Role.CITIZEN)
    register_person(name="李四", id_number=id_number("19800101", "456"), user=other_user)
    case = make_case()
    with pytest.raises(ValidationError) as error:
        services.submit_rating(
            case=case, level=5, channel="portal", user=other_user, now=at(2026, 3, 11)
        )
    assert "其他人" in message(error) or "别人" in message(error)
    # The person served may.
    rating = services.submit_rating(
        case=case, level=5, channel="portal", user=wang.user, now=at(2026, 3, 11)
    )
    assert rating.rater_user == wang.user


def test_the_pad_of_another_window_cannot_rate_a_visit(make_visit, other_window, staff):
    visit = make_visit()
    other_pad, _token = services.register_pad(staff["manager"], other_window)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(
            visit=visit, level=5, channel="pad", device=other_pad.device, now=at(2026, 3, 10, 10, 1)
        )
    assert "其他窗口" in message(error) or "另一个窗口" in message(error)


@pytest.mark.parametrize("level", [0, 6, "好", None])
def test_a_level_outside_the_five_is_refused(make_case, level):
    invitation = services.invitation_for_case(make_case())
    with pytest.raises(ValidationError) as error:
        services.submit_rating(
            token=invitation.token, level=level, channel="sms", now=at(2026, 3, 11)
        )
    assert "非常满意" in message(error, "level")


def test_online_reasons_are_refused_for_a_window_service_and_accepted_online(make_case):
    window_case = services.invitation_for_case(make_case())
    with pytest.raises(ValidationError) as error:
        services.submit_rating(
            token=window_case.token,
            level=3,
            reasons=["platform_usability"],
            channel="sms",
            now=at(2026, 3, 11),
        )
    assert "服务效率" in message(error, "reasons")
    online = services.invitation_for_case(make_case(channel="online"))
    rating = services.submit_rating(
        token=online.token,
        level=3,
        reasons=["platform_usability", "guide_accuracy"],
        channel="portal",
        now=at(2026, 3, 11),
    )
    assert rating.online


def test_a_bad_rating_opens_a_rectification_due_in_five_working_days(make_case, staff):
    invitation = services.invitation_for_case(make_case())
    # Friday 2026-03-13: five working days later is Friday 2026-03-20.
    rating = services.submit_rating(
        token=invitation.token,
        level=2,
        comment="窗口让我跑了两趟",
        channel="sms",
        now=at(2026, 3, 13, 15),
    )
    rect = Rectification.objects.get(rating=rating)
    assert rect.state == "verifying"
    assert rect.due_at.date() == dt.date(2026, 3, 20)
    from bianmin.cases.models import Notification

    assert Notification.objects.filter(user=staff["manager"], kind="feedback_bad_rating").exists()


def test_two_ratings_of_one_service_at_once_make_one(make_case):
    invitation = services.invitation_for_case(make_case())
    services.submit_rating(token=invitation.token, level=5, channel="sms", now=at(2026, 3, 11))
    assert Rating.objects.filter(invitation=invitation).count() == 1


def test_a_kiosk_service_is_rated_at_its_kiosk(muchang, staff):
    from bianmin.identity.services import register_device

    kiosk, _t = register_device(staff["manager"], center=muchang, kind="kiosk", name="自助机1")
    inv = services.invitation_for_kiosk(kiosk, reference="print-1", label="打印社保缴费证明")
    assert services.invitation_for_kiosk(kiosk, reference="print-1", label="x") == inv
    rating = services.submit_rating(invitation=inv, level=5, channel="kiosk", device=kiosk)
    assert rating.kind == "kiosk"


def test_the_default_rule_leaves_unrated_services_unrated(make_case):
    from bianmin.feedback.timers import run_timers

    invitation = services.invitation_for_case(make_case(when=at(2026, 3, 10)))
    assert run_timers(now=at(2026, 4, 1))["default_rule"] == 0
    assert not Rating.objects.filter(invitation=invitation).exists()


def test_a_center_that_chose_it_counts_unrated_services_as_satisfied(make_case, staff, muchang):
    from bianmin.feedback.timers import run_timers

    services.update_settings(staff["manager"], muchang, unrated_rule="satisfied")
    invitation = services.invitation_for_case(make_case(when=at(2026, 3, 10)))
    assert run_timers(now=at(2026, 3, 12))["default_rule"] == 0  # still within the period
    assert run_timers(now=at(2026, 4, 1))["default_rule"] == 1
    assert run_timers(now=at(2026, 4, 1))["default_rule"] == 0  # idempotent
    rating = Rating.objects.get(invitation=invitation)
    assert rating.level == 4 and rating.channel == "default"


def test_settings_out_of_range_are_refused(staff, muchang):
    with pytest.raises(ValidationError) as error:
        services.update_settings(staff["manager"], muchang, rectification_days=0)
    assert "rectification_days" in error.value.message_dict


def test_the_portal_lists_a_citizens_finished_services(make_case, wang):
    make_case()
    make_case(state="accepted")
    rows = selectors.rateable_for_citizen(wang.user, now=at(2026, 3, 11))
    assert [r.kind for r in rows] == ["case"]


def test_a_finished_case_gets_its_rating_link_by_sms_once(make_case, staff):
    from bianmin.cases.models import CaseEvent, Notification
    from bianmin.feedback.timers import run_timers

    case = make_case(when=at(2026, 3, 10, 9))
    CaseEvent.objects.create(
        case=case,
        seq=1,
        action="hand_out",
        from_state="result_ready",
        to_state="handed_out",
        actor_role="clerk",
        channel="window",
        at=at(2026, 3, 10, 9),
        hash="x",
    )
    assert run_timers(now=at(2026, 3, 10, 10))["invite_by_sms"] == 1
    assert run_timers(now=at(2026, 3, 10, 11))["invite_by_sms"] == 0
    sms = Notification.objects.get(kind="feedback_invitation")
    token = case.rating_invitation.token
    assert sms.channel == "sms" and f"/rate/{token}/" in sms.text


def test_a_center_may_turn_the_sms_link_off(make_case, staff, muchang):
    from bianmin.cases.models import CaseEvent
    from bianmin.feedback.timers import run_timers

    services.update_settings(staff["manager"], muchang, sms_invitation=False)
    case = make_case(when=at(2026, 3, 10, 9))
    CaseEvent.objects.create(
        case=case,
        seq=1,
        action="close",
        from_state="handed_out",
        to_state="closed",
        actor_role="clerk",
        channel="window",
        at=at(2026, 3, 10, 9),
        hash="x",
    )
    assert run_timers(now=at(2026, 3, 10, 10))["invite_by_sms"] == 0


def test_a_rated_visit_does_not_hide_the_service_the_clerk_presented_to_the_pad(
    make_visit, pad, staff
):
    waiting = make_visit(when=at(2026, 3, 10, 9, 55))
    presented = services.invitation_for_visit(waiting, now=at(2026, 3, 10, 9, 56))
    services.present_on_pad(staff["clerk"], presented, pad.window, now=at(2026, 3, 10, 9, 58))
    newest = make_visit(when=at(2026, 3, 10, 10, 0))
    services.submit_rating(
        invitation=selectors.pad_current(pad, now=at(2026, 3, 10, 10, 1)),
        level=5,
        channel="pad",
        device=pad.device,
        now=at(2026, 3, 10, 10, 1),
    )
    assert Rating.objects.get(invitation__visit=newest).level == 5
    assert selectors.pad_current(pad, now=at(2026, 3, 10, 10, 2)) == presented
