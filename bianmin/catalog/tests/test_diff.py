"""A readable diff between two guide versions."""

import pytest

from bianmin.catalog import services
from bianmin.catalog.diff import as_dict, diff_guides, diff_versions, text_segments

pytestmark = pytest.mark.django_db


def test_the_diff_names_each_change_in_words(county_supervisor, published, guide_dict):
    old = dict(guide_dict, materials=[dict(m) for m in guide_dict["materials"]])
    guide_dict["promised_days"] = 3
    guide_dict["materials"][1]["paper_copies"] = 2  # 户口簿
    guide_dict["materials"].append(
        {**guide_dict["materials"][0], "name": "银行卡", "form": "copy", "paper_copies": 1}
    )
    del guide_dict["materials"][0]  # 居民身份证 removed
    diff = diff_guides(old, guide_dict, old_number=1, new_number=2)
    assert [(c.label, c.old, c.new) for c in diff.fields] == [
        ("承诺时限", "1个工作日", "3个工作日")
    ]
    materials = diff.sections[0]
    assert materials.label == "申请材料"
    kinds = {(e.kind, e.name) for e in materials.entries}
    assert kinds == {("added", "银行卡"), ("removed", "居民身份证"), ("changed", "户口簿")}
    changed = next(e for e in materials.entries if e.kind == "changed")
    assert [(c.label, c.old, c.new) for c in changed.fields] == [("纸质份数", "1", "2")]


def test_long_texts_show_inserted_and_deleted_characters():
    assert text_segments("年满16周岁的居民", "年满18周岁的城乡居民") == [
        ("equal", "年满1"),
        ("delete", "6"),
        ("insert", "8"),
        ("equal", "周岁的"),
        ("insert", "城乡"),
        ("equal", "居民"),
    ]


def test_a_moved_material_is_reordered_not_removed(guide_dict):
    new = dict(guide_dict, materials=list(reversed(guide_dict["materials"])))
    diff = diff_guides(guide_dict, new)
    assert diff.sections[0].entries == [] and diff.sections[0].reordered


def test_equal_versions_have_no_changes(county_supervisor, published):
    draft = services.start_draft(county_supervisor, published.item)
    diff = diff_versions(published, draft)
    assert diff.empty and as_dict(diff)["changes"] == 0
