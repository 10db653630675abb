"""木厂镇 as the journeys tell it, for the queue's tests.

Windows: 1 综合咨询 (王芳 A / 刘洋 B), 2 社会救助类 (刘洋 / 王芳), 3 社会保障类 (张敏 / 李娜),
4 综合事务类 (李娜 / 张敏). Queues: A (window 1), B (2), C (3), D (4).
The clock stands at Tuesday 3 March 2026, 09:00, and moves only when a test moves it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from bianmin.catalog.models import Domain, ItemEntry, LifeEvent, ServiceItem
from bianmin.hall import services as hall
from bianmin.hall.models import ExtraDuty, Window
from bianmin.identity.roles import Role
from bianmin.identity.validators import id_check_char
from bianmin.queueing import cache, push
from bianmin.queueing.services import ensure_queues

SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY = dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI)


def id_number(birth: str, seq: str = "123", region: str = "341502") -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


OLD_WANG = id_number("19480315")  # 王大爷, 78 on the test day
YOUNG = id_number("19920708", "246")


@pytest.fixture
def clock():
    """The test's clock: ``clock.shift(seconds)`` moves it; services read it as now."""
    with time_machine.travel(TUESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def domains(db):
    made = {}
    for code, name, group in [
        ("renshe", "人社", Domain.WindowGroup.SOCIAL_SECURITY),
        ("yibao", "医保", Domain.WindowGroup.SOCIAL_SECURITY),
        ("minzheng", "民政", Domain.WindowGroup.SOCIAL_ASSISTANCE),
        ("canlian", "残联", Domain.WindowGroup.SOCIAL_ASSISTANCE),
        ("shichang", "市场监管", Domain.WindowGroup.OTHER),
    ]:
        made[code] = Domain.objects.get_or_create(
            code=code, defaults={"name": name, "full_name": name, "window_group": group}
        )[0]
    return made


def _item(domain, code, name, frequency="high", **extra):
    return ServiceItem.objects.create(
        domain=domain,
        basic_code=code,
        name=name,
        item_type="public_service",
        handling_level="county" if frequency == "forwarded" else "township",
        frequency=frequency,
        **extra,
    )


@pytest.fixture
def items(domains):
    made = {
        "pension": _item(domains["renshe"], "QT0000000001", "城乡居民基本养老保险参保登记"),
        "old_age": _item(domains["minzheng"], "QT0000000002", "高龄津贴申领"),
        "disability": _item(
            domains["canlian"], "QT0000000003", "残疾人证申请（转报）", "forwarded"
        ),
        "rare": _item(domains["renshe"], "QT0000000004", "社会保障卡注销", "low"),
        "business": _item(domains["shichang"], "QT0000000005", "个体工商户登记"),
        "elsewhere": _item(domains["yibao"], "QT0000000006", "异地就医备案（未进驻）"),
    }
    birth = LifeEvent.objects.get_or_create(name="新生儿出生")[0]
    made["pension"].life_events.add(birth)
    made["business"].life_events.add(birth)
    retire = LifeEvent.objects.get_or_create(name="退休")[0]
    made["pension"].life_events.add(retire)
    return made


@pytest.fixture
def entered(items, muchang):
    for key, item in items.items():
        if key != "elsewhere":
            ItemEntry.objects.create(
                center=muchang, item=item, mode="delegated", entered_on=dt.date(2026, 1, 1)
            )
    return items


def _clerk(make_user, center, name, role=Role.WINDOW_CLERK):
    user = make_user(role, center=center)
    user.full_name = name
    user.save()
    return user


@pytest.fixture
def manager(make_user, muchang):
    return _clerk(make_user, muchang, "陈主任", Role.CENTER_MANAGER)


@pytest.fixture
def staff(make_user, muchang):
    return {name: _clerk(make_user, muchang, name) for name in ("王芳", "刘洋", "张敏", "李娜")}


@pytest.fixture
def windows(manager, muchang, domains, staff, entered):
    """The four windows of 木厂镇 with their posts (AB岗)."""
    spec = [
        (1, "综合咨询窗口", Window.Kind.ENQUIRY, None, "王芳", "刘洋"),
        (2, "社会救助类综合窗口", Window.Kind.DOMAIN, "social_assistance", "刘洋", "王芳"),
        (3, "社会保障类综合窗口", Window.Kind.DOMAIN, "social_security", "张敏", "李娜"),
        (4, "综合事务类窗口", Window.Kind.DOMAIN, "other", "李娜", "张敏"),
    ]
    made = {}
    for number, name, kind, group, a, b in spec:
        window = hall.create_window(
            manager,
            muchang,
            number=number,
            name=name,
            kind=kind,
            domains=Domain.objects.filter(window_group=group) if group else [],
        )
        hall.assign_post(manager, window, primary=staff[a], backup=staff[b])
        made[number] = window
    hall.set_weekday_hours(manager, muchang, *hall.DEFAULT_HOURS)
    return made


@pytest.fixture
def queues(windows, muchang):
    return {q.letter: q for q in ensure_queues(muchang)}


@pytest.fixture
def opened(windows, staff, clock):
    """Every window opened by its primary clerk at 08:30."""
    for window in windows.values():
        hall.open_window(window.post.primary, window, now=TUESDAY - dt.timedelta(minutes=30))
    return windows


@pytest.fixture(autouse=True)
def _fresh_broadcaster():
    """Each test gets its own push hub (events of one test never reach another's listeners)
    and empty caches (a center's set-up from an earlier, rolled-back test is gone)."""
    cache.clear()
    previous = push.set_broadcaster(None)
    yield
    current = push.set_broadcaster(previous)
    if isinstance(current, push.PostgresBroadcaster):
        current.stop()


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """On SQLite, run the test against a file database in WAL mode, as the embedded deployment
    does. (Django's in-memory test database uses SQLite's shared cache, which answers a second
    writer with "table is locked" at once instead of waiting on the busy timeout, so it cannot
    show how concurrent writers queue.) On PostgreSQL, nothing changes.
    """
    conn = connections["default"]
    if conn.vendor != "sqlite":
        yield
        return
    path = tmp_path / "queue.sqlite3"
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


def open_all_day_today(center):
    """The kiosk refuses walk-in tickets while the center is closed for the day, and a browser
    test runs at the wall clock's hour: an extra duty over the whole of today keeps it open."""
    ExtraDuty.objects.create(
        center=center,
        kind=ExtraDuty.Kind.EXTENDED,
        date=timezone.localdate(),
        opens=dt.time(0, 0),
        closes=dt.time(23, 59, 59),
    )
