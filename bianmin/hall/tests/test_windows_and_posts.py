"""二5 科学设置综合窗口, 二6 特色窗口, 二3 AB岗: the window set and its posts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from bianmin.hall import selectors, services
from bianmin.hall.models import Post, Window, Zone
from bianmin.identity.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def message(excinfo, field):
    return excinfo.value.message_dict[field][0]


def test_the_template_gives_one_enquiry_window_and_two_domain_windows(manager, muchang, domains):
    windows = services.apply_template(manager, muchang)
    assert [(w.number, w.kind, w.name) for w in windows] == [
        (1, "enquiry", "综合咨询窗口"),
        (2, "domain", "社会保障类综合窗口"),
        (3, "domain", "社会救助类综合窗口"),
    ]
    assert {d.name for d in windows[1].domains.all()} == {"人社", "医保", "市场监管"}
    assert {d.name for d in windows[2].domains.all()} == {"民政", "残联"}
    assert set(Zone.objects.filter(center=muchang).values_list("kind", flat=True)) == {
        "enquiry",
        "counters",
        "self_service",
        "waiting",
    }
    assert selectors.opening_hours_text(muchang) == "周一至周五 上午8:30-12:00，下午14:30-17:30"


def test_three_domain_windows_add_an_other_affairs_window(manager, muchang, domains):
    windows = services.apply_template(manager, muchang, domain_windows=3, special=("assisted",))
    assert [w.name for w in windows] == [
        "综合咨询窗口",
        "社会保障类综合窗口",
        "社会救助类综合窗口",
        "综合事务类窗口",
        "帮办代办窗口",
    ]
    assert {d.name for d in windows[3].domains.all()} == {"市场监管"}


def test_the_template_is_refused_where_windows_exist(staffed, manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.apply_template(manager, muchang)
    assert message(excinfo, "template").startswith("窗口模板：本中心已有窗口")


def test_four_domain_windows_are_not_the_policys_template(manager, muchang, domains):
    with pytest.raises(ValidationError) as excinfo:
        services.apply_template(manager, muchang, domain_windows=4)
    assert message(excinfo, "domain_windows") == "分领域窗口：实施意见要求设 2 至 3 个。"


def test_a_window_without_a_kind_is_refused(manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.create_window(manager, muchang, number=5, name="临时窗口", kind="")
    assert message(excinfo, "kind") == "窗口类型：请选择窗口类型。"


def test_a_duplicate_window_number_is_refused(staffed, manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.create_window(manager, muchang, number=2, name="第二个2号", kind="enquiry")
    assert message(excinfo, "number") == "窗口号：本中心已有 2 号窗口。"
    assert Window.objects.filter(center=muchang, number=2).count() == 1


def test_a_domain_window_needs_a_domain(manager, muchang):
    with pytest.raises(ValidationError) as excinfo:
        services.create_window(manager, muchang, number=4, name="综合事务类窗口", kind="domain")
    assert message(excinfo, "domains") == "服务领域：分领域窗口至少服务一个领域。"


def test_a_good_window_is_created_and_can_be_renumbered(manager, muchang, domains):
    window = services.create_window(
        manager, muchang, number=6, name="跨省通办窗口", kind="cross_region"
    )
    services.update_window(manager, window, number=7, name="跨省通办窗口", kind="cross_region")
    window.refresh_from_db()
    assert window.number == 7


def test_a_clerk_may_not_set_up_windows(zhang, muchang, domains):
    with pytest.raises(PermissionDenied):
        services.apply_template(zhang, muchang)


def test_a_manager_of_another_center_may_not_set_up_this_one(
    make_user, maotanchang, muchang, domains
):
    other = make_user(Role.CENTER_MANAGER, center=maotanchang)
    with pytest.raises(PermissionDenied):
        services.apply_template(other, muchang)


def test_a_post_without_a_backup_is_refused(manager, muchang, domains, zhang):
    window = services.create_window(manager, muchang, number=1, name="综合咨询窗口", kind="enquiry")
    with pytest.raises(ValidationError) as excinfo:
        services.assign_post(manager, window, primary=zhang, backup=None)
    assert message(excinfo, "backup") == "B岗：每个岗位都要有B岗人员（AB岗）。"
    assert not Post.objects.exists()


def test_the_backup_cannot_be_the_primary(manager, muchang, domains, zhang):
    window = services.create_window(manager, muchang, number=1, name="综合咨询窗口", kind="enquiry")
    with pytest.raises(ValidationError) as excinfo:
        services.assign_post(manager, window, primary=zhang, backup=zhang)
    assert message(excinfo, "backup") == "B岗：不能与A岗为同一人。"


def test_the_database_also_refuses_the_same_person_twice(staffed, zhang):
    post = staffed[1].post
    post.backup = zhang
    with pytest.raises(IntegrityError), transaction.atomic():
        post.save()


def test_a_clerk_of_another_center_cannot_take_a_post(
    manager, muchang, domains, zhang, make_user, maotanchang
):
    stranger = make_user(Role.WINDOW_CLERK, center=maotanchang)
    window = services.create_window(manager, muchang, number=1, name="综合咨询窗口", kind="enquiry")
    with pytest.raises(ValidationError) as excinfo:
        services.assign_post(manager, window, primary=zhang, backup=stranger)
    assert "不是木厂镇便民服务中心的窗口人员" in message(excinfo, "backup")


def test_the_enquiry_window_takes_the_assisted_and_unresolved_roles_when_missing(staffed, muchang):
    assert selectors.role_window(muchang, "assisted").kind == "enquiry"
    assert selectors.role_window(muchang, "unresolved").number == 1


def test_a_special_window_takes_its_own_role(staffed, manager, muchang):
    services.create_window(manager, muchang, number=4, name="帮办代办窗口", kind="assisted")
    assert selectors.role_window(muchang, "assisted").number == 4


def test_bad_opening_hours_are_refused(manager, muchang):
    import datetime as dt

    with pytest.raises(ValidationError) as excinfo:
        services.set_weekday_hours(manager, muchang, dt.time(12), dt.time(8, 30), None, None)
    assert message(excinfo, "morning_closes") == "上午下班时间：须晚于上午上班时间（12:00）。"
    with pytest.raises(ValidationError) as excinfo:
        services.set_weekday_hours(
            manager, muchang, dt.time(8, 30), dt.time(12), dt.time(11), dt.time(17)
        )
    assert message(excinfo, "afternoon_opens") == (
        "下午上班时间：午休在上下午之间，下午上班不能早于上午下班（12:00）。"
    )


def test_extra_duty_in_the_past_or_weekend_duty_on_a_weekday_is_refused(manager, muchang):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        services.add_extra_duty(
            manager,
            muchang,
            kind="extended",
            date=today - dt.timedelta(days=1),
            opens=dt.time(17, 30),
            closes=dt.time(19),
        )
    assert message(excinfo, "date") == "日期：不能安排过去日期的服务。"
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    with pytest.raises(ValidationError) as excinfo:
        services.add_extra_duty(
            manager, muchang, kind="weekend", date=monday, opens=dt.time(9), closes=dt.time(12)
        )
    assert message(excinfo, "date") == "日期：周末服务应安排在星期六或星期日。"
    saturday = monday + dt.timedelta(days=5)
    assert services.add_extra_duty(
        manager, muchang, kind="weekend", date=saturday, opens=dt.time(9), closes=dt.time(12)
    ).pk
