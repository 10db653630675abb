"""The clerk's and the officer's pages: lists, intake with the checklist, one case with its
actions, notices, files, the dishonesty list; bad input keeps what was typed; query counts stay
flat however many cases there are."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bianmin.cases import services
from bianmin.cases.models import Case, DishonestEntry
from bianmin.identity.roles import Role

from .conftest import WANG_ID, at, materials_of

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def intake_post(item, **extra):
    data = {
        "item": item.pk,
        "applicant.kind": "person",
        "applicant.name": "王大爷",
        "applicant.id_number": WANG_ID,
        "applicant.mobile": "13905641234",
    }
    for name, pk in materials_of(item).items():
        data[f"status_{pk}"] = "deferred" if "银行卡" in name else "provided"
        data[f"seen_{pk}"] = "1"
        data[f"copies_{pk}"] = "1"
    data.update(extra)
    return data


def test_the_clerk_takes_an_application_on_the_intake_page(client, clerk, old_age):
    client.force_login(clerk)
    page = client.get("/cases/new/").content.decode()
    assert "高龄津贴申领" in page
    partial = client.get(
        "/cases/new/", {"item": old_age.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "本人银行卡（复印件）" in partial and "可容缺" in partial
    response = client.post("/cases/new/", intake_post(old_age))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert {line["status"] for line in case.checklist} == {"provided", "deferred"}


def test_a_bad_identity_number_keeps_what_was_typed(client, clerk, old_age):
    client.force_login(clerk)
    response = client.post(
        "/cases/new/", intake_post(old_age, **{"applicant.id_number": "341502194803151230X"})
    )
    body = response.content.decode()
    assert response.status_code == 400 and "身份证号码" in body
    assert 'value="王大爷"' in body and 'value="13905641234"' in body
    assert not Case.objects.exists()


def test_the_case_page_offers_the_clerk_acceptance_with_a_pledge(client, clerk, old_age):
    client.force_login(clerk)
    client.post("/cases/new/", intake_post(old_age))
    case = Case.objects.get()
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "受理" in page and "承诺补交日期" in page and "出具一次性告知书" not in page
    bad = client.post(
        f"/cases/{case.number}/do/accept/", {"pledge.due": "", "pledge.signer": "王大爷"}
    )
    assert bad.status_code == 400 and "承诺书" in bad.content.decode()
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    ok = client.post(
        f"/cases/{case.number}/do/accept/", {"pledge.due": due, "pledge.signer": "王大爷"}
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.state == "accepted" and case.pledge_status == "open"
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "受理通知书" in page and "容缺受理承诺书" in page
    pdf = client.get(f"/cases/{case.number}/notices/acceptance.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_officer_claims_and_decides_on_the_case_page(client, open_wang, clerk, officer):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    client.force_login(officer)
    queue = client.get("/cases/").content.decode()
    assert case.number in queue and "待认领" in queue
    client.post(f"/cases/{case.number}/do/claim/")
    client.post(f"/cases/{case.number}/do/complete_step/", {"note": "核实无误"})
    client.post(f"/cases/{case.number}/do/approve/", {"result_note": "每月发放高龄津贴"})
    case.refresh_from_db()
    assert case.state == "approved" and case.officer == officer


def test_a_denial_without_a_legal_basis_is_refused_on_the_page_naming_the_field(
    client, open_wang, clerk, officer
):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    services.claim(officer, case)
    services.complete_step(officer, case)
    client.force_login(officer)
    response = client.post(
        f"/cases/{case.number}/do/deny/", {"reason": "未满80周岁", "legal_basis": ""}
    )
    body = response.content.decode()
    assert (
        response.status_code == 400
        and "法律依据：此项为必填项。" in body
        and 'value="未满80周岁"' in body
    )


def test_an_officer_of_another_department_does_not_see_the_case(
    client, open_wang, clerk, make_user
):
    from bianmin.org.models import Department, Region

    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    renshe = Department.objects.create(
        region=Region.objects.get(code="341502000000"), name="人社局", domain="人社"
    )
    client.force_login(make_user(Role.BACK_OFFICE_OFFICER, department=renshe))
    assert client.get(f"/cases/{case.number}/").status_code == 404


def test_a_citizen_has_no_workbench(client, make_user):
    client.force_login(make_user(Role.CITIZEN))
    assert client.get("/cases/").status_code == 403


def test_a_scan_is_filed_and_served_back_only_to_staff(client, open_wang, clerk, old_age):
    case = open_wang()
    client.force_login(clerk)
    upload = SimpleUploadedFile("户口簿.png", PNG, content_type="image/png")
    response = client.post(
        f"/cases/{case.number}/do/attach_file/",
        {"file": upload, "material": materials_of(old_age)["户口簿"]},
    )
    assert response.status_code == 302
    record = case.files.get()
    assert client.get(f"/cases/{case.number}/files/{record.pk}/").content == PNG
    client.logout()
    assert client.get(f"/cases/{case.number}/files/{record.pk}/").status_code == 302  # to login


def test_the_manager_imports_the_dishonesty_list_from_a_csv(client, manager):
    client.force_login(manager)
    csv = f"姓名,证件号码,原因,列入日期,移出日期\n王大爷,{WANG_ID},虚假承诺,2025-06-01,\n"
    response = client.post(
        "/cases/dishonest/", {"file": SimpleUploadedFile("list.csv", csv.encode("utf-8"))}
    )
    assert response.status_code == 302
    entry = DishonestEntry.objects.get()
    assert entry.person.name == "王大爷" and entry.listed_on == dt.date(2025, 6, 1)
    page = client.get("/cases/dishonest/").content.decode()
    assert "虚假承诺" in page and WANG_ID not in page


def test_overdue_cases_are_red_on_the_managers_list(client, open_wang, clerk, manager):
    case = services.accept(clerk, open_wang(now=at(2025, 3, 3)), now=at(2025, 3, 3))
    client.force_login(manager)
    body = client.get("/cases/", {"tab": "overdue"}).content.decode()
    assert case.number in body and 'data-level="red"' in body


def test_the_workbench_queries_stay_flat_however_many_cases(
    client, open_wang, clerk, django_assert_max_num_queries
):
    for _ in range(3):
        open_wang()
    client.force_login(clerk)
    client.get("/cases/")
    with django_assert_max_num_queries(6) as few:
        client.get("/cases/")
    for _ in range(12):
        open_wang()
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/cases/").content.decode()
    assert body.count("data-number=") == 15


def test_the_officer_queue_queries_stay_flat(
    client, open_wang, clerk, officer, django_assert_max_num_queries
):
    for _ in range(3):
        services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    client.force_login(officer)
    client.get("/cases/")
    with django_assert_max_num_queries(5) as few:
        client.get("/cases/")
    for _ in range(10):
        services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/cases/").content.decode()
    assert body.count("data-number=") == 13


def test_the_case_page_takes_a_fixed_number_of_queries(
    client, open_wang, clerk, officer, old_age, django_assert_max_num_queries
):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    client.force_login(clerk)
    with django_assert_max_num_queries(9) as before:
        client.get(f"/cases/{case.number}/")
    for i in range(5):
        services.attach_file(clerk, case, content=PNG + bytes([i]), name=f"scan{i}.png")
    services.claim(officer, case)
    with django_assert_max_num_queries(len(before.captured_queries) + 2):
        client.get(f"/cases/{case.number}/")


def test_every_applicant_error_is_shown_at_once_beside_its_field(client, clerk, old_age):
    client.force_login(clerk)
    response = client.post(
        "/cases/new/",
        intake_post(
            old_age,
            **{
                "applicant.name": "",
                "applicant.id_number": "341502194803151230X",
                "applicant.mobile": "1390564",
            },
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400 and not Case.objects.exists()
    assert "姓名：此项为必填项。" in body
    assert "身份证号码：应为 18 位" in body and "手机号码：应为以 13–19 开头的 11 位数字" in body
    assert 'value="341502194803151230X"' in body and 'value="1390564"' in body


def test_a_called_ticket_with_a_known_person_prefills_the_applicant(
    client, clerk, old_age, muchang
):
    from django.utils import timezone

    from bianmin.identity.services import register_person
    from bianmin.queueing.models import Visit

    person = register_person(name="王大爷", id_number=WANG_ID, mobile="13905641234")
    visit = Visit.objects.create(
        center=muchang, person=person, opened_at=timezone.now(), first_responder=clerk
    )
    client.force_login(clerk)
    page = client.get("/cases/new/", {"visit": visit.pk}).content.decode()
    assert 'value="王大爷"' in page and person.id_number_masked in page
    assert WANG_ID not in page
    post = intake_post(old_age, **{"applicant.id_number": ""})
    response = client.post("/cases/new/", {**post, "visit": visit.pk})
    assert response.status_code == 302 and Case.objects.get().person == person
    # A visit without a known person prefills nothing.
    stranger = Visit.objects.create(center=muchang, opened_at=timezone.now(), first_responder=clerk)
    page = client.get("/cases/new/", {"visit": stranger.pk}).content.decode()
    assert 'value="王大爷"' not in page


def test_the_case_page_says_why_neither_acceptance_nor_a_notice_is_offered(
    client, open_wang, clerk, old_age
):
    from .conftest import all_provided

    case = open_wang(lines=all_provided(old_age, 户口簿=("missing", "")))  # no reason given
    client.force_login(clerk)
    page = client.get(f"/cases/{case.number}/").content.decode()
    stuck = page.split('data-testid="stuck"')[1].split("</div>")[0]
    assert "以下操作暂不可用" in stuck and "户口簿" in stuck and "原因" in stuck


def test_the_case_page_says_why_a_second_notice_may_not_add_a_material(
    client, open_wang, clerk, old_age
):
    from bianmin.cases.services import LineIn

    from .conftest import all_provided

    case = open_wang(lines=all_provided(old_age, 户口簿=("missing", "未带")))
    services.issue_notice(clerk, case, now=at(2026, 3, 3, 10))
    form = materials_of(old_age)
    services.update_checklist(
        clerk,
        case,
        [LineIn(form["近期免冠照片"], "defective", True, 1, reason="不清晰")],
        now=at(2026, 3, 3, 11),
    )
    client.force_login(clerk)
    page = client.get(f"/cases/{case.number}/").content.decode()
    stuck = page.split('data-testid="stuck"')[1].split("</div>")[0]
    assert "近期免冠照片" in stuck and "第一次告知书" in stuck


def test_a_refused_hand_out_keeps_the_typed_identity_number(client, open_wang, clerk, officer):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    services.claim(officer, case, now=at(2026, 3, 4))
    services.complete_step(officer, case, now=at(2026, 3, 4))
    services.approve(officer, case, now=at(2026, 3, 5))
    services.prepare_result(officer, case, now=at(2026, 3, 5, 15))
    client.force_login(clerk)
    typo = WANG_ID[:-1]  # 17 digits
    response = client.post(
        f"/cases/{case.number}/do/hand_out/", {"receiver": "applicant", "id_number": typo}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "身份证号码" in body
    assert f'name="id_number" autocomplete="off" value="{typo}"' in body


def test_an_empty_progress_lookup_names_the_empty_field(client):
    body = client.post("/cases/progress/", {"number": "", "secret": "13905641234"}).content
    assert "办件编号：请填写" in body.decode()
    body = client.post("/cases/progress/", {"number": "341502100-20260303-0001", "secret": " "})
    assert "手机号码或身份证号码：请填写" in body.content.decode()
