"""The demo catalogue: loads fast, publishes every guide, enters every item everywhere, idempotent."""

import pytest

from bianmin.catalog import rules
from bianmin.catalog.content import guide_content, item_fields
from bianmin.catalog.demo import CATALOGUE_JSON, load_catalogue_demo, read_catalogue
from bianmin.catalog.models import CatalogEvent, Domain, GuideVersion, ItemEntry, ServiceItem
from bianmin.catalog.tests.conftest import MINI
from bianmin.org.models import Center, Department, Region

pytestmark = pytest.mark.django_db


def test_the_loader_publishes_guides_creates_departments_and_enters_items_everywhere(divisions):
    seen = []
    result = load_catalogue_demo(progress=lambda done, total: seen.append((done, total)), path=MINI)
    centers = Center.objects.count()
    assert centers == 140
    assert result.applied.items_created == 4 and result.applied.guides_published == 4
    assert GuideVersion.objects.filter(state="published").count() == 4
    assert ItemEntry.objects.filter(withdrawn_on__isnull=True).count() == 4 * centers
    forwarded = ServiceItem.objects.get(basic_code="MZ0001")
    assert {e.mode for e in forwarded.entries.all()} == {ItemEntry.Mode.ASSISTED}
    township = ServiceItem.objects.get(basic_code="000108014000")
    assert {e.mode for e in township.entries.all()} == {ItemEntry.Mode.DELEGATED}
    jinan = Region.objects.get(code="341502000000")
    assert Department.objects.get(region=jinan, name="金安区民政局").domain == "民政"
    assert Department.objects.filter(domain="人社").count() == 7
    assert seen[-1] == (4 + centers, 4 + centers)


def test_loading_twice_changes_nothing(divisions):
    load_catalogue_demo(path=MINI)
    counts = (
        ServiceItem.objects.count(),
        GuideVersion.objects.count(),
        ItemEntry.objects.count(),
        CatalogEvent.objects.count(),
        Department.objects.count(),
    )
    again = load_catalogue_demo(path=MINI)
    assert not again.applied.changed
    assert counts == (
        ServiceItem.objects.count(),
        GuideVersion.objects.count(),
        ItemEntry.objects.count(),
        CatalogEvent.objects.count(),
        Department.objects.count(),
    )


def test_a_changed_seed_guide_becomes_a_new_version(divisions, tmp_path, mini_data):
    import json

    load_catalogue_demo(path=MINI)
    mini_data["items"][0]["guide"]["promised_days"] = 2
    changed = tmp_path / "catalogue.json"
    changed.write_text(json.dumps(mini_data, ensure_ascii=False), encoding="utf-8")
    result = load_catalogue_demo(path=changed)
    assert result.applied.guides_published == 1
    versions = GuideVersion.objects.filter(item__basic_code="000108014000").order_by("number")
    assert [(v.number, v.state) for v in versions] == [(1, "retired"), (2, "published")]


def test_the_real_catalogue_loads_with_complete_guides(divisions):
    if not CATALOGUE_JSON.exists():
        pytest.skip("data/catalogue.json is not written yet")
    data = read_catalogue()
    load_catalogue_demo()
    assert ServiceItem.objects.count() == len(data["items"])
    assert Domain.objects.count() == len(data["domains"])
    for version in GuideVersion.objects.filter(state="published").select_related("item"):
        problems = rules.guide_problems(guide_content(version))
        problems += rules.item_completeness_problems(item_fields(version.item))
        assert problems == [], version.item.name
