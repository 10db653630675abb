"""Phone numbers of a center's record: a landline with its area code or a mobile; the
complaint line may also be a hotline. Real good and bad examples, Chinese messages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bianmin.org.validators import malformed_phones, split_phones, validate_phones


@pytest.fixture(autouse=True)
def _in_chinese():
    # The site's language; activated (not overridden) so that no later test is left in English.
    translation.activate("zh-hans")


@pytest.mark.parametrize(
    "value",
    [
        "0564-3330000",
        "05643330000",
        "0564-33300001",
        "0564-3330000-801",
        "13905641234",
        "010-12345678",
    ],
)
def test_a_landline_with_area_code_or_a_mobile_is_a_phone_number(value):
    assert malformed_phones(value) == []
    validate_phones(value, label="咨询电话")


@pytest.mark.parametrize(
    "value", ["3330000", "1390564123", "0564-33", "电话", "123456", "22345", "12905641234"]
)
def test_a_number_without_area_code_or_too_short_is_refused(value):
    assert malformed_phones(value) == [value]
    with pytest.raises(ValidationError) as error:
        validate_phones(value, label="咨询电话")
    assert error.value.messages[0].startswith(f"咨询电话：“{value}”不是电话号码。")


@pytest.mark.parametrize("value", ["12345", "12333", "400-820-8820", "95598"])
def test_a_hotline_is_a_complaint_line_but_not_the_centers_own_phone(value):
    assert malformed_phones(value, hotline=True) == []
    assert malformed_phones(value) == [value]
    validate_phones(value, label="投诉电话", hotline=True)
    with pytest.raises(ValidationError):
        validate_phones(value, label="咨询电话")


def test_several_numbers_are_checked_each():
    assert split_phones("0564-3330000、13905641234") == ["0564-3330000", "13905641234"]
    assert malformed_phones("0564-3330000, 55") == ["55"]
    with pytest.raises(ValidationError) as error:
        validate_phones("0564-3330000、55、3330000", label="咨询电话")
    assert error.value.messages[0].startswith("咨询电话：“55、3330000”不是电话号码。")
    assert "0564-3330000" in error.value.messages[0]  # the example of a good number


@pytest.mark.django_db
def test_the_admin_form_checks_the_phones_too(muchang):
    from bianmin.org.admin import CenterAdminForm

    data = {
        "region": muchang.region.pk,
        "name": muchang.name,
        "address": "木厂镇政府一楼",
        "phone": "3330000",
        "complaint_phone": "12345",
    }
    form = CenterAdminForm(data, instance=muchang)
    assert not form.is_valid()
    assert form.errors["phone"][0].startswith("咨询电话：“3330000”不是电话号码。")
    assert CenterAdminForm({**data, "phone": "0564-3330000"}, instance=muchang).is_valid()
