"""The catalogue in Excel (openpyxl): one sheet per table, Chinese column titles, all or nothing.

The template is a data format, like the seed file's keys: its sheet and column titles and the
words it accepts for each choice are fixed Chinese (``SHEETS``), documented in the workbook's own
“说明” sheet and in docs/catalog.md. Import accepts a choice's Chinese word or its code.

Import reads every sheet, checks every row with the same rules as the pages (``rules``) and
reports every problem by sheet, row and column. A workbook with any problem changes nothing.
Export then import reproduces the catalogue exactly (a test keeps it so).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import rules
from .content import catalogue_data, normalize_catalogue

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Choice words of the template (code → Chinese word).
CHOICES: dict[str, dict[str, str]] = {
    "window_group": {
        "social_security": "社保类综合窗口",
        "social_assistance": "社会救助类综合窗口",
        "other": "其他",
    },
    "item_type": {
        "administrative_license": "行政许可",
        "administrative_confirmation": "行政确认",
        "administrative_payment": "行政给付",
        "administrative_ruling": "行政裁决",
        "administrative_reward": "行政奖励",
        "other_administrative_power": "其他行政权力",
        "public_service": "公共服务",
    },
    "handling_level": {"township": "乡镇", "county": "县级"},
    "frequency": {"high": "高频", "low": "低频", "seasonal": "阶段性", "forwarded": "转报"},
    "cross_region": {"": "无", "cross_province": "跨省通办", "yangtze_delta": "长三角一网通办"},
    "status": {"active": "在用", "cancelled": "已取消"},
    "service_object": {"person": "自然人", "organisation": "法人"},
    "channels": {"window": "窗口", "online": "网上", "kiosk": "自助终端", "post": "邮寄"},
    "result_type": {
        "": "",
        "certificate": "证照",
        "approval_document": "批文",
        "record": "登记备案",
        "payment": "给付",
        "other": "其他",
    },
    "necessity": {"required": "必要", "conditional": "特定情形", "optional": "非必要"},
    "form": {
        "": "",
        "original": "原件",
        "copy": "复印件",
        "original_and_copy": "原件和复印件",
        "electronic": "电子材料",
    },
    "source_channel": {"applicant": "申请人自备", "government": "政府部门核发", "other": "其他"},
}
YES, NO = "是", "否"
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text | int | bool | choice | list | datetime
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help: str

    def titles(self) -> list[str]:
        return [c.title for c in self.columns]


C = Column
DOMAINS = Sheet(
    "领域",
    (
        C("code", "领域代码", required=True, help="小写字母、数字和下划线，如 renshe"),
        C("name", "简称", required=True, help="窗口上用的简称，如 人社；与部门的领域一致"),
        C("full_name", "全称", required=True),
        C(
            "department_suffix",
            "县级部门后缀",
            help="县级部门名 = 县区名 + 后缀，如 人力资源和社会保障局",
        ),
        C("window_group", "窗口分组", "choice", True),
    ),
    "每行一个领域。",
)
ITEMS = Sheet(
    "事项",
    (
        C("basic_code", "基本编码", required=True, help="不超过12位的字母数字，唯一"),
        C("implementation_code", "实施编码", help="不超过36位"),
        C("name", "事项名称", required=True),
        C("domain", "领域代码", required=True, help="“领域”表中的领域代码"),
        C("item_type", "事项类型", "choice", True),
        C("legal_basis", "设定依据", required=True),
        C("implementing_body", "实施主体"),
        C("handling_level", "行使层级", "choice", True),
        C("frequency", "频次分类", "choice", True),
        C("service_object", "服务对象", "list", True),
        C("channels", "办理渠道", "list", True),
        C("supports_appointment", "支持预约", "bool"),
        C("supports_express", "支持快递", "bool"),
        C("supports_online_payment", "支持网上支付", "bool"),
        C("cross_region", "通办范围", "choice"),
        C("life_events", "人生事件", "list", help="用“、”分隔，如 退休、新生儿出生"),
        C("keywords", "其他名称", help="群众常用的叫法，用“、”分隔，如 低保"),
        C("status", "事项状态", "choice", True),
        C("cancelled_at", "取消时间", "datetime", help="已取消的事项必填，如 2026-03-01 09:00:00"),
        C("cancel_reason", "取消原因", help="已取消的事项必填"),
    ),
    "每行一个事项。不在表中的事项保持不变；取消事项请填写事项状态、取消时间和取消原因。",
)
GUIDES = Sheet(
    "指南",
    (
        C("basic_code", "基本编码", required=True),
        C("guide_version", "版本号", "int", help="导出时填写；导入新事项时作为版本号"),
        C("conditions", "受理条件", required=True),
        C("statutory_days", "法定时限（工作日）", "int"),
        C("promised_days", "承诺时限（工作日）", "int", True, help="不超过法定时限；0 表示即办"),
        C("time_limit_note", "时限说明", help="法律未规定法定时限时在此说明"),
        C("allows_deferral", "允许容缺受理", "bool"),
        C("visits", "到现场次数", "int", True),
        C("result_type", "结果类型", "choice", True),
        C("result_name", "结果名称", required=True),
        C("result_sample", "结果样本文件"),
        C("online_url", "网上办理地址"),
    ),
    "每个事项一行：现行发布的办事指南。内容与现行版本不同的，导入后发布为新版本，旧版本废止。",
)
MATERIALS = Sheet(
    "材料",
    (
        C("basic_code", "基本编码", required=True),
        C("order", "序号", "int"),
        C("name", "材料名称", required=True),
        C("necessity", "必要性", "choice", True),
        C("condition_note", "适用情形", help="必要性为“特定情形”时必填"),
        C("form", "材料形式", "choice", True),
        C("paper_copies", "纸质份数", "int", help="要求复印件时至少1份"),
        C("specification", "纸质规格"),
        C("source_channel", "来源渠道", "choice", True),
        C("source_note", "来源说明"),
        C("acceptance_standard", "受理标准"),
        C("basis", "要求提供材料的依据"),
        C("notes", "填报须知"),
        C("deferrable", "可容缺后补", "bool"),
        C("blank_form", "空白表格文件"),
        C("sample", "示例样表文件"),
    ),
    "每行一项申请材料，按序号排列。",
)
STEPS = Sheet(
    "环节",
    (
        C("basic_code", "基本编码", required=True),
        C("order", "序号", "int"),
        C("name", "环节名称", required=True),
        C("special", "特别程序", "bool", help="公示、鉴定等特别程序填“是”"),
        C("days", "时限（工作日）", "int"),
        C("counts_in_limit", "计入法定时限", "bool", help="仅特别程序填写"),
        C("description", "环节说明"),
    ),
    "每行一个办理环节或特别程序，按序号排列。",
)
FEES = Sheet(
    "收费",
    (
        C("basic_code", "基本编码", required=True),
        C("order", "序号", "int"),
        C("name", "收费项目", required=True),
        C("standard", "收费标准", required=True),
        C("basis", "收费依据", required=True),
        C("exemption", "减免说明"),
    ),
    "不收费的事项在此表没有行。",
)
FAQS = Sheet(
    "常见问题",
    (
        C("basic_code", "基本编码", required=True),
        C("order", "序号", "int"),
        C("question", "问题", required=True),
        C("answer", "解答", required=True),
    ),
    "每行一个问答。",
)
BUNDLES = Sheet(
    "一件事",
    (
        C("code", "代码", required=True, help="小写字母、数字和下划线，如 newborn"),
        C("name", "名称", required=True),
        C("life_event", "人生事件", required=True),
        C("description", "说明"),
    ),
    "每行一件“一件事”。",
)
BUNDLE_ITEMS = Sheet(
    "一件事事项",
    (
        C("bundle", "一件事代码", required=True),
        C("order", "序号", "int"),
        C("basic_code", "基本编码", required=True),
    ),
    "每行一件事中的一个事项，每件事至少两个事项。",
)
SHEETS = (DOMAINS, ITEMS, GUIDES, MATERIALS, STEPS, FEES, FAQS, BUNDLES, BUNDLE_ITEMS)
README_SHEET = "说明"


@dataclass(frozen=True)
class ExcelError:
    sheet: str
    row: int | None
    column: str | None  # letter
    title: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("Sheet “%(sheet)s”: %(message)s") % {
                "sheet": self.sheet,
                "message": self.message,
            }
        if self.column is None:
            return _("Sheet “%(sheet)s”, row %(row)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s (%(title)s): %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "title": self.title,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "title": self.title,
            "message": self.message,
            "text": str(self),
        }


# --- Export -------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5EE")


def _cell_value(column: Column, value: Any) -> Any:
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "choice":
        return CHOICES[column.key].get(value or "", value or "")
    if column.kind == "list":
        words = CHOICES.get(column.key)
        return LIST_SEPARATOR.join(words.get(v, v) if words else v for v in value or [])
    if column.kind == "datetime":
        if value is None:
            return None
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if column.kind == "int":
        return value
    return value if value not in (None,) else ""


def _write_sheet(wb: Workbook, sheet: Sheet, rows: list[dict]) -> None:
    ws = wb.create_sheet(sheet.name)
    ws.append(sheet.titles())
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for row in rows:
        values = [_cell_value(c, row.get(c.key)) for c in sheet.columns]
        ws.append(values)
    for cell_row in ws.iter_rows(min_row=2):
        for cell in cell_row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        long_text = column.key in ("conditions", "legal_basis", "description", "answer", "notes")
        ws.column_dimensions[letter].width = 40 if long_text else max(10, len(column.title) * 2 + 2)
        if column.kind in ("choice", "bool"):
            words = (
                [YES, NO]
                if column.kind == "bool"
                else [w for w in CHOICES[column.key].values() if w]
            )
            validation = DataValidation(
                type="list", formula1='"' + ",".join(words) + '"', allow_blank=True
            )
            validation.error = "请从列表中选择"
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5000")
    ws.freeze_panes = "A2"


def _readme(wb: Workbook) -> None:
    ws = wb.active
    ws.title = README_SHEET
    ws.append(["便民 · 事项清单与办事指南 导入导出模板"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            "每张表第一行为列名，不要改动列名；行的顺序不限（同一事项的材料、环节等按“序号”排列）。"
            "导入时检查每一行，任何一处错误都会列出工作表、行和列，整个文件不导入。"
        ]
    )
    ws.append([])
    ws.append(["工作表", "列名", "必填", "可填的值", "说明"])
    for cell in ws[4]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for sheet in SHEETS:
        ws.append([sheet.name, "", "", "", sheet.help])
        ws.cell(ws.max_row, 1).font = _HEADER_FONT
        for column in sheet.columns:
            if column.kind == "choice":
                allowed = "、".join(w for w in CHOICES[column.key].values() if w)
            elif column.kind == "list" and column.key in CHOICES:
                allowed = "、".join(CHOICES[column.key].values()) + "（可多选，用“、”分隔）"
            elif column.kind == "bool":
                allowed = "是、否"
            elif column.kind == "int":
                allowed = "整数"
            elif column.kind == "datetime":
                allowed = "日期时间"
            else:
                allowed = ""
            ws.append(["", column.title, "是" if column.required else "", allowed, column.help])
    for letter, width in zip("ABCDE", (14, 22, 6, 48, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def rows_of(data: dict) -> dict[str, list[dict]]:
    """The catalogue dict as rows per sheet."""
    out: dict[str, list[dict]] = {s.name: [] for s in SHEETS}
    out[DOMAINS.name] = list(data["domains"])
    for item in data["items"]:
        code = item["basic_code"]
        out[ITEMS.name].append(item)
        guide = item.get("guide")
        if guide is None:
            continue
        out[GUIDES.name].append(
            {"basic_code": code, "guide_version": item.get("guide_version"), **guide}
        )
        for i, m in enumerate(guide["materials"], start=1):
            out[MATERIALS.name].append({"basic_code": code, "order": i, **m})
        order = 0
        for s in guide["steps"]:
            order += 1
            out[STEPS.name].append(
                {"basic_code": code, "order": order, "special": False, "counts_in_limit": True, **s}
            )
        for s in guide["special_steps"]:
            order += 1
            out[STEPS.name].append({"basic_code": code, "order": order, "special": True, **s})
        for i, f in enumerate(guide["fees"], start=1):
            out[FEES.name].append({"basic_code": code, "order": i, **f})
        for i, q in enumerate(guide["faq"], start=1):
            out[FAQS.name].append({"basic_code": code, "order": i, **q})
    for b in data["bundles"]:
        out[BUNDLES.name].append(b)
        for i, code in enumerate(b["items"], start=1):
            out[BUNDLE_ITEMS.name].append({"bundle": b["code"], "order": i, "basic_code": code})
    return out


def export_workbook(data: dict | None = None, *, template_only: bool = False) -> bytes:
    """The catalogue (or an empty template) as an .xlsx file."""
    data = data if data is not None else catalogue_data()
    rows = rows_of(data) if not template_only else {s.name: [] for s in SHEETS}
    wb = Workbook()
    _readme(wb)
    for sheet in SHEETS:
        _write_sheet(wb, sheet, rows[sheet.name])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Import -------------------------------------------------------------------------------------


@dataclass
class Parsed:
    data: dict
    errors: list[ExcelError]
    locations: dict[tuple, tuple[str, int, str | None, str | None]]

    def locate(self, path: tuple) -> tuple[str, int | None, str | None, str | None]:
        for n in range(len(path), 0, -1):
            found = self.locations.get(tuple(path[:n]))
            if found is not None:
                return found
        return (ITEMS.name, None, None, None)


class _CellError(Exception):
    pass


def _parse_cell(column: Column, raw: Any) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
    empty = raw is None or raw == ""
    if column.kind == "int":
        if empty:
            return None
        if isinstance(raw, bool):
            raise _CellError(_("must be a whole number."))
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int):
            return raw
        try:
            return int(str(raw))
        except ValueError:
            raise _CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from None
    if column.kind == "bool":
        if empty:
            return False
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in ("是", "y", "yes", "true", "1", "√"):
            return True
        if word in ("否", "n", "no", "false", "0", "×"):
            return False
        raise _CellError(_("write 是 or 否, not “%(value)s”.") % {"value": raw})
    if column.kind == "choice":
        words = CHOICES[column.key]
        if empty:
            return ""
        value = str(raw)
        if value in words:
            return value
        for code, word in words.items():
            if word and value == word:
                return code
        raise _CellError(
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": value, "choices": "、".join(w for w in words.values() if w)}
        )
    if column.kind == "list":
        if empty:
            return []
        parts = [p.strip() for p in str(raw).replace(",", "、").replace("，", "、").split("、")]
        parts = [p for p in parts if p]
        words = CHOICES.get(column.key)
        if not words:
            return parts
        out = []
        for p in parts:
            code = p if p in words else next((c for c, w in words.items() if w == p), None)
            if code is None:
                raise _CellError(
                    _("“%(value)s” is not one of %(choices)s.")
                    % {"value": p, "choices": "、".join(words.values())}
                )
            out.append(code)
        return out
    if column.kind == "datetime":
        if empty:
            return None
        if isinstance(raw, dt.datetime):
            value = raw
        elif isinstance(raw, dt.date):
            value = dt.datetime.combine(raw, dt.time())
        else:
            value = None
            for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
                try:
                    value = dt.datetime.strptime(str(raw), fmt)
                    break
                except ValueError:
                    continue
            if value is None:
                raise _CellError(
                    _("“%(value)s” is not a date and time like 2026-03-01 09:00:00.")
                    % {"value": raw}
                )
        return timezone.make_aware(value.replace(microsecond=0))
    if empty:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def parse_workbook(content: bytes) -> Parsed:
    """Read a workbook into the catalogue dict, with every cell's location for later errors."""
    errors: list[ExcelError] = []
    locations: dict[tuple, tuple[str, int, str | None, str | None]] = {}
    empty = {"version": 1, "source_note": "", "domains": [], "items": [], "bundles": []}
    if len(content) > MAX_UPLOAD_BYTES:
        return Parsed(
            empty,
            [ExcelError(_("File"), None, None, None, _("the file is larger than 10 MB."))],
            {},
        )
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        return Parsed(
            empty,
            [ExcelError(_("File"), None, None, None, _("this is not an Excel (.xlsx) file."))],
            {},
        )

    tables: dict[str, list[tuple[int, dict, dict[str, str]]]] = {}
    for sheet in SHEETS:
        if sheet.name not in wb.sheetnames:
            errors.append(ExcelError(sheet.name, None, None, None, _("the sheet is missing.")))
            tables[sheet.name] = []
            continue
        ws = wb[sheet.name]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            if isinstance(title, str) and title.strip():
                positions[title.strip()] = index
        missing = [c.title for c in sheet.columns if c.title not in positions]
        if missing:
            errors.append(
                ExcelError(
                    sheet.name,
                    1,
                    None,
                    None,
                    _("columns missing: %(columns)s.") % {"columns": "、".join(missing)},
                )
            )
            tables[sheet.name] = []
            continue
        parsed_rows = []
        for row_number, values in enumerate(rows, start=2):
            if values is None or all(
                v is None or (isinstance(v, str) and not v.strip()) for v in values
            ):
                continue
            record: dict[str, Any] = {}
            letters: dict[str, str] = {}
            for column in sheet.columns:
                index = positions[column.title]
                letters[column.key] = get_column_letter(index + 1)
                raw = values[index] if index < len(values) else None
                try:
                    record[column.key] = _parse_cell(column, raw)
                except _CellError as problem:
                    errors.append(
                        ExcelError(
                            sheet.name, row_number, letters[column.key], column.title, str(problem)
                        )
                    )
                    record[column.key] = None if column.kind == "int" else ""
                if column.required and column.kind in ("text",) and record[column.key] == "":
                    errors.append(
                        ExcelError(
                            sheet.name,
                            row_number,
                            letters[column.key],
                            column.title,
                            _("this cell is required."),
                        )
                    )
            parsed_rows.append((row_number, record, letters))
        tables[sheet.name] = parsed_rows
    wb.close()

    def loc(sheet: Sheet, row: int, letters: dict[str, str], key: str | None = None):
        if key is None:
            return (sheet.name, row, None, None)
        title = next((c.title for c in sheet.columns if c.key == key), None)
        return (sheet.name, row, letters.get(key), title)

    data = dict(empty)
    for i, (row, rec, letters) in enumerate(tables[DOMAINS.name]):
        data["domains"].append(rec)
        locations[("domains", i)] = loc(DOMAINS, row, letters)
        for key in rec:
            locations[("domains", i, key)] = loc(DOMAINS, row, letters, key)

    index_of: dict[str, int] = {}
    for i, (row, rec, letters) in enumerate(tables[ITEMS.name]):
        rec = dict(rec)
        rec["guide"] = None
        rec["guide_version"] = None
        data["items"].append(rec)
        if rec["basic_code"] and rec["basic_code"] not in index_of:
            index_of[rec["basic_code"]] = i
        locations[("items", i)] = loc(ITEMS, row, letters)
        for key in rec:
            if key != "guide":
                locations[("items", i, key)] = loc(ITEMS, row, letters, key)

    def owner(sheet: Sheet, row: int, letters, code: str) -> int | None:
        if code in index_of:
            return index_of[code]
        if code:
            errors.append(
                ExcelError(
                    sheet.name,
                    row,
                    letters.get("basic_code"),
                    "基本编码",
                    _("no item with the basic code %(code)s in the sheet “事项”.") % {"code": code},
                )
            )
        return None

    for row, rec, letters in tables[GUIDES.name]:
        i = owner(GUIDES, row, letters, rec["basic_code"])
        if i is None:
            continue
        item = data["items"][i]
        if item["guide"] is not None:
            errors.append(
                ExcelError(
                    GUIDES.name,
                    row,
                    letters["basic_code"],
                    "基本编码",
                    _("the item %(code)s has more than one row.") % {"code": rec["basic_code"]},
                )
            )
            continue
        guide = {k: v for k, v in rec.items() if k not in ("basic_code", "guide_version")}
        guide.update(materials=[], steps=[], special_steps=[], fees=[], faq=[])
        item["guide"] = guide
        item["guide_version"] = rec["guide_version"]
        locations[("items", i, "guide")] = loc(GUIDES, row, letters)
        for key in rec:
            locations[("items", i, "guide", key)] = loc(GUIDES, row, letters, key)

    def children(sheet: Sheet, build):
        grouped: dict[int, list] = defaultdict(list)
        for row, rec, letters in tables[sheet.name]:
            i = owner(sheet, row, letters, rec["basic_code"])
            if i is None:
                continue
            if data["items"][i]["guide"] is None:
                errors.append(
                    ExcelError(
                        sheet.name,
                        row,
                        letters["basic_code"],
                        "基本编码",
                        _("the item %(code)s has no row in the sheet “指南”.")
                        % {"code": rec["basic_code"]},
                    )
                )
                continue
            grouped[i].append(
                (rec.get("order") if rec.get("order") is not None else 10**6, row, rec, letters)
            )
        for i, rows in grouped.items():
            rows.sort(key=lambda r: (r[0], r[1]))
            for _order, row, rec, letters in rows:
                build(i, row, rec, letters)

    def add(i: int, key: str, sheet: Sheet, row: int, rec: dict, letters, fields: list[str]):
        lst = data["items"][i]["guide"][key]
        n = len(lst)
        lst.append({k: rec[k] for k in fields})
        locations[("items", i, "guide", key, n)] = loc(sheet, row, letters)
        for k in fields:
            locations[("items", i, "guide", key, n, k)] = loc(sheet, row, letters, k)

    material_keys = [c.key for c in MATERIALS.columns if c.key not in ("basic_code", "order")]
    children(
        MATERIALS,
        lambda i, row, rec, lt: add(i, "materials", MATERIALS, row, rec, lt, material_keys),
    )

    def add_step(i, row, rec, letters):
        if rec["special"]:
            add(
                i,
                "special_steps",
                STEPS,
                row,
                rec,
                letters,
                ["name", "description", "days", "counts_in_limit"],
            )
        else:
            add(i, "steps", STEPS, row, rec, letters, ["name", "description", "days"])

    children(STEPS, add_step)
    children(
        FEES,
        lambda i, row, rec, lt: add(
            i, "fees", FEES, row, rec, lt, ["name", "standard", "basis", "exemption"]
        ),
    )
    children(
        FAQS, lambda i, row, rec, lt: add(i, "faq", FAQS, row, rec, lt, ["question", "answer"])
    )

    bundle_index: dict[str, int] = {}
    for i, (row, rec, letters) in enumerate(tables[BUNDLES.name]):
        data["bundles"].append({**rec, "items": []})
        bundle_index.setdefault(rec["code"], i)
        locations[("bundles", i)] = loc(BUNDLES, row, letters)
        for key in rec:
            locations[("bundles", i, key)] = loc(BUNDLES, row, letters, key)
    members: dict[int, list] = defaultdict(list)
    for row, rec, letters in tables[BUNDLE_ITEMS.name]:
        i = bundle_index.get(rec["bundle"])
        if i is None:
            errors.append(
                ExcelError(
                    BUNDLE_ITEMS.name,
                    row,
                    letters["bundle"],
                    "一件事代码",
                    _("no bundle with the code %(code)s in the sheet “一件事”.")
                    % {"code": rec["bundle"]},
                )
            )
            continue
        members[i].append((rec["order"] if rec["order"] is not None else 10**6, row, rec, letters))
    for i, rows in members.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        data["bundles"][i]["items"] = [r[2]["basic_code"] for r in rows]
        locations[("bundles", i, "items")] = loc(BUNDLE_ITEMS, rows[0][1], rows[0][3], "basic_code")
        for j, (_order, row, _rec, letters) in enumerate(rows):
            locations[("bundles", i, "items", j)] = loc(BUNDLE_ITEMS, row, letters, "basic_code")
    return Parsed(data, errors, locations)


def problems_as_errors(parsed: Parsed, problems: list[rules.Problem]) -> list[ExcelError]:
    out = []
    for p in problems:
        sheet, row, column, title = parsed.locate(p.path)
        located_exactly = parsed.locations.get(tuple(p.path)) is not None
        message = p.detail if (located_exactly and column) else p.message
        out.append(ExcelError(sheet, row, column, title, message))
    return out


def read_catalogue(content: bytes) -> tuple[dict, list[ExcelError]]:
    """The normalized catalogue of a workbook and every error (cells and rules), in sheet order."""
    from .services import catalogue_problems

    parsed = parse_workbook(content)
    data = normalize_catalogue(parsed.data)
    errors = list(parsed.errors)
    if not any(e.row is None or e.row == 1 for e in errors):
        bad_cells = {(e.sheet, e.row, e.column) for e in errors}
        errors += [
            e
            for e in problems_as_errors(parsed, catalogue_problems(data))
            if (e.sheet, e.row, e.column) not in bad_cells
        ]
    order = {s.name: i for i, s in enumerate(SHEETS)}
    errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row or 0, e.column or ""))
    return data, errors
