"""Bad numbers are refused with a Chinese message naming the field; good ones pass normalised."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from bianmin.identity.validators import (
    USCC_CHARS,
    USCC_WEIGHTS,
    id_check_char,
    parse_identity_number,
    validate_credit_code,
    validate_mobile,
)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "F"),  # the GB 11643 example
        ("11010519491231002x", dt.date(1949, 12, 31), "F"),  # lower-case x is normalised
        ("341502194803151230", dt.date(1948, 3, 15), "M"),
        (" 341524195601023284 ", dt.date(1956, 1, 2), "F"),  # spaces around are dropped
    ],
)
def test_valid_identity_numbers_give_birth_date_and_sex(number, birth, sex):
    parsed = parse_identity_number(number)
    assert parsed.number == number.strip().upper()
    assert (parsed.birth_date, parsed.sex) == (birth, sex)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("110105194912310021", "身份证号码：校验码错误（GB 11643）"),
        ("11010519491231002", "身份证号码：应为 18 位，当前为 17 位。"),
        ("1101051949123100AX", "身份证号码：前 17 位必须是数字"),
        ("110105194902300027", "身份证号码：第 7–14 位不是有效的出生日期。"),
        ("110105209912310026", "身份证号码：出生日期 2099-12-31 不可能成立。"),
        ("", "身份证号码：此项必填。"),
    ],
)
def test_invalid_identity_numbers_are_refused_in_chinese(number, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse_identity_number(number)
    assert excinfo.value.messages[0].startswith(expected)


@given(
    region=st.sampled_from(["341502", "341524", "110105"]),
    birth=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
    wrong=st.sampled_from("0123456789X"),
)
def test_exactly_one_check_character_is_accepted(region, birth, seq, wrong):
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    good = first17 + id_check_char(first17)
    assert parse_identity_number(good).birth_date == birth
    if wrong != good[-1]:
        with pytest.raises(ValidationError):
            parse_identity_number(first17 + wrong)


def test_the_standard_example_credit_code_passes_in_any_case():
    assert validate_credit_code("91350100m000100y43") == "91350100M000100Y43"


def _with_check(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_CHARS[(31 - total % 31) % 31]


def test_an_individual_business_code_with_a_zero_organisation_code_passes():
    code = _with_check("92341502" + "00000000" + "0")
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y44", "统一社会信用代码：校验码错误（GB 32100）"),
        ("91350100M000100Y4", "统一社会信用代码：应为 18 位，当前为 17 位。"),
        ("91350100I000100Y43", "统一社会信用代码：含有不允许的字符"),
        ("", "统一社会信用代码：此项必填。"),
    ],
)
def test_invalid_credit_codes_are_refused_in_chinese(code, expected):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.messages[0].startswith(expected)


def test_a_credit_code_whose_organisation_code_fails_its_own_check_is_refused():
    code = _with_check("91350100" + "M000100Y" + "5")  # organisation check should be 4
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert "组织机构代码" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("19956401234", "19956401234"),
    ],
)
def test_mainland_mobile_numbers_pass_normalised(raw, normalized):
    assert validate_mobile(raw) == normalized


@pytest.mark.parametrize(
    "raw", ["12345678901", "1381234567", "138123456789", "0564-3330000", "abc"]
)
def test_other_phone_numbers_are_refused_in_chinese(raw):
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile(raw)
    assert excinfo.value.messages[0].startswith("手机号码：应为以 13–19 开头的 11 位数字")
