"""The one permission check, as a table: role × where the center lies × action → allowed?"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from bianmin.identity.models import User
from bianmin.identity.permissions import Action, authorize, can, centers_in_scope
from bianmin.identity.roles import Role
from bianmin.org.models import Center, Region

pytestmark = pytest.mark.django_db

OWN, SAME_COUNTY, OTHER_COUNTY = "own center", "same county", "other county"
A = Action
ALL_ACTIONS = [
    A.VIEW_CENTER,
    A.SERVE_AT_WINDOW,
    A.MANAGE_CENTER,
    A.DECIDE_CASE,
    A.EDIT_CATALOGUE,
    A.SUPERVISE,
    A.REVEAL_PERSONAL_DATA,
    A.MANAGE_USERS,
    A.MANAGE_CALENDAR,
]

# For each role: the actions allowed at (own center, another center of the same county, a center
# of another county). A county-level department (金安区民政局) covers its county's centers.
TABLE = {
    Role.CITIZEN: ({}, {}, {}),
    Role.WINDOW_CLERK: (
        {A.VIEW_CENTER, A.SERVE_AT_WINDOW, A.REVEAL_PERSONAL_DATA},
        set(),
        set(),
    ),
    Role.CENTER_MANAGER: (
        {A.VIEW_CENTER, A.SERVE_AT_WINDOW, A.MANAGE_CENTER, A.REVEAL_PERSONAL_DATA, A.MANAGE_USERS},
        set(),
        set(),
    ),
    Role.BACK_OFFICE_OFFICER: (
        {A.VIEW_CENTER, A.DECIDE_CASE, A.REVEAL_PERSONAL_DATA},
        {A.VIEW_CENTER, A.DECIDE_CASE, A.REVEAL_PERSONAL_DATA},
        set(),
    ),
    Role.COUNTY_SUPERVISOR: (
        {A.VIEW_CENTER, A.EDIT_CATALOGUE, A.SUPERVISE},
        {A.VIEW_CENTER, A.EDIT_CATALOGUE, A.SUPERVISE},
        set(),
    ),
    Role.CITY_SUPERVISOR: (
        {A.VIEW_CENTER, A.EDIT_CATALOGUE, A.SUPERVISE},
        {A.VIEW_CENTER, A.EDIT_CATALOGUE, A.SUPERVISE},
        {A.VIEW_CENTER, A.EDIT_CATALOGUE, A.SUPERVISE},
    ),
    Role.SYSTEM_ADMIN: (
        {A.VIEW_CENTER, A.MANAGE_CENTER, A.EDIT_CATALOGUE, A.MANAGE_USERS, A.MANAGE_CALENDAR},
        {A.VIEW_CENTER, A.MANAGE_CENTER, A.EDIT_CATALOGUE, A.MANAGE_USERS, A.MANAGE_CALENDAR},
        {A.VIEW_CENTER, A.MANAGE_CENTER, A.EDIT_CATALOGUE, A.MANAGE_USERS, A.MANAGE_CALENDAR},
    ),
}

CASES = [
    (role, where, action, action in TABLE[role][i])
    for role in TABLE
    for i, where in enumerate((OWN, SAME_COUNTY, OTHER_COUNTY))
    for action in ALL_ACTIONS
]


@pytest.fixture
def user_of(make_user, muchang, minzheng, divisions):
    def build(role):
        scope = {
            Role.WINDOW_CLERK: {"center": muchang},
            Role.CENTER_MANAGER: {"center": muchang},
            Role.BACK_OFFICE_OFFICER: {"department": minzheng},
            Role.COUNTY_SUPERVISOR: {"region": muchang.region.parent},
            Role.CITY_SUPERVISOR: {"region": divisions},
        }.get(role, {})
        return make_user(role, **scope)

    return build


@pytest.mark.parametrize(("role", "where", "action", "allowed"), CASES, ids=lambda v: str(v))
def test_permission_table(
    user_of, muchang, maotanchang, jinzhai_center, role, where, action, allowed
):
    center = {OWN: muchang, SAME_COUNTY: maotanchang, OTHER_COUNTY: jinzhai_center}[where]
    assert can(user_of(role), action, center=center) is allowed


def test_an_inactive_user_may_do_nothing(user_of, muchang):
    clerk = user_of(Role.WINDOW_CLERK)
    clerk.is_active = False
    assert not can(clerk, Action.VIEW_CENTER, center=muchang)


def test_a_refusal_says_why_in_chinese(user_of, maotanchang):
    clerk = user_of(Role.WINDOW_CLERK)
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as excinfo:
        authorize(clerk, Action.SERVE_AT_WINDOW, center=maotanchang)
    assert str(excinfo.value) == (
        "毛坦厂镇便民服务中心 不在您的管辖范围（木厂镇便民服务中心）内，无权在窗口办理业务。"
    )
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as excinfo:
        authorize(clerk, Action.EDIT_CATALOGUE)
    assert str(excinfo.value) == "您的角色（综合窗口人员）无权维护事项清单。"


def test_centers_in_scope_per_role(user_of, divisions):
    jinan_count = Center.objects.filter(region__parent__code="341502000000").count()
    assert centers_in_scope(user_of(Role.CITY_SUPERVISOR)).count() == 140
    assert centers_in_scope(user_of(Role.SYSTEM_ADMIN)).count() == 140
    assert centers_in_scope(user_of(Role.COUNTY_SUPERVISOR)).count() == jinan_count
    assert centers_in_scope(user_of(Role.BACK_OFFICE_OFFICER)).count() == jinan_count
    assert list(centers_in_scope(user_of(Role.WINDOW_CLERK)).values_list("name", flat=True)) == [
        "木厂镇便民服务中心"
    ]
    assert not centers_in_scope(user_of(Role.CITIZEN)).exists()


@pytest.mark.parametrize(
    ("role", "scope", "field", "message"),
    [
        (Role.WINDOW_CLERK, {}, "center", "便民服务中心：窗口人员或中心负责人必须指定所在中心。"),
        (Role.BACK_OFFICE_OFFICER, {}, "department", "部门：后台审批人员必须指定所属审批部门。"),
        (
            Role.COUNTY_SUPERVISOR,
            {"region": "341500000000"},
            "region",
            "督导区域：县区督导必须指定一个县（区）。",
        ),
        (
            Role.CITY_SUPERVISOR,
            {"region": "341502000000"},
            "region",
            "督导区域：市级督导必须指定本市。",
        ),
    ],
)
def test_a_user_without_the_scope_their_role_needs_is_refused(
    divisions, role, scope, field, message
):
    if "region" in scope:
        scope = {"region": Region.objects.get(code=scope["region"])}
    user = User(username="x", role=role, **scope)
    with translation.override("zh-hans"), pytest.raises(Exception) as excinfo:
        user.full_clean()
    assert excinfo.value.message_dict[field] == [message]
