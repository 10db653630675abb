"""The demo: 刘科长's unannounced inspection of 木厂镇 with its two findings as open tasks, and
a county ranking with figures for every center of 金安区."""

from __future__ import annotations

import time

import pytest

from bianmin.identity.roles import Role
from bianmin.org.models import Region
from bianmin.supervision import assessment
from bianmin.supervision.demo import DEMO_SUMMARY, load_supervision_demo
from bianmin.supervision.models import Inspection, RectificationTask

pytestmark = pytest.mark.django_db


def test_the_demo_inspection_of_muchang_leaves_two_open_tasks(make_user, muchang, checklist):
    county = make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code="341502000000"))
    make_user(Role.CENTER_MANAGER, center=muchang)
    started = time.monotonic()
    made = load_supervision_demo()
    assert time.monotonic() - started < 10
    jinan = Region.objects.get(code="341502000000")
    assert made == jinan.children.filter(center__isnull=False).count()
    insp = Inspection.objects.get(center=muchang, summary=DEMO_SUMMARY)
    assert insp.state == "finished" and insp.inspector == county and insp.unannounced
    tasks = RectificationTask.objects.filter(inspection=insp).order_by("answer__code")
    assert [t.title for t in tasks] == [
        "窗口岗位公示牌齐全，姓名、照片、A/B岗与现岗一致（现行有效）",
        "配备助听器",
    ]
    assert all(t.state == "open" for t in tasks)
    assert load_supervision_demo() == 0  # idempotent
    from bianmin.catalog.models import AuditRun

    assert AuditRun.objects.filter(region=jinan, finished_at__isnull=False).count() == 1
    centers = Region.objects.get(code="341502000000").children.exclude(center__isnull=True)
    from bianmin.org.models import Center

    scores = assessment.assess(Center.objects.filter(region__in=centers), insp.finished_at.year)
    assert all(s.score is not None for s in scores)
