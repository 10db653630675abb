"""Excel import and export: one sheet per table, every error by sheet/row/column, all or nothing,
and export → import reproduces the catalogue exactly."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from bianmin.catalog import excel, services
from bianmin.catalog.content import catalogue_data, normalize_catalogue
from bianmin.catalog.models import (
    Bundle,
    CatalogEvent,
    Domain,
    GuideVersion,
    ItemEntry,
    LifeEvent,
    ServiceItem,
)
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db


def edit(content: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def wipe_catalogue():
    ItemEntry.objects.all().delete()
    CatalogEvent.objects.all().delete()
    Bundle.objects.all().delete()
    GuideVersion.objects.all().delete()
    ServiceItem.objects.all().delete()
    LifeEvent.objects.all().delete()
    Domain.objects.all().delete()


def cell_values(content: bytes) -> dict:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_export_then_import_reproduces_the_catalogue_exactly(catalogue, county_supervisor):
    services.cancel_item(county_supervisor, catalogue["CL0001"], reason="划转县级办理")
    services.update_item(county_supervisor, catalogue["MZ0001"], {"keywords": "低保、最低生活保障"})
    before = catalogue_data()
    first = excel.export_workbook()
    wipe_catalogue()
    outcome = services.import_workbook(county_supervisor, first, filename="清单.xlsx")
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.result.items_created == 4 and outcome.result.items_cancelled == 0
    after = catalogue_data()
    assert after == before
    assert cell_values(excel.export_workbook()) == cell_values(first)
    cancelled = ServiceItem.objects.get(basic_code="CL0001")
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "划转县级办理"
    assert not GuideVersion.objects.filter(item=cancelled, state="published").exists()


def test_importing_the_same_workbook_again_changes_nothing(catalogue, county_supervisor):
    content = excel.export_workbook()
    events = CatalogEvent.objects.count()
    outcome = services.import_workbook(county_supervisor, content)
    assert outcome.ok and not outcome.result.changed
    assert CatalogEvent.objects.count() == events


def test_a_changed_guide_is_published_as_a_new_version(catalogue, county_supervisor, published):
    content = edit(excel.export_workbook(), {"指南": {"E2": 2}})  # 承诺时限 of the first item
    outcome = services.import_workbook(county_supervisor, content, filename="修订.xlsx")
    assert outcome.ok and outcome.result.guides_published == 1
    published.refresh_from_db()
    assert published.state == "retired"
    new = GuideVersion.objects.get(item=published.item, state="published")
    assert new.number == 2 and new.promised_days == 2 and new.change_note == "Excel导入 修订.xlsx"


def test_every_error_is_reported_by_sheet_row_and_column_and_nothing_changes(
    catalogue, county_supervisor
):
    content = edit(
        excel.export_workbook(),
        {
            "事项": {"E3": "行政罚款", "C4": ""},
            "指南": {"E2": 99},
            "材料": {"F2": "复印件2", "G3": "两份"},
            "一件事事项": {"C3": "NOPE"},
        },
    )
    before = catalogue_data()
    outcome = services.import_workbook(county_supervisor, content)
    assert not outcome.ok
    texts = [str(e) for e in outcome.errors]
    assert texts == [
        "工作表“事项”第3行E列（事项类型）：“行政罚款”不在可选值中，应为：行政许可、行政确认、行政给付、行政裁决、行政奖励、其他行政权力、公共服务。",
        "工作表“事项”第4行C列（事项名称）：此单元格必填。",
        "工作表“指南”第2行E列（承诺时限（工作日））：不能超过法定时限（5个工作日）。",
        "工作表“材料”第2行F列（材料形式）：“复印件2”不在可选值中，应为：原件、复印件、原件和复印件、电子材料。",
        "工作表“材料”第3行G列（纸质份数）：“两份”不是整数。",
        "工作表“一件事事项”第3行C列（基本编码）：没有基本编码为NOPE的事项。",
    ]
    assert catalogue_data() == before


def test_a_missing_sheet_or_column_is_named(catalogue, county_supervisor):
    wb = load_workbook(io.BytesIO(excel.export_workbook()))
    del wb["常见问题"]
    wb["收费"].delete_cols(4)
    out = io.BytesIO()
    wb.save(out)
    texts = [str(e) for e in services.import_workbook(county_supervisor, out.getvalue()).errors]
    assert "工作表“收费”第1行：缺少列：收费标准。" in texts
    assert "工作表“常见问题”：缺少这张工作表。" in texts


def test_a_file_that_is_not_a_workbook_is_refused(county_supervisor, catalogue):
    outcome = services.import_workbook(county_supervisor, b"name,code\n")
    assert [str(e) for e in outcome.errors] == ["工作表“文件”：这不是Excel（.xlsx）文件。"]


def test_choices_accept_codes_and_yes_no_words(catalogue, county_supervisor):
    content = edit(excel.export_workbook(), {"事项": {"I2": "low", "L2": "否"}})
    assert services.import_workbook(county_supervisor, content).ok
    item = ServiceItem.objects.get(basic_code="000108014000")
    assert item.frequency == "low" and item.supports_appointment is False


def test_a_new_item_in_the_workbook_is_added(catalogue, county_supervisor):
    data = normalize_catalogue(catalogue_data())
    new = dict(data["items"][0], basic_code="000108016000", name="城乡居民养老保险注销登记")
    data["items"].append(new)
    outcome = services.import_workbook(county_supervisor, excel.export_workbook(data))
    assert outcome.ok and outcome.result.items_created == 1
    added = ServiceItem.objects.get(basic_code="000108016000")
    assert added.guide_versions.get().state == "published"
    assert CatalogEvent.objects.filter(kind="item_added", item=added).exists()


def test_the_template_documents_every_sheet(catalogue):
    wb = load_workbook(io.BytesIO(excel.export_workbook(template_only=True)))
    assert wb.sheetnames == ["说明", *[s.name for s in excel.SHEETS]]
    readme = [r[1] for r in wb["说明"].iter_rows(values_only=True)]
    assert "承诺时限（工作日）" in readme and "材料形式" in readme
    assert wb["材料"].max_row == 1


def test_text_that_looks_like_a_formula_stays_text(catalogue, county_supervisor, pension):
    services.update_item(county_supervisor, pension, {"keywords": "=HYPERLINK(1)"})
    wb = load_workbook(io.BytesIO(excel.export_workbook()))
    cell = next(c for c in wb["事项"][2] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_only_editors_import(make_user, muchang, catalogue):
    manager = make_user(Role.CENTER_MANAGER, center=muchang)
    with pytest.raises(PermissionDenied):
        services.import_workbook(manager, excel.export_workbook())


def test_an_empty_workbook_with_the_right_sheets_changes_nothing(catalogue, county_supervisor):
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    outcome = services.import_workbook(county_supervisor, out.getvalue())
    assert not outcome.ok and len(outcome.errors) == len(excel.SHEETS)


def test_a_cancelled_item_is_neither_restored_nor_changed_by_an_import(
    catalogue, county_supervisor, pension
):
    services.cancel_item(county_supervisor, pension, reason="合并")
    content = excel.export_workbook()
    restored = edit(content, {"事项": {"R2": "在用"}})
    texts = [str(e) for e in services.import_workbook(county_supervisor, restored).errors]
    assert texts == ["工作表“事项”第2行R列（事项状态）：该事项已取消，不能通过导入恢复。"]
    renamed = edit(content, {"事项": {"C2": "新名称"}})
    texts = [str(e) for e in services.import_workbook(county_supervisor, renamed).errors]
    assert texts == ["工作表“事项”第2行C列（事项名称）：该事项已取消，不能再修改。"]
    assert services.import_workbook(county_supervisor, content).ok
