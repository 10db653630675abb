"""容缺受理: deferrable materials only, main materials in place, nobody on the dishonesty list,
a pledge no later than the time limit, a reminder, suspension and termination when it is broken."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bianmin.cases import scheduler, services
from bianmin.cases.models import DeferralRule, DishonestEntry
from bianmin.catalog.models import GuideVersion
from bianmin.identity.roles import Role

from .conftest import BY_POST, WANG_ID, all_provided, at, materials_of, pledge, pledge_lines

pytestmark = pytest.mark.django_db

BANK = "本人银行卡（复印件）"


@pytest.fixture
def pledged(open_wang, clerk, old_age):
    """王大爷, Tue 3 March 2026: the bank-card copy deferred, pledged within 3 working days."""
    case = open_wang(lines=pledge_lines(old_age))
    return services.accept(
        clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3, 9, 30)
    )


def test_a_deferrable_material_is_accepted_under_a_signed_pledge(pledged, old_age):
    assert pledged.state == "accepted"
    assert pledged.pledge_status == "open" and pledged.pledge_due == dt.date(2026, 3, 6)
    assert pledged.pledge_materials == [materials_of(old_age)[BANK]]
    assert pledged.pledge_signer == "王大爷"


def test_deferred_materials_need_a_pledge(open_wang, clerk, old_age):
    case = open_wang(lines=pledge_lines(old_age))
    with pytest.raises(ValidationError) as e:
        services.accept(clerk, case, now=at(2026, 3, 3, 10))
    assert "承诺书" in e.value.message_dict["pledge.due"][0]


def test_a_material_the_guide_does_not_mark_deferrable_cannot_be_deferred(open_wang, old_age):
    with pytest.raises(ValidationError) as e:
        open_wang(lines=all_provided(old_age, 户口簿=("deferred", "")))
    assert (
        "户口簿" in e.value.message_dict["checklist"][0]
        and "不能容缺" in e.value.message_dict["checklist"][0]
    )


def test_no_deferral_when_the_guide_does_not_allow_it(open_wang, old_age):
    GuideVersion.objects.filter(item=old_age).update(allows_deferral=False)
    with pytest.raises(ValidationError):
        open_wang(lines=pledge_lines(old_age))


def test_the_main_materials_must_be_in_place(open_wang, clerk, old_age):
    lines = all_provided(old_age, **{BANK: ("deferred", ""), "户口簿": ("missing", "未带")})
    case = open_wang(lines=lines)
    with pytest.raises(ValidationError):
        services.accept(clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3, 10))


def test_an_applicant_on_the_dishonesty_list_gets_no_deferral(
    open_wang, clerk, old_age, make_user, muchang
):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    result = services.import_dishonesty_list(
        manager,
        muchang,
        [{"name": "王大爷", "number": WANG_ID, "reason": "曾虚假承诺", "listed_on": "2025-01-01"}],
    )
    assert result.added == 1 and not result.errors
    case = open_wang(lines=pledge_lines(old_age))
    with pytest.raises(ValidationError) as e:
        services.accept(clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3, 10))
    assert "失信名单" in e.value.message_dict["pledge"][0]


def test_an_expired_listing_no_longer_blocks_deferral(
    open_wang, clerk, old_age, make_user, muchang
):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    services.import_dishonesty_list(
        manager,
        muchang,
        [{"name": "王大爷", "number": WANG_ID, "listed_on": "2024-01-01", "until": "2025-12-31"}],
    )
    case = open_wang(lines=pledge_lines(old_age))
    assert (
        services.accept(
            clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3)
        ).pledge_status
        == "open"
    )


def test_a_bad_row_in_the_dishonesty_list_saves_nothing_and_names_the_line(make_user, muchang):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    result = services.import_dishonesty_list(
        manager,
        muchang,
        [
            {"name": "某公司", "number": "91341502MA2N0QX11R", "reason": "失信被执行"},
            {"name": "张三", "number": "123", "reason": ""},
        ],
    )
    assert result.errors and result.errors[0].startswith("第 3 行")
    assert not DishonestEntry.objects.exists()


def test_only_the_manager_imports_the_list(clerk, muchang):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_dishonesty_list(clerk, muchang, [])


def test_the_pledged_date_may_not_be_after_the_promised_time_limit(open_wang, clerk, old_age):
    case = open_wang(lines=pledge_lines(old_age))
    with pytest.raises(ValidationError) as e:
        services.accept(clerk, case, pledge=pledge(dt.date(2026, 3, 18)), now=at(2026, 3, 3, 10))
    assert "2026-03-17" in e.value.message_dict["pledge.due"][0]


def test_the_applicant_is_reminded_the_working_day_before(pledged):
    assert scheduler.run_timers(at(2026, 3, 4, 18))["remind_pledge"] == 0
    assert scheduler.run_timers(at(2026, 3, 5, 8))["remind_pledge"] == 1
    assert scheduler.run_timers(at(2026, 3, 5, 9))["remind_pledge"] == 0
    sms = pledged.notifications.get(kind="pledge_reminder")
    assert sms.channel == "sms" and BANK in sms.text and "2026-03-06" in sms.text


def test_a_broken_pledge_suspends_the_case_and_then_terminates_it(pledged):
    assert scheduler.run_timers(at(2026, 3, 6, 18))["pledge_overdue"] == 0
    assert scheduler.run_timers(at(2026, 3, 7, 8))["pledge_overdue"] == 1
    pledged.refresh_from_db()
    assert pledged.state == "suspended" and pledged.pledge_status == "overdue"
    # Default rule: 5 working days after the suspension (Sat 7 March → Fri 13 March).
    assert scheduler.run_timers(at(2026, 3, 13, 18))["terminate"] == 0
    assert scheduler.run_timers(at(2026, 3, 14, 8))["terminate"] == 1
    pledged.refresh_from_db()
    assert pledged.state == "terminated" and "承诺" in pledged.final_reason


def test_an_item_may_keep_a_broken_pledge_suspended(pledged, old_age):
    DeferralRule.objects.create(item=old_age, terminate=False)
    scheduler.run_timers(at(2026, 3, 9, 8))
    scheduler.run_timers(at(2026, 4, 30, 8))
    pledged.refresh_from_db()
    assert pledged.state == "suspended"


def test_the_material_arriving_fulfils_the_pledge(pledged, clerk, old_age):
    case = services.supply_deferred(
        clerk, pledged, material=materials_of(old_age)[BANK], now=at(2026, 3, 5)
    )
    assert case.pledge_status == "fulfilled" and case.state == "accepted"
    assert scheduler.run_timers(at(2026, 3, 9, 8))["pledge_overdue"] == 0


def test_a_late_material_resumes_the_suspended_case_and_moves_the_due_date(pledged, clerk, old_age):
    due_before = pledged.due_at
    scheduler.run_timers(at(2026, 3, 7, 8))  # suspended on Saturday 7 March
    case = services.supply_deferred(
        clerk, pledged, material=materials_of(old_age)[BANK], now=at(2026, 3, 10, 9)
    )
    assert case.state == "accepted" and case.pledge_status == "fulfilled"
    assert case.paused_days == 2  # Mon 9 and Tue 10 March
    assert case.due_at.date() - due_before.date() == dt.timedelta(days=2)


def test_a_case_suspended_for_a_broken_pledge_does_not_resume_without_the_material(pledged, clerk):
    scheduler.run_timers(at(2026, 3, 7, 8))
    with pytest.raises(ValidationError):
        services.resume(clerk, pledged, now=at(2026, 3, 9))


@pytest.fixture
def decided_under_pledge(pledged, officer):
    """Approved and ready at the window on Thu 5 March while the bank-card copy is still owed."""
    services.claim(officer, pledged, now=at(2026, 3, 4))
    services.complete_step(officer, pledged, note="户籍、年龄核实无误", now=at(2026, 3, 4))
    services.approve(officer, pledged, result_note="每月发放高龄津贴", now=at(2026, 3, 5))
    return services.prepare_result(officer, pledged, now=at(2026, 3, 5, 15))


def test_the_result_is_not_handed_out_while_the_pledge_is_open(decided_under_pledge, clerk):
    from bianmin.cases.machine import Refused
    from bianmin.cases.services import HandoutIn

    case = decided_under_pledge
    assert case.pledge_status == "open"
    assert "hand_out" not in services.allowed_actions(case, clerk, at(2026, 3, 6))
    with pytest.raises(Refused) as e:
        services.hand_out(clerk, case, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 6))
    message = " ".join(e.value.messages)
    assert "王大爷" in message and BANK in message and "承诺" in message
    with pytest.raises(Refused):
        services.send_by_post(
            clerk,
            case,
            BY_POST,
            now=at(2026, 3, 6),
        )
    case.refresh_from_db()
    assert case.state == "result_ready"


def test_the_deferred_material_may_arrive_after_the_decision_and_then_the_result_goes_out(
    decided_under_pledge, clerk, old_age
):
    from bianmin.cases.services import HandoutIn

    case = decided_under_pledge
    assert "supply_deferred" in services.allowed_actions(case, clerk, at(2026, 3, 6))
    case = services.supply_deferred(
        clerk, case, material=materials_of(old_age)[BANK], now=at(2026, 3, 6, 9)
    )
    assert case.pledge_status == "fulfilled" and case.state == "result_ready"
    case = services.hand_out(clerk, case, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 6, 10))
    assert case.state == "closed"


def test_the_officers_page_warns_of_an_open_pledge(decided_under_pledge, officer, client):
    client.force_login(officer)
    page = client.get(f"/cases/{decided_under_pledge.number}/").content.decode()
    assert "容缺承诺尚未履行" in page and BANK in page


def test_the_case_page_labels_the_pledged_date_and_shows_the_material_as_deferred(
    pledged, clerk, client
):
    client.force_login(clerk)
    page = client.get(f"/cases/{pledged.number}/").content.decode()
    assert "承诺补交日期 2026-03-06" in page and "承诺人 王大爷" in page
    assert "操作人 2026-03-06" not in page
    row = page.split(f'data-material="{BANK}"')[1].split("</tr>")[0]
    assert "容缺后补" in row


# --- A pledge outlives an early decision -------------------------------------------------------


def test_the_result_ready_sms_asks_for_the_pledged_material_instead_of_inviting_collection(
    decided_under_pledge,
):
    sms = decided_under_pledge.notifications.get(kind="result_ready")
    assert BANK in sms.text and "2026-03-06" in sms.text
    assert "免费寄递" not in sms.text


def test_a_case_decided_before_the_pledged_date_still_gets_its_reminder(decided_under_pledge):
    assert scheduler.run_timers(at(2026, 3, 5, 16))["remind_pledge"] == 1
    decided_under_pledge.refresh_from_db()
    assert decided_under_pledge.state == "result_ready" and decided_under_pledge.pledge_reminded
    assert BANK in decided_under_pledge.notifications.get(kind="pledge_reminder").text


def test_a_broken_pledge_after_the_decision_suspends_the_case_without_moving_its_clock(
    decided_under_pledge, clerk, old_age
):
    case = decided_under_pledge
    due, paused = case.due_at, case.paused_days
    assert scheduler.run_timers(at(2026, 3, 7, 8))["pledge_overdue"] == 1
    case.refresh_from_db()
    assert case.state == "suspended" and case.state_before_suspension == "result_ready"
    assert case.pledge_status == "overdue" and case.decision == "approved"
    # The material comes late: the case is ready at the window again; its clock was stopped
    # at the decision, so neither the due date nor the paused days move.
    case = services.supply_deferred(
        clerk, case, material=materials_of(old_age)[BANK], now=at(2026, 3, 10, 9)
    )
    assert case.state == "result_ready" and case.pledge_status == "fulfilled"
    assert case.due_at == due and case.paused_days == paused


def test_a_pledge_never_kept_after_the_decision_terminates_the_case(decided_under_pledge):
    scheduler.run_timers(at(2026, 3, 7, 8))
    assert scheduler.run_timers(at(2026, 3, 14, 8))["terminate"] == 1
    decided_under_pledge.refresh_from_db()
    assert decided_under_pledge.state == "terminated"
    assert decided_under_pledge.handed_out_at is None


def test_a_decided_case_suspended_for_its_pledge_cannot_be_withdrawn(decided_under_pledge, clerk):
    scheduler.run_timers(at(2026, 3, 7, 8))
    decided_under_pledge.refresh_from_db()
    assert "withdraw" not in services.allowed_actions(decided_under_pledge, clerk, at(2026, 3, 9))
    with pytest.raises(ValidationError) as e:
        services.withdraw(clerk, decided_under_pledge, reason="申请人要求", now=at(2026, 3, 9))
    assert "已作出决定" in " ".join(e.value.messages)


def test_a_denial_releases_the_pledge_and_the_denial_is_handed_out(pledged, officer, clerk):
    from bianmin.cases.services import HandoutIn

    services.claim(officer, pledged, now=at(2026, 3, 4))
    services.complete_step(officer, pledged, note="核实", now=at(2026, 3, 4))
    case = services.deny(
        officer,
        pledged,
        reason="未满80周岁",
        legal_basis="《六安市高龄津贴发放办法》第三条",
        now=at(2026, 3, 5),
    )
    assert case.pledge_status == "released"
    case = services.prepare_result(officer, case, now=at(2026, 3, 5, 15))
    assert BANK not in case.notifications.get(kind="result_ready").text
    assert scheduler.run_timers(at(2026, 3, 9, 8))["pledge_overdue"] == 0
    case = services.hand_out(clerk, case, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 9, 10))
    assert case.state == "closed"
