"""Demo hall: every center gets the policy's window set, staffed posts (AB岗), opening hours and a
facility inventory; 木厂镇 gets the set of the user journeys (4 windows, named clerks)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bianmin.catalog.models import Domain
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.org.models import Center

from . import services
from .models import Facility, TrainingRecord, Window

MUCHANG = "341502100000"
CLERKS_PER_CENTER = 3
# 木厂镇, as the journeys tell it: B tickets (社会救助) at window 2, 张敏 at window 3 (社会保障),
# her backup 李娜 at window 4.
MUCHANG_WINDOWS = [
    (1, "综合咨询窗口", Window.Kind.ENQUIRY, None, "clerk3", "clerk4"),
    (
        2,
        "社会救助类综合窗口",
        Window.Kind.DOMAIN,
        Domain.WindowGroup.SOCIAL_ASSISTANCE,
        "clerk4",
        "clerk3",
    ),
    (
        3,
        "社会保障类综合窗口",
        Window.Kind.DOMAIN,
        Domain.WindowGroup.SOCIAL_SECURITY,
        "clerk",
        "clerk2",
    ),
    (4, "综合事务类窗口", Window.Kind.DOMAIN, Domain.WindowGroup.OTHER, "clerk2", "clerk"),
]
MUCHANG_EXTRA_CLERKS = [("clerk3", "王芳", "C0301"), ("clerk4", "刘洋", "C0302")]


def _muchang(admin: User, center: Center, password_hash: str) -> None:
    for username, name, number in MUCHANG_EXTRA_CLERKS:
        User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": name,
                "role": Role.WINDOW_CLERK,
                "center": center,
                "staff_number": number,
                "password": password_hash,
            },
        )
    for number, name, kind, group, a, b in MUCHANG_WINDOWS:
        domains = Domain.objects.filter(window_group=group) if group else []
        window = services.create_window(
            admin, center, number=number, name=name, kind=kind, domains=domains
        )
        services.assign_post(
            admin, window, primary=User.objects.get(username=a), backup=User.objects.get(username=b)
        )
    services.set_weekday_hours(admin, center, *services.DEFAULT_HOURS)
    settings = services.hall_settings(center)
    settings.supervision_phone = "0564-3339999"
    settings.save()
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    services.add_extra_duty(
        admin,
        center,
        kind="weekend",
        date=saturday,
        opens=dt.time(9),
        closes=dt.time(12),
        note="城乡居民医保集中参保期周末服务",
    )
    for username, topic, days_ago, hours in [
        ("clerk", "城乡居民养老保险经办业务培训", 20, 3),
        ("clerk", "政务服务“好差评”与服务礼仪", 45, 1.5),
        ("clerk2", "社会救助政策与审核确认", 30, 4),
        ("clerk3", "综合窗口一次性告知与容缺受理", 12, 2),
        ("clerk4", "残疾人两项补贴业务", 60, 2),
    ]:
        TrainingRecord.objects.get_or_create(
            clerk=User.objects.get(username=username),
            topic=topic,
            defaults={
                "held_on": today - dt.timedelta(days=days_ago),
                "hours": hours,
                "organiser": "金安区数据资源局",
            },
        )


@transaction.atomic
def load_hall_demo(admin: User, password_hash: str | None = None, progress=None) -> int:
    """Idempotent: a center that already has windows is left as it is. Returns centers set up."""
    password_hash = password_hash or make_password(None)
    centers = list(Center.objects.select_related("region").order_by("region__code"))
    done = 0
    today = timezone.localdate()
    facilities = []
    for index, center in enumerate(centers, start=1):
        if progress:
            progress(index, len(centers))
        if center.windows.exists():
            continue
        if center.region.code == MUCHANG:
            _muchang(admin, center, password_hash)
        else:
            windows = services.apply_template(admin, center)
            clerks = []
            for n in range(1, CLERKS_PER_CENTER + 1):
                clerk, _ = User.objects.update_or_create(
                    username=f"c{center.region.code[:9]}{n}",
                    defaults={
                        "full_name": f"{center.region.name}窗口{n}",
                        "role": Role.WINDOW_CLERK,
                        "center": center,
                        "staff_number": f"{center.region.code[4:9]}{n:02d}",
                        "password": password_hash,
                    },
                )
                clerks.append(clerk)
            for i, window in enumerate(windows):
                services.assign_post(
                    admin,
                    window,
                    primary=clerks[i % len(clerks)],
                    backup=clerks[(i + 1) % len(clerks)],
                )
        for kind, _label in Facility.Kind.choices:
            missing = center.region.code == MUCHANG and kind == Facility.Kind.HEARING_AID
            facilities.append(
                Facility(
                    center=center,
                    kind=kind,
                    quantity=0 if missing else (2 if kind == "reading_glasses" else 1),
                    status=Facility.Status.MISSING if missing else Facility.Status.OK,
                    last_checked_on=today - dt.timedelta(days=30),
                )
            )
        done += 1
    Facility.objects.bulk_create(facilities, ignore_conflicts=True)
    return done
