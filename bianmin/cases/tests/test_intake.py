"""Intake: the checklist from the published guide, the one-time notice, acceptance, rejection,
deemed acceptance after 5 working days (行政许可法 第三十二条), applicants and proxies."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bianmin.cases import scheduler, services
from bianmin.cases.machine import Refused
from bianmin.cases.models import Case, OneTimeNotice, Organisation
from bianmin.cases.services import ApplicantIn, LineIn, ProxyIn
from bianmin.catalog.models import GuideVersion, ItemEntry, Material
from bianmin.identity.roles import Role

from .conftest import CREDIT_CODE, DAUGHTER_ID, WANG, WANG_ID, all_provided, at, materials_of

pytestmark = pytest.mark.django_db


def missing(item, name, reason="未携带"):
    return all_provided(item, **{name: ("missing", reason)})


def test_a_case_is_received_under_the_published_guide_with_its_checklist(open_wang, old_age):
    case = open_wang()
    guide = GuideVersion.objects.get(item=old_age, state="published")
    assert case.state == "received" and case.guide == guide
    assert [line["name"] for line in case.checklist] == list(materials_of(old_age))
    assert case.number.startswith("341502100-20260303-")
    assert case.applicant_masked == "3415**********" + WANG_ID[-4:]
    assert case.intake_deadline == dt.date(2026, 3, 10)  # 5 working days after Tue 3 March


def test_publishing_a_new_guide_version_never_changes_an_accepted_case(open_wang, clerk, old_age):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    old = case.guide
    GuideVersion.objects.filter(pk=old.pk).update(state="retired")
    GuideVersion.objects.create(item=old_age, number=2, state="published", promised_days=5)
    case.refresh_from_db()
    assert case.guide == old and case.promised_days == 10


def test_a_bad_identity_number_is_refused_naming_the_field_and_nothing_is_saved(
    clerk, muchang, old_age
):
    wrong = "1" if WANG_ID[-1] != "1" else "2"
    bad = ApplicantIn(name="王大爷", id_number=WANG_ID[:-1] + wrong)
    with pytest.raises(ValidationError) as e:
        services.open_case(clerk, center=muchang, item=old_age, applicant=bad, now=at(2026, 3, 3))
    assert "身份证号码" in e.value.message_dict["applicant.id_number"][0]
    assert not Case.objects.exists()


def test_an_item_the_center_does_not_handle_is_refused(clerk, muchang, old_age):
    ItemEntry.objects.filter(item=old_age).update(withdrawn_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as e:
        services.open_case(clerk, center=muchang, item=old_age, applicant=WANG, now=at(2026, 3, 3))
    assert "不办理" in e.value.message_dict["item"][0]


def test_a_cancelled_item_cannot_be_applied_for(clerk, muchang, old_age):
    old_age.status, old_age.cancelled_at = "cancelled", at(2026, 3, 1)
    old_age.save()
    with pytest.raises(ValidationError) as e:
        services.open_case(clerk, center=muchang, item=old_age, applicant=WANG, now=at(2026, 3, 3))
    assert "已取消" in e.value.message_dict["item"][0]


def test_a_clerk_of_another_center_may_not_receive_here(make_user, maotanchang, muchang, old_age):
    other = make_user(Role.WINDOW_CLERK, center=maotanchang)
    with pytest.raises(PermissionDenied):
        services.open_case(other, center=muchang, item=old_age, applicant=WANG, now=at(2026, 3, 3))


def test_an_organisation_applies_with_its_unified_social_credit_code(clerk, muchang, catalogue):
    business = catalogue["business"]
    org = ApplicantIn(
        kind="organisation",
        name="木厂镇李记小吃店",
        credit_code=CREDIT_CODE.lower(),
        legal_representative="李会计",
        representative_id_number=DAUGHTER_ID,
        mobile="18756410001",
    )
    case = services.open_case(
        clerk, center=muchang, item=business, applicant=org, now=at(2026, 3, 3)
    )
    assert case.applicant_kind == "organisation" and case.organisation.credit_code == CREDIT_CODE
    assert case.applicant_masked == "91341502******" + CREDIT_CODE[-4:]
    assert Organisation.objects.get().representative.name == "李会计"


def test_a_wrong_credit_code_names_the_field(clerk, muchang, catalogue):
    org = ApplicantIn(
        kind="organisation",
        name="某店",
        credit_code="91341502MA2N0QX11A",
        legal_representative="李",
    )
    with pytest.raises(ValidationError) as e:
        services.open_case(
            clerk, center=muchang, item=catalogue["business"], applicant=org, now=at(2026, 3, 3)
        )
    assert "统一社会信用代码" in e.value.message_dict["applicant.credit_code"][0]


def test_an_agent_needs_the_written_authorization(clerk, muchang, old_age):
    agent = ProxyIn(kind="agent", name="王小红", id_number=DAUGHTER_ID, mobile="13800001111")
    with pytest.raises(ValidationError) as e:
        services.open_case(
            clerk, center=muchang, item=old_age, applicant=WANG, proxy=agent, now=at(2026, 3, 3)
        )
    assert "授权委托书" in e.value.message_dict["proxy.authorization"][0]
    agent.authorization = "授权委托书（2026年3月1日）"
    case = services.open_case(
        clerk, center=muchang, item=old_age, applicant=WANG, proxy=agent, now=at(2026, 3, 3)
    )
    assert case.proxy.name == "王小红" and case.proxy_kind == "agent"


def test_a_required_material_cannot_be_marked_not_needed(open_wang, old_age):
    with pytest.raises(ValidationError) as e:
        open_wang(lines=all_provided(old_age, 户口簿=("not_needed", "")))
    assert "户口簿" in e.value.message_dict["checklist"][0]


def test_acceptance_with_a_missing_material_is_refused(open_wang, clerk, old_age):
    case = open_wang(lines=missing(old_age, "户口簿"))
    with pytest.raises(Refused) as e:
        services.accept(clerk, case, now=at(2026, 3, 3, 10))
    assert "户口簿" in e.value.text and "一次性告知" in e.value.text
    assert Case.objects.get().state == "received"


def test_the_one_time_notice_lists_every_missing_and_defective_material_with_reasons(
    open_wang, clerk, old_age
):
    lines = all_provided(
        old_age, 户口簿=("missing", "未携带户口簿"), 居民身份证=("defective", "已过有效期")
    )
    notice = services.issue_notice(clerk, open_wang(lines=lines), now=at(2026, 3, 3, 10))
    assert {(i["name"], i["problem"], i["reason"]) for i in notice.items} == {
        ("户口簿", "missing", "未携带户口簿"),
        ("居民身份证", "defective", "已过有效期"),
    }
    assert Case.objects.get().state == "notice_issued"


def test_a_notice_needs_a_reason_for_each_material(open_wang, clerk, old_age):
    case = open_wang(lines=missing(old_age, "户口簿", reason=""))
    with pytest.raises(Refused) as e:
        services.issue_notice(clerk, case, now=at(2026, 3, 3, 10))
    assert "户口簿" in e.value.text and e.value.field == "checklist"


def test_a_notice_with_nothing_missing_is_refused(open_wang, clerk):
    with pytest.raises(Refused):
        services.issue_notice(clerk, open_wang(), now=at(2026, 3, 3, 10))


def test_second_one_time_notice_adding_a_material_is_refused(open_wang, clerk, old_age):
    ids = materials_of(old_age)
    case = open_wang(lines=missing(old_age, "户口簿"))
    services.issue_notice(clerk, case, now=at(2026, 3, 3, 10))
    # The applicant brings the household register, but now the identity card looks wrong: that
    # was not told the first time, so a second notice may not add it.
    services.record_correction(
        clerk, case, [LineIn(ids["户口簿"], "provided", True, 1)], now=at(2026, 3, 4)
    )
    services.update_checklist(
        clerk, case, [LineIn(ids["居民身份证"], "defective", reason="照片不清")], now=at(2026, 3, 4)
    )
    with pytest.raises(Refused) as e:
        services.issue_notice(clerk, case, now=at(2026, 3, 4, 10))
    assert "居民身份证" in e.value.text and "第一次" in e.value.text
    assert OneTimeNotice.objects.count() == 1


def test_a_second_notice_repeating_a_material_of_the_first_is_allowed(open_wang, clerk, old_age):
    ids = materials_of(old_age)
    case = open_wang(lines=missing(old_age, "户口簿"))
    services.issue_notice(clerk, case, now=at(2026, 3, 3, 10))
    services.record_correction(
        clerk, case, [LineIn(ids["户口簿"], "defective", reason="复印件缺页")], now=at(2026, 3, 4)
    )
    notice = services.issue_notice(clerk, case, now=at(2026, 3, 4, 10))
    assert notice.number == 2


def test_a_changed_application_may_get_a_notice_naming_a_new_material(open_wang, clerk, old_age):
    ids = materials_of(old_age)
    case = open_wang(lines=missing(old_age, "户口簿"))
    services.issue_notice(clerk, case, now=at(2026, 3, 3, 10))
    services.amend_application(clerk, case, note="改为由女儿代领津贴", now=at(2026, 3, 4))
    services.update_checklist(
        clerk,
        case,
        [LineIn(ids["近期免冠照片"], "missing", reason="代领需本人照片")],
        now=at(2026, 3, 4),
    )
    notice = services.issue_notice(clerk, case, now=at(2026, 3, 4, 10))
    assert "近期免冠照片" in {i["name"] for i in notice.items}


def test_the_clock_starts_the_day_after_the_correction_arrives(open_wang, clerk, old_age):
    ids = materials_of(old_age)
    case = open_wang(lines=missing(old_age, "户口簿"))
    services.issue_notice(clerk, case, now=at(2026, 3, 3, 10))
    services.record_correction(
        clerk, case, [LineIn(ids["户口簿"], "provided", True, 1)], now=at(2026, 3, 5)
    )
    case = services.accept(clerk, case, now=at(2026, 3, 6))
    assert case.clock_started_on == dt.date(2026, 3, 5)
    assert case.due_at.date() == dt.date(2026, 3, 19)  # 10 working days after Thu 5 March


def test_rejection_needs_the_reason_and_the_legal_basis(open_wang, clerk):
    case = open_wang()
    with pytest.raises(ValidationError) as e:
        services.reject(clerk, case, reason="不符合受理条件", legal_basis="", now=at(2026, 3, 3))
    assert "法律依据" in e.value.message_dict["legal_basis"][0]
    case = services.reject(
        clerk,
        case,
        reason="申请人未满80周岁",
        legal_basis="《六安市高龄津贴发放办法》第三条",
        now=at(2026, 3, 3),
    )
    assert case.state == "rejected" and case.closed_at is not None


def test_without_a_notice_in_5_working_days_the_case_counts_as_accepted_from_receipt(
    open_wang, old_age
):
    case = open_wang(lines=missing(old_age, "户口簿"))  # received Tue 3 March
    assert scheduler.run_timers(at(2026, 3, 10, 18))["deem_accepted"] == 0
    done = scheduler.run_timers(at(2026, 3, 11, 8))
    assert done["deem_accepted"] == 1
    case.refresh_from_db()
    assert case.state == "accepted" and case.deemed_accepted
    assert case.accepted_at == case.received_at and case.clock_started_on == dt.date(2026, 3, 3)


def test_the_clerk_is_warned_on_the_last_day_before_the_notice_limit(open_wang, old_age, clerk):
    case = open_wang(lines=missing(old_age, "户口簿"))
    assert scheduler.run_timers(at(2026, 3, 6, 18))["warn_intake"] == 0
    assert scheduler.run_timers(at(2026, 3, 9, 8))["warn_intake"] == 1
    assert scheduler.run_timers(at(2026, 3, 9, 9))["warn_intake"] == 0  # once only
    case.refresh_from_db()
    assert case.intake_warned
    assert clerk.case_notifications.filter(kind="intake_warning").count() == 1


def test_a_case_with_a_notice_issued_is_not_deemed_accepted(open_wang, clerk, old_age):
    case = open_wang(lines=missing(old_age, "户口簿"))
    services.issue_notice(clerk, case, now=at(2026, 3, 4))
    scheduler.run_timers(at(2026, 3, 20))
    case.refresh_from_db()
    assert case.state == "notice_issued"


def test_a_material_not_in_the_guide_is_refused(open_wang):
    other = Material.objects.exclude(guide__item__name="高龄津贴申领").first()
    with pytest.raises(ValidationError) as e:
        open_wang(lines=[LineIn(other.pk, "provided")])
    assert "不是该事项办事指南中的材料" in e.value.message_dict["checklist"][0]
