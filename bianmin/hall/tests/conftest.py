"""A small catalogue and a staffed center for the hall's tests."""

import datetime as dt

import pytest

from bianmin.catalog.models import Domain, ItemEntry, ServiceItem
from bianmin.identity.roles import Role


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


def _item(domain, code, name, frequency, **extra):
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
    return {
        "pension": _item(domains["renshe"], "HT0000000001", "城乡居民基本养老保险参保登记", "high"),
        "old_age": _item(domains["minzheng"], "HT0000000002", "高龄津贴申领", "high"),
        "disability_card": _item(
            domains["canlian"], "HT0000000003", "第二代残疾人证申请（转报）", "forwarded"
        ),
        "glory": _item(domains["renshe"], "HT0000000004", "社会保障卡注销", "low"),
        "business": _item(domains["shichang"], "HT0000000005", "个体工商户登记", "high"),
        "remote": _item(
            domains["yibao"], "HT0000000006", "异地就医备案", "high", cross_region="cross_province"
        ),
    }


@pytest.fixture
def entered(items, muchang):
    for item in items.values():
        ItemEntry.objects.create(
            center=muchang, item=item, mode="delegated", entered_on=dt.date(2026, 1, 1)
        )
    return items


@pytest.fixture
def manager(make_user, muchang):
    return make_user(Role.CENTER_MANAGER, center=muchang)


@pytest.fixture
def zhang(make_user, muchang):
    user = make_user(Role.WINDOW_CLERK, center=muchang)
    user.full_name = "张敏"
    user.save()
    return user


@pytest.fixture
def li(make_user, muchang):
    user = make_user(Role.WINDOW_CLERK, center=muchang)
    user.full_name = "李娜"
    user.save()
    return user


@pytest.fixture
def wang(make_user, muchang):
    return make_user(Role.WINDOW_CLERK, center=muchang)


@pytest.fixture
def staffed(manager, muchang, domains, zhang, li, wang):
    """木厂镇 with the template (1 enquiry + 2 domain windows) and posts: w1 wang/li, w2 zhang/li, w3 li/zhang."""
    from bianmin.hall import services

    windows = services.apply_template(manager, muchang)
    services.assign_post(manager, windows[0], primary=wang, backup=li)
    services.assign_post(manager, windows[1], primary=zhang, backup=li)
    services.assign_post(manager, windows[2], primary=li, backup=zhang)
    return windows
