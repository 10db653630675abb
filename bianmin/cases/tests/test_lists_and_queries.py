"""The lists page by keyset (a cursor in X-Next-After), and the API's reads and writes take a
fixed, small number of queries however many cases, events and files there are (no N+1)."""

import pytest

from bianmin.cases import services

from .conftest import at
from .test_api import api, staff  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_the_clerks_list_pages_by_cursor_without_gaps_or_repeats(staff, open_wang):  # noqa: F811
    clerk, _ = staff
    made = {open_wang(now=at(2026, 3, 3, 8, m)).number for m in range(53)}
    first = api(clerk, "get", "/?tab=intake")
    assert len(first.json()) == 50 and first["X-Next-After"]
    second = api(clerk, "get", f"/?tab=intake&after={first['X-Next-After']}")
    assert len(second.json()) == 3 and "X-Next-After" not in second
    numbers = [r["number"] for r in first.json() + second.json()]
    assert len(set(numbers)) == 53 and set(numbers) == made
    received = [r["received_at"] for r in first.json() + second.json()]
    assert received == sorted(received, reverse=True)  # newest first, across the pages
    by_page = api(clerk, "get", "/?tab=intake&page=2").json()
    assert [r["number"] for r in by_page] == [r["number"] for r in second.json()]


def test_the_officers_queue_pages_by_cursor(staff, open_wang):  # noqa: F811
    clerk_client, officer = staff
    for m in range(52):
        case = open_wang(now=at(2026, 3, 3, 8, m))
        services.accept(case.received_by, case, now=at(2026, 3, 3, 9, m))
    first = api(officer, "get", "/queue?view=waiting")
    rest = api(officer, "get", f"/queue?view=waiting&after={first['X-Next-After']}")
    rows = first.json() + rest.json()
    assert len(rows) == 52 and len({r["number"] for r in rows}) == 52
    assert [r["due_at"] for r in rows] == sorted(r["due_at"] for r in rows)


def test_a_bad_cursor_is_refused_in_chinese(staff):  # noqa: F811
    clerk, _ = staff
    response = api(clerk, "get", "/?tab=intake&after=yesterday")
    assert response.status_code == 422 and "游标" in response.json()["detail"]


def test_the_list_rows_match_their_schema(staff, open_wang):  # noqa: F811
    clerk, _ = staff
    case = services.accept(open_wang().received_by, open_wang(), now=at(2026, 3, 3, 10))
    rows = api(clerk, "get", "/?tab=running").json()
    assert rows[0]["number"] == case.number
    assert set(rows[0]) == {
        "number",
        "state",
        "item",
        "applicant_name",
        "applicant_masked",
        "received_at",
        "due_at",
        "due_provisional",
        "level",
    }
    assert rows[0]["received_at"].endswith("Z") and rows[0]["level"] in ("green", "yellow", "red")


def test_the_queue_and_overdue_lists_stay_flat(
    staff,  # noqa: F811
    open_wang,
    django_assert_max_num_queries,
):
    clerk, officer = staff
    for _ in range(2):
        services.accept(open_wang().received_by, open_wang(now=at(2025, 3, 3)), now=at(2025, 3, 3))
    with django_assert_max_num_queries(3) as queue:  # session, user, the page of rows
        assert api(officer, "get", "/queue?view=overdue").status_code == 200
    with django_assert_max_num_queries(3) as late:
        assert api(clerk, "get", "/overdue").status_code == 200
    for _ in range(10):
        services.accept(open_wang().received_by, open_wang(now=at(2025, 3, 3)), now=at(2025, 3, 3))
    with django_assert_max_num_queries(len(queue.captured_queries)):
        assert len(api(officer, "get", "/queue?view=overdue").json()) == 12
    with django_assert_max_num_queries(len(late.captured_queries)):
        assert len(api(clerk, "get", "/overdue").json()) == 12


def test_one_case_and_its_events_take_the_same_queries_however_long_its_file(
    staff,  # noqa: F811
    open_wang,
    clerk,
    officer,
    django_assert_max_num_queries,
):
    clerk_client, _ = staff
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    with django_assert_max_num_queries(8) as detail:
        assert api(clerk_client, "get", f"/{case.number}").status_code == 200
    with django_assert_max_num_queries(8) as log:
        assert api(clerk_client, "get", f"/{case.number}/events").status_code == 200
    for i in range(4):
        services.attach_file(clerk, case, content=PNG + bytes([i]), name=f"scan{i}.png")
    services.claim(officer, case)
    services.complete_step(officer, case, note="审核通过")
    with django_assert_max_num_queries(len(detail.captured_queries)):
        assert api(clerk_client, "get", f"/{case.number}").json()["event_count"] >= 8
    with django_assert_max_num_queries(len(log.captured_queries)):
        assert len(api(clerk_client, "get", f"/{case.number}/events").json()) >= 8


def test_the_back_office_actions_take_a_fixed_number_of_queries(
    staff,  # noqa: F811
    open_wang,
    clerk,
    django_assert_max_num_queries,
):
    _, officer = staff
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    with django_assert_max_num_queries(11):
        assert api(officer, "post", f"/{case.number}/claim", {}).status_code == 200
    with django_assert_max_num_queries(13):
        assert api(officer, "post", f"/{case.number}/steps", {"note": "审核"}).status_code == 200


def test_the_progress_page_takes_a_fixed_number_of_queries(
    client, open_wang, clerk, django_assert_max_num_queries
):
    case = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    with django_assert_max_num_queries(6) as before:
        assert client.get(f"/cases/p/{case.progress_token}/").status_code == 200
    services.suspend(clerk, case, reason="等待核查", now=at(2026, 3, 4, 10))
    services.resume(clerk, case, now=at(2026, 3, 5, 10))
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(f"/cases/p/{case.progress_token}/").status_code == 200


def test_an_empty_list_pages_without_error():
    from bianmin.cases import selectors
    from bianmin.cases.models import Case

    assert selectors.keyset_page(Case.objects.none()) == ([], "")


def test_cases_received_at_the_same_moment_page_by_id(staff, open_wang):  # noqa: F811
    clerk, _ = staff
    made = {open_wang(now=at(2026, 3, 3, 9)).number for _ in range(52)}
    first = api(clerk, "get", "/?tab=intake")
    second = api(clerk, "get", f"/?tab=intake&after={first['X-Next-After']}")
    numbers = [r["number"] for r in first.json() + second.json()]
    assert len(numbers) == 52 and set(numbers) == made


def test_the_overdue_list_shows_who_holds_each_case_and_why_it_waits(
    open_wang, clerk, officer, manager, client
):
    waiting = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    claimed = services.accept(clerk, open_wang(), now=at(2026, 3, 3, 10))
    services.claim(officer, claimed, now=at(2026, 3, 4))
    client.force_login(manager)
    for url in ("/cases/overdue/", "/cases/?tab=overdue"):
        page = client.get(url).content.decode()
        row = page.split(f'data-number="{claimed.number}"')[1].split("</tr>")[0]
        assert "赵干事" in row and "后台审批第1步" in row
        row = page.split(f'data-number="{waiting.number}"')[1].split("</tr>")[0]
        assert clerk.full_name in row and "等待审批部门认领" in row
