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
    assert rows[0] == ("类别", "规则", "县区", "中心", "基本编码", "事项", "问题", "规则代码")
    assert len(rows) - 1 == len(result.findings)


def test_the_command_runs_the_audit_with_progress_and_export(catalogue, tmp_path):
    out = io.StringIO()
    target = tmp_path / "findings.xlsx"
    call_command("audit_guides", "--export", str(target), stdout=out)
    text = out.getvalue()
    assert "audit [" in text and "4 items, 140 centers" in text
    assert target.exists() and load_workbook(target).sheetnames[0] == "问题清单"


def test_an_older_delegated_entry_of_a_forwarded_item_is_flagged(tidy_centers, catalogue, muchang):
    """Entered before the rule refused it: the audit shows it until the mode is changed."""
    from bianmin.catalog.models import ItemEntry

    ItemEntry.objects.filter(center=muchang, item=catalogue["MZ0001"]).update(mode="delegated")
    result = audit.run_audit(region=muchang.region)
    found = [f for f in result.findings if f.code == "forwarded_entered_as_delegated"]
    assert [(f.center, f.item.basic_code) for f in found] == [(muchang, "MZ0001")]
    assert found[0].message == (
        "“最低生活保障对象认定”转报县级审批，却以集中授权进驻本中心：请把进驻方式改为帮办代办或委托办理。"
    )


def _sheet_rows(content: bytes, sheet: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True))


def test_the_export_names_each_rule_in_chinese_and_fills_the_county(catalogue, muchang):
    Center.objects.filter(pk=muchang.pk).update(address="", phone="3330000")
    result = audit.run_audit()
    rows = _sheet_rows(findings_workbook(result.run), "问题清单")
    assert rows[0] == ("类别", "规则", "县区", "中心", "基本编码", "事项", "问题", "规则代码")
    body = rows[1:]
    assert len(body) == len(result.findings) > 0
    by_code = {r[7]: r for r in body if r[3] in ("木厂镇便民服务中心", "所有中心")}
    # the rule's name, not its code
    assert by_code["center_record_incomplete"][1] == "中心信息不全"
    assert by_code["center_malformed_phone"][1] == "咨询电话格式有误"
    assert by_code["no_faq"][1] == "未提供常见问题"
    assert all(r[1] and r[1] != r[7] and not r[1].isascii() for r in body)
    # the county: the center's, or for a guide's finding (every center) all counties
    assert by_code["center_record_incomplete"][2:4] == ("金安区", "木厂镇便民服务中心")
    assert by_code["no_faq"][2:4] == ("全部县区", "所有中心")
    assert all(r[2] for r in body)


def test_a_county_export_names_its_county_on_every_row(catalogue, muchang):
    county = muchang.region.parent
    result = audit.run_audit(region=county)
    rows = _sheet_rows(findings_workbook(result.run, region=county), "问题清单")[1:]
    assert rows and {r[2] for r in rows} == {"金安区"}


def test_a_missing_element_is_named_after_the_element(tidy_centers, published):
    GuideVersion.objects.filter(pk=published.pk).update(conditions="")
    result = audit.run_audit()
    rows = _sheet_rows(findings_workbook(result.run), "问题清单")[1:]
    assert ("要素缺失：受理条件", "missing_conditions") in {(r[1], r[7]) for r in rows}


def test_the_scores_sheet_counts_findings_under_a_clear_title(catalogue):
    result = audit.run_audit()
    content = findings_workbook(result.run)
    assert _sheet_rows(content, "得分")[0] == ("层级", "名称", "得分", "问题数")


def test_every_rule_the_audit_can_report_has_a_chinese_name(db):
    for code in audit.RULE_NAMES:
        assert not audit.rule_name(code).isascii(), code
    assert audit.rule_name("hall_unserved_item") == "进驻事项无窗口受理"
