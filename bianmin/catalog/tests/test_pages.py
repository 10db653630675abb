"""The catalogue's pages: public guides without login, the editors' flow, entries, the audit."""

import pytest
from django import forms

from bianmin.catalog import audit, services
from bianmin.catalog.models import GuideVersion, ItemEntry
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_catalogue_and_a_guide_without_logging_in(client, catalogue, muchang):
    body = client.get("/catalog/").content.decode()
    assert "搜索事项" in body and "退休一件事" in body
    body = client.get("/catalog/", {"q": "ylbx"}).content.decode()
    assert "城乡居民基本养老保险参保登记" in body and "最低生活保障" not in body
    body = client.get("/catalog/search/", {"q": "低保"}).content.decode()
    assert "最低生活保障对象认定" in body and "<html" not in body
    body = client.get("/catalog/items/000108014000/").content.decode()
    for heading in (
        "基本信息",
        "受理条件",
        "申请材料",
        "办理流程",
        "办理时限与服务承诺",
        "收费标准",
        "设定依据",
        "常见问题",
    ):
        assert heading in body, heading
    assert "不收费。" in body and "居民身份证" in body


def test_the_guide_shows_the_chosen_centers_place_and_phones(client, catalogue, muchang):
    muchang.address = "金安区木厂镇政务服务大厅"
    muchang.phone = "0564-3330000"
    muchang.complaint_phone = "0564-3339999"
    muchang.save()
    body = client.get(
        "/catalog/items/000108014000/", {"center": muchang.region.code}
    ).content.decode()
    assert "金安区木厂镇政务服务大厅" in body and "0564-3330000" in body and "0564-3339999" in body
    assert "周一至周五" in body


def test_the_printable_guide_is_a4(client, catalogue, muchang):
    body = client.get(
        "/catalog/items/000108014000/print/", {"center": muchang.region.code}
    ).content.decode()
    assert "window.print()" in body and "catalog/catalog.css" in body
    css = (
        pytest.importorskip("pathlib").Path(__file__).parents[1] / "static/catalog/catalog.css"
    ).read_text()
    assert "size: A4" in css and "@media print" in css


def test_a_cancelled_item_says_so(client, catalogue, county_supervisor, pension):
    services.cancel_item(county_supervisor, pension, reason="省政府决定取消")
    body = client.get("/catalog/items/000108014000/").content.decode()
    assert "不再受理申请" in body and "省政府决定取消" in body


def test_the_editor_pages_are_for_editors_only(client, catalogue, make_user, muchang):
    assert client.get("/catalog/manage/").status_code == 302  # to the login page
    client.force_login(make_user(Role.WINDOW_CLERK, center=muchang))
    assert client.get("/catalog/manage/").status_code == 403
    assert client.get("/catalog/manage/import/").status_code == 403


def test_a_supervisor_edits_a_draft_and_bad_input_keeps_what_was_typed(
    client, catalogue, county_supervisor, published
):
    client.force_login(county_supervisor)
    response = client.post(f"/catalog/manage/items/{published.item.basic_code}/draft/")
    draft = GuideVersion.objects.get(item=published.item, state="draft")
    assert response.url == f"/catalog/manage/versions/{draft.pk}/edit/"
    form = client.get(response.url).context
    data = _post_data(form)
    data["promised_days"] = "9"
    data["conditions"] = "新的受理条件"
    response = client.post(f"/catalog/manage/versions/{draft.pk}/edit/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "承诺时限：不能超过法定时限（5个工作日）。" in body and "未保存" in body
    assert "新的受理条件" in body  # what was typed is still on the page
    draft.refresh_from_db()
    assert draft.conditions != "新的受理条件"
    data["promised_days"] = "2"
    response = client.post(f"/catalog/manage/versions/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.conditions == "新的受理条件" and draft.promised_days == 2


def test_removing_and_adding_material_rows(client, catalogue, county_supervisor, published):
    client.force_login(county_supervisor)
    draft = services.start_draft(county_supervisor, published.item)
    data = _post_data(client.get(f"/catalog/manage/versions/{draft.pk}/edit/").context)
    data["materials-0-DELETE"] = "on"
    extra = int(data["materials-TOTAL_FORMS"]) - 1
    data.update(
        {
            f"materials-{extra}-name": "银行卡",
            f"materials-{extra}-necessity": "optional",
            f"materials-{extra}-form": "copy",
            f"materials-{extra}-paper_copies": "1",
            f"materials-{extra}-source_channel": "other",
            f"materials-{extra}-ORDER": "9",
        }
    )
    assert client.post(f"/catalog/manage/versions/{draft.pk}/edit/", data).status_code == 302
    assert [m.name for m in draft.materials.all()] == [
        "户口簿",
        "城乡居民基本养老保险参保登记表",
        "银行卡",
    ]


def test_review_and_publish_through_the_pages(
    client, catalogue, county_supervisor, city_supervisor, published
):
    draft = services.start_draft(county_supervisor, published.item)
    client.force_login(county_supervisor)
    client.post(f"/catalog/manage/versions/{draft.pk}/review/", follow=True)
    draft.refresh_from_db()
    assert draft.state == "draft"
    client.force_login(city_supervisor)
    client.post(f"/catalog/manage/versions/{draft.pk}/review/")
    response = client.post(f"/catalog/manage/versions/{draft.pk}/publish/", follow=True)
    assert "第2版已发布，原版本已废止。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "published"


def test_publishing_an_incomplete_guide_shows_the_list_of_what_is_missing(
    client, catalogue, county_supervisor, city_supervisor, published
):
    draft = services.start_draft(county_supervisor, published.item)
    GuideVersion.objects.filter(pk=draft.pk).update(conditions="")
    client.force_login(city_supervisor)
    page = client.get(f"/catalog/versions/{draft.pk}/").content.decode()
    assert "受理条件：此要素必填。" in page
    response = client.post(f"/catalog/manage/versions/{draft.pk}/review/", follow=True)
    body = response.content.decode()
    assert "该办事指南不能审核：有1项要素缺失或有误。" in body


def test_a_supervisor_adds_and_cancels_an_item(client, catalogue, county_supervisor):
    client.force_login(county_supervisor)
    data = {
        "basic_code": "000108016000",
        "name": "城乡居民养老保险注销登记",
        "domain": "renshe",
        "item_type": "public_service",
        "legal_basis": "《社会保险法》",
        "handling_level": "township",
        "frequency": "low",
        "service_object": ["person"],
        "channels": ["window"],
        "why-reason": "",
    }
    body = client.post("/catalog/manage/items/new/", data).content.decode()
    assert "原因：此项必填。" in body
    data["why-reason"] = "省级清单新增"
    assert client.post("/catalog/manage/items/new/", data).status_code == 302
    response = client.post(
        "/catalog/manage/items/000108016000/cancel/", {"cancel-reason": "合并"}, follow=True
    )
    assert "不再受理申请" in response.content.decode()


def test_a_manager_enters_and_withdraws_items_on_the_entries_page(
    client, catalogue, manager, muchang, pension
):
    client.force_login(manager)
    url = f"/catalog/centers/{muchang.region.code}/entries/"
    assert "进驻事项" in client.get(url).content.decode()
    response = client.post(f"{url}000108014000/withdraw/", {"reason": ""}, follow=True)
    assert "原因：请说明本中心不再办理该事项的原因。" in response.content.decode()
    client.post(f"{url}000108014000/withdraw/", {"reason": "县级办理"})
    assert not ItemEntry.objects.filter(
        center=muchang, item=pension, withdrawn_on__isnull=True
    ).exists()
    client.post(f"{url}000108014000/enter/", {"mode": "commissioned"})
    assert (
        ItemEntry.objects.get(center=muchang, item=pension, withdrawn_on__isnull=True).mode
        == "commissioned"
    )


def test_a_manager_cannot_change_another_centers_entries(client, catalogue, manager, maotanchang):
    client.force_login(manager)
    assert client.get(f"/catalog/centers/{maotanchang.region.code}/entries/").status_code == 403
    response = client.post(
        f"/catalog/centers/{maotanchang.region.code}/entries/000108014000/withdraw/",
        {"reason": "x"},
    )
    assert response.status_code == 403


def test_coverage_per_county(client, catalogue, county_supervisor):
    client.force_login(county_supervisor)
    body = client.get("/catalog/coverage/").content.decode()
    assert "各中心事项进驻情况 · 金安区" in body and "木厂镇" in body and "协" in body


def test_the_audit_page_for_a_supervisor_and_a_center(
    client, catalogue, county_supervisor, manager
):
    client.force_login(county_supervisor)
    assert "尚未进行排查" in client.get("/catalog/audit/").content.decode()
    client.post("/catalog/audit/run/")
    body = client.get("/catalog/audit/").content.decode()
    assert "问题清单" in body and "金安区" in body
    assert '<div class="stat-label">问题数</div>' in body  # a count, not a list
    run = audit.AuditRun.objects.first()
    assert client.get(f"/catalog/audit/{run.pk}/export.xlsx").content[:2] == b"PK"
    client.force_login(manager)
    body = client.get("/catalog/audit/").content.decode()
    assert "木厂镇便民服务中心" in body and "立即排查" not in body
    assert client.post("/catalog/audit/run/").status_code == 403


def test_bundle_page_lists_each_material_once(client, catalogue):
    body = client.get("/catalog/bundles/retirement/").content.decode()
    assert body.count("<strong>居民身份证</strong>") == 1 and "共用" in body


def test_import_page_reports_errors_by_cell(client, catalogue, county_supervisor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(county_supervisor)
    body = client.post(
        "/catalog/manage/import/", {"file": SimpleUploadedFile("x.xlsx", b"junk")}
    ).content.decode()
    assert "这不是Excel（.xlsx）文件" in body and "未导入任何内容" in body


def _post_data(context) -> dict:
    """The editor's form as the browser would post it back."""
    data = {}
    form = context["form"]
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name.endswith("_upload") or value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    for formset in context["formsets"].values():
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for f in formset.forms:
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if name.endswith("_upload") or value is None:
                    continue
                if isinstance(value, bool):
                    if value:
                        data[f"{f.prefix}-{name}"] = "on"
                    continue
                data[f"{f.prefix}-{name}"] = value
    return data


def test_a_blank_form_is_uploaded_in_the_editor_and_downloaded_by_anyone(
    client, catalogue, county_supervisor, city_supervisor, published, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    draft = services.start_draft(county_supervisor, published.item)
    client.force_login(county_supervisor)
    data = _post_data(client.get(f"/catalog/manage/versions/{draft.pk}/edit/").context)
    data["materials-2-blank_form_upload"] = SimpleUploadedFile("参保登记表.docx", b"blank form")
    assert client.post(f"/catalog/manage/versions/{draft.pk}/edit/", data).status_code == 302
    material = draft.materials.get(name="城乡居民基本养老保险参保登记表")
    assert material.blank_form.name.startswith("catalog/forms/")
    client.force_login(city_supervisor)
    services.review_guide(city_supervisor, draft)
    services.publish_guide(city_supervisor, draft)
    client.logout()
    body = client.get("/catalog/items/000108014000/").content.decode()
    assert f"/catalog/files/{material.pk}/blank/" in body
    response = client.get(f"/catalog/files/{material.pk}/blank/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"blank form"
    # A draft's files are not public.
    later = services.start_draft(county_supervisor, published.item)
    hidden = later.materials.get(name="城乡居民基本养老保险参保登记表")
    assert client.get(f"/catalog/files/{hidden.pk}/blank/").status_code == 404


def test_saving_a_draft_unchanged_ignores_the_spare_rows_whose_selects_the_browser_posts(
    client, catalogue, county_supervisor, published
):
    """A browser posts every <select>, so each spare row arrives with its first options chosen
    and an empty name; that row was not filled in and must not block saving."""
    client.force_login(county_supervisor)
    draft = services.start_draft(county_supervisor, published.item)
    context = client.get(f"/catalog/manage/versions/{draft.pk}/edit/").context
    data = _post_data(context)
    for formset in context["formsets"].values():
        spare = formset.forms[-1]
        for name, field in spare.fields.items():
            if isinstance(field, forms.ChoiceField) and field.choices:
                data[f"{spare.prefix}-{name}"] = list(field.choices)[0][0]
    response = client.post(f"/catalog/manage/versions/{draft.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert draft.materials.count() == published.materials.count()
