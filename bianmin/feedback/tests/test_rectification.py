"""Bad ratings: verify → rectify → answer the rater → call back; escalation; appeals; reports."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.feedback import figures, selectors, services
from bianmin.feedback.models import FeedbackEvent, Rectification, UnresolvedReport
from bianmin.feedback.timers import run_timers

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def bad(make_case):
    invitation = services.invitation_for_case(make_case())
    return services.submit_rating(
        token=invitation.token,
        level=1,
        comment="让我跑了三趟",
        reasons=["service_attitude"],
        channel="sms",
        now=at(2026, 3, 13, 15),
    )


def test_the_manager_verifies_rectifies_answers_and_closes(bad, staff):
    manager = staff["manager"]
    rect = bad.rectification
    services.verify(manager, rect, finding="true", note="核实属实", now=at(2026, 3, 16))
    services.rectify(manager, rect, measures="一次性告知培训", now=at(2026, 3, 17))
    services.answer_rater(manager, rect, answer="已整改，谢谢监督", now=at(2026, 3, 17, 15))
    rect = services.close_rectification(
        manager, rect, callback_result="satisfied", now=at(2026, 3, 18)
    )
    assert rect.state == "closed" and rect.closed_on_time
    kinds = list(FeedbackEvent.objects.filter(rating=bad).values_list("kind", flat=True))
    assert kinds == ["rated", "rect_opened", "verified", "rectified", "answered", "closed"]
    from bianmin.cases.models import Notification

    assert Notification.objects.filter(kind="feedback_answer", channel="sms").exists()


def test_a_rectification_cannot_close_without_an_answer_to_the_rater(bad, staff):
    manager = staff["manager"]
    services.verify(manager, bad.rectification, finding="false", note="不属实", now=at(2026, 3, 16))
    services.rectify(manager, bad.rectification, measures="向群众解释政策", now=at(2026, 3, 16))
    with pytest.raises(ValidationError) as error:
        services.close_rectification(manager, bad.rectification, callback_result="satisfied")
    assert "未答复评价人" in " ".join(error.value.message_dict["answer"])
    assert Rectification.objects.get(pk=bad.rectification.pk).state == "rectifying"


def test_the_answer_needs_the_measures_first(bad, staff):
    services.verify(staff["manager"], bad.rectification, finding="true", note="属实")
    with pytest.raises(ValidationError) as error:
        services.answer_rater(staff["manager"], bad.rectification, answer="好的")
    assert "measures" in error.value.message_dict


def test_steps_out_of_order_are_refused(bad, staff):
    with pytest.raises(ValidationError) as error:
        services.rectify(staff["manager"], bad.rectification, measures="x")
    assert "待核实" in " ".join(error.value.message_dict["state"])


def test_a_clerk_cannot_handle_a_rectification(bad, staff):
    with pytest.raises(PermissionDenied):
        services.verify(staff["clerk"], bad.rectification, finding="true", note="x")


def test_an_overdue_rectification_is_escalated_to_the_county_once(bad, staff):
    assert bad.rectification.due_at.date().isoformat() == "2026-03-20"
    assert run_timers(now=at(2026, 3, 20, 18))["escalate_rectification"] == 0
    assert run_timers(now=at(2026, 3, 21, 9))["escalate_rectification"] == 1
    assert run_timers(now=at(2026, 3, 22, 9))["escalate_rectification"] == 0
    from bianmin.cases.models import Notification

    assert Notification.objects.filter(user=staff["county"], kind="feedback_overdue").count() == 1
    assert list(selectors.rectifications_for(staff["county"], state="escalated")) == [
        bad.rectification
    ]


def test_an_upheld_appeal_excludes_the_rating_with_its_reason(bad, staff):
    appeal = services.file_appeal(
        staff["manager"], bad, ground="malicious", reason="当天未来办事", now=at(2026, 3, 14)
    )
    with pytest.raises(ValidationError):
        services.file_appeal(staff["manager"], bad, ground="mistaken", reason="again")
    with pytest.raises(PermissionDenied):
        services.review_appeal(staff["manager"], appeal, uphold=True, note="x")
    services.review_appeal(
        staff["county"], appeal, uphold=True, note="监控可证", now=at(2026, 3, 15)
    )
    bad.refresh_from_db()
    assert bad.excluded and "监控可证" in bad.excluded_reason
    assert Rectification.objects.get(rating=bad).state == "excluded"
    f = figures.compute([bad.center], at(2026, 3, 1).date(), at(2026, 3, 31).date())
    assert f.total == 0 and f.excluded == 1 and f.appeals_upheld == 1


def test_a_dismissed_appeal_keeps_the_rating(bad, staff):
    appeal = services.file_appeal(staff["manager"], bad, ground="mistaken", reason="可能误触")
    services.review_appeal(staff["county"], appeal, uphold=False, note="评价人确认是本人评价")
    bad.refresh_from_db()
    assert not bad.excluded


def test_a_good_rating_cannot_be_appealed_or_tagged(make_case, staff):
    good = services.submit_rating(
        case=make_case(),
        level=5,
        channel="portal",
        user=make_case().person.user,
        now=at(2026, 3, 11),
    )
    with pytest.raises(ValidationError):
        services.file_appeal(staff["manager"], good, ground="mistaken", reason="x")
    with pytest.raises(ValidationError):
        services.tag_conduct(staff["manager"], rating=good, tags=["cold"])


def test_conduct_tags_name_the_policys_problems(bad, staff):
    tags = services.tag_conduct(staff["manager"], rating=bad, tags=["shirk", "ten_02"])
    assert {t.group for t in tags} == {"cold_hard", "ten"}
    with pytest.raises(ValidationError):
        services.tag_conduct(staff["manager"], rating=bad, tags=["no_such_tag"])


def test_positive_rate_counts_three_good_levels_over_all_counted(make_case, bad):
    for level in (5, 4, 3):
        services.submit_rating(
            case=make_case(),
            level=level,
            channel="api",
            user=bad.invitation.person.user,
            now=at(2026, 3, 11),
        )
    f = figures.compute([bad.center], at(2026, 3, 1).date(), at(2026, 3, 31).date())
    assert (f.total, f.positive, f.bad) == (4, 3, 1)
    assert f.rate_text == "75%"
    assert f.by_clerk[0].label == "张敏"


def test_a_report_is_taken_resolved_and_followed_up(staff, window, item):
    clerk, manager = staff["clerk"], staff["manager"]
    report = services.report_unresolved(
        clerk,
        center=window.center,
        source="unresolved_window",
        wanted="不动产过户",
        cause="not_entered",
        why="未下沉到乡镇",
        item=item,
        mobile="13905641234",
        window=window,
        now=at(2026, 3, 10),
    )
    assert report.mobile_masked.startswith("139") and "1234" in report.mobile_masked
    services.assign_report(manager, report, assignee=clerk, now=at(2026, 3, 10, 11))
    services.resolve_report(clerk, report, resolution="预约区中心帮办", resolved=True)
    with pytest.raises(ValidationError):
        services.resolve_report(clerk, report, resolution="again", resolved=True)
    report = services.follow_up_report(manager, report, note="回访满意")
    assert report.state == "closed"
    groups = selectors.recurring_causes([window.center])
    assert (groups[0].item, groups[0].cause, groups[0].count) == ("高龄津贴申领", "not_entered", 1)


def test_a_citizen_reports_from_the_portal_with_a_mobile(muchang):
    with pytest.raises(ValidationError) as error:
        services.report_unresolved(
            None, center=muchang, source="portal", wanted="办证", cause="other", why="不知道去哪办"
        )
    assert "mobile" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_unresolved(
            None,
            center=muchang,
            source="portal",
            wanted="办证",
            cause="other",
            why="x",
            mobile="12345",
        )
    assert "mobile" in error.value.message_dict
    report = services.report_unresolved(
        None,
        center=muchang,
        source="portal",
        wanted="办证",
        cause="other",
        why="不知道去哪办",
        mobile="13905641234",
    )
    assert report.state == UnresolvedReport.State.OPEN and report.token


def test_an_overdue_report_is_escalated(muchang, staff):
    services.report_unresolved(
        staff["clerk"],
        center=muchang,
        source="enquiry_window",
        wanted="x",
        cause="other",
        why="y",
        now=at(2026, 3, 10),
    )
    assert run_timers(now=at(2026, 3, 30))["escalate_report"] == 1
    assert run_timers(now=at(2026, 3, 30))["escalate_report"] == 0


def test_the_event_log_is_append_only(bad):
    event = FeedbackEvent.objects.filter(rating=bad).first()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.parametrize(
    "finding, note, field",
    [("maybe", "核实", "finding"), ("", "核实", "finding"), ("true", "   ", "finding_note")],
)
def test_a_verification_needs_a_finding_and_what_was_found(bad, staff, finding, note, field):
    with pytest.raises(ValidationError) as error:
        services.verify(staff["manager"], bad.rectification, finding=finding, note=note)
    assert field in error.value.message_dict
    services.verify(staff["manager"], bad.rectification, finding="partly", note="部分属实")


def test_measures_and_the_call_back_are_checked(bad, staff):
    manager = staff["manager"]
    services.verify(manager, bad.rectification, finding="true", note="属实")
    with pytest.raises(ValidationError) as error:
        services.rectify(manager, bad.rectification, measures="")
    assert "整改措施" in " ".join(error.value.message_dict["measures"])
    services.rectify(manager, bad.rectification, measures="培训")
    services.answer_rater(manager, bad.rectification, answer="已整改")
    with pytest.raises(ValidationError) as error:
        services.close_rectification(manager, bad.rectification, callback_result="happy")
    assert "callback_result" in error.value.message_dict
    services.close_rectification(manager, bad.rectification, callback_result="unreachable")


def test_a_report_is_assigned_only_to_staff_and_followed_up_only_when_resolved(
    staff, muchang, wang
):
    manager = staff["manager"]
    report = services.report_unresolved(
        staff["clerk"],
        center=muchang,
        source="enquiry_window",
        wanted="开证明",
        cause="policy",
        why="不符合条件",
    )
    with pytest.raises(ValidationError) as error:
        services.assign_report(manager, report, assignee=wang.user)
    assert "assignee" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.follow_up_report(manager, report, note="回访")
    with pytest.raises(ValidationError) as error:
        services.report_unresolved(
            staff["clerk"], center=muchang, source="portal_x", wanted="x", cause="policy", why="y"
        )
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_unresolved(
            staff["clerk"],
            center=muchang,
            source="enquiry_window",
            wanted="x",
            cause="luck",
            why="y",
        )
    assert "cause" in error.value.message_dict


def test_a_clerk_of_another_center_cannot_record_a_report_here(make_user, maotanchang, muchang):
    from bianmin.identity.roles import Role

    other = make_user(Role.WINDOW_CLERK, center=maotanchang)
    with pytest.raises(PermissionDenied):
        services.report_unresolved(
            other, center=muchang, source="enquiry_window", wanted="x", cause="other", why="y"
        )


def test_the_figures_count_bad_reasons_and_conduct_tags(bad, staff, muchang):
    services.tag_conduct(staff["manager"], rating=bad, tags=["shirk"])
    report = services.report_unresolved(
        staff["clerk"],
        center=muchang,
        source="enquiry_window",
        wanted="x",
        cause="staff",
        why="y",
        now=at(2026, 3, 12),
    )
    services.tag_conduct(staff["manager"], report=report, tags=["shirk", "lazy"])
    f = figures.compute([muchang], at(2026, 3, 1).date(), at(2026, 3, 31).date())
    assert "推：推诿扯皮、敷衍塞责" in [c[1] for c in f.conduct]
    assert [c[2:] for c in f.conduct if c[1].startswith("推")] == [(1, 1)]
    assert f.bad_reasons == [("服务态度", 1)]
