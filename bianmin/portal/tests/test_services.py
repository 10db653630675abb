"""The portal's rules: login codes and their limits, lookups that reveal nothing, checked
uploads, drafts, and the online application through to acceptance."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bianmin.cases import online
from bianmin.cases import services as cases
from bianmin.cases.models import Case, MaterialFile
from bianmin.identity.models import Person, PersonalDataAccess
from bianmin.portal import services, sms, uploads
from bianmin.portal.models import Application, DraftFile, LoginCode

from .conftest import PDF_BYTES, WANG_ID, WANG_MOBILE, id_number, jpeg_bytes, materials, png_bytes

pytestmark = pytest.mark.django_db


def last_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1][1]).group(0)


def message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# --- Login by mobile and one-time code ------------------------------------------------------------


def test_a_code_is_sent_by_sms_and_only_its_hash_is_kept(citizen):
    services.request_code(WANG_MOBILE, ip="10.0.0.1")
    assert sms.outbox[-1][0] == WANG_MOBILE
    code = last_code()
    row = LoginCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    verified = services.verify_code(WANG_MOBILE, code, ip="10.0.0.1")
    assert verified.user == citizen


def test_a_code_works_once(citizen):
    services.request_code(WANG_MOBILE)
    code = last_code()
    services.verify_code(WANG_MOBILE, code)
    with pytest.raises(ValidationError) as e:
        services.verify_code(WANG_MOBILE, code)
    assert "验证码" in message(e.value, "code")


def test_an_expired_code_is_refused(citizen):
    past = timezone.now() - dt.timedelta(minutes=11)
    services.request_code(WANG_MOBILE, now=past)
    with pytest.raises(ValidationError):
        services.verify_code(WANG_MOBILE, last_code())


def test_five_wrong_codes_spend_the_code(citizen):
    services.request_code(WANG_MOBILE)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.verify_code(WANG_MOBILE, wrong)
    with pytest.raises(ValidationError):
        services.verify_code(WANG_MOBILE, code)


def test_a_second_code_within_a_minute_is_refused_with_the_wait(citizen):
    services.request_code(WANG_MOBILE)
    with pytest.raises(ValidationError) as e:
        services.request_code(WANG_MOBILE)
    text = message(e.value, "mobile")
    assert "验证码" in text and "秒" in text
    later = timezone.now() + dt.timedelta(seconds=61)
    services.request_code(WANG_MOBILE, now=later)  # a minute later it is fine


def test_more_than_five_codes_an_hour_are_refused(citizen):
    start = timezone.now()
    for i in range(5):
        services.request_code(WANG_MOBILE, now=start + dt.timedelta(minutes=2 * i))
    with pytest.raises(ValidationError) as e:
        services.request_code(WANG_MOBILE, now=start + dt.timedelta(minutes=12))
    assert "分钟" in message(e.value, "mobile")


def test_a_malformed_mobile_is_refused_naming_the_field(divisions):
    with pytest.raises(ValidationError) as e:
        services.request_code("1390564")
    assert "手机" in message(e.value, "mobile")
    assert sms.outbox == []


def test_ten_wrong_codes_from_one_address_are_stopped(citizen):
    for i in range(10):
        services.request_code(f"1390564{i:04d}", ip="10.9.9.9")
        with pytest.raises(ValidationError):
            services.verify_code(f"1390564{i:04d}", "999999", ip="10.9.9.9")
    services.request_code(WANG_MOBILE, ip="10.9.9.9")
    with pytest.raises(ValidationError) as e:
        services.verify_code(WANG_MOBILE, last_code(), ip="10.9.9.9")
    assert "请等待" in message(e.value, "code") or "稍后" in message(e.value, "code")


def test_a_new_mobile_registers_with_name_and_identity_number(divisions):
    services.request_code("13800001111")
    verified = services.verify_code("13800001111", last_code())
    assert verified.user is None
    user = services.register_citizen(
        mobile=verified.mobile, name="李秀英", id_number=id_number("19920708", "246")
    )
    assert user.role == "citizen" and user.person.name == "李秀英"
    assert user.person.mobile_masked == "138****1111"
    assert not user.has_usable_password()


def test_someone_elses_identity_number_is_not_taken_over_online(citizen):
    with pytest.raises(ValidationError) as e:
        services.register_citizen(mobile="13800002222", name="王建国", id_number=WANG_ID)
    assert "窗口" in message(e.value, "id_number") or "中心" in message(e.value, "id_number")
    assert Person.objects.get(user=citizen).mobile_masked == "139****1234"


def test_a_known_person_without_account_gets_one_at_first_login(divisions):
    from bianmin.identity.services import register_person

    person = register_person(
        name="张桂兰", id_number=id_number("19560102", "328"), mobile="13700001234"
    )
    services.request_code("13700001234")
    verified = services.verify_code("13700001234", last_code())
    assert verified.user is not None and verified.user.person == person


# --- Kiosk identification and lookups ----------------------------------------------------------


def test_the_kiosk_knows_a_person_by_identity_number_and_name(citizen):
    assert services.kiosk_identify(id_number=WANG_ID, name="王建国").user == citizen
    with pytest.raises(ValidationError) as wrong_name:
        services.kiosk_identify(id_number=WANG_ID, name="王建")
    with pytest.raises(ValidationError) as unknown:
        services.kiosk_identify(id_number=id_number("19990101", "555"), name="王建国")
    assert message(wrong_name.value, "__all__") == message(unknown.value, "__all__")


def test_kiosk_identification_is_limited_per_address(citizen):
    for _ in range(10):
        with pytest.raises(ValidationError):
            services.kiosk_identify(id_number=WANG_ID, name="某人", ip="10.1.1.1")
    with pytest.raises(ValidationError) as e:
        services.kiosk_identify(id_number=WANG_ID, name="王建国", ip="10.1.1.1")
    assert "次数" in message(e.value, "__all__")


@pytest.fixture
def submitted(citizen, muchang, online_item):
    m = materials(online_item)
    return online.submit_online_application(
        citizen,
        center=muchang,
        item=online_item,
        uploads=[online.OnlineFile(m["居民身份证"], "身份证.jpg", jpeg_bytes((800, 600)))],
    )


def test_a_wrong_phone_answers_exactly_like_an_unknown_case(submitted):
    with pytest.raises(ValidationError) as wrong_phone:
        services.lookup_case(number=submitted.number, secret="13800009999")
    with pytest.raises(ValidationError) as unknown:
        services.lookup_case(number="341502100-20990101-0001", secret=WANG_MOBILE)
    assert message(wrong_phone.value, "__all__") == message(unknown.value, "__all__")
    assert services.lookup_case(number=submitted.number, secret=WANG_MOBILE) == submitted


def test_lookups_are_limited_per_address(submitted):
    for _ in range(10):
        with pytest.raises(ValidationError):
            services.lookup_case(number=submitted.number, secret="13800009999", ip="10.2.2.2")
    with pytest.raises(ValidationError) as e:
        services.lookup_case(number=submitted.number, secret=WANG_MOBILE, ip="10.2.2.2")
    assert "次数" in message(e.value, "__all__")
    assert services.lookup_case(number=submitted.number, secret=WANG_MOBILE, ip="10.2.2.3")


# --- Uploads ------------------------------------------------------------------------------------


def test_the_type_is_checked_by_content_not_by_name():
    with pytest.raises(ValidationError) as e:
        uploads.clean_content("照片.jpg", b"MZ\x90\x00 this is an executable")
    assert "PDF" in message(e.value, "file")
    label, content, kind = uploads.clean_content("scan.bin", PDF_BYTES)
    assert kind == "application/pdf" and content == PDF_BYTES


def test_a_truncated_pdf_is_refused():
    with pytest.raises(ValidationError):
        uploads.clean_content("a.pdf", PDF_BYTES[:60])


def test_an_oversized_file_is_refused_with_its_size(settings):
    settings.BIANMIN_PORTAL_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as e:
        uploads.clean_content("big.pdf", PDF_BYTES + b"0" * 2000)
    assert "MB" in message(e.value, "file")


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.jpg",
        "..\\boot.ini.png",
        "/tmp/x.jpg",
        "C:photo.jpg",
        ".hidden.jpg",
        "a\x00.jpg",
        "dir/x.jpg",
    ],
)
def test_a_name_with_a_path_is_refused(name):
    with pytest.raises(ValidationError) as e:
        uploads.clean_content(name, png_bytes())
    assert "文件名" in message(e.value, "file")


@pytest.mark.parametrize("name", ["身份证.jpg", "户口簿 第1页.png", "scan (2).pdf", "a..b.jpg"])
def test_ordinary_names_are_kept(name):
    content = PDF_BYTES if name.endswith(".pdf") else png_bytes()
    assert uploads.clean_content(name, content)[0] == name


def test_a_large_photo_is_downscaled_and_its_exif_dropped():
    import io

    from PIL import Image

    big = jpeg_bytes((4000, 3000))
    _, content, kind = uploads.clean_content("photo.jpg", big)
    image = Image.open(io.BytesIO(content))
    assert kind == "image/jpeg" and max(image.size) == 2000 and image.size == (2000, 1500)
    assert not image.getexif()


def test_an_unreadable_image_is_refused():
    with pytest.raises(ValidationError) as e:
        uploads.clean_content("x.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    assert "图片" in message(e.value, "file")


def refuse_all(name, content):
    raise ValidationError({"file": ["病毒扫描：发现威胁。"]})


def test_the_scanner_hook_sees_each_file_and_can_refuse_it(settings):
    settings.BIANMIN_UPLOAD_SCANNER = "bianmin.portal.tests.test_services.refuse_all"
    with pytest.raises(ValidationError) as e:
        uploads.clean_content("a.pdf", PDF_BYTES)
    assert "病毒" in message(e.value, "file")


# --- Drafts and the online application -----------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_draft_keeps_its_files_and_survives_a_bad_upload(citizen, muchang, online_item):
    app = services.start_application(citizen, item=online_item, center=muchang)
    services.save_application(citizen, app, note="本人申领")
    m = materials(online_item)
    services.add_file(
        citizen, app, material=m["居民身份证"], uploaded=upload("身份证.jpg", jpeg_bytes())
    )
    with pytest.raises(ValidationError):
        services.add_file(
            citizen, app, material=m["户口簿"], uploaded=upload("户口簿.jpg", b"not an image")
        )
    app.refresh_from_db()
    assert app.note == "本人申领" and app.files.count() == 1
    assert services.start_application(citizen, item=online_item, center=muchang) == app


def test_an_item_without_the_online_channel_cannot_be_applied_for(citizen, muchang, online_item):
    online_item.channel_online = False
    online_item.save()
    with pytest.raises(ValidationError) as e:
        services.start_application(citizen, item=online_item, center=muchang)
    assert "网上" in message(e.value, "item")


def test_a_center_that_does_not_handle_the_item_is_refused(citizen, maotanchang, online_item):
    with pytest.raises(ValidationError) as e:
        services.start_application(citizen, item=online_item, center=maotanchang)
    assert "毛坦厂" in message(e.value, "center")


def test_someone_elses_draft_cannot_be_touched(citizen, muchang, online_item, make_user):
    app = services.start_application(citizen, item=online_item, center=muchang)
    other = make_user("citizen")
    with pytest.raises(PermissionDenied):
        services.save_application(other, app, note="x")


def test_submitting_needs_at_least_one_material(citizen, muchang, online_item):
    app = services.start_application(citizen, item=online_item, center=muchang)
    with pytest.raises(ValidationError):
        services.submit_application(citizen, app)


def test_submitting_creates_a_received_online_case_with_the_uploads(
    citizen, clerk, muchang, online_item
):
    app = services.start_application(citizen, item=online_item, center=muchang)
    m = materials(online_item)
    services.add_file(
        citizen, app, material=m["居民身份证"], uploaded=upload("身份证.jpg", jpeg_bytes())
    )
    services.add_file(citizen, app, material=m["户口簿"], uploaded=upload("户口簿.pdf", PDF_BYTES))
    case = services.submit_application(citizen, app)
    assert case.state == "received" and case.channel == "online" and case.center == muchang
    assert case.person == citizen.person and case.received_by is None
    statuses = {line["name"]: line["status"] for line in case.checklist}
    assert statuses == {
        "居民身份证": "provided",
        "户口簿": "provided",
        "近期免冠照片": "not_needed",
    }
    files = MaterialFile.objects.filter(case=case)
    assert files.count() == 2 and {f.source for f in files} == {"upload"}
    assert set(case.events.values_list("channel", flat=True)) == {"online"}
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.case == case
    assert DraftFile.objects.filter(application=app).count() == 2
    # the identity number was read (to open the case) and the reading is logged
    assert PersonalDataAccess.objects.filter(person=citizen.person, viewer=citizen).exists()
    # the clerk hears of it in the app
    assert case.notifications.filter(user=clerk, kind="online_application").exists()
    with pytest.raises(ValidationError):
        services.save_application(citizen, app, note="changed after submitting")


def test_the_one_time_notice_is_answered_online_and_the_case_accepted(submitted, citizen, clerk):
    m = materials(submitted.item)
    cases.update_checklist(
        clerk,
        submitted,
        [cases.LineIn(material=m["户口簿"], status="missing", reason="未上传户口簿")],
    )
    cases.issue_notice(clerk, submitted)
    with pytest.raises(ValidationError):
        services.answer_notice(
            citizen,
            Case.objects.get(pk=submitted.pk),
            {m["户口簿"]: [upload("户口簿.txt", b"hello")]},
        )
    assert Case.objects.get(pk=submitted.pk).state == "notice_issued"
    with pytest.raises(ValidationError):  # a material the notice did not ask for
        services.answer_notice(
            citizen, submitted, {m["近期免冠照片"]: [upload("照片.png", png_bytes())]}
        )
    case = services.answer_notice(
        citizen, submitted, {m["户口簿"]: [upload("户口簿.png", png_bytes())]}
    )
    assert case.state == "received"
    assert case.events.filter(action="record_correction", channel="online").exists()
    case = cases.accept(clerk, case)
    assert case.state == "accepted"


def test_answering_is_refused_when_no_notice_is_open(submitted, citizen):
    m = materials(submitted.item)
    with pytest.raises(ValidationError):
        services.answer_notice(
            citizen, submitted, {m["户口簿"]: [upload("户口簿.png", png_bytes())]}
        )


def test_only_the_applicant_answers_the_notice(submitted, clerk, make_user):
    other = make_user("citizen")
    with pytest.raises(PermissionDenied):
        services.answer_notice(other, submitted, {})


def test_more_than_sixty_codes_an_hour_from_one_address_are_refused(divisions):
    for i in range(60):
        services.request_code(f"1370000{i:04d}", ip="10.3.3.3")
    with pytest.raises(ValidationError) as e:
        services.request_code("13700009999", ip="10.3.3.3")
    assert "过于频繁" in message(e.value, "mobile")
    services.request_code("13700009999", ip="10.3.3.4")  # another address is not affected
