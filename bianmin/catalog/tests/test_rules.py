"""The rules of a guide and an item, with real good and bad examples and their Chinese messages."""

import copy

import pytest
from django.core.exceptions import ValidationError

from bianmin.catalog import rules
from bianmin.catalog.content import normalize_guide, normalize_item
from bianmin.catalog.validators import validate_basic_code, validate_domain_code

GOOD_GUIDE = {
    "conditions": "年满60周岁、累计缴费满15年的参保人。",
    "materials": [
        {
            "name": "居民身份证",
            "necessity": "required",
            "form": "original_and_copy",
            "paper_copies": 1,
            "source_channel": "government",
        },
        {"name": "户口簿", "necessity": "required", "form": "original", "paper_copies": 0},
    ],
    "steps": [{"name": "受理", "description": "窗口受理", "days": 1}],
    "statutory_days": 20,
    "promised_days": 10,
    "visits": 1,
    "result_type": "payment",
    "result_name": "养老金",
    "faq": [{"question": "多久到账？", "answer": "次月发放。"}],
}


def guide(**changes):
    g = copy.deepcopy(GOOD_GUIDE)
    g.update(changes)
    return normalize_guide(g)


def messages(problems):
    return [p.message for p in problems]


def test_a_complete_well_formed_guide_has_no_blocking_problem():
    assert rules.guide_problems(guide()) == []


def test_promised_days_above_statutory_days_are_refused_naming_the_field():
    problems = rules.guide_form_problems(guide(statutory_days=20, promised_days=25))
    assert messages(problems) == ["承诺时限：不能超过法定时限（20个工作日）。"]


def test_promised_days_equal_to_statutory_days_are_fine():
    assert rules.guide_form_problems(guide(statutory_days=20, promised_days=20)) == []


def test_no_statutory_limit_is_allowed_but_suggests_a_note():
    g = guide(statutory_days=None)
    assert rules.guide_problems(g) == []
    assert "no_statutory_limit_note" in [p.code for p in rules.guide_notices(g)]
    assert "no_statutory_limit_note" not in [
        p.code
        for p in rules.guide_notices(guide(statutory_days=None, time_limit_note="法律未规定"))
    ]


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("promised_days", -1, "承诺时限：必须在0到365之间。"),
        ("statutory_days", 400, "法定时限：必须在0到365之间。"),
        ("visits", 12, "到现场次数：必须在0到9之间。"),
        (
            "result_type",
            "medal",
            "结果类型：请从以下选项中选择：证照、批文、登记备案、给付、其他。",
        ),
        ("online_url", "ftp://example", "网上办理地址：必须是以 https:// 开头的网址。"),
    ],
)
def test_malformed_values_are_refused_with_a_message_naming_the_field(field, value, expected):
    assert expected in messages(rules.guide_form_problems(guide(**{field: value})))


def test_every_missing_element_is_listed():
    empty = normalize_guide({})
    found = messages(rules.guide_completeness_problems(empty))
    assert "受理条件：此要素必填。" in found
    assert "申请材料：至少列出一项申请材料。" in found
    assert "办理流程：至少列出一个办理环节。" in found
    assert "承诺时限：此要素必填。" in found
    assert "到现场次数：此要素必填。" in found
    assert "结果类型：此要素必填。" in found
    assert "结果名称：此要素必填。" in found


def test_a_conditional_material_needs_to_say_when():
    g = guide()
    g["materials"][1]["necessity"] = "conditional"
    assert messages(rules.guide_completeness_problems(g)) == [
        "申请材料第2项·适用情形：请说明在什么情形下需要这项材料。"
    ]
    g["materials"][1]["condition_note"] = "户籍不在本乡镇的"
    assert rules.guide_completeness_problems(g) == []


def test_a_copy_without_copies_and_a_material_without_form_are_inaccurate():
    g = guide()
    g["materials"][0]["paper_copies"] = 0
    g["materials"][1]["form"] = ""
    codes = [p.code for p in rules.guide_accuracy_problems(g)]
    assert codes == ["material_without_copies", "material_without_form"]
    assert "申请材料第1项·纸质份数：要求提供复印件，请写明纸质份数。" in messages(
        rules.guide_accuracy_problems(g)
    )


def test_a_deferrable_material_needs_a_guide_that_allows_deferral():
    g = guide()
    g["materials"][1]["deferrable"] = True
    assert [p.code for p in rules.guide_accuracy_problems(g)] == ["deferral_forbidden"]
    g["allows_deferral"] = True
    assert rules.guide_accuracy_problems(g) == []


def test_a_fee_needs_its_basis():
    g = guide(fees=[{"name": "工本费", "standard": "20元/证", "basis": ""}])
    assert messages(rules.guide_accuracy_problems(g)) == [
        "收费第1项·依据：收费须写明收费依据（无依据收费）。"
    ]
    g = guide(fees=[{"name": "工本费", "standard": "20元/证", "basis": "皖价费〔2014〕1号"}])
    assert rules.guide_accuracy_problems(g) == []


def test_steps_adding_up_beyond_the_promise_are_a_notice():
    g = guide(
        promised_days=5,
        steps=[{"name": "受理", "days": 1}, {"name": "审核", "days": 9}],
        special_steps=[{"name": "公示", "days": 7, "counts_in_limit": False}],
    )
    notice = [p for p in rules.guide_notices(g) if p.code == "steps_exceed_limit"]
    assert notice and "合计10个工作日，超过承诺时限5个工作日" in notice[0].message


def test_a_form_material_without_a_blank_form_gets_a_notice():
    g = guide()
    g["materials"].append(
        {**g["materials"][1], "name": "参保登记表", "source_channel": "applicant"}
    )
    assert "form_without_blank" in [p.code for p in rules.guide_notices(g)]


ITEM = {
    "basic_code": "000108014000",
    "name": "城乡居民基本养老保险参保登记",
    "domain": "renshe",
    "item_type": "public_service",
    "legal_basis": "《社会保险法》",
    "handling_level": "township",
    "frequency": "high",
}


def test_an_item_with_every_element_is_well_formed():
    assert rules.item_form_problems(normalize_item(ITEM), domain_codes={"renshe"}) == []


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"item_type": "tax"}, "事项类型：请从以下选项中选择："),
        ({"frequency": "daily"}, "频次分类：请从以下选项中选择：高频、低频、阶段性、转报。"),
        ({"domain": "nowhere"}, "领域：没有代码为“nowhere”的领域。"),
        ({"channels": []}, "办理渠道：请至少选择窗口、网上、自助终端、邮寄中的一种。"),
        ({"service_object": ["robot"]}, "服务对象：请选择自然人、法人或两者。"),
        ({"basic_code": "TOO-LONG-CODE-1"}, "基本编码：不超过12位的字母、数字或“-”"),
        ({"status": "cancelled"}, "取消原因：已取消的事项须填写取消原因。"),
    ],
)
def test_a_malformed_item_is_refused_naming_the_field(changes, expected):
    found = messages(
        rules.item_form_problems(normalize_item({**ITEM, **changes}), domain_codes={"renshe"})
    )
    assert any(m.startswith(expected) for m in found), found


def test_an_item_without_legal_basis_is_incomplete():
    assert messages(
        rules.item_completeness_problems(normalize_item({**ITEM, "legal_basis": ""}))
    ) == ["设定依据：此要素必填。"]


def test_codes():
    validate_basic_code("000108014000")
    validate_domain_code("renshe")
    for bad in ("", "0001080140001", "养老"):
        with pytest.raises(ValidationError):
            validate_basic_code(bad)
    for bad in ("RenShe", "1abc", "ren-she"):
        with pytest.raises(ValidationError):
            validate_domain_code(bad)
