"""An item that can be applied for online (高龄津贴), entered at 木厂镇; 王建国 as a citizen user
with his person record; the clerk of 木厂镇; image and PDF bytes to upload."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation

from bianmin.catalog.models import Domain, GuideVersion, ItemEntry, Material, ServiceItem, Step
from bianmin.catalog.services import refresh_search_keys
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.identity.services import register_person
from bianmin.identity.validators import id_check_char
from bianmin.portal import sms


def id_number(birth: str = "19480315", seq: str = "123", region: str = "341502") -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


WANG_ID = id_number()
WANG_MOBILE = "13905641234"


@pytest.fixture(autouse=True)
def _files_and_sms_in_tmp(settings, tmp_path):
    settings.BIANMIN_CASE_FILES_DIR = tmp_path / "case-files"
    settings.VAR_DIR = tmp_path
    settings.BIANMIN_SMS_BACKEND = "bianmin.portal.sms.MemoryBackend"
    sms.outbox.clear()
    translation.activate("zh-hans")  # an earlier test may have left English active
    yield
    sms.outbox.clear()


@pytest.fixture
def online_item(muchang, minzheng):
    domain, _ = Domain.objects.get_or_create(
        code="minzheng",
        defaults={"name": "民政", "full_name": "民政", "window_group": "social_assistance"},
    )
    item = ServiceItem.objects.create(
        domain=domain,
        basic_code="PT0000000001",
        name="高龄津贴申领",
        item_type="administrative_payment",
        handling_level="township",
        frequency="high",
        channel_online=True,
    )
    refresh_search_keys(item)
    item.save()
    guide = GuideVersion.objects.create(
        item=item,
        number=1,
        state=GuideVersion.State.PUBLISHED,
        promised_days=10,
        statutory_days=20,
        visits=0,
        conditions="年满80周岁的本地户籍老年人",
        result_name="高龄津贴发放",
    )
    for i, (name, necessity) in enumerate(
        [("居民身份证", "required"), ("户口簿", "required"), ("近期免冠照片", "optional")]
    ):
        Material.objects.create(
            guide=guide, order=i, name=name, necessity=necessity, form="original"
        )
    for i, name in enumerate(["申请与受理", "审核", "审批", "送达"]):
        Step.objects.create(guide=guide, order=i, name=name)
    ItemEntry.objects.create(
        center=muchang, item=item, mode="delegated", entered_on=dt.date(2020, 1, 1)
    )
    return item


def materials(item) -> dict[str, int]:
    guide = GuideVersion.objects.get(item=item, state="published")
    return {m.name: m.pk for m in guide.materials.all()}


@pytest.fixture
def citizen(divisions) -> User:
    user = User(username="citizen", full_name="王建国", role=Role.CITIZEN)
    user.set_password("pw-Bianmin-1")
    user.save()
    register_person(name="王建国", id_number=WANG_ID, mobile=WANG_MOBILE, user=user)
    user.refresh_from_db()
    return user


@pytest.fixture
def clerk(make_user, muchang):
    user = make_user(Role.WINDOW_CLERK, center=muchang)
    user.full_name = "张敏"
    user.save()
    return user


def jpeg_bytes(size=(3000, 2000), color=(200, 120, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=95)
    return out.getvalue()


def png_bytes(size=(64, 64)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
