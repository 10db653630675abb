"""Demo cases: a realistic spread at 木厂镇 and a few other centers, in every state of the machine,
including overdue cases, open and broken pledges, a forwarded 残疾人证 and a posted result.

``load_cases_demo(progress=None)`` runs after the core demo (its accounts: 张敏, 赵干事, 陈主任,
周强) and the catalogue demo. Every case is made through ``services`` with past times, so every
case has its events and ``bianmin verify_events`` passes. Idempotent: a second run adds nothing.
Items the catalogue demo does not have (高龄津贴, 残疾人证, 个体工商户登记) are added as small demo
items so that the cases demo works on its own.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from bianmin.catalog.models import Domain, GuideVersion, ItemEntry, Material, ServiceItem, Step
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.identity.validators import id_check_char
from bianmin.org.models import Center, Department, Region
from bianmin.workdays.services import add_working_days

from . import scheduler, services
from .models import Case
from .services import ApplicantIn, DeliveryIn, HandoutIn, LineIn, PledgeIn, ProxyIn

MUCHANG = "341502100000"
OTHER_CENTERS = ("341502104000", "341502101000", "341502102000")
MARK = "【演示】"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = (
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "玉兰",
    "国华",
    "海燕",
    "德明",
    "淑珍",
    "长春",
    "红梅",
    "大爷",
)


def _id(rng: random.Random, county: str = "341502") -> str:
    birth = f"{rng.randint(1935, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = county + birth + f"{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def _person(rng: random.Random) -> ApplicantIn:
    return ApplicantIn(
        kind="person",
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        id_number=_id(rng),
        mobile=f"13{rng.randint(5, 9)}{rng.randint(0, 99999999):08d}",
    )


def _demo_item(
    code, basic, name, domain_name, group, *, level, frequency, promised, materials, steps
):
    item = ServiceItem.objects.filter(name__contains=name[:4], status="active").first()
    if item is not None and GuideVersion.objects.filter(item=item, state="published").exists():
        return item
    domain = Domain.objects.filter(name=domain_name).first() or Domain.objects.create(
        code=code, name=domain_name, full_name=domain_name, window_group=group
    )
    item = ServiceItem.objects.create(
        domain=domain,
        basic_code=basic,
        name=name,
        item_type="public_service",
        handling_level=level,
        frequency=frequency,
        for_person=True,
        for_organisation=name.startswith("个体"),
    )
    guide = GuideVersion.objects.create(
        item=item,
        number=1,
        state="published",
        promised_days=promised,
        statutory_days=max(promised, 20),
        allows_deferral=any(d for _, d in materials),
        published_at=timezone.now(),
    )
    for i, (material, deferrable) in enumerate(materials):
        Material.objects.create(guide=guide, order=i, name=material, deferrable=deferrable)
    for i, step in enumerate(steps):
        Step.objects.create(guide=guide, order=i, name=step)
    return item


def _items():
    return {
        "old_age": _demo_item(
            "minzheng",
            "DEMO00000001",
            "高龄津贴申领",
            "民政",
            "social_assistance",
            level="township",
            frequency="high",
            promised=10,
            materials=[("居民身份证", False), ("户口簿", False), ("本人银行卡（复印件）", True)],
            steps=["申请与受理", "审核", "审批", "送达"],
        ),
        "card": _demo_item(
            "canlian",
            "DEMO00000002",
            "第二代残疾人证申请（转报）",
            "残联",
            "social_assistance",
            level="county",
            frequency="forwarded",
            promised=7,
            materials=[("居民身份证", False), ("户口簿", False), ("二寸免冠照片", False)],
            steps=["申请", "受理", "县残联审核发证", "领取"],
        ),
        "business": _demo_item(
            "shichang",
            "DEMO00000003",
            "个体工商户登记",
            "市场监管",
            "other",
            level="township",
            frequency="high",
            promised=3,
            materials=[("经营者身份证明", False), ("经营场所证明", False)],
            steps=["申请", "受理", "审查", "决定"],
        ),
    }


def _lines(item, *, defer: bool = False, problem: str = "", **status) -> list[LineIn]:
    """All materials provided; ``defer``: the first deferrable one deferred; ``problem``: the
    first required one missing or defective, with a reason."""
    guide = GuideVersion.objects.get(item=item, state="published")
    out = []
    deferred = problem_done = False
    for m in guide.materials.all():
        s, reason = status.get(m.name, ("provided", ""))
        if defer and not deferred and m.deferrable and guide.allows_deferral:
            s, deferred = "deferred", True
        elif problem and not problem_done and m.necessity == "required" and not m.deferrable:
            s, reason, problem_done = (
                problem,
                "未携带" if problem == "missing" else "复印件不清晰",
                True,
            )
        elif m.necessity != "required":
            s = "not_needed"
        out.append(LineIn(m.pk, s, True, 1, reason))
    return out


def _staff(role: str, username: str, full_name: str, **scope) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, role=role, **scope)
        user.set_unusable_password()
        user.save()
    return user


def _ensure_entries(items, centers):
    # The demo's cases go back two months: the items were handled there by then.
    earliest = dt.date.today() - dt.timedelta(days=90)
    ItemEntry.objects.filter(
        center__in=centers,
        item__in=list(items.values()),
        withdrawn_on__isnull=True,
        entered_on__gt=earliest,
    ).update(entered_on=earliest)
    for center in centers:
        for item in items.values():
            if not ItemEntry.objects.filter(
                center=center, item=item, withdrawn_on__isnull=True
            ).exists():
                ItemEntry.objects.create(
                    center=center, item=item, mode="delegated", entered_on=dt.date(2020, 1, 1)
                )


def _ensure_departments(centers):
    for center in centers:
        county = center.region.parent
        for domain, suffix in (
            ("民政", "民政局"),
            ("市场监管", "市场监督管理局"),
            ("残联", "残疾人联合会"),
        ):
            if not Department.objects.filter(region=county, domain=domain).exists():
                Department.objects.create(region=county, name=county.name + suffix, domain=domain)


def _walk(case, steps, *, clerk, officer, manager, start, rng):
    """Move ``case`` through ``steps`` (names of stages), a working day or so apart."""
    when = start
    for stage in steps:
        when = timezone.make_aware(
            dt.datetime.combine(
                add_working_days(when, 1).date, dt.time(9 + rng.randint(0, 7), rng.randint(0, 59))
            )
        )
        if when > timezone.now():
            break
        if stage == "claim":
            services.claim(officer, case, now=when)
        elif stage == "step":
            services.complete_step(officer, case, note="材料核实无误", now=when)
        elif stage == "approve":
            services.approve(officer, case, result_note="准予", now=when)
        elif stage == "deny":
            services.deny(
                officer,
                case,
                reason="不符合申领条件",
                legal_basis="《六安市高龄津贴发放办法》第三条",
                now=when,
            )
        elif stage == "result":
            services.prepare_result(officer, case, now=when)
        elif stage == "hand_out":
            services.hand_out(clerk, case, HandoutIn(id_number=case._id_number), now=when)
        elif stage == "post":
            services.send_by_post(
                clerk,
                case,
                DeliveryIn(
                    recipient=case.applicant_name,
                    address="安徽省六安市金安区木厂镇东桥村12号",
                    carrier="中国邮政EMS",
                    tracking_number=f"11{rng.randint(10**10, 10**11 - 1)}",
                ),
                now=when,
            )
        elif stage == "delivered":
            services.confirm_delivery(clerk, case, now=when)
        elif stage == "suspend":
            services.suspend(officer, case, reason="等待户籍地核查结果", now=when)
        elif stage == "return":
            services.return_to_intake(officer, case, comment="户口簿复印件缺少本人页", now=when)
        elif stage == "extension":
            services.request_extension(officer, case, days=5, reason="需实地核查居住情况", now=when)
        elif stage == "approve_extension":
            services.approve_extension(manager, case, now=when)
        elif stage == "forward":
            services.forward(clerk, case, authority="金安区残疾人联合会", now=when)
        elif stage == "county_approve":
            services.record_county_result(
                clerk, case, approved=True, result_note="第二代残疾人证", now=when
            )
    return when


@transaction.atomic
def load_cases_demo(progress=None) -> int:
    """Load the demo cases once; returns how many cases were made (0 when already there)."""
    if Case.objects.filter(application_note__startswith=MARK).exists():
        return 0
    rng = random.Random(20260303)
    items = _items()
    muchang = Center.objects.select_related("region__parent").get(region__code=MUCHANG)
    others = list(
        Center.objects.select_related("region__parent").filter(region__code__in=OTHER_CENTERS)
    )
    _ensure_entries(items, [muchang, *others])
    _ensure_departments([muchang, *others])
    county = Region.objects.get(code="341502000000")
    minzheng = Department.objects.filter(region=county, domain="民政").first()
    clerk = User.objects.filter(username="clerk").first() or _staff(
        Role.WINDOW_CLERK, "demo_clerk", "张敏", center=muchang
    )
    officer = User.objects.filter(username="officer").first() or _staff(
        Role.BACK_OFFICE_OFFICER, "demo_officer", "赵干事", department=minzheng
    )
    manager = User.objects.filter(username="manager").first() or _staff(
        Role.CENTER_MANAGER, "demo_manager", "陈主任", center=muchang
    )
    now = timezone.now()
    plans = [
        # (days ago, item, checklist, accept?, pledge?, stages)
        (2, "old_age", {}, False, False, []),
        (1, "old_age", {"户口簿": ("missing", "未携带户口簿")}, False, False, []),
        (4, "old_age", {"户口簿": ("missing", "未携带户口簿")}, False, False, ["notice"]),
        (
            9,
            "old_age",
            {"户口簿": ("defective", "复印件缺少本人页")},
            False,
            False,
            [],
        ),  # deemed accepted
        (3, "old_age", {}, True, False, []),
        (3, "old_age", {"本人银行卡（复印件）": ("deferred", "")}, True, True, []),  # open pledge
        (
            12,
            "old_age",
            {"本人银行卡（复印件）": ("deferred", "")},
            True,
            True,
            [],
        ),  # broken pledge
        (40, "old_age", {"本人银行卡（复印件）": ("deferred", "")}, True, True, ["terminated"]),
        (6, "old_age", {}, True, False, ["claim"]),
        (8, "old_age", {}, True, False, ["claim", "step"]),
        (25, "old_age", {}, True, False, ["claim"]),  # overdue in the back office
        (30, "old_age", {}, True, False, []),  # overdue, nobody claimed it
        (10, "old_age", {}, True, False, ["claim", "return"]),
        (10, "old_age", {}, True, False, ["claim", "suspend"]),
        (9, "old_age", {}, True, False, ["claim", "extension"]),
        (12, "old_age", {}, True, False, ["claim", "extension", "approve_extension"]),
        (9, "old_age", {}, True, False, ["claim", "step", "approve"]),
        (9, "old_age", {}, True, False, ["claim", "step", "deny"]),
        (12, "old_age", {}, True, False, ["claim", "step", "approve", "result"]),
        (15, "old_age", {}, True, False, ["claim", "step", "approve", "result", "post"]),
        (
            20,
            "old_age",
            {},
            True,
            False,
            ["claim", "step", "approve", "result", "post", "delivered"],
        ),
        (20, "old_age", {}, True, False, ["claim", "step", "approve", "result", "hand_out"]),
        (5, "card", {}, True, False, ["forward"]),
        (14, "card", {}, True, False, ["forward", "county_approve"]),
        (2, "business", {}, True, False, []),
    ]
    made = 0
    total = len(plans) + 4 + 3 * len(others)
    for days, key, status, accept, with_pledge, stages in plans:
        start = now - dt.timedelta(days=days)
        applicant = _person(rng)
        proxy = None
        if rng.random() < 0.2:
            p = _person(rng)
            proxy = ProxyIn(
                kind="agent",
                name=p.name,
                id_number=p.id_number,
                mobile=p.mobile,
                authorization="授权委托书（申请人签字）",
            )
        item = items[key]
        lines = _lines(item, **status)
        pledge = None
        if with_pledge and any(line.status == "deferred" for line in lines):
            pledge = PledgeIn(due=add_working_days(start, 3).date, signer=applicant.name)
        elif with_pledge:
            stages = []  # this guide defers nothing: an ordinary acceptance
        case = services.open_case(
            clerk,
            center=muchang,
            item=item,
            applicant=applicant,
            proxy=proxy,
            checklist=lines,
            application_note=MARK + item.name,
            accept=accept,
            pledge=pledge,
            now=start,
        )
        case._id_number = applicant.id_number
        if "terminated" in stages:  # the pledge broke long ago: suspended, then terminated
            broke = timezone.make_aware(
                dt.datetime.combine(pledge.due + dt.timedelta(days=1), dt.time(8))
            )
            services.pledge_overdue(case, now=broke)
            later = add_working_days(broke, 6).date
            services.terminate_broken_pledge(
                case, now=timezone.make_aware(dt.datetime.combine(later, dt.time(8)))
            )
            stages = []
        if "notice" in stages:
            services.issue_notice(clerk, case, now=start + dt.timedelta(minutes=20))
            stages = [s for s in stages if s != "notice"]
        _walk(case, stages, clerk=clerk, officer=officer, manager=manager, start=start, rng=rng)
        made += 1
        if progress:
            progress(made, total)
    # A rejected and a withdrawn application.
    for verb in ("reject", "withdraw"):
        start = now - dt.timedelta(days=6)
        case = services.open_case(
            clerk,
            center=muchang,
            item=items["old_age"],
            applicant=_person(rng),
            checklist=_lines(items["old_age"]),
            application_note=MARK,
            now=start,
        )
        if verb == "reject":
            services.reject(
                clerk,
                case,
                reason="申请人未满80周岁",
                legal_basis="《六安市高龄津贴发放办法》第三条",
                now=start + dt.timedelta(minutes=15),
            )
        else:
            services.withdraw(
                clerk, case, reason="申请人要求撤回", now=start + dt.timedelta(minutes=15)
            )
        made += 1
    # A few cases at other centers.
    for center in others:
        other_clerk = User.objects.filter(
            role=Role.WINDOW_CLERK, center=center, is_active=True
        ).first() or _staff(
            Role.WINDOW_CLERK, f"demo_clerk_{center.region.code[6:9]}", "窗口演示", center=center
        )
        for days in (1, 5, 18):
            start = now - dt.timedelta(days=days)
            services.open_case(
                other_clerk,
                center=center,
                item=items["old_age"],
                applicant=_person(rng),
                checklist=_lines(items["old_age"]),
                application_note=MARK,
                accept=days > 1,
                now=start,
            )
            made += 1
            if progress:
                progress(made, total)
    scheduler.run_timers(now)  # deemed acceptance, broken pledges, warnings and overdue marks
    return made
