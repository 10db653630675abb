"""Demo data: the real divisions of 六安市, departments, one account per role, a few people.

Idempotent: running it again resets the demo accounts' passwords and changes nothing else.
Names are invented; the places are real.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from bianmin.cases.demo import load_cases_demo
from bianmin.catalog.demo import load_catalogue_demo
from bianmin.feedback.demo import load_feedback_demo
from bianmin.hall.demo import load_hall_demo
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.identity.services import register_person
from bianmin.identity.validators import id_check_char
from bianmin.org.models import Center, Department, Region
from bianmin.org.services import load_divisions
from bianmin.portal.demo import load_portal_demo
from bianmin.queueing.demo import load_queue_demo
from bianmin.staffing.demo import load_staffing_demo
from bianmin.supervision.demo import load_supervision_demo

DEMO_PASSWORD = "Bianmin@2026"
DEMO_CENTER = "341502100000"  # 木厂镇, 金安区
OTHER_CENTER = "341502104000"  # 毛坦厂镇, 金安区


# County departments that decide township cases (后台分类审批), with the catalogue domain each serves.
COUNTY_DEPARTMENTS = [
    ("金安区民政局", "民政"),
    ("金安区人力资源和社会保障局", "人社"),
    ("金安区医疗保障局", "医保"),
    ("金安区卫生健康委员会", "卫健"),
    ("金安区退役军人事务局", "退役军人"),
    ("金安区残疾人联合会", "残联"),
    ("金安区应急管理局", "应急管理"),
    ("金安区市场监督管理局", "市场监管"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    scope: str
    staff_number: str = ""


def identity_number(region6: str, birth: str, seq3: str) -> str:
    first17 = region6 + birth + seq3
    return first17 + id_check_char(first17)


@transaction.atomic
def load_demo(progress=None, *, full: bool = True, stage=None) -> list[DemoAccount]:
    """Everything `make demo` shows: divisions and accounts, then (``full``) the catalogue and
    the 140 centers' halls. ``stage(name)`` is told when each part starts (progress lines)."""
    stage = stage or (lambda name: None)
    stage("divisions")
    load_divisions(progress=progress)
    password_hash = make_password(DEMO_PASSWORD)  # hashed once (Argon2 is slow on purpose)
    jinan = Region.objects.get(code="341502000000")
    city = Region.objects.get(code="341500000000")
    center = Center.objects.get(region__code=DEMO_CENTER)
    other_center = Center.objects.get(region__code=OTHER_CENTER)
    departments = {}
    for name, domain in COUNTY_DEPARTMENTS:
        departments[domain], _ = Department.objects.get_or_create(
            region=jinan, name=name, defaults={"domain": domain}
        )
    # Every center gets an address and phones (invented for the demo; 12345 is the real
    # government service hotline) so that guides printed for a center are complete.
    for c in Center.objects.select_related("region__parent").filter(phone=""):
        c.address = f"安徽省六安市{c.region.parent.name}{c.region.name}便民服务中心"
        c.phone = f"0564-{int(c.region.code[2:9]) % 9000000 + 1000000}"
        c.complaint_phone = "12345"
        c.save(update_fields=["address", "phone", "complaint_phone"])

    specs = [
        ("admin", "系统管理员", Role.SYSTEM_ADMIN, {}, ""),
        ("city", "王科长", Role.CITY_SUPERVISOR, {"region": city}, "S0001"),
        ("county", "刘科长", Role.COUNTY_SUPERVISOR, {"region": jinan}, "S0101"),
        ("manager", "陈主任", Role.CENTER_MANAGER, {"center": center}, "M0301"),
        ("clerk", "张敏", Role.WINDOW_CLERK, {"center": center}, "C0303"),
        ("clerk2", "李娜", Role.WINDOW_CLERK, {"center": center}, "C0304"),
        ("clerk_mtc", "周强", Role.WINDOW_CLERK, {"center": other_center}, "C0501"),
        (
            "officer",
            "赵干事",
            Role.BACK_OFFICE_OFFICER,
            {"department": departments["民政"]},
            "B0201",
        ),
        ("citizen", "王建国", Role.CITIZEN, {}, ""),
    ]
    accounts = []
    for username, full_name, role, scope, staff_number in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.full_name = full_name
        user.role = role
        user.staff_number = staff_number
        user.center = scope.get("center")
        user.department = scope.get("department")
        user.region = scope.get("region")
        user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
        user.is_active = True
        user.password = password_hash
        user.full_clean()
        user.save()
        accounts.append(
            DemoAccount(
                username,
                full_name,
                str(user.get_role_display()),
                str(user.scope_label),
                staff_number,
            )
        )

    citizen = User.objects.get(username="citizen")
    register_person(
        name="王建国",
        id_number=identity_number("341502", "19480315", "123"),
        mobile="13905641234",
        user=citizen,
    )
    register_person(
        name="李秀英", id_number=identity_number("341502", "19920708", "246"), mobile="18756410001"
    )
    register_person(name="张桂兰", id_number=identity_number("341524", "19560102", "328"))
    if full:
        stage("catalogue")
        load_catalogue_demo(progress=progress)
        stage("hall")
        load_hall_demo(User.objects.get(username="admin"), password_hash, progress=progress)
        stage("queue")
        load_queue_demo(progress=progress)
        stage("cases")
        load_cases_demo(progress=progress)
        stage("ratings")
        load_feedback_demo(progress=progress)
        stage("supervision")
        load_supervision_demo(progress=progress)
        stage("portal")
        load_portal_demo(progress=progress)
        stage("staffing")
        load_staffing_demo(progress=progress)
        for user in User.objects.filter(username__in=["clerk3", "clerk4"]).order_by("-username"):
            accounts.insert(
                6,
                DemoAccount(
                    user.username,
                    user.full_name,
                    str(user.get_role_display()),
                    str(user.scope_label),
                    user.staff_number,
                ),
            )
    return accounts
