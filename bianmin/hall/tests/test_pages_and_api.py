import datetime as dt

import pytest
from django.utils import timezone

from bianmin.hall import services
from bianmin.hall.models import AwayNotice, Facility

pytestmark = pytest.mark.django_db


def later(minutes):
    return (timezone.localtime() + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def test_the_manager_sees_every_window_with_its_state(client, staffed, manager, zhang):
    services.open_window(zhang, staffed[1])
    client.force_login(manager)
    body = client.get("/hall/341502100000/").content.decode()
    assert "综合咨询窗口" in body and "社会保障类综合窗口" in body and "正在服务" in body
    partial = client.get(
        "/hall/341502100000/", {"part": "windows"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.lstrip().startswith(("<table", "<p", "<div")) and "<html" not in partial


def test_a_clerk_files_an_away_notice_from_the_hall_page(client, staffed, zhang, li):
    client.force_login(zhang)
    response = client.post(
        "/hall/341502100000/away/",
        {"reason": "参加业务培训", "destination": "三楼会议室", "expected_return_at": later(20)},
    )
    assert response.status_code == 302
    notice = AwayNotice.objects.get()
    assert notice.substitute == li
    board = client.get("/hall/341502100000/windows/2/board/").content.decode()
    assert "参加业务培训" in board and "李娜" in board and "在 3 号窗口代为办理" in board


def test_a_bad_away_notice_keeps_what_was_typed_and_names_the_field(client, staffed, zhang):
    client.force_login(zhang)
    response = client.post(
        "/hall/341502100000/away/",
        {"reason": "", "destination": "三楼会议室", "expected_return_at": later(20)},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "离岗事由：请说明离开窗口的原因。" in body and 'value="三楼会议室"' in body
    assert not AwayNotice.objects.exists()


def test_the_manager_approves_a_long_absence_on_the_hall_page(client, staffed, zhang, manager):
    notice = services.go_away(
        zhang,
        reason="到县局送材料",
        destination="金安区政务服务中心",
        expected_return_at=timezone.now() + dt.timedelta(minutes=90),
    )
    client.force_login(manager)
    assert "到县局送材料" in client.get("/hall/341502100000/").content.decode()
    client.post(f"/hall/341502100000/away/{notice.pk}/decide/", {"decision": "approve"})
    notice.refresh_from_db()
    assert notice.approval == "approved"


def test_the_window_board_is_public(client, staffed):
    body = client.get("/hall/341502100000/windows/1/board/").content.decode()
    assert "1号窗口" in body and "暂停服务" in body


def test_the_post_boards_print_a_and_b_with_staff_numbers(client, staffed, entered, zhang, li):
    body = client.get("/hall/341502100000/postboards/").content.decode()
    assert body.count("窗口岗位公示牌") == 3
    assert zhang.staff_number in body or "张敏" in body
    assert "城乡居民基本养老保险参保登记" in body and "@page" in body


def test_setup_page_applies_the_template_and_assigns_posts(
    client, manager, muchang, domains, zhang, li
):
    client.force_login(manager)
    client.post("/hall/341502100000/setup/", {"form": "template", "domain_windows": "2"})
    assert muchang.windows.count() == 3
    window = muchang.windows.get(number=2)
    response = client.post(
        "/hall/341502100000/setup/",
        {
            "form": "post",
            "window": window.pk,
            f"w{window.pk}-primary": zhang.pk,
            f"w{window.pk}-backup": zhang.pk,
        },
    )
    assert "B岗：不能与A岗为同一人。" in response.content.decode()
    client.post(
        "/hall/341502100000/setup/",
        {
            "form": "post",
            "window": window.pk,
            f"w{window.pk}-primary": zhang.pk,
            f"w{window.pk}-backup": li.pk,
        },
    )
    window.refresh_from_db()
    assert window.post.backup == li


def test_a_clerk_cannot_open_the_setup_page(client, staffed, zhang):
    client.force_login(zhang)
    assert client.get("/hall/341502100000/setup/").status_code == 403


def test_a_clerk_of_another_center_cannot_see_this_hall(client, staffed, make_user, maotanchang):
    from bianmin.identity.roles import Role

    client.force_login(make_user(Role.WINDOW_CLERK, center=maotanchang))
    assert client.get("/hall/341502100000/").status_code == 403


def test_facility_page_saves_a_row_and_shows_errors_in_place(client, staffed, manager):
    client.force_login(manager)
    client.post(
        "/hall/341502100000/facilities/",
        {
            "kind": "hearing_aid",
            "quantity": "1",
            "status": "missing",
            "last_checked_on": "2026-11-02",
        },
    )
    assert Facility.objects.get(kind="hearing_aid").status == "missing"
    body = client.post(
        "/hall/341502100000/facilities/", {"kind": "wheelchair", "quantity": "-3", "status": "ok"}
    ).content.decode()
    assert "数量" in body


def test_training_page_and_clerk_profile_show_hours(client, staffed, manager, zhang):
    client.force_login(manager)
    client.post(
        "/hall/341502100000/training/",
        {"clerk": zhang.pk, "topic": "城乡居民养老保险经办", "held_on": "2026-11-10", "hours": "3"},
    )
    body = client.get(f"/hall/341502100000/staff/{zhang.username}/").content.decode()
    assert "城乡居民养老保险经办" in body and "3" in body


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_windows_with_live_state(client, staffed, zhang, manager):
    services.go_away(
        zhang,
        reason="参加业务培训",
        destination="三楼会议室",
        expected_return_at=timezone.now() + dt.timedelta(minutes=20),
    )
    client.force_login(manager)
    data = client.get("/api/v1/hall/centers/341502100000/windows").json()
    w2 = next(w for w in data if w["number"] == 2)
    assert (
        w2["state"] == "away" and w2["serving"] == "李娜" and w2["away"]["reason"] == "参加业务培训"
    )


def test_api_refuses_a_duplicate_window_number_in_chinese(client, staffed, manager):
    client.force_login(manager)
    response = client.post(
        "/api/v1/hall/centers/341502100000/windows",
        {"number": 1, "name": "重复", "kind": "enquiry"},
        content_type="application/json",
    )
    assert (
        response.status_code == 422 and response.json()["detail"] == "窗口号：本中心已有 1 号窗口。"
    )


def test_api_away_and_back(client, staffed, zhang):
    client.force_login(zhang)
    bad = client.post(
        "/api/v1/hall/away",
        {
            "reason": "培训",
            "destination": "会议室",
            "expected_return_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"]["expected_return_at"] == [
        "预计返回时间：必须晚于离岗时间。"
    ]
    good = client.post(
        "/api/v1/hall/away",
        {
            "reason": "培训",
            "destination": "会议室",
            "expected_return_at": (timezone.now() + dt.timedelta(minutes=5)).isoformat(),
        },
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["substitute"] == "李娜"
    assert client.post("/api/v1/hall/back").status_code == 200


def test_api_routing_lists_unserved_items(client, manager, muchang, entered, domains):
    services.create_window(
        manager, muchang, number=2, name="社会保障类", kind="domain", domains=[domains["renshe"]]
    )
    client.force_login(manager)
    data = client.get("/api/v1/hall/centers/341502100000/routing", {"unserved_only": True}).json()
    assert {r["item"] for r in data} >= {"高龄津贴申领"} and all(
        r["window_number"] is None for r in data
    )


def test_api_hours_are_public(client, staffed):
    data = client.get("/api/v1/hall/centers/341502100000/hours").json()
    assert data["text"] == "周一至周五 上午8:30-12:00，下午14:30-17:30"


def test_a_display_device_reads_its_own_centers_windows_only(client, staffed, manager, maotanchang):
    from bianmin.identity.services import register_device

    _device, token = register_device(
        manager, center=staffed[0].center, kind="display", name="大厅显示屏"
    )
    ok = client.get(
        "/api/v1/hall/centers/341502100000/windows", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert ok.status_code == 200 and len(ok.json()) == 3
    other = client.get(
        f"/api/v1/hall/centers/{maotanchang.region.code}/windows",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert other.status_code == 404
