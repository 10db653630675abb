"""Printed notices (real PDFs in Chinese with the case number, center, dates, clerk and a QR code),
materials on file (outside the web root, by checksum, never altered) and the case file (卷宗)."""

import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from bianmin.cases import files, notices, services
from bianmin.cases.models import MaterialFile

from .conftest import WANG_ID, all_provided, at, materials_of, pledge, pledge_lines

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00"
    b"IEND\xaeB`\x82"
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def pledged(open_wang, clerk, old_age):
    case = open_wang(lines=pledge_lines(old_age))
    return services.accept(
        clerk, case, pledge=pledge(dt.date(2026, 3, 6)), now=at(2026, 3, 3, 9, 30)
    )


def test_the_acceptance_notice_is_a_chinese_pdf_with_number_center_dates_and_clerk(pledged):
    pdf = notices.notice_pdf(pledged, "acceptance")
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in (
        "受理通知书",
        pledged.number,
        "木厂镇便民服务中心",
        "2026年3月3日",
        "张敏",
        "高龄津贴申领",
        "扫码查询办理进度",
    ):
        assert expected in text, expected
    assert WANG_ID not in text


def test_the_notice_carries_a_qr_code_to_the_progress_page(pledged):
    html = notices.notice_html(pledged, "acceptance", base_url="https://bianmin.example.gov.cn/")
    assert "data:image/svg+xml" in html
    assert notices.progress_url(pledged, "https://bianmin.example.gov.cn/") == (
        f"https://bianmin.example.gov.cn/cases/p/{pledged.progress_token}/"
    )


def test_the_pledge_and_the_deferral_notice_name_the_material_and_the_date(pledged):
    pledge_text = text_of(notices.notice_pdf(pledged, "pledge"))
    assert "容缺受理承诺书" in pledge_text and "本人银行卡（复印件）" in pledge_text
    assert "2026年3月6日" in pledge_text
    assert "容缺受理通知书" in text_of(notices.notice_pdf(pledged, "deferral"))


def test_every_kind_of_notice_renders(open_wang, clerk, officer, manager, old_age):
    ids = materials_of(old_age)
    rejected = open_wang(lines=all_provided(old_age, 户口簿=("missing", "未携带户口簿")))
    services.issue_notice(clerk, rejected, now=at(2026, 3, 3))
    services.reject(
        clerk, rejected, reason="申请人未满80周岁", legal_basis="《办法》第三条", now=at(2026, 3, 4)
    )
    assert "一次性告知书" in text_of(notices.notice_pdf(rejected, "one_time", 1))
    assert "未携带户口簿" in text_of(notices.notice_pdf(rejected, "one_time", 1))
    assert "不予受理通知书" in text_of(notices.notice_pdf(rejected, "rejection"))

    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3))
    services.request_extension(clerk, case, days=5, reason="需实地核查", now=at(2026, 3, 10))
    services.approve_extension(manager, case, now=at(2026, 3, 10))
    services.claim(officer, case, now=at(2026, 3, 11))
    services.complete_step(officer, case, now=at(2026, 3, 11))
    case = services.deny(
        officer, case, reason="户籍不在本镇", legal_basis="《办法》第二条", now=at(2026, 3, 12)
    )
    extension = text_of(notices.notice_pdf(case, "extension"))
    assert (
        "延期办理通知书" in extension
        and "2026年3月24日" in extension
        and "2026年3月10日" in extension
    )
    denial = text_of(notices.notice_pdf(case, "denial"))
    assert "不予决定书" in denial and "户籍不在本镇" in denial and "行政复议" in denial
    assert "2026年3月12日" in denial
    assert ids


def test_a_scan_is_stored_outside_the_web_root_by_checksum(pledged, clerk, old_age, settings):
    record = services.attach_file(
        clerk,
        pledged,
        content=PNG,
        name="户口簿.png",
        material=materials_of(old_age)["户口簿"],
        now=at(2026, 3, 3, 9, 40),
    )
    path = files.root() / record.path
    assert path.exists() and not str(path).startswith(str(settings.MEDIA_ROOT))
    assert record.sha256 in record.path and record.size == len(PNG)
    assert not os.access(path, os.W_OK) or os.geteuid() == 0
    assert files.read(record.path, record.sha256) == PNG
    assert pledged.events.filter(action="attach_file", data__sha256=record.sha256).exists()


def test_a_file_on_file_is_never_altered(pledged, clerk):
    record = services.attach_file(clerk, pledged, content=PNG, name="scan.png", now=at(2026, 3, 3))
    record.name = "other.png"
    with pytest.raises(ValidationError):
        record.save()
    os.chmod(files.root() / record.path, 0o640)
    (files.root() / record.path).write_bytes(PNG + b"tampered")
    with pytest.raises(ValidationError):
        files.read(record.path, record.sha256)


def test_only_pdf_and_images_are_filed(pledged, clerk):
    with pytest.raises(ValidationError) as e:
        services.attach_file(
            clerk, pledged, content=b"MZ\x90\x00", name="virus.exe", now=at(2026, 3, 3)
        )
    assert "PDF" in e.value.message_dict["file"][0]
    assert not MaterialFile.objects.exists()


def test_the_case_file_exports_as_one_pdf_with_notices_events_and_materials(pledged, clerk):
    services.attach_file(clerk, pledged, content=PNG, name="户口簿.png", now=at(2026, 3, 3))
    services.attach_file(
        clerk,
        pledged,
        content=notices.notice_pdf(pledged, "pledge"),
        name="承诺书扫描.pdf",
        now=at(2026, 3, 3),
    )
    pdf = notices.archive_pdf(pledged)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in (
        "受理通知书",
        "容缺受理承诺书",
        "办理记录",
        "归档材料",
        pledged.number,
        pledged.event_head,
    ):
        assert expected in text, expected
    assert "承诺书扫描.pdf" in "".join(reader.attachments)


def test_opening_a_scan_or_exporting_the_case_file_is_written_to_the_access_log(
    pledged, clerk, client
):
    from bianmin.identity.models import PersonalDataAccess

    record = services.attach_file(
        clerk, pledged, content=PNG, name="身份证.png", now=at(2026, 3, 3)
    )
    client.force_login(clerk)
    assert client.get(f"/cases/{pledged.number}/files/{record.pk}/").content == PNG
    assert client.get(f"/cases/{pledged.number}/archive.pdf").status_code == 200
    api = client.get(f"/api/v1/cases/{pledged.number}/archive.pdf")
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    rows = list(PersonalDataAccess.objects.order_by("id"))
    assert [(r.viewer_id, r.person_id, r.field) for r in rows] == [
        (clerk.pk, pledged.person_id, "document")
    ] * 3
    assert "身份证.png" in rows[0].purpose and pledged.number in rows[1].purpose
    assert rows[0].ip_address == "127.0.0.1"
