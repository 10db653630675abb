"""`make demo` as a whole: the real catalogue entered at all 140 centers, every hall set up."""

import pytest

from bianmin.catalog.models import Bundle, Domain, ItemEntry, ServiceItem
from bianmin.core.demo import load_demo
from bianmin.hall import selectors
from bianmin.hall.models import Post, Window
from bianmin.org.models import Center

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for this module (it takes a few seconds) and removed afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            load_demo()
            yield
            transaction.set_rollback(True)


def test_the_demo_has_the_real_catalogue(demo):
    assert ServiceItem.objects.filter(status="active").count() >= 60
    assert Domain.objects.count() >= 10
    assert Bundle.objects.count() >= 5


def test_every_center_has_a_valid_window_set_and_no_unrouted_item(demo):
    centers = list(Center.objects.all())
    assert len(centers) == 140
    for center in centers:
        kinds = list(center.windows.values_list("kind", flat=True))
        assert kinds.count("enquiry") == 1 and kinds.count("domain") in (2, 3), center
        assert Post.objects.filter(window__center=center).count() == len(kinds), center
        assert ItemEntry.objects.filter(center=center, withdrawn_on__isnull=True).exists(), center
        assert selectors.unserved_items(center) == [], center


def test_muchang_has_the_journeys_windows(demo):
    windows = {w.number: w for w in Window.objects.filter(center__region__code="341502100000")}
    assert windows[3].name == "社会保障类综合窗口" and windows[3].post.primary.full_name == "张敏"
    assert (
        windows[3].post.backup.full_name == "李娜" and windows[4].post.primary.full_name == "李娜"
    )
