"""The yearly assessment (年度考核): a score per center from measured figures, each component
traceable to the rows behind it, the county ranked in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bianmin.feedback.models import Rating, RatingInvitation
from bianmin.queueing.models import Queue, Ticket
from bianmin.supervision import assessment, services
from bianmin.supervision.models import AssessmentWeights

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(make_case, muchang, inspect, people):
    """木厂镇 in 2026: 4 ratings (3 positive), 4 cases due (1 late), 2 with a notice (1 needing
    a second), 5 tickets called (4 within 20 minutes), an inspection with 2 failed items."""
    from bianmin.cases.models import OneTimeNotice

    cases = []
    for n in range(4):
        c = make_case(when=at(2026, 3, 10 + n))
        c.due_at = at(2026, 3, 20 + n, 23, 59)
        c.decided_at = at(2026, 3, 25 + n) if n == 0 else at(2026, 3, 18)
        c.received_at = at(2026, 3, 2)
        c.save()
        cases.append(c)
    for c, numbers in ((cases[0], [1, 2]), (cases[1], [1])):
        for k in numbers:
            OneTimeNotice.objects.create(case=c, number=k, items=[], issued_at=at(2026, 3, 3))
    for n, level in enumerate([5, 5, 4, 1]):
        inv = RatingInvitation.objects.create(
            token=secrets.token_hex(8),
            center=muchang,
            kind="case",
            case=cases[n],
            label="t",
            finished_at=at(2026, 4, 1),
            expires_at=at(2026, 4, 8),
            created_at=at(2026, 4, 1),
        )
        Rating.objects.create(
            invitation=inv,
            center=muchang,
            kind="case",
            level=level,
            channel="api",
            rated_at=at(2026, 4, 2),
        )
    queue = Queue.objects.create(center=muchang, letter="S", name="社保")
    for n, wait in enumerate([300, 600, 900, 1200, 3000]):
        Ticket.objects.create(
            center=muchang,
            day=dt.date(2026, 5, 6),
            issued_queue=queue,
            queue=queue,
            number=n + 1,
            code=f"S{n + 1:03d}",
            public_id=secrets.token_hex(6),
            status="done",
            place_at=at(2026, 5, 6),
            ready_at=at(2026, 5, 6),
            purpose="enquiry",
            channel="kiosk",
            issued_at=at(2026, 5, 6),
            wait_seconds=wait,
        )
    inspect(fails={"sp_hearing_aid": "缺失", "fac_post_board": "过期"}, when=at(2026, 6, 1, 9))
    return cases


NOW = at(2026, 11, 28, 12)


def test_each_component_comes_from_its_figures(figures, muchang):
    score = assessment.assess([muchang], 2026, now=NOW)[0]
    c = {x.key: x for x in score.components}
    assert c["ratings"].score == 75.0  # 3 positive of 4 counted
    assert c["cases_on_time"].score == 75.0  # 1 of 4 decided after its deadline
    assert c["one_time_notice"].score == 50.0  # 1 of 2 needed a second notice
    assert c["queue_wait"].score == 80.0  # 4 of 5 called within 20 minutes
    assert c["inspection_items"].figures[2].value == 2  # 35 items: 33 passed, 2 failed
    assert c["inspection_items"].score == pytest.approx(100 * 33 / 35, abs=0.01)
    assert c["guides"].score is None  # no guide audit this year: not counted
    assert c["tasks_on_time"].score == 0.0  # both tasks past due, not rectified


def test_the_breakdowns_points_add_up_to_the_score(figures, muchang):
    score = assessment.assess([muchang], 2026, now=NOW)[0]
    counted = [c for c in score.components if c.counted]
    assert sum(c.points for c in counted) == pytest.approx(score.score)
    weight = sum(c.weight for c in counted)
    assert weight == score.weight_counted == 100 - 15  # guides not counted
    expected = sum(c.weight * c.score for c in counted) / weight
    assert score.score == pytest.approx(expected)


def test_weights_are_configurable_per_year(figures, muchang):
    before = assessment.assess([muchang], 2026, now=NOW)[0].score
    AssessmentWeights.objects.create(
        year=2026,
        ratings=100,
        cases_on_time=0,
        one_time_notice=0,
        queue_wait=0,
        guides=0,
        inspection_items=0,
        tasks_on_time=0,
    )
    after = assessment.assess([muchang], 2026, now=NOW)[0]
    assert after.score == pytest.approx(75.0) and after.score != before


def test_a_longer_wait_target_counts_more_tickets_within_it(figures, muchang):
    AssessmentWeights.objects.create(year=2026, wait_target_minutes=60)
    c = assessment.assess([muchang], 2026, now=NOW)[0].component("queue_wait")
    assert c.score == 100.0


def test_centers_without_figures_are_ranked_after_those_with(figures, muchang, maotanchang):
    scores = assessment.assess([maotanchang, muchang], 2026, now=NOW)
    assert scores[0].center == muchang and scores[0].rank == 1
    assert scores[1].score is None and scores[1].rank is None


def test_the_breakdown_page_lists_the_rows_behind_the_figures(client, figures, people):
    client.force_login(people["county"])
    page = client.get("/supervision/assessment/2026/341502100000/").content.decode()
    assert figures[0].number in page  # the late case
    assert "配备助听器" in page  # the failed item's task
    assert "得分 = 各项计入分值之和" in page


def test_a_manager_sees_their_own_assessment_only(client, figures, people):
    client.force_login(people["manager"])
    assert client.get("/supervision/assessment/2026/341502100000/").status_code == 200
    assert client.get("/supervision/assessment/2026/").status_code == 302  # to their own page
    client.force_login(people["other_manager"])
    assert client.get("/supervision/assessment/2026/341502100000/").status_code == 403


def test_the_county_ranking_page_ranks_its_centers(client, figures, people):
    client.force_login(people["county"])
    page = client.get("/supervision/assessment/2026/").content.decode()
    assert "木厂镇便民服务中心" in page and "毛坦厂镇便民服务中心" in page
    assert 'id="ranking-chart"' in page and "echarts" in page


def test_the_ranking_costs_the_same_few_queries_for_a_county(client, figures, people, divisions):
    client.force_login(people["county"])
    client.get("/supervision/assessment/2026/")  # warm the session, the content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/supervision/assessment/2026/").status_code == 200
    assert len(ctx.captured_queries) <= 20, [q["sql"][:120] for q in ctx.captured_queries]


def test_a_supervisor_of_another_county_is_refused_the_ranking(client, figures, people):
    client.force_login(people["other_county"])
    assert client.get("/supervision/assessment/2026/?county=341502000000").status_code == 403
    assert client.get("/supervision/assessment/2026/341502100000/").status_code == 403


def test_a_bad_year_or_center_is_refused(client, people):
    client.force_login(people["county"])
    assert client.get("/supervision/assessment/2026/341502999999/").status_code == 404
    client.force_login(people["city"])
    bad = client.get("/supervision/assessment/2026/?county=341599000000")
    assert bad.status_code == 422 and "县区" in bad.content.decode()


def test_services_weights_default_when_none_entered(db):
    w = services.weights_for(2030)
    assert w.pk is None and w.ratings == 20 and w.wait_target_minutes == 20
    total = w.ratings + w.cases_on_time + w.one_time_notice + w.queue_wait + w.guides
    assert total + w.inspection_items + w.tasks_on_time == 100


def test_guide_completeness_is_the_centers_score_in_the_years_latest_audit(muchang, maotanchang):
    from bianmin.catalog.models import AuditRun

    old = AuditRun.objects.create(scores={"centers": {str(muchang.pk): 40.0}})
    AuditRun.objects.filter(pk=old.pk).update(finished_at=at(2026, 2, 1))
    new = AuditRun.objects.create(scores={"centers": {str(muchang.pk): 82.5}})
    AuditRun.objects.filter(pk=new.pk).update(finished_at=at(2026, 9, 1))
    later = AuditRun.objects.create(scores={"centers": {str(muchang.pk): 10.0}})
    AuditRun.objects.filter(pk=later.pk).update(finished_at=at(2027, 1, 5))  # next year's
    scores = {s.center: s for s in assessment.assess([muchang, maotanchang], 2026, now=NOW)}
    guides = scores[muchang].component("guides")
    assert guides.score == 82.5 and guides.figures[0].value == "2026-09-01"
    assert scores[muchang].score == 82.5  # the only component with figures
    assert scores[maotanchang].component("guides").score is None
    # One component of 15 weight in 100: a score, but too few figures to be ranked.
    assert not scores[muchang].complete and scores[muchang].rank is None


def test_a_center_measured_on_too_few_figures_is_listed_after_the_ranked(
    figures, muchang, maotanchang, inspect
):
    inspect(fails={"sp_wheelchair": "损坏"}, center=maotanchang, when=at(2026, 6, 2, 9))
    scores = assessment.assess([maotanchang, muchang], 2026, now=NOW)
    assert [s.center for s in scores] == [muchang, maotanchang]
    assert scores[0].rank == 1 and scores[0].complete
    assert scores[1].score is not None and scores[1].rank is None  # 20 of 100 weight
