"""The catalogue API: public reads, editors' writes, Chinese errors naming the field, OpenAPI."""

import pytest

from bianmin.catalog import audit, excel
from bianmin.catalog.models import GuideVersion
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db
API = "/api/v1/catalog"


def test_the_openapi_schema_describes_every_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/items",
        "/search",
        "/items/{code}",
        "/items/{code}/versions",
        "/items/{code}/diff",
        "/versions/{version_id}",
        "/bundles/{code}",
        "/audit",
        "/import",
        "/export",
    ):
        assert API + path in paths, path


def test_anyone_searches_as_they_type(client, catalogue):
    found = client.get(f"{API}/search", {"q": "ylbx"}).json()
    assert [i["name"] for i in found] == [
        "城乡居民养老保险待遇申领",
        "城乡居民基本养老保险参保登记",
    ]
    assert found[0]["url"] == "/catalog/items/000108015000/"


def test_the_list_filters_by_domain_channel_and_center(client, catalogue, muchang):
    assert len(client.get(f"{API}/items", {"domain": "renshe"}).json()) == 2
    assert len(client.get(f"{API}/items", {"channel": "online"}).json()) == 2
    assert len(client.get(f"{API}/items", {"center": muchang.region.code}).json()) == 4
    assert client.get(f"{API}/items", {"center": "999999999999"}).status_code == 404


def test_the_detail_carries_the_guide_and_the_centers_place(client, catalogue, muchang):
    muchang.phone = "0564-3330000"
    muchang.save()
    data = client.get(f"{API}/items/000108014000", {"center": muchang.region.code}).json()
    assert data["guide"]["promised_days"] == 1 and data["applicable"] is True
    assert data["guide"]["materials"][0]["name"] == "居民身份证"
    assert (
        data["place"]["center"] == "木厂镇便民服务中心" and data["place"]["phone"] == "0564-3330000"
    )
    assert data["version"]["number"] == 1 and data["version"]["state"] == "published"


def test_versions_and_diff(client, catalogue, county_supervisor, published, guide_dict):
    from bianmin.catalog import services

    draft = services.start_draft(county_supervisor, published.item)
    guide_dict["promised_days"] = 2
    services.save_draft(county_supervisor, draft, guide_dict)
    # Anonymous readers do not see drafts.
    assert [v["number"] for v in client.get(f"{API}/items/000108014000/versions").json()] == [1]
    assert client.get(f"{API}/versions/{draft.pk}").status_code == 404
    client.force_login(county_supervisor)
    assert [v["number"] for v in client.get(f"{API}/items/000108014000/versions").json()] == [2, 1]
    detail = client.get(f"{API}/versions/{draft.pk}").json()
    assert detail["state"] == "draft" and detail["problems"] == []
    diff = client.get(f"{API}/items/000108014000/diff", {"a": 1, "b": 2}).json()
    assert diff["fields"] == [
        {
            "key": "promised_days",
            "label": "承诺时限",
            "old": "1个工作日",
            "new": "2个工作日",
            "segments": [],
        }
    ]
    bad = client.get(f"{API}/items/000108014000/diff", {"a": 1, "b": 7})
    assert bad.status_code == 422 and bad.json()["detail"] == "第7版：没有这个版本。"


def test_editors_draft_save_review_and_publish_over_the_api(
    client, catalogue, county_supervisor, city_supervisor, guide_dict
):
    client.force_login(county_supervisor)
    draft = client.post(f"{API}/items/000108014000/drafts").json()
    guide_dict["promised_days"] = 9
    bad = client.put(
        f"{API}/versions/{draft['id']}", {"guide": guide_dict}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == "承诺时限：不能超过法定时限（5个工作日）。"
    assert bad.json()["errors"] == {"promised_days": ["承诺时限：不能超过法定时限（5个工作日）。"]}
    guide_dict["promised_days"] = 2
    ok = client.put(
        f"{API}/versions/{draft['id']}",
        {"guide": guide_dict, "change_note": "压缩时限"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["guide"]["promised_days"] == 2
    own = client.post(f"{API}/versions/{draft['id']}/review", {}, content_type="application/json")
    assert own.status_code == 422
    client.force_login(city_supervisor)
    assert (
        client.post(
            f"{API}/versions/{draft['id']}/review",
            {"note": "同意"},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert client.post(f"{API}/versions/{draft['id']}/publish").json()["state"] == "published"
    assert GuideVersion.objects.get(pk=draft["id"]).state == "published"


def test_bundles_with_merged_materials(client, catalogue):
    data = client.get(f"{API}/bundles/retirement").json()
    assert [m["name"] for m in data["materials"]].count("居民身份证") == 1
    shared = {m["name"] for m in data["materials"] if m["shared"]}
    assert shared == {"居民身份证", "户口簿"}


def test_the_audit_over_the_api_is_scoped(client, catalogue, county_supervisor, make_user, muchang):
    assert client.get(f"{API}/audit").status_code == 401
    audit.run_audit()
    client.force_login(county_supervisor)
    data = client.get(f"{API}/audit").json()
    assert data["items_checked"] == 4 and data["findings_count"] > 0
    assert {f["center_code"][:6] for f in data["findings"] if f["center_code"]} == {"341502"}
    assert client.get(f"{API}/audit", {"county": "341524000000"}).status_code == 403
    ran = client.post(f"{API}/audit", {}, content_type="application/json").json()
    assert ran["region"] == "金安区" and ran["centers_checked"] < 140
    clerk = make_user(Role.WINDOW_CLERK, center=muchang)
    client.force_login(clerk)
    mine = client.get(f"{API}/audit").json()
    assert {f["center_code"] for f in mine["findings"]} <= {muchang.region.code, None}
    assert client.post(f"{API}/audit", {}, content_type="application/json").status_code == 403
    other = client.get(f"{API}/audit", {"center": "341502104000"})
    assert other.status_code == 403


def test_export_and_import_over_the_api(client, catalogue, county_supervisor, make_user, muchang):
    content = client.get(f"{API}/export").content
    assert content[:2] == b"PK"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("清单.xlsx", content, content_type=excel.XLSX_CONTENT_TYPE)
    assert client.post(f"{API}/import", {"file": upload}).status_code == 401
    client.force_login(make_user(Role.CENTER_MANAGER, center=muchang))
    upload.seek(0)
    assert client.post(f"{API}/import", {"file": upload}).status_code == 403
    client.force_login(county_supervisor)
    upload.seek(0)
    data = client.post(f"{API}/import", {"file": upload}).json()
    assert data["ok"] is True and data["errors"] == []
    broken = SimpleUploadedFile("坏.xlsx", b"not a workbook")
    data = client.post(f"{API}/import", {"file": broken}).json()
    assert (
        data["ok"] is False
        and data["errors"][0]["text"] == "工作表“文件”：这不是Excel（.xlsx）文件。"
    )


def test_a_center_lists_the_items_it_handles(client, catalogue, muchang):
    assert len(client.get(f"{API}/centers/{muchang.region.code}/items").json()) == 4
