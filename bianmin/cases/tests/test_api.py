"""The same story as the browser's, through the API: 王大爷's 高龄津贴 received with the bank-card
copy deferred under a pledge, the copy brought two days later, approved by 民政, handed out, and
followed on the progress API. Plus errors in Chinese, OpenAPI schemas and query counts."""

import datetime as dt

import pytest
from django.test import Client

from .conftest import WANG_ID, materials_of

pytestmark = pytest.mark.django_db


def api(client, method, path, data=None):
    call = getattr(client, method)
    if data is None:
        return call(f"/api/v1/cases{path}")
    return call(f"/api/v1/cases{path}", data, content_type="application/json")


def checklist(item, deferred="本人银行卡（复印件）"):
    return [
        {
            "material": pk,
            "status": "deferred" if name == deferred else "provided",
            "original_seen": True,
            "copies": 1,
        }
        for name, pk in materials_of(item).items()
    ]


@pytest.fixture
def staff(clerk, officer):
    clerk_client, officer_client = Client(), Client()
    clerk_client.force_login(clerk)
    officer_client.force_login(officer)
    return clerk_client, officer_client


def test_the_old_age_allowance_story_through_the_api(staff, old_age):
    clerk, officer = staff
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    created = api(
        clerk,
        "post",
        "/",
        {
            "item": old_age.pk,
            "applicant": {
                "kind": "person",
                "name": "王大爷",
                "id_number": WANG_ID,
                "mobile": "13905641234",
            },
            "checklist": checklist(old_age),
            "accept": True,
            "pledge": {"due": due, "signer": "王大爷"},
        },
    )
    assert created.status_code == 201, created.content
    case = created.json()
    number = case["number"]
    assert case["state"] == "accepted" and case["pledge_status"] == "open"
    assert case["applicant_masked"].startswith("3415") and WANG_ID not in created.content.decode()

    detail = api(clerk, "get", f"/{number}").json()
    assert "supply_deferred" in detail["allowed_actions"] and "pledge" in detail["notices"]
    # The creation's answer is written by hand (no pydantic pass): it is exactly CaseOut, the
    # same fields and values as the case read back through the schema.
    from bianmin.cases.api import CaseOut

    assert set(case) == set(CaseOut.model_fields)
    assert {k: detail[k] for k in CaseOut.model_fields} == case
    pdf = api(clerk, "get", f"/{number}/notices/acceptance.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    bank = materials_of(old_age)["本人银行卡（复印件）"]
    supplied = api(clerk, "post", f"/{number}/pledge/supply", {"material": bank})
    assert supplied.json()["pledge_status"] == "fulfilled"

    queue = api(officer, "get", "/queue").json()
    assert [row["number"] for row in queue] == [number]
    assert api(officer, "post", f"/{number}/claim").json()["state"] == "in_back_office"
    early = api(officer, "post", f"/{number}/approve", {"result_note": "每月发放"})
    assert early.status_code == 422 and "审核" in early.json()["detail"]
    api(officer, "post", f"/{number}/steps", {"note": "核实无误"})
    assert (
        api(officer, "post", f"/{number}/approve", {"result_note": "每月发放"}).json()["state"]
        == "approved"
    )
    assert api(officer, "post", f"/{number}/result", {}).json()["state"] == "result_ready"

    wrong = api(
        clerk,
        "post",
        f"/{number}/hand-out",
        {"receiver": "applicant", "id_number": "110101199003074514"},
    )
    assert wrong.status_code == 422 and "身份证号码" in wrong.json()["detail"]
    done = api(
        clerk, "post", f"/{number}/hand-out", {"receiver": "applicant", "id_number": WANG_ID}
    )
    assert done.json()["state"] == "closed"

    events = api(clerk, "get", f"/{number}/events").json()
    assert [e["action"] for e in events] == [
        "open",
        "accept",
        "supply_deferred",
        "claim",
        "complete_step",
        "approve",
        "prepare_result",
        "hand_out",
        "close",
    ]
    progress = (
        Client()
        .post(
            "/api/v1/cases/progress",
            {"number": number, "secret": "13905641234"},
            content_type="application/json",
        )
        .json()
    )
    assert [s["text"] for s in progress["steps"]][-2:] == ["已在窗口领取办理结果", "办结"]


def test_a_forwarded_disability_card_through_the_api(staff, catalogue):
    clerk, _ = staff
    card = catalogue["card"]
    case = api(
        clerk,
        "post",
        "/",
        {
            "item": card.pk,
            "applicant": {
                "name": "张建军",
                "id_number": "110101199003074514",
                "mobile": "13966660000",
            },
            "checklist": checklist(card, deferred=""),
            "accept": True,
        },
    ).json()
    forwarded = api(
        clerk, "post", f"/{case['number']}/forward", {"authority": "金安区残疾人联合会"}
    )
    assert (
        forwarded.json()["state"] == "forwarded"
        and forwarded.json()["forwarded_to"] == "金安区残疾人联合会"
    )


def test_bad_input_answers_422_in_chinese_naming_the_field(staff, old_age):
    clerk, _ = staff
    response = api(
        clerk,
        "post",
        "/",
        {"item": old_age.pk, "applicant": {"name": "王大爷", "id_number": "123"}},
    )
    assert response.status_code == 422
    assert "applicant.id_number" in response.json()["errors"]
    assert "身份证号码" in response.json()["detail"]


def test_an_action_outside_the_table_answers_422_naming_the_state(staff, open_wang):
    clerk, officer = staff
    case = open_wang()
    response = api(officer, "post", f"/{case.number}/claim")
    assert response.status_code in (403, 422)
    response = api(clerk, "post", f"/{case.number}/result", {})
    assert response.status_code == 422 and "已收件" in response.json()["detail"]


def test_a_clerk_of_another_center_gets_404(client, open_wang, make_user, maotanchang):
    from bianmin.identity.roles import Role

    case = open_wang()
    client.force_login(make_user(Role.WINDOW_CLERK, center=maotanchang))
    assert api(client, "get", f"/{case.number}").status_code == 404
    assert api(client, "post", f"/{case.number}/withdraw", {"reason": "x"}).status_code == 404


def test_the_openapi_schema_describes_every_action(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{number}",
        "/api/v1/cases/{number}/accept",
        "/api/v1/cases/{number}/one-time-notice",
        "/api/v1/cases/{number}/hand-out",
        "/api/v1/cases/{number}/post",
        "/api/v1/cases/{number}/extension/approve",
        "/api/v1/cases/{number}/pledge/supply",
        "/api/v1/cases/{number}/files",
        "/api/v1/cases/progress",
        "/api/v1/cases/{number}/archive.pdf",
    ):
        assert path in paths, path
    create = paths["/api/v1/cases/"]["post"]
    assert "requestBody" in create and "201" in create["responses"]


def test_creating_a_case_takes_a_fixed_number_of_queries(
    staff, old_age, django_assert_max_num_queries
):
    clerk, _ = staff
    body = {
        "item": old_age.pk,
        "applicant": {"name": "王大爷", "id_number": WANG_ID, "mobile": "13905641234"},
        "checklist": checklist(old_age, deferred=""),
        "accept": True,
    }
    assert api(clerk, "post", "/", body).status_code == 201
    # session, user, center; the item, its guide, materials, entry and department in one query;
    # the person (no write: known); the number; the case; its two events; the SMS row.
    with django_assert_max_num_queries(11):
        assert api(clerk, "post", "/", body).status_code == 201


def test_the_list_takes_a_fixed_number_of_queries(staff, open_wang, django_assert_max_num_queries):
    clerk, _ = staff
    for _ in range(3):
        open_wang()
    with django_assert_max_num_queries(3) as few:  # session, user, the page of rows
        assert len(api(clerk, "get", "/?tab=intake").json()) == 3
    for _ in range(10):
        open_wang()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api(clerk, "get", "/?tab=intake").json()) == 13


def test_an_action_takes_a_fixed_number_of_queries(staff, open_wang, django_assert_max_num_queries):
    clerk, _ = staff
    case = open_wang()
    with django_assert_max_num_queries(9):
        assert api(clerk, "post", f"/{case.number}/accept", {}).status_code == 200
