"""Demo data of the supervision app, loaded by bianmin.core.demo after the ratings demo.

- 刘科长 (county supervisor of 金安区) inspected 木厂镇 unannounced three days ago: the hearing
  aid is missing and the post board is outdated; both are open rectification tasks;
- earlier this year she inspected every other center of 金安区 once: some items failed, and
  their tasks were rectified on time, late, or not yet;
- this month's guide audit of 金安区 (``catalog.audit.run_audit``, her monthly check of the
  guides), so every center of the county has its guide score; ratings, cases and queue figures
  come from the other apps' demos (木厂镇 and 毛坦厂镇 have them all: they are ranked; the other
  centers are listed with their score, marked 数据不足).

Inspections are made through the services (hints, events, tasks); the answers of the earlier
ones are written in one bulk update (history needs no workflow). Idempotent: a second run adds
nothing. Takes about a second per ten centers.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.org.models import Center, Region

from . import services
from .models import Inspection, InspectionAnswer, RectificationTask, Result

MUCHANG = "341502100000"
JINAN = "341502000000"
DEMO_SUMMARY = "四不两直专项检查（演示）"
FINDINGS = {
    "sp_hearing_aid": "未见助听器，物品柜中也没有；台账仍登记为“完好”。",
    "fac_post_board": "3号窗口岗位公示牌仍为已调岗人员，照片和A/B岗信息未更新。",
}
EARLIER_FAILS = [
    ("sp_wheelchair", "轮椅损坏，无法使用。"),
    ("mg_away_board", "2号窗口离岗未摆放告知牌。"),
    ("fac_guides", "部分纸质办事指南为旧版本。"),
    ("mg_badges", "一名工作人员未佩戴工作牌。"),
    ("layout_waiting", "等候区座椅不足。"),
    ("sp_first_aid", "医药箱内药品过期。"),
]


def _inspector() -> User | None:
    return (
        User.objects.filter(username="county").first()
        or User.objects.filter(role=Role.COUNTY_SUPERVISOR, region__code=JINAN).first()
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _answer_all(inspection: Inspection, fails: dict[str, str], when: dt.datetime, actor) -> None:
    answers = list(inspection.answers.all())
    for a in answers:
        if a.code in fails:
            a.result, a.note, a.deadline_days = Result.FAIL, fails[a.code], 10
        elif a.code in ("sv_delivery",):
            a.result, a.note = Result.NOT_APPLICABLE, "本中心暂未开展寄递。"
        else:
            a.result = Result.PASS
        a.answered_at, a.answered_by = when, actor
    InspectionAnswer.objects.bulk_update(
        answers, ["result", "note", "deadline_days", "answered_at", "answered_by"]
    )


@transaction.atomic
def load_supervision_demo(progress=None, *, now: dt.datetime | None = None) -> int:
    """Returns the number of inspections made (0 when the demo is there already)."""
    now = now or timezone.now()
    inspector = _inspector()
    muchang = Center.objects.filter(region__code=MUCHANG).select_related("region").first()
    if inspector is None or muchang is None:
        return 0
    if Inspection.objects.filter(center=muchang, summary=DEMO_SUMMARY).exists():
        return 0
    services.load_default_checklist()
    rng = random.Random(2026)
    today = timezone.localdate(now)
    made = 0
    # Earlier this year: each other center of the county, once.
    others = list(
        Center.objects.filter(region__parent__code=JINAN)
        .exclude(pk=muchang.pk)
        .select_related("region__parent")
        .order_by("region__code")
    )
    start_of_year = dt.date(today.year, 1, 1)
    span = max(1, (today - start_of_year).days - 40)
    for n, center in enumerate(others):
        day = start_of_year + dt.timedelta(days=10 + (n * 37) % span)
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        started = _at(day, 9)
        insp = services.start_inspection(inspector, center, now=started)
        fails = dict(rng.sample(EARLIER_FAILS, k=rng.randint(1, 4)))
        _answer_all(insp, fails, started + dt.timedelta(minutes=40), inspector)
        services.finish_inspection(
            inspector, insp, summary="日常督导检查（演示）", now=started + dt.timedelta(hours=1)
        )
        manager = User.objects.filter(role=Role.CENTER_MANAGER, center=center).first()
        for task in RectificationTask.objects.filter(inspection=insp).order_by("id"):
            fate = rng.random()
            if fate < 0.15:
                continue  # still open: overdue, red
            # On time (most), or late by a few days.
            offset = dt.timedelta(days=rng.randint(2, 9)) if fate < 0.8 else dt.timedelta(days=20)
            submitted = min(started + offset, now - dt.timedelta(hours=2))
            actor = manager or User.objects.filter(role=Role.SYSTEM_ADMIN).first()
            if actor is None:
                continue
            services.submit_task(
                actor, task, response="已整改：已购置、更换并拍照存档（演示）。", now=submitted
            )
            services.verify_task(
                inspector, task, accept=True, now=submitted + dt.timedelta(hours=1)
            )
        made += 1
        if progress:
            progress(n + 1, len(others) + 1)
    # 木厂镇, three days ago: two findings, open tasks.
    day = today - dt.timedelta(days=3)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    started = _at(day, 10)
    insp = services.start_inspection(inspector, muchang, now=started)
    _answer_all(insp, FINDINGS, started + dt.timedelta(minutes=45), inspector)
    services.finish_inspection(
        inspector,
        insp,
        summary=DEMO_SUMMARY,
        now=started + dt.timedelta(hours=1),
    )
    made += 1
    _guide_audit(inspector, now)
    if progress:
        progress(len(others) + 1, len(others) + 1)
    return made


def _guide_audit(inspector: User, now: dt.datetime) -> None:
    """This month's guide audit of the county, unless one ran this year."""
    from bianmin.catalog.audit import run_audit
    from bianmin.catalog.models import AuditRun

    county = Region.objects.get(code=JINAN)
    year_start = dt.datetime(now.year, 1, 1, tzinfo=timezone.get_current_timezone())
    done = AuditRun.objects.filter(
        Q(region=county) | Q(region__isnull=True),
        finished_at__isnull=False,
        finished_at__gte=year_start,
    )
    if not done.exists():
        run_audit(inspector, region=county, now=now)
