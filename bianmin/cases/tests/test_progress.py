"""The applicant's progress: by the QR link, or by case number with phone or identity number.
Each step in plain Chinese; nothing for anyone else."""

import datetime as dt

import pytest

from bianmin.cases import services

from .conftest import DAUGHTER_ID, WANG_ID, at, pledge, pledge_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(open_wang, clerk, officer, old_age):
    case = open_wang(lines=pledge_lines(old_age))
    services.accept(clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3, 9, 30))
    services.claim(officer, case, now=at(2026, 3, 4))
    return case


def test_the_qr_link_shows_each_step_in_plain_chinese(client, case):
    response = client.get(f"/cases/p/{case.progress_token}/")
    body = response.content.decode()
    assert response.status_code == 200
    for step in ("已收到您的申请材料", "已受理", "审批部门已开始审批"):
        assert step in body
    assert "王**" in body and case.number in body
    assert "王大爷" not in body and WANG_ID not in body and WANG_ID[-4:] not in body
    assert "139" not in body and response["X-Robots-Tag"] == "noindex"


def test_a_wrong_token_shows_nothing(client, case):
    assert client.get("/cases/p/not-a-real-token/").status_code == 404


def test_the_case_number_and_the_phone_lead_to_the_progress(client, case):
    response = client.post("/cases/progress/", {"number": case.number, "secret": "139 0564 1234"})
    assert response.status_code == 302 and response["Location"].endswith(
        f"/cases/p/{case.progress_token}/"
    )


def test_the_case_number_and_the_identity_number_lead_to_the_progress(client, case):
    response = client.post("/cases/progress/", {"number": case.number, "secret": WANG_ID})
    assert response.status_code == 302


def test_someone_elses_number_learns_nothing(client, case):
    wrong_person = client.post("/cases/progress/", {"number": case.number, "secret": DAUGHTER_ID})
    wrong_case = client.post(
        "/cases/progress/", {"number": "341502100-20260303-9999", "secret": WANG_ID}
    )
    assert wrong_person.status_code == wrong_case.status_code == 400
    alert = [line for line in wrong_person.content.decode().splitlines() if 'role="alert"' in line]
    assert alert == [
        line for line in wrong_case.content.decode().splitlines() if 'role="alert"' in line
    ]
    assert (
        "不匹配" in wrong_person.content.decode()
        and case.applicant_name not in wrong_person.content.decode()
    )


def test_guessing_is_limited(client, case):
    for _ in range(10):
        client.post("/cases/progress/", {"number": case.number, "secret": "13800000000"})
    response = client.post("/cases/progress/", {"number": case.number, "secret": "13905641234"})
    assert response.status_code == 400 and "尝试次数过多" in response.content.decode()


def test_the_same_lookup_through_the_api(client, case):
    response = client.post(
        "/api/v1/cases/progress",
        {"number": case.number, "secret": "13905641234"},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200 and data["applicant"] == "王**"
    assert [s["text"] for s in data["steps"]][:2] == ["已收到您的申请材料", "已受理"]
    denied = client.post(
        "/api/v1/cases/progress",
        {"number": case.number, "secret": DAUGHTER_ID},
        content_type="application/json",
    )
    assert denied.status_code == 404


def test_a_result_sent_by_post_says_posted_with_the_tracking_number_then_delivered(
    client, open_wang, clerk, officer
):
    from bianmin.cases.services import DeliveryIn

    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    services.claim(officer, case, now=at(2026, 3, 4))
    services.complete_step(officer, case, now=at(2026, 3, 4))
    services.approve(officer, case, result_note="每月发放高龄津贴", now=at(2026, 3, 5))
    services.prepare_result(officer, case, now=at(2026, 3, 5, 15))
    at_window = client.get(f"/cases/p/{case.progress_token}/").content.decode()
    assert "办理结果已送达窗口，可以领取" in at_window  # not posted (yet): collect it
    services.send_by_post(
        clerk,
        case,
        DeliveryIn(
            recipient="王大爷",
            address="六安市金安区木厂镇XX村XX组",
            postal_code="237000",
            carrier="中国邮政EMS",
            tracking_number="1180000000001",
        ),
        now=at(2026, 3, 6),
    )
    body = client.get(f"/cases/p/{case.progress_token}/").content.decode()
    assert "可以领取" not in body
    assert "办理结果已免费寄出" in body and "中国邮政EMS 1180000000001" in body
    services.confirm_delivery(clerk, case, now=at(2026, 3, 9))
    body = client.get(f"/cases/p/{case.progress_token}/").content.decode()
    assert "邮件已签收" in body and "已邮寄送达" in body and "可以领取" not in body
