"""Personal data: SM4 at rest, found by keyed hash, masked on screen and in logs, every unmasked view logged."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from bianmin.identity import crypto, services
from bianmin.identity.masking import MaskPersonalDataFilter, mask_identity_number, mask_text
from bianmin.identity.models import Person, PersonalDataAccess
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db
NUMBER = "341502194803151230"
MOBILE = "13905641234"


@pytest.fixture
def wang():
    return services.register_person(name="王建国", id_number=NUMBER, mobile=MOBILE)


def test_no_column_holds_the_identity_or_mobile_number_in_clear(wang):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_person WHERE id = %s", [wang.pk])
        row = cursor.fetchone()
    stored = " ".join(str(v) for v in row)
    assert NUMBER not in stored and MOBILE not in stored
    assert wang.id_number_sealed.startswith("sm4gcm1:")
    assert wang.id_number_masked == "3415**********1230"
    assert wang.mobile_masked == "139****1234"


def test_sealing_twice_gives_different_ciphertexts_that_open_to_the_same_number():
    a, b = crypto.seal(NUMBER), crypto.seal(NUMBER)
    assert a != b
    assert crypto.unseal(a) == crypto.unseal(b) == NUMBER


def test_a_tampered_ciphertext_does_not_open():
    sealed = crypto.seal(NUMBER)
    body = bytearray(sealed.encode())
    body[-5] = ord("A") if body[-5] != ord("A") else ord("B")
    with pytest.raises(Exception):  # noqa: B017 - GCM raises InvalidTag or a decoding error
        crypto.unseal(body.decode())


def test_a_person_is_found_by_number_without_decrypting(wang, monkeypatch):
    monkeypatch.setattr(crypto, "unseal", lambda token: pytest.fail("decrypted during a search"))
    assert services.find_person(NUMBER) == wang
    assert services.find_person(NUMBER.lower()) == wang
    assert services.find_person("11010519491231002X") is None
    assert services.find_people_by_mobile("+86 139 0564 1234") == [wang]


def test_registering_the_same_number_again_updates_rather_than_duplicates(wang):
    again = services.register_person(name="王建国", id_number=NUMBER, mobile="18756410001")
    assert again.pk == wang.pk and Person.objects.count() == 1
    assert again.mobile_masked == "187****0001"


def test_birth_date_and_sex_come_from_the_number(wang):
    assert str(wang.birth_date) == "1948-03-15" and wang.sex == "M"


def test_a_clerk_sees_the_full_number_and_the_view_is_logged(wang, clerk):
    assert (
        services.reveal_id_number(clerk, wang, purpose="核验申请人身份", ip_address="127.0.0.1")
        == NUMBER
    )
    entry = PersonalDataAccess.objects.get()
    assert (entry.viewer, entry.person, entry.field, entry.purpose) == (
        clerk,
        wang,
        "id_number",
        "核验申请人身份",
    )


def test_a_supervisor_may_not_see_the_full_number_and_nothing_is_logged(wang, make_user, divisions):
    supervisor = make_user(Role.CITY_SUPERVISOR, region=divisions)
    with pytest.raises(PermissionDenied):
        services.reveal_id_number(supervisor, wang, purpose="好奇")
    assert not PersonalDataAccess.objects.exists()


def test_a_citizen_sees_their_own_number_and_that_is_logged_too(make_user):
    citizen = make_user(Role.CITIZEN)
    person = services.register_person(name="王建国", id_number=NUMBER, user=citizen)
    assert services.reveal_id_number(citizen, person, purpose="本人查看") == NUMBER
    assert PersonalDataAccess.objects.filter(viewer=citizen).count() == 1


def test_another_citizen_may_not_see_the_number(wang, make_user):
    with pytest.raises(PermissionDenied):
        services.reveal_id_number(make_user(Role.CITIZEN), wang, purpose="x")


def test_the_access_log_is_append_only(wang, clerk):
    services.reveal_mobile(clerk, wang, purpose="回访")
    entry = PersonalDataAccess.objects.get()
    entry.purpose = "改写"
    with pytest.raises(Exception):  # noqa: B017
        entry.save()
    with pytest.raises(Exception):  # noqa: B017
        entry.delete()


def test_masking_keeps_the_first_and_last_four():
    assert mask_identity_number("11010519491231002X") == "1101**********002X"


def test_log_lines_never_carry_a_number_in_clear():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "lookup %s by %s", (NUMBER, MOBILE), None
    )
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "lookup 3415**********1230 by 139****1234"
    assert (
        mask_text("order 20261127000001234567") == "order 20261127000001234567"
    )  # longer: not an id


def test_the_console_log_handler_masks(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "mask_personal_data" in handler["filters"]


def test_registering_a_known_number_under_another_name_is_refused_and_changes_nothing(wang):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        services.register_person(name="王小明", id_number=NUMBER, mobile="18756410001")
    assert excinfo.value.message_dict["name"][0].startswith("姓名：该身份证号码已登记为“王*国”")
    wang.refresh_from_db()
    assert wang.name == "王建国" and wang.mobile_masked == "139****1234"


def test_every_bad_field_is_reported_under_its_own_name():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        services.register_person(name="", id_number="341502194803151231", mobile="1390564123")
    errors = excinfo.value.message_dict
    assert set(errors) == {"name", "id_number", "mobile"}
    assert errors["mobile"][0].startswith("手机号码：")
    assert not Person.objects.exists()
