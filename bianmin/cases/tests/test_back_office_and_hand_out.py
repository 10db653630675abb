"""后台分类审批 and 综合窗口出件: the department's queue, steps in order, decisions with legal
reasons, returning to intake, forwarding to county level, hand-out with an identity check or a
proxy's authorization, and free postal delivery."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from bianmin.cases import selectors, services
from bianmin.cases.machine import Refused
from bianmin.cases.models import Delivery
from bianmin.cases.services import ApplicantIn, DeliveryIn, HandoutIn, ProxyIn
from bianmin.identity.models import PersonalDataAccess
from bianmin.identity.roles import Role
from bianmin.org.models import Department, Region

from .conftest import BY_POST, DAUGHTER_ID, WANG_ID, all_provided, at, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_case(open_wang, clerk):
    return services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))


@pytest.fixture
def decided(accepted_case, officer):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    services.complete_step(officer, accepted_case, note="户籍、年龄核实无误", now=at(2026, 3, 4))
    services.approve(officer, accepted_case, result_note="每月发放高龄津贴", now=at(2026, 3, 5))
    return services.prepare_result(officer, accepted_case, now=at(2026, 3, 5, 15))


def test_the_department_queue_shows_accepted_cases_to_its_officers_only(
    accepted_case, officer, make_user
):
    assert [c.number for c in selectors.department_queue(officer)] == [accepted_case.number]
    renshe = Department.objects.create(
        region=Region.objects.get(code="341502000000"), name="金安区人社局", domain="人社"
    )
    other = make_user(Role.BACK_OFFICE_OFFICER, department=renshe)
    assert list(selectors.department_queue(other)) == []
    with pytest.raises(PermissionDenied) as e:
        services.claim(other, accepted_case, now=at(2026, 3, 4))
    assert "金安区民政局" in str(e.value)


def test_an_officer_of_another_county_may_not_claim(accepted_case, make_user):
    far = Department.objects.create(
        region=Region.objects.get(code="341524000000"), name="金寨县民政局", domain="民政"
    )
    stranger = make_user(Role.BACK_OFFICE_OFFICER, department=far)
    with pytest.raises(PermissionDenied):
        services.claim(stranger, accepted_case, now=at(2026, 3, 4))


def test_a_clerk_may_not_decide(accepted_case, clerk, officer):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    with pytest.raises(PermissionDenied):
        services.approve(clerk, accepted_case, now=at(2026, 3, 4))


def test_the_guides_steps_go_in_order_before_the_decision(accepted_case, officer):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    with pytest.raises(Refused) as e:
        services.approve(officer, accepted_case, now=at(2026, 3, 4))
    assert "审核" in e.value.text
    case = services.complete_step(officer, accepted_case, now=at(2026, 3, 4))
    assert case.steps_done == 1
    with pytest.raises(Refused):  # 审批 is the last step: the decision completes it
        services.complete_step(officer, case, now=at(2026, 3, 4))
    case = services.approve(officer, case, now=at(2026, 3, 5))
    assert case.state == "approved" and case.steps_done == 2
    assert case.events.get(action="approve").data["step"] == "审批"


def test_only_the_officer_holding_the_case_decides(accepted_case, officer, make_user, minzheng):
    colleague = make_user(Role.BACK_OFFICE_OFFICER, department=minzheng)
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    with pytest.raises(Refused):
        services.complete_step(colleague, accepted_case, now=at(2026, 3, 4))


def test_an_officer_gives_a_claimed_case_back_and_a_colleague_continues_its_steps(
    accepted_case, officer, make_user, minzheng
):
    colleague = make_user(Role.BACK_OFFICE_OFFICER, department=minzheng)
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    services.complete_step(officer, accepted_case, note="户籍核实", now=at(2026, 3, 4))
    with pytest.raises(ValidationError) as e:
        services.release(officer, accepted_case, reason=" ", now=at(2026, 3, 4, 11))
    assert "原因" in e.value.message_dict["reason"][0]
    case = services.release(officer, accepted_case, reason="休年假", now=at(2026, 3, 4, 11))
    assert case.state == "accepted" and case.officer_id is None and case.steps_done == 1
    assert case.events.last().reason == "休年假"
    assert [c.number for c in selectors.department_queue(colleague)] == [case.number]
    services.claim(colleague, case, now=at(2026, 3, 5))
    case = services.approve(colleague, case, now=at(2026, 3, 5))
    assert case.state == "approved" and case.decided_by_id == colleague.pk


def test_the_manager_takes_a_case_from_an_officer_who_is_away(accepted_case, officer, manager):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    accepted_case.refresh_from_db()
    assert "release" in services.allowed_actions(accepted_case, manager, at(2026, 3, 6))
    case = services.release(manager, accepted_case, reason="经办人病假", now=at(2026, 3, 6))
    assert case.state == "accepted" and case.officer_id is None


def test_a_colleague_may_not_take_a_case_another_officer_holds(
    accepted_case, officer, make_user, minzheng, clerk
):
    colleague = make_user(Role.BACK_OFFICE_OFFICER, department=minzheng)
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    with pytest.raises(Refused):
        services.release(colleague, accepted_case, reason="我来办", now=at(2026, 3, 4))
    with pytest.raises(PermissionDenied):
        services.release(clerk, accepted_case, reason="我来办", now=at(2026, 3, 4))
    accepted_case.refresh_from_db()
    assert accepted_case.officer_id == officer.pk and accepted_case.state == "in_back_office"


def test_a_denial_needs_the_legal_reason(accepted_case, officer):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    services.complete_step(officer, accepted_case, now=at(2026, 3, 4))
    with pytest.raises(ValidationError) as e:
        services.deny(
            officer, accepted_case, reason="未满80周岁", legal_basis="", now=at(2026, 3, 5)
        )
    assert "法律依据" in e.value.message_dict["legal_basis"][0]
    case = services.deny(
        officer,
        accepted_case,
        reason="申请人未满80周岁",
        legal_basis="《六安市高龄津贴发放办法》第三条",
        now=at(2026, 3, 5),
    )
    assert case.state == "denied" and case.decision == "denied"


def test_returning_to_intake_and_resubmitting(accepted_case, officer, clerk):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    with pytest.raises(ValidationError):
        services.return_to_intake(officer, accepted_case, comment="", now=at(2026, 3, 4))
    case = services.return_to_intake(
        officer, accepted_case, comment="户口簿复印件缺少本人页", now=at(2026, 3, 4)
    )
    assert case.state == "returned"
    assert clerk.case_notifications.filter(kind="returned").exists()
    case = services.resubmit(clerk, case, note="已补充本人页复印件", now=at(2026, 3, 5))
    assert case.state == "accepted" and case.officer is None


def test_a_forwarded_item_is_accepted_and_forwarded_to_the_county(clerk, muchang, catalogue):
    card = catalogue["card"]
    case = services.open_case(
        clerk,
        center=muchang,
        item=card,
        applicant=ApplicantIn(
            name="张建军", id_number=id_number("19800101", "335"), mobile="13966660000"
        ),
        checklist=all_provided(card),
        accept=True,
        now=at(2026, 3, 3, 10),
    )
    assert case.state == "accepted" and case.department is None
    with pytest.raises(ValidationError):
        services.forward(clerk, case, authority="", now=at(2026, 3, 3, 10))
    case = services.forward(clerk, case, authority="金安区残疾人联合会", now=at(2026, 3, 3, 10, 30))
    assert case.state == "forwarded" and case.forwarded_to == "金安区残疾人联合会"
    sms = case.notifications.get(kind="forwarded")
    assert "7个工作日" in sms.text
    case = services.record_county_result(
        clerk, case, approved=True, result_note="第二代残疾人证", now=at(2026, 3, 10)
    )
    assert case.state == "approved"


def test_a_clerk_may_not_forward_an_item_decided_here(accepted_case, clerk):
    with pytest.raises(Refused) as e:
        services.forward(clerk, accepted_case, authority="金安区民政局", now=at(2026, 3, 4))
    assert "转报" in e.value.text


def test_hand_out_checks_the_applicants_identity_and_closes(decided, clerk):
    with pytest.raises(ValidationError) as e:
        services.hand_out(clerk, decided, HandoutIn(id_number=DAUGHTER_ID), now=at(2026, 3, 6))
    assert "不一致" in e.value.message_dict["id_number"][0]
    case = services.hand_out(clerk, decided, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 6))
    assert case.state == "closed" and case.handout_method == "window"
    assert WANG_ID not in case.handout_check and WANG_ID[-4:] in case.handout_check
    assert [e.action for e in case.events.order_by("-seq")[:2]] == ["close", "hand_out"]


def test_a_proxy_collects_with_a_written_authorization(decided, clerk):
    daughter = ProxyIn(name="王小红", id_number=DAUGHTER_ID, mobile="13800001111")
    with pytest.raises(ValidationError) as e:
        services.hand_out(
            clerk, decided, HandoutIn(receiver="proxy", proxy=daughter), now=at(2026, 3, 6)
        )
    assert "授权委托书" in e.value.message_dict["proxy.authorization"][0]
    daughter.authorization = "王大爷签字的授权委托书"
    case = services.hand_out(
        clerk, decided, HandoutIn(receiver="proxy", proxy=daughter), now=at(2026, 3, 6)
    )
    assert case.handed_to == "王小红" and "授权委托书" in case.handout_check


def test_free_postal_delivery_with_tracking_counts_as_handed_out(decided, clerk):
    delivery = services.send_by_post(
        clerk,
        decided,
        BY_POST,
        now=at(2026, 3, 6),
    )
    assert delivery.fee == 0 and delivery.status == "sent"
    case = services.confirm_delivery(clerk, decided, now=at(2026, 3, 9))
    assert case.state == "closed" and case.handout_method == "post"
    assert Delivery.objects.get().status == "delivered"


def test_the_case_page_shows_where_a_posted_result_went_with_the_address_masked(
    decided, clerk, client
):
    services.send_by_post(
        clerk,
        decided,
        BY_POST,
        now=at(2026, 3, 6),
    )
    client.force_login(clerk)
    page = client.get(f"/cases/{decided.number}/").content.decode()
    card = page.split('data-testid="deliveries"')[1].split("</section>")[0]
    assert "免费寄递" in card and "中国邮政EMS" in card and "1180000000001" in card
    assert "六安市金安区木厂镇****" in card and "XX村XX组" not in page
    assert "已寄出" in card


def test_a_posted_address_is_sealed_at_rest_and_kept_masked_for_the_screen(decided, clerk):
    services.send_by_post(clerk, decided, BY_POST, now=at(2026, 3, 6))
    with connection.cursor() as cursor:
        cursor.execute("SELECT address_sealed, address_masked FROM cases_delivery")
        [(sealed, masked)] = cursor.fetchall()
    assert sealed.startswith("sm4gcm1:") and "木厂镇" not in sealed
    assert masked == "六安市金安区木厂镇****"


def test_showing_a_posted_address_in_full_is_logged_against_the_applicant(decided, clerk, client):
    delivery = services.send_by_post(clerk, decided, BY_POST, now=at(2026, 3, 6))
    client.force_login(clerk)
    url = f"/cases/{decided.number}/deliveries/{delivery.pk}/address/"
    assert url in client.get(f"/cases/{decided.number}/").content.decode()
    assert not PersonalDataAccess.objects.exists()
    fragment = client.post(url).content.decode()
    assert "六安市金安区木厂镇XX村XX组" in fragment and "已显示完整地址 · 已记录" in fragment
    [row] = PersonalDataAccess.objects.all()
    assert (row.viewer, row.person, row.field) == (clerk, decided.person, "address")
    assert decided.number in row.purpose and "1180000000001" in row.purpose


def test_a_citizen_cannot_open_a_posted_address(decided, clerk, make_user):
    delivery = services.send_by_post(clerk, decided, BY_POST, now=at(2026, 3, 6))
    with pytest.raises(PermissionDenied):
        services.reveal_delivery_address(make_user(Role.CITIZEN), decided, delivery)
    assert not PersonalDataAccess.objects.exists()


def test_the_api_answers_a_posted_address_masked_and_in_full_only_on_a_logged_request(
    decided, clerk, client
):
    delivery = services.send_by_post(clerk, decided, BY_POST, now=at(2026, 3, 6))
    client.force_login(clerk)
    [listed] = client.get(f"/api/v1/cases/{decided.number}/deliveries").json()
    assert listed["address_masked"] == "六安市金安区木厂镇****" and "address" not in listed
    assert not PersonalDataAccess.objects.exists()
    full = client.post(f"/api/v1/cases/{decided.number}/deliveries/{delivery.pk}/address")
    assert full.json() == {"address": "六安市金安区木厂镇XX村XX组"}
    assert PersonalDataAccess.objects.get().field == "address"
    missing = client.post(f"/api/v1/cases/{decided.number}/deliveries/{delivery.pk + 1}/address")
    assert missing.status_code == 404


def test_a_returned_delivery_goes_back_to_the_window(decided, clerk):
    services.send_by_post(
        clerk,
        decided,
        DeliveryIn(
            recipient="王大爷", address="木厂镇", carrier="EMS", tracking_number="1180000000002"
        ),
        now=at(2026, 3, 6),
    )
    case = services.delivery_returned(clerk, decided, reason="地址不详", now=at(2026, 3, 10))
    assert case.state == "result_ready" and Delivery.objects.get().status == "returned"
    case = services.hand_out(clerk, case, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 11))
    assert case.state == "closed"


def test_a_delivery_without_an_address_names_the_field_and_sends_nothing(decided, clerk):
    with pytest.raises(ValidationError) as e:
        services.send_by_post(
            clerk,
            decided,
            DeliveryIn(recipient="王大爷", carrier="EMS", tracking_number="1"),
            now=at(2026, 3, 6),
        )
    assert "地址" in e.value.message_dict["address"][0]
    assert not Delivery.objects.exists()
    decided.refresh_from_db()
    assert decided.state == "result_ready"


def test_a_closed_case_refuses_every_action(decided, clerk, officer):
    services.hand_out(clerk, decided, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 6))
    for call in (
        lambda: services.withdraw(clerk, decided, reason="x", now=at(2026, 3, 7)),
        lambda: services.suspend(clerk, decided, reason="x", now=at(2026, 3, 7)),
        lambda: services.hand_out(clerk, decided, HandoutIn(id_number=WANG_ID), now=at(2026, 3, 7)),
    ):
        with pytest.raises(Refused):
            call()
    decided.refresh_from_db()
    assert decided.state == "closed" and services.allowed_actions(decided, clerk) == []


def test_the_postal_form_shows_every_error_at_once_and_keeps_what_was_typed(decided, clerk, client):
    client.force_login(clerk)
    response = client.post(
        f"/cases/{decided.number}/do/send_by_post/",
        {
            "recipient": "王大爷",
            "address": "",
            "postal_code": "23700",
            "carrier": "中国邮政EMS",
            "tracking_number": "1180000000001",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "地址：此项为必填项。" in body and "邮政编码：须为6位数字。" in body
    assert 'value="23700"' in body and 'value="1180000000001"' in body
    assert not Delivery.objects.exists()


def test_each_event_says_where_the_act_was_done(accepted_case, officer, manager, clerk):
    services.claim(officer, accepted_case, now=at(2026, 3, 4))
    services.request_extension(
        officer, accepted_case, days=3, reason="需实地核查", now=at(2026, 3, 4)
    )
    services.approve_extension(manager, accepted_case, now=at(2026, 3, 5))
    channels = {e.action: e.channel for e in accepted_case.events.all()}
    assert channels["accept"] == "window"  # the clerk, at the window
    assert channels["claim"] == "back_office" and channels["request_extension"] == "back_office"
    assert channels["approve_extension"] == "management"
