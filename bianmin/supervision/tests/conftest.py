"""Supervisors of two counties and the city, 木厂镇's manager, an inspection helper, and the
finished services of the feedback tests (cases, tickets) for the assessment's figures."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from bianmin.conftest import JINAN, JINZHAI, LUAN
from bianmin.feedback.tests.conftest import (  # noqa: F401 - fixtures used by the tests
    item,
    make_case,
    reference_data,
    staff,
    wang,
)
from bianmin.identity.roles import Role
from bianmin.org.models import Region
from bianmin.supervision import services

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def checklist(db):
    return services.load_default_checklist()


@pytest.fixture
def people(make_user, muchang, maotanchang, checklist):
    return {
        "county": make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code=JINAN)),
        "other_county": make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code=JINZHAI)),
        "city": make_user(Role.CITY_SUPERVISOR, region=Region.objects.get(code=LUAN)),
        "manager": make_user(Role.CENTER_MANAGER, center=muchang),
        "other_manager": make_user(Role.CENTER_MANAGER, center=maotanchang),
        "clerk": make_user(Role.WINDOW_CLERK, center=muchang),
    }


@pytest.fixture
def inspect(people, muchang):
    """inspect(fails={code: note}, when=..., days=10, finish=True): an inspection of 木厂镇 by
    the county supervisor, every item passed except ``fails``."""

    def make(fails=None, when=None, days=None, finish=True, center=None, by=None):
        fails = fails or {}
        when = when or at(2026, 3, 2, 9)
        by = by or people["county"]
        insp = services.start_inspection(by, center or muchang, now=when)
        for a in insp.answers.all():
            if a.code in fails:
                services.answer_item(
                    by, a, result="fail", note=fails[a.code], deadline=days, now=when
                )
            else:
                services.answer_item(by, a, result="pass", now=when)
        if finish:
            services.finish_inspection(by, insp, now=when + dt.timedelta(hours=1))
        insp.refresh_from_db()
        return insp

    return make
