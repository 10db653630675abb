"""Guide versions: drafted → reviewed → published → retired; one published version per item;
items added and cancelled with reason and date; who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bianmin.catalog import selectors, services
from bianmin.catalog.content import guide_content
from bianmin.catalog.models import CatalogEvent, GuideVersion, ItemEntry, ServiceItem
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db
State = GuideVersion.State


@pytest.fixture
def reviewer(city_supervisor):
    return city_supervisor


def test_a_new_draft_copies_the_published_guide(county_supervisor, published):
    draft = services.start_draft(county_supervisor, published.item)
    assert draft.number == published.number + 1 and draft.state == State.DRAFT
    assert guide_content(draft) == guide_content(published)
    assert CatalogEvent.objects.filter(kind="guide_drafted", version=draft).exists()


def test_only_one_open_draft_per_item(county_supervisor, published):
    services.start_draft(county_supervisor, published.item)
    with pytest.raises(ValidationError) as error:
        services.start_draft(county_supervisor, published.item)
    assert "第2版尚未完成（草稿），请先完成或删除。" in error.value.messages[0]


def test_the_full_lifecycle_publishes_and_retires_the_old_version(
    county_supervisor, reviewer, published, guide_dict
):
    draft = services.start_draft(county_supervisor, published.item)
    guide_dict["promised_days"] = 1
    guide_dict["conditions"] += "\n在校学生不参加。"
    services.save_draft(county_supervisor, draft, guide_dict, change_note="补充受理条件")
    services.review_guide(reviewer, draft, note="核对无误")
    services.publish_guide(reviewer, draft)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.published_by == reviewer
    assert published.state == State.RETIRED and published.retired_at is not None
    assert selectors.published_guide(published.item).pk == draft.pk
    # The retired version keeps its content: a case accepted under it still reads it.
    assert "在校学生不参加" not in published.conditions


def test_publishing_an_incomplete_guide_is_refused_with_what_is_missing(
    county_supervisor, reviewer, published, guide_dict
):
    draft = services.start_draft(county_supervisor, published.item)
    guide_dict["conditions"] = ""
    guide_dict["materials"][0]["form"] = ""
    guide_dict["result_name"] = ""
    services.save_draft(county_supervisor, draft, guide_dict)  # a draft may be incomplete
    with pytest.raises(ValidationError) as error:
        services.review_guide(reviewer, draft)
    found = error.value.messages
    assert found[0] == "该办事指南不能审核：有3项要素缺失或有误。"
    assert "受理条件：此要素必填。" in found
    assert "结果名称：此要素必填。" in found
    assert "申请材料第1项·材料形式：请写明需要原件、复印件还是电子材料。" in found
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_reviewed_guide_that_became_incomplete_is_not_published(
    county_supervisor, reviewer, published
):
    draft = services.start_draft(county_supervisor, published.item)
    services.review_guide(reviewer, draft)
    GuideVersion.objects.filter(pk=draft.pk).update(conditions="")  # e.g. an old import
    with pytest.raises(ValidationError) as error:
        services.publish_guide(reviewer, draft)
    assert "受理条件：此要素必填。" in error.value.messages
    published.refresh_from_db()
    assert published.state == State.PUBLISHED


def test_a_malformed_draft_is_refused_and_what_was_saved_stays(
    county_supervisor, published, guide_dict
):
    draft = services.start_draft(county_supervisor, published.item)
    before = guide_content(draft)
    guide_dict["promised_days"] = 30  # statutory is 5
    guide_dict["materials"] = []
    with pytest.raises(ValidationError) as error:
        services.save_draft(county_supervisor, draft, guide_dict)
    assert error.value.message_dict == {
        "promised_days": ["承诺时限：不能超过法定时限（5个工作日）。"]
    }
    draft.refresh_from_db()
    assert guide_content(draft) == before


def test_the_last_editor_may_not_review_her_own_draft(county_supervisor, published):
    draft = services.start_draft(county_supervisor, published.item)
    with pytest.raises(ValidationError) as error:
        services.review_guide(county_supervisor, draft)
    assert error.value.messages == ["审核人：您是该草稿的最后编辑人，须由另一名督导人员审核。"]


def test_only_a_reviewed_version_is_published(county_supervisor, reviewer, published):
    draft = services.start_draft(county_supervisor, published.item)
    with pytest.raises(ValidationError) as error:
        services.publish_guide(reviewer, draft)
    assert error.value.messages == ["状态：第2版为“草稿”，不能发布。"]
    with pytest.raises(ValidationError):
        services.publish_guide(reviewer, published)


def test_a_reviewed_version_returns_to_draft_with_a_reason(county_supervisor, reviewer, published):
    draft = services.start_draft(county_supervisor, published.item)
    services.review_guide(reviewer, draft)
    with pytest.raises(ValidationError):
        services.return_to_draft(reviewer, draft, reason="")
    services.return_to_draft(reviewer, draft, reason="材料清单需核对")
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.reviewed_by is None


def test_a_reviewed_version_can_no_longer_be_edited(
    county_supervisor, reviewer, published, guide_dict
):
    draft = services.start_draft(county_supervisor, published.item)
    services.review_guide(reviewer, draft)
    with pytest.raises(ValidationError) as error:
        services.save_draft(county_supervisor, draft, guide_dict)
    assert error.value.messages == ["状态：第2版为“已审核”，不能编辑。"]


def test_a_draft_is_discarded_and_the_published_guide_stays(county_supervisor, published):
    draft = services.start_draft(county_supervisor, published.item)
    services.discard_draft(county_supervisor, draft)
    assert not GuideVersion.objects.filter(pk=draft.pk).exists()
    assert selectors.published_guide(published.item).pk == published.pk


def test_the_database_holds_one_published_version_per_item(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideVersion.objects.create(item=published.item, number=99, state=State.PUBLISHED)


def test_the_yearly_confirmation_renews_the_check_date(county_supervisor, published):
    before = published.confirmed_at
    services.confirm_guide(county_supervisor, published, note="年度复核")
    published.refresh_from_db()
    assert published.confirmed_at > before


# --- Items -----------------------------------------------------------------------------------


NEW_ITEM = {
    "basic_code": "000108099000",
    "name": "城乡居民养老保险关系转移接续",
    "domain": "renshe",
    "item_type": "public_service",
    "legal_basis": "《城乡养老保险制度衔接暂行办法》",
    "handling_level": "township",
    "frequency": "low",
    "service_object": ["person"],
    "channels": ["window", "online"],
    "life_events": ["退休"],
}


def test_adding_an_item_records_the_reason_and_makes_it_searchable(county_supervisor, catalogue):
    item = services.create_item(county_supervisor, NEW_ITEM, reason="省级清单调整")
    event = CatalogEvent.objects.get(kind="item_added", item=item)
    assert event.reason == "省级清单调整" and event.actor == county_supervisor
    assert item in selectors.search_items(selectors.SearchFilters(q="zyjx"))
    assert [e.name for e in item.life_events.all()] == ["退休"]


def test_adding_an_item_needs_a_reason_and_a_free_code(county_supervisor, catalogue):
    with pytest.raises(ValidationError) as error:
        services.create_item(county_supervisor, NEW_ITEM, reason=" ")
    assert "原因：请说明新增事项的原因" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.create_item(
            county_supervisor, {**NEW_ITEM, "basic_code": "000108014000"}, reason="x"
        )
    assert error.value.message_dict["basic_code"] == ["基本编码：000108014000已被其他事项使用。"]


def test_cancelling_an_item_stops_applications_from_that_moment(
    county_supervisor, published, muchang
):
    item = published.item
    assert selectors.is_applicable(item)
    services.cancel_item(county_supervisor, item, reason="省政府决定取消")
    item.refresh_from_db()
    published.refresh_from_db()
    assert item.status == ServiceItem.Status.CANCELLED and item.cancelled_at is not None
    assert not selectors.is_applicable(item)
    assert published.state == State.RETIRED
    assert not ItemEntry.objects.filter(item=item, withdrawn_on__isnull=True).exists()
    assert item not in selectors.entered_items(muchang)
    event = CatalogEvent.objects.get(kind="item_cancelled", item=item)
    assert (
        event.reason == "省政府决定取消"
        and event.effective_on == item.cancelled_at.astimezone().date()
    )


def test_a_cancelled_item_needs_a_reason_and_gets_no_new_guide(county_supervisor, pension):
    with pytest.raises(ValidationError):
        services.cancel_item(county_supervisor, pension, reason="")
    services.cancel_item(county_supervisor, pension, reason="合并")
    with pytest.raises(ValidationError) as error:
        services.start_draft(county_supervisor, pension)
    assert error.value.messages == ["状态：已取消的事项不能再起草办事指南。"]
    with pytest.raises(ValidationError):
        services.cancel_item(county_supervisor, pension, reason="again")


def test_changing_an_item_recomputes_its_search_keys(county_supervisor, pension):
    services.update_item(county_supervisor, pension, {"keywords": "新农保"})
    assert pension in selectors.search_items(selectors.SearchFilters(q="xinnongbao"))
    assert CatalogEvent.objects.get(kind="item_changed", item=pension).detail == {
        "fields": ["keywords"]
    }


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.CENTER_MANAGER, Role.BACK_OFFICE_OFFICER])
def test_only_supervisors_and_the_administrator_edit_the_catalogue(
    make_user, muchang, minzheng, published, role
):
    scope = {"department": minzheng} if role == Role.BACK_OFFICE_OFFICER else {"center": muchang}
    user = make_user(role, **scope)
    with pytest.raises(PermissionDenied):
        services.start_draft(user, published.item)
    with pytest.raises(PermissionDenied):
        services.cancel_item(user, published.item, reason="x")


def test_the_system_administrator_edits_the_catalogue(make_user, published):
    admin = make_user(Role.SYSTEM_ADMIN)
    assert services.start_draft(admin, published.item).state == State.DRAFT
