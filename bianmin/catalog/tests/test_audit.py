"""The guide audit: completeness and accuracy findings, scores per item / center / county,
checks plugged in by other apps, the command and the Excel export."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from bianmin.catalog import audit
from bianmin.catalog.models import AuditFinding, GuideVersion, Material
from bianmin.catalog.reports import findings_workbook, run_findings, scores
from bianmin.org.models import Center

pytestmark = pytest.mark.django_db


@pytest.fixture
def tidy_centers(catalogue):
    """Every center's record complete, so that only the guides' findings remain."""
    Center.objects.update(address="镇政府一楼", phone="0564-3330000", complaint_phone="12345")


def codes(result, item=None):
    return sorted(f.code for f in result.findings if item is None or f.item == item)


def test_complete_guides_at_complete_centers_score_well(tidy_centers, catalogue):
    result = audit.run_audit()
    assert {f.code for f in result.findings} <= {"form_without_blank", "no_faq"}
    assert result.item_scores[catalogue["000108014000"].pk] == 98.0  # one form without a blank
    assert result.run.items_checked == 4 and result.run.centers_checked == 140
    assert all(score >= 94 for score in result.center_scores.values())


def test_an_incomplete_guide_appears_with_what_it_lacks(tidy_centers, published):
    GuideVersion.objects.filter(pk=published.pk).update(conditions="", result_name="")
    result = audit.run_audit()
    found = [f for f in result.findings if f.item == published.item and f.severity == "error"]
    assert sorted(f.message for f in found) == ["受理条件：此要素必填。", "结果名称：此要素必填。"]
    assert result.item_scores[published.item.pk] == 100 - 2 * 25 - 2


def test_accuracy_problems_are_found(tidy_centers, published):
    GuideVersion.objects.filter(pk=published.pk).update(promised_days=30, allows_deferral=False)
    Material.objects.filter(guide=published, name="户口簿").update(paper_copies=0)
    published.fees.create(name="工本费", standard="10元")
    result = audit.run_audit()
    item_codes = codes(result, published.item)
    assert "promised_over_statutory" in item_codes
    assert "fee_without_basis" in item_codes
    assert "material_without_copies" in item_codes
    assert "deferral_forbidden" in item_codes
    message = next(f.message for f in result.findings if f.code == "promised_over_statutory")
    assert message == "承诺时限：承诺30个工作日，超过法定时限5个工作日。"


def test_a_guide_not_reviewed_for_12_months_is_flagged(tidy_centers, published):
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        result = audit.run_audit()
    stale = [f for f in result.findings if f.code == "not_reviewed_12_months"]
    assert len(stale) == 4 and "已超过12个月未复核" in stale[0].message


def test_a_centers_incomplete_or_malformed_record_is_a_finding(catalogue, muchang):
    Center.objects.exclude(pk=muchang.pk).update(
        address="x", phone="0564-3330000", complaint_phone="12345"
    )
    Center.objects.filter(pk=muchang.pk).update(address="", phone="3330000", complaint_phone="")
    result = audit.run_audit()
    mine = sorted((f.code, f.message) for f in result.findings if f.center == muchang)
    assert mine == [
        ("center_malformed_phone", "中心的咨询电话“3330000”不是规范的电话号码。"),
        (
            "center_record_incomplete",
            "中心信息缺少地址、投诉电话：在本中心展示或打印的办事指南将缺少这些内容。",
        ),
    ]
    assert result.center_scores[muchang.pk] < min(
        s for pk, s in result.center_scores.items() if pk != muchang.pk
    )


def test_an_entered_item_without_a_published_guide_is_a_finding(tidy_centers, published, muchang):
    GuideVersion.objects.filter(pk=published.pk).update(state="retired")
    result = audit.run_audit()
    assert result.item_scores[published.item.pk] == 0
    found = [f for f in result.findings if f.center == muchang and f.item == published.item]
    assert [f.code for f in found] == ["entered_without_guide"]


def test_a_plugged_in_check_runs_with_the_audit(tidy_centers, catalogue, muchang):
    seen = []

    def unserved(center):
        seen.append(center)
        yield audit.Finding(
            catalogue["MZ0001"],
            muchang,
            AuditFinding.Severity.ERROR,
            "hall_unserved_item",
            "无窗口办理",
        )

    audit.register_check(unserved)
    audit.register_check(unserved)  # registering twice is harmless
    try:
        result = audit.run_audit()
    finally:
        audit._CHECKS.remove(unserved)
    assert seen == [None]
    assert [f.code for f in result.findings if f.center == muchang] == ["hall_unserved_item"]
    assert (
        result.center_scores[muchang.pk]
        < result.center_scores[Center.objects.exclude(pk=muchang.pk).first().pk]
    )


def test_a_county_audit_checks_that_countys_centers(tidy_centers, catalogue, muchang):
    county = muchang.region.parent
    result = audit.run_audit(region=county)
    assert result.run.centers_checked == Center.objects.filter(region__parent=county).count()
    assert list(result.county_scores) == [county.pk]


def test_scores_and_findings_read_back_by_scope(catalogue, muchang, maotanchang):
    result = audit.run_audit()
    table = scores(result.run)
    assert len(table["centers"]) == 140 and len(table["counties"]) == 7
    mine = run_findings(result.run, center=muchang)
    assert {f.center_id for f in mine} <= {muchang.pk, None}
    assert not run_findings(result.run, center=muchang).filter(center=maotanchang).exists()


def test_the_findings_export_to_excel(catalogue):
    result = audit.run_audit()
    wb = load_workbook(io.BytesIO(findings_workbook(result.run)))
    assert wb.sheetnames == ["问题清单", "得分", "说明"]
    rows = list(wb["问题清单"].iter_rows(values_only=True))
    assert rows[0] == ("类别", "规则", "县", "中心", "基本编码", "事项", "问题")
    assert len(rows) - 1 == len(result.findings)


def test_the_command_runs_the_audit_with_progress_and_export(catalogue, tmp_path):
    out = io.StringIO()
    target = tmp_path / "findings.xlsx"
    call_command("audit_guides", "--export", str(target), stdout=out)
    text = out.getvalue()
    assert "audit [" in text and "4 items, 140 centers" in text
    assert target.exists() and load_workbook(target).sheetnames[0] == "问题清单"
