"""Demo data of the feedback app, loaded by bianmin.core.demo after the cases demo.

A year of ratings at 木厂镇 and 毛坦厂镇 at the policy's scale — about 50,000 window visits rated,
≈ 99.99 % positive — written as plain rows (history needs no workflow), then a few bad
ratings made through the services so that 陈主任 (manager) sees rectifications in progress at
木厂镇: one to verify, one being rectified, one answered and waiting for the call back, one
overdue and escalated to 刘科长 (county); two older ones closed, one excluded after an appeal.
Also 办不成事 reports with recurring causes. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from bianmin.catalog.models import ServiceItem
from bianmin.common import rows
from bianmin.hall.models import Window
from bianmin.identity.models import User
from bianmin.org.models import Center
from bianmin.queueing.models import Visit

from . import services, timers
from .models import Rating, RatingInvitation

MUCHANG = "341502100000"
MAOTANCHANG = "341502104000"
DEMO_NOTE = "演示评价"
PER_CENTER = {MUCHANG: 30000, MAOTANCHANG: 20000}


def _working_moments(rng: random.Random, days: int, count: int, now: dt.datetime):
    """``count`` moments on weekdays over the last ``days`` days, in opening hours."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    weekdays = [
        today - dt.timedelta(days=d)
        for d in range(8, days)
        if (today - dt.timedelta(days=d)).weekday() < 5
    ]
    for _ in range(count):
        day = rng.choice(weekdays)
        minute = rng.choice(
            [rng.randint(8 * 60 + 40, 11 * 60 + 50), rng.randint(14 * 60 + 40, 17 * 60 + 20)]
        )
        yield dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)


def _history(center: Center, count: int, rng: random.Random, now, progress=None) -> list[int]:
    windows = list(Window.objects.filter(center=center, active=True).select_related("post"))
    pairs = [(w, w.post.primary) for w in windows if getattr(w, "post", None) and w.post.primary_id]
    if not pairs:
        staff = User.objects.filter(center=center, role="window_clerk").first()
        if staff is None:
            return []
        pairs = [(w, staff) for w in windows] or [(None, staff)]
    items = list(ServiceItem.objects.filter(status="active").order_by("pk")[:60]) or [None]
    rating_days = services.settings_for(center).rating_days
    moments = sorted(_working_moments(rng, 365, count, now))
    # Plain rows, not instances: 3 × 50,000 rows, about ten times faster than bulk_create.
    visit_rows = []
    for i, m in enumerate(moments):
        window, clerk = pairs[i % len(pairs)]
        visit_rows.append(
            (
                center.pk,
                m - dt.timedelta(minutes=rng.randint(3, 15)),
                clerk.pk,
                window.pk if window else None,
                m,
                clerk.pk,
                "enquiry" if rng.random() < 0.55 else "case",
                DEMO_NOTE,
            )
        )
    visit_ids = rows.insert_many(
        Visit,
        [
            "center_id",
            "opened_at",
            "first_responder_id",
            "first_window_id",
            "ended_at",
            "ended_by_id",
            "outcome",
            "note",
        ],
        visit_rows,
    )
    invitation_rows = []
    for i, (visit_id, m) in enumerate(zip(visit_ids, moments, strict=True)):
        window, clerk = pairs[i % len(pairs)]
        item = items[i % len(items)]
        label = f"{item.name} · " if item else ""
        invitation_rows.append(
            (
                services.new_token(),
                center.pk,
                "visit",
                visit_id,
                clerk.pk,
                window.pk if window else None,
                item.pk if item else None,
                f"{label}{window or center}"[:200],
                m,
                m + dt.timedelta(days=rating_days),
                m,
            )
        )
    invitation_ids = rows.insert_many(
        RatingInvitation,
        [
            "token",
            "center_id",
            "kind",
            "visit_id",
            "clerk_id",
            "window_id",
            "item_id",
            "label",
            "finished_at",
            "expires_at",
            "created_at",
        ],
        invitation_rows,
    )
    channels = ["pad"] * 8 + ["sms", "portal"]

    def ratings():
        for invitation_id, inv in zip(invitation_ids, invitation_rows, strict=True):
            r = rng.random()
            level = 5 if r < 0.88 else 4 if r < 0.98 else 3
            reasons = ["service_attitude"] if level == 5 and rng.random() < 0.3 else []
            channel = rng.choice(channels)
            rated_at = inv[8] + dt.timedelta(minutes=rng.randint(0, 3))
            # invitation, center, kind, clerk, window, item, level, reasons, channel, rated_at
            yield (invitation_id, *inv[1:3], *inv[4:7], level, reasons, channel, rated_at)

    rows.insert_many(
        Rating,
        [
            "invitation_id",
            "center_id",
            "kind",
            "clerk_id",
            "window_id",
            "item_id",
            "level",
            "reasons",
            "channel",
            "rated_at",
        ],
        ratings(),
        returning=False,
    )
    return visit_ids


def _bad(visit, *, level, comment, reasons, rated_at):
    inv = services.invitation_for_visit(visit, now=rated_at)
    return services.submit_rating(
        invitation=inv,
        level=level,
        comment=comment,
        reasons=reasons,
        channel="sms",
        token=inv.token,
        now=rated_at,
    )


def _live_visit(center, clerk, window, when, rng) -> Visit:
    return Visit.objects.create(
        center=center,
        opened_at=when - dt.timedelta(minutes=12),
        first_responder=clerk,
        first_window=window,
        ended_at=when,
        ended_by=clerk,
        outcome="enquiry",
        note="演示差评",
    )


def _reports(center: Center, manager, clerk, now) -> int:
    from .models import UnresolvedReport

    if UnresolvedReport.objects.filter(center=center).exists():
        return 0
    items = {i.name: i for i in ServiceItem.objects.filter(status="active")}

    def item(fragment):
        return next((i for n, i in items.items() if fragment in n), None)

    rows = [
        (
            "不动产登记（房屋过户）",
            "not_entered",
            "该事项未下沉到乡镇，需到区不动产登记中心办理",
            item("不动产"),
            3,
        ),
        (
            "办理残疾人证换证",
            "guide",
            "办事指南写需要户口簿原件，窗口实际还要近期体检表",
            item("残疾"),
            2,
        ),
        ("社保缴费记录打印", "system", "省社保系统当天无法登录", item("社会保险"), 2),
        ("个体户注销", "departments", "市场监管所和税务分局互相让先去对方办理", item("个体"), 1),
    ]
    n = 0
    for wanted, cause, why, it, times in rows:
        for k in range(times):
            when = now - dt.timedelta(days=20 - n * 2, hours=k)
            r = services.report_unresolved(
                clerk,
                center=center,
                source="unresolved_window" if k % 2 == 0 else "enquiry_window",
                wanted=wanted,
                cause=cause,
                why=why,
                item=it,
                name="王**",
                now=when,
            )
            if n % 3 != 2:
                services.assign_report(manager, r, assignee=clerk, now=when + dt.timedelta(hours=1))
                if n % 3 == 0:
                    services.resolve_report(
                        clerk,
                        r,
                        resolution="已联系区级部门，预约上门代办"
                        if cause != "system"
                        else "次日系统恢复后办结",
                        resolved=True,
                        now=when + dt.timedelta(days=1),
                    )
                    services.follow_up_report(
                        manager, r, note="电话回访，群众表示满意", now=when + dt.timedelta(days=2)
                    )
            n += 1
    return n


@transaction.atomic
def load_feedback_demo(progress=None) -> int:
    muchang = Center.objects.filter(region__code=MUCHANG).first()
    if muchang is None or Rating.objects.filter(center=muchang).exists():
        return 0
    rng = random.Random(7)
    now = timezone.now()
    made = 0
    for code, count in PER_CENTER.items():
        center = Center.objects.filter(region__code=code).first()
        if center is None:
            continue
        made += len(_history(center, count, rng, now, progress))
        if progress:
            progress(made, sum(PER_CENTER.values()))
    manager = User.objects.filter(username="manager").first()
    county = User.objects.filter(username="county").first()
    clerk = User.objects.filter(username="clerk").first() or manager
    clerk2 = User.objects.filter(username="clerk2").first() or clerk
    if manager is None or clerk is None:
        return made
    windows = {w.number: w for w in Window.objects.filter(center=muchang)}
    w3 = windows.get(3) or next(iter(windows.values()), None)
    w2 = windows.get(2) or w3

    def ago(days, hour=10):
        day = timezone.localdate(now) - dt.timedelta(days=days)
        tz = timezone.get_current_timezone()
        return dt.datetime.combine(day, dt.time(hour, 15), tzinfo=tz)

    # Older bad ratings: two closed on time, one excluded after the county upheld an appeal.
    for days, comment in [(120, "等了很久没人理"), (60, "窗口人员说话不耐烦")]:
        rating = _bad(
            _live_visit(muchang, clerk2, w2, ago(days), rng),
            level=2,
            comment=comment,
            reasons=["service_attitude"],
            rated_at=ago(days, 11),
        )
        rect = rating.rectification
        services.verify(
            manager, rect, finding="partly", note="调取监控，属实但情有可原", now=ago(days - 1)
        )
        services.rectify(
            manager, rect, measures="窗口人员作出书面说明，开展文明用语培训", now=ago(days - 2)
        )
        services.answer_rater(
            manager,
            rect,
            answer="已对窗口人员批评教育并组织培训，感谢您的监督。",
            now=ago(days - 2, 15),
        )
        services.close_rectification(
            manager,
            rect,
            callback_result="satisfied",
            callback_note="电话回访满意",
            now=ago(days - 3),
        )
    excluded = _bad(
        _live_visit(muchang, clerk, w3, ago(90), rng),
        level=1,
        comment="（与办事无关的内容）",
        reasons=[],
        rated_at=ago(90, 11),
    )
    appeal = services.file_appeal(
        manager,
        excluded,
        ground="malicious",
        reason="评价人当天未到中心办事，监控与取号记录可证",
        now=ago(89),
    )
    if county is not None:
        services.review_appeal(
            county,
            appeal,
            uphold=True,
            note="经核查取号与监控记录，属恶意差评，不纳入统计",
            now=ago(87),
        )
    # Live ones at 木厂镇, in every step, for 陈主任 to work on.
    to_verify = _bad(
        _live_visit(muchang, clerk, w3, ago(0, 9), rng),
        level=2,
        comment="材料说了两次才说清楚，跑了两趟",
        reasons=["service_efficiency", "service_level"],
        rated_at=ago(0, 9) + dt.timedelta(minutes=5),
    )
    rectifying = _bad(
        _live_visit(muchang, clerk2, w2, ago(2), rng),
        level=1,
        comment="窗口说不归他们管，让我去区里",
        reasons=["service_attitude"],
        rated_at=ago(2, 11),
    )
    services.verify(
        manager,
        rectifying.rectification,
        finding="true",
        note="核实属实：该事项可在本中心帮办代办",
        now=ago(1),
    )
    answered = _bad(
        _live_visit(muchang, clerk, w3, ago(4), rng),
        level=2,
        comment="等待时间太长",
        reasons=["service_efficiency"],
        rated_at=ago(4, 11),
    )
    services.verify(
        manager,
        answered.rectification,
        finding="partly",
        note="当天上午高峰，等候约40分钟",
        now=ago(3),
    )
    services.rectify(
        manager, answered.rectification, measures="高峰时段增开一个综合窗口", now=ago(3, 15)
    )
    services.answer_rater(
        manager,
        answered.rectification,
        answer="已在上午高峰增开窗口，感谢您的意见。",
        now=ago(2, 16),
    )
    overdue = _bad(
        _live_visit(muchang, clerk2, w2, ago(12), rng),
        level=2,
        comment="一次性告知不清楚",
        reasons=["service_level"],
        rated_at=ago(12, 11),
    )
    services.tag_conduct(manager, rating=rectifying, tags=["shirk", "ten_02"], now=ago(1))
    services.tag_conduct(manager, rating=overdue, tags=["mediocre"], now=ago(11))
    timers.run_timers(now=now)
    made += _reports(muchang, manager, clerk, now)
    for v in (to_verify, rectifying, answered, overdue):
        assert v.rectification.pk
    return made
