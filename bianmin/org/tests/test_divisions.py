"""二1 统一场所名称: every township of 六安市 has one center, named after it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from bianmin.org.models import Center, Region
from bianmin.org.services import load_divisions
from bianmin.org.validators import validate_division_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty():
    """The test database comes with the divisions loaded; these tests start from nothing."""
    Center.objects.all().delete()
    for level in ("township", "county", "city"):
        Region.objects.filter(level=level).delete()


def test_loading_creates_the_city_its_seven_counties_and_140_townships_each_with_a_center(empty):
    result = load_divisions()
    assert Region.objects.filter(level="city").count() == 1
    assert Region.objects.filter(level="county").count() == 7
    assert Region.objects.filter(level="township").count() == 140
    assert Center.objects.count() == 140
    assert result.centers_created == 140 and result.skipped == 6


def test_development_zones_get_no_center():
    load_divisions()
    assert not Region.objects.filter(name__contains="开发区").exists()
    assert not Center.objects.filter(name__contains="开发区").exists()


def test_every_center_is_named_after_its_township():
    load_divisions()
    for center in Center.objects.select_related("region"):
        assert center.name == f"{center.region.name}便民服务中心"
    muchang = Center.objects.get(region__code="341502100000")
    assert muchang.name == "木厂镇便民服务中心"
    assert muchang.region.parent.name == "金安区"


def test_loading_twice_changes_nothing():
    load_divisions()
    again = load_divisions()
    assert (again.regions_created, again.regions_updated, again.centers_created) == (0, 0, 0)
    assert Center.objects.count() == 140


def test_townships_of_the_same_name_in_two_counties_each_have_their_center():
    load_divisions()
    shuanghe = Center.objects.filter(name="双河镇便民服务中心")
    assert shuanghe.count() == 2
    assert len({c.region.parent_id for c in shuanghe}) == 2


def test_a_center_with_another_name_is_refused_in_chinese(muchang):
    muchang.name = "木厂镇政务服务中心"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        muchang.save()
    message = excinfo.value.message_dict["name"][0]
    assert message.startswith("中心名称：")
    assert "木厂镇便民服务中心" in message
    muchang.refresh_from_db()
    assert muchang.name == "木厂镇便民服务中心"


def test_a_center_cannot_belong_to_a_county(divisions):
    county = Region.objects.get(code="341502000000")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        Center(region=county).save()
    assert "乡镇（街道）：" in excinfo.value.message_dict["region"][0]


@pytest.mark.parametrize("code", ["341502100000", "110000000000"])
def test_twelve_digit_division_codes_are_accepted(code):
    validate_division_code(code)


@pytest.mark.parametrize("code", ["3415021000", "34150210000A", "", "3415021000001"])
def test_other_division_codes_are_refused_in_chinese(code):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_division_code(code)
    assert excinfo.value.messages[0].startswith("区划代码：")


def test_the_command_shows_progress_and_a_summary(empty, capsys):
    call_command("load_divisions")
    out = capsys.readouterr().out
    assert "154/154" in out
    assert "centers: 140 created" in out
