"""The applicant's progress: by the QR link, or by case number with phone or identity number.
Each step in plain Chinese; nothing for anyone else."""

import datetime as dt
import re

import pytest

from bianmin.cases import services
from bianmin.cases.services import ApplicantIn

from .conftest import (
    BY_POST,
    DAUGHTER_ID,
    WANG_ID,
    all_provided,
    at,
    id_number,
    pledge,
    pledge_lines,
)

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


def test_guessing_through_the_api_is_limited_as_on_the_page(client, case):
    def ask(secret):
        return client.post(
            "/api/v1/cases/progress",
            {"number": case.number, "secret": secret},
            content_type="application/json",
        )

    for _ in range(10):
        assert ask("13800000000").status_code == 404
    refused = ask("13905641234")  # the right phone, but after ten wrong tries
    assert refused.status_code == 429 and "尝试次数过多" in refused.json()["detail"]
    assert "王" not in refused.content.decode()


def test_a_public_credit_code_does_not_open_a_businesss_progress(client, clerk, muchang, catalogue):
    from .conftest import CREDIT_CODE

    shop = services.open_case(
        clerk,
        center=muchang,
        item=catalogue["business"],
        applicant=ApplicantIn(
            kind="organisation",
            name="木厂镇李记小吃店",
            credit_code=CREDIT_CODE,
            legal_representative="李会计",
            representative_id_number=DAUGHTER_ID,
            mobile="18756410001",
        ),
        now=at(2026, 3, 3),
    )

    def ask(secret):
        return client.post(
            "/api/v1/cases/progress",
            {"number": shop.number, "secret": secret},
            content_type="application/json",
        ).status_code

    assert ask(CREDIT_CODE) == 404
    assert ask(DAUGHTER_ID) == 200  # the legal representative's own identity number
    assert ask("18756410001") == 200  # or phone


def test_a_result_sent_by_post_says_posted_with_the_tracking_number_then_delivered(
    client, open_wang, clerk, officer
):
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
        BY_POST,
        now=at(2026, 3, 6),
    )
    body = client.get(f"/cases/p/{case.progress_token}/").content.decode()
    assert "可以领取" not in body
    assert "办理结果已免费寄出" in body and "中国邮政EMS 1180000000001" in body
    services.confirm_delivery(clerk, case, now=at(2026, 3, 9))
    body = client.get(f"/cases/p/{case.progress_token}/").content.decode()
    assert "邮件已签收" in body and "已邮寄送达" in body and "可以领取" not in body


# --- Forwarded to the county (转报) ---------------------------------------------------------


@pytest.fixture
def forwarded(clerk, muchang, catalogue):
    card = catalogue["card"]  # 第二代残疾人证申请（转报）: promised 7, statutory 20 working days
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
    return services.forward(clerk, case, authority="金安区残疾人联合会", now=at(2026, 3, 3, 10, 30))


def test_a_forwarded_case_names_the_county_authority_and_its_time_limit_on_both_pages(
    client, clerk, forwarded
):
    progress = client.get(f"/cases/p/{forwarded.progress_token}/").content.decode()
    county = re.search(r'data-testid="progress-county">([^<]+)', progress)
    assert county and county.group(1).strip() == "金安区残疾人联合会"
    assert "转报于 2026-03-03" in progress
    limit = re.search(r'data-testid="progress-county-limit">([^<]+)', progress)
    assert limit and limit.group(1) == "7个工作日（承诺时限）"
    client.force_login(clerk)
    page = client.get(f"/cases/{forwarded.number}/").content.decode()
    wait = re.search(r'data-testid="county-wait">(.+?)</p>', page).group(1)
    assert "等待县级办理" in wait and "金安区残疾人联合会" in wait
    assert "县级办理时限：7个工作日（承诺时限）" in wait


def test_the_guides_note_and_the_statutory_limit_are_shown_when_nothing_is_promised(
    client, forwarded
):
    guide = forwarded.guide
    guide.promised_days = None
    guide.time_limit_note = "县残联自受理之日起审核"
    guide.save()
    progress = client.get(f"/cases/p/{forwarded.progress_token}/").content.decode()
    limit = re.search(r'data-testid="progress-county-limit">([^<]+)', progress).group(1)
    assert limit == "20个工作日（法定时限）；县残联自受理之日起审核"


def test_once_the_county_has_decided_the_case_no_longer_waits_for_it(client, clerk, forwarded):
    services.record_county_result(
        clerk, forwarded, approved=True, result_note="第二代残疾人证", now=at(2026, 3, 10)
    )
    progress = client.get(f"/cases/p/{forwarded.progress_token}/").content.decode()
    assert 'data-testid="progress-county"' not in progress
    assert "金安区残疾人联合会" in progress  # still in the steps: 已转报 …
    client.force_login(clerk)
    assert (
        'data-testid="county-wait"'
        not in client.get(f"/cases/{forwarded.number}/").content.decode()
    )
