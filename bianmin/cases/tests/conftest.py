"""A small catalogue (高龄津贴, 残疾人证 forwarded, 个体工商户登记), the staff of 木厂镇 and helpers."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connections

from bianmin.cases import services
from bianmin.cases.services import ApplicantIn, DeliveryIn, LineIn, PledgeIn
from bianmin.catalog.models import Domain, GuideVersion, ItemEntry, Material, ServiceItem, Step
from bianmin.identity.roles import Role
from bianmin.identity.validators import id_check_char
from bianmin.org.models import Department, Region

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=10) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def id_number(birth: str = "19480315", seq: str = "123", region: str = "341502") -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


WANG_ID = id_number("19480315", "123")
DAUGHTER_ID = id_number("19750601", "224")
CREDIT_CODE = "91341502MA2N0QX11R"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with no counted progress lookups (nor any other cached value)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Case files and the notification log of a test go to its own temporary directory."""
    settings.BIANMIN_CASE_FILES_DIR = tmp_path / "case-files"
    settings.VAR_DIR = tmp_path


def _item(domain, code, name, *, frequency="high", level="township", person=True, org=False):
    return ServiceItem.objects.create(
        domain=domain,
        basic_code=code,
        name=name,
        item_type="administrative_payment",
        handling_level=level,
        frequency=frequency,
        for_person=person,
        for_organisation=org,
    )


def _guide(item, *, promised, statutory, materials, steps, deferral=False):
    guide = GuideVersion.objects.create(
        item=item,
        number=1,
        state=GuideVersion.State.PUBLISHED,
        promised_days=promised,
        statutory_days=statutory,
        allows_deferral=deferral,
        conditions="年满80周岁的本地户籍老年人",
        result_name="高龄津贴发放",
    )
    for i, (name, necessity, form, deferrable) in enumerate(materials):
        Material.objects.create(
            guide=guide, order=i, name=name, necessity=necessity, form=form, deferrable=deferrable
        )
    for i, name in enumerate(steps):
        Step.objects.create(guide=guide, order=i, name=name)
    return guide


@pytest.fixture
def catalogue(muchang, minzheng):
    domains = {}
    for code, name, group in [
        ("minzheng", "民政", Domain.WindowGroup.SOCIAL_ASSISTANCE),
        ("canlian", "残联", Domain.WindowGroup.SOCIAL_ASSISTANCE),
        ("shichang", "市场监管", Domain.WindowGroup.OTHER),
    ]:
        domains[code] = Domain.objects.get_or_create(
            code=code, defaults={"name": name, "full_name": name, "window_group": group}
        )[0]
    old_age = _item(domains["minzheng"], "CT0000000001", "高龄津贴申领")
    _guide(
        old_age,
        promised=10,
        statutory=20,
        deferral=True,
        materials=[
            ("居民身份证", "required", "original", False),
            ("户口簿", "required", "original_and_copy", False),
            ("本人银行卡（复印件）", "required", "copy", True),
            ("近期免冠照片", "optional", "original", False),
        ],
        steps=["申请与受理", "审核", "审批", "送达"],
    )
    card = _item(
        domains["canlian"],
        "CT0000000002",
        "第二代残疾人证申请（转报）",
        frequency="forwarded",
        level="county",
    )
    _guide(
        card,
        promised=7,
        statutory=20,
        materials=[
            ("居民身份证", "required", "original_and_copy", False),
            ("户口簿", "required", "original_and_copy", False),
            ("二寸免冠照片", "required", "original", False),
        ],
        steps=["申请", "受理", "县残联审核发证", "领取"],
    )
    business = _item(domains["shichang"], "CT0000000003", "个体工商户登记", person=True, org=True)
    _guide(
        business,
        promised=3,
        statutory=15,
        materials=[
            ("经营者身份证明", "required", "original", False),
            ("经营场所证明", "required", "copy", False),
            ("营业执照照片", "required", "electronic", False),
        ],
        steps=["申请", "受理", "审查", "决定"],
    )
    for item in (old_age, card, business):
        ItemEntry.objects.create(
            center=muchang, item=item, mode="delegated", entered_on=dt.date(2020, 1, 1)
        )
    Department.objects.get_or_create(
        region=Region.objects.get(code="341502000000"),
        name="金安区市场监督管理局",
        defaults={"domain": "市场监管"},
    )
    return {"old_age": old_age, "card": card, "business": business}


@pytest.fixture
def old_age(catalogue):
    return catalogue["old_age"]


@pytest.fixture
def officer(make_user, minzheng):
    user = make_user(Role.BACK_OFFICE_OFFICER, department=minzheng)
    user.full_name = "赵干事"
    user.save()
    return user


@pytest.fixture
def manager(make_user, muchang):
    user = make_user(Role.CENTER_MANAGER, center=muchang)
    user.full_name = "陈主任"
    user.save()
    return user


@pytest.fixture
def clerk(make_user, muchang):
    user = make_user(Role.WINDOW_CLERK, center=muchang)
    user.full_name = "张敏"
    user.save()
    return user


def materials_of(item) -> dict[str, int]:
    guide = GuideVersion.objects.get(item=item, state="published")
    return {m.name: m.pk for m in guide.materials.all()}


def all_provided(item, **overrides) -> list[LineIn]:
    lines = []
    for name, pk in materials_of(item).items():
        status, reason = overrides.get(name, ("provided", ""))
        lines.append(
            LineIn(material=pk, status=status, original_seen=True, copies=1, reason=reason)
        )
    return lines


# 王大爷's result by free post (a DeliveryIn is only read by the service, so one can be shared).
BY_POST = DeliveryIn(
    recipient="王大爷",
    address="六安市金安区木厂镇XX村XX组",
    postal_code="237000",
    carrier="中国邮政EMS",
    tracking_number="1180000000001",
)
WANG = ApplicantIn(kind="person", name="王大爷", id_number=WANG_ID, mobile="13905641234")


@pytest.fixture
def open_wang(clerk, muchang, old_age):
    """open_wang(now=..., **kw): 王大爷's 高龄津贴 case, received with every material."""

    def make(now=None, lines=None, **kw):
        return services.open_case(
            clerk,
            center=muchang,
            item=old_age,
            applicant=WANG,
            checklist=lines if lines is not None else all_provided(old_age),
            now=now or at(2026, 3, 3),
            **kw,
        )

    return make


def pledge_lines(item):
    return all_provided(item, **{"本人银行卡（复印件）": ("deferred", "")})


def pledge(due: dt.date) -> PledgeIn:
    return PledgeIn(due=due, signer="王大爷")


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """On SQLite, run against a file database in WAL mode, as deployed: Django's in-memory test
    database uses SQLite's shared cache, which answers a second writer with "table is locked"
    at once instead of waiting on the busy timeout. (The same fixture as the queue's tests.)
    On PostgreSQL, nothing changes."""
    conn = connections["default"]
    if conn.vendor != "sqlite":
        yield
        return
    path = tmp_path / "cases.sqlite3"
    conn.ensure_connection()
    target = sqlite3.connect(path)
    conn.connection.backup(target)
    target.close()
    original = connections.settings["default"]
    file_settings = {**original, "NAME": str(path)}
    connections.settings["default"] = file_settings
    from django.db.backends.sqlite3.base import DatabaseWrapper

    file_conn = DatabaseWrapper(file_settings, "default")
    connections["default"] = file_conn
    try:
        yield
    finally:
        file_conn.close()
        connections["default"] = conn
        connections.settings["default"] = original
