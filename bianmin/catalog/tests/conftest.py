"""Fixtures of the catalogue's tests: the small catalogue, supervisors, a center manager."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.utils import translation

from bianmin.catalog.demo import load_catalogue_demo
from bianmin.catalog.models import GuideVersion, ServiceItem
from bianmin.identity.roles import Role
from bianmin.org.models import Region

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_catalogue.json"
JINAN = "341502000000"


@pytest.fixture(autouse=True)
def _in_chinese():
    """The site's language, even after a test elsewhere switched the thread to English."""
    translation.activate("zh-hans")


@pytest.fixture
def mini_data() -> dict:
    return json.loads(MINI.read_text(encoding="utf-8"))


@pytest.fixture
def catalogue(divisions):
    """The small catalogue loaded as the demo loads the real one (published, entered everywhere)."""
    load_catalogue_demo(path=MINI)
    return {i.basic_code: i for i in ServiceItem.objects.all()}


@pytest.fixture
def pension(catalogue) -> ServiceItem:
    return catalogue["000108014000"]


@pytest.fixture
def published(pension) -> GuideVersion:
    return pension.guide_versions.get(state=GuideVersion.State.PUBLISHED)


@pytest.fixture
def county_supervisor(make_user):
    return make_user(Role.COUNTY_SUPERVISOR, region=Region.objects.get(code=JINAN))


@pytest.fixture
def city_supervisor(make_user):
    return make_user(Role.CITY_SUPERVISOR, region=Region.objects.get(code="341500000000"))


@pytest.fixture
def manager(make_user, muchang):
    return make_user(Role.CENTER_MANAGER, center=muchang)


@pytest.fixture
def guide_dict(published):
    from bianmin.catalog.content import guide_content

    return copy.deepcopy(guide_content(published))
