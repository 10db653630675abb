"""Bundles (一件事): the merged material list asks for a document once."""

import pytest
from django.core.exceptions import ValidationError

from bianmin.catalog import selectors, services
from bianmin.catalog.models import Bundle

pytestmark = pytest.mark.django_db


def test_a_material_needed_by_several_items_appears_once(catalogue):
    bundle = Bundle.objects.get(code="retirement")
    items = selectors.bundle_items(bundle)
    merged = selectors.merged_materials(items)
    names = [m.name for m in merged]
    assert names.count("居民身份证") == 1 and names.count("户口簿") == 1
    id_card = merged[names.index("居民身份证")]
    assert len(id_card.items) == 2 and id_card.shared
    assert id_card.forms == ["原件", "原件和复印件"]  # what each item asks, listed together
    assert id_card.paper_copies == 1
    household = merged[names.index("户口簿")]
    assert household.paper_copies == 2
    assert not household.deferrable  # deferrable for one item, not for the other
    assert len(merged) == 4  # six materials in two guides; 居民身份证 and 户口簿 are brought once


def test_a_bundle_groups_at_least_two_known_items(county_supervisor, catalogue):
    with pytest.raises(ValidationError) as error:
        services.save_bundle(
            county_supervisor,
            {"code": "death", "name": "身后事一件事", "life_event": "身后事", "items": ["MZ0001"]},
        )
    assert error.value.messages == ["事项：一件事至少包含两个不同的事项。"]
    with pytest.raises(ValidationError) as error:
        services.save_bundle(
            county_supervisor,
            {
                "code": "death",
                "name": "身后事一件事",
                "life_event": "身后事",
                "items": ["MZ0001", "NOPE"],
            },
        )
    assert error.value.messages == ["事项第2项：没有基本编码为NOPE的事项。"]
    bundle = services.save_bundle(
        county_supervisor,
        {
            "code": "disability",
            "name": "残疾人服务一件事",
            "life_event": "残疾人服务",
            "items": ["CL0001", "MZ0001"],
        },
    )
    assert [i.basic_code for i in selectors.bundle_items(bundle)] == ["CL0001", "MZ0001"]
