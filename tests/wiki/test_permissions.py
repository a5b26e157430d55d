"""Who may do what in the wiki: each role × each kind of space × each action, with every "may not",
and the list twins (visible_to) agreeing with the rules."""
import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from stakeholders.models import Membership
from tests.stakeholders.factories import MembershipFactory, UserFactory
from wiki.models import Page, Revision, Space

from .factories import PageFactory, SpaceFactory, edit

pytestmark = pytest.mark.django_db

MEMBERS = {"client", "volunteer", "citizen", "supporter", "staff"}
ROLES = ["anonymous", "client", "volunteer", "citizen", "supporter", "staff", "other_staff", "outsider", "pending",
         "left", "superuser"]
SIGNED_IN = set(ROLES) - {"anonymous"}
STAFF_ANYWHERE = {"staff", "other_staff"}

# (organisation space?, visibility, editors)
SPACES = [
    (True, "public", "members"), (True, "members", "members"), (True, "public", "staff"), (True, "members", "staff"),
    (True, "public", "signed_in"), (True, "members", "signed_in"),
    (False, "public", "signed_in"), (False, "members", "signed_in"), (False, "public", "staff"),
]
ACTIONS = ["view_space", "view_page", "add_page", "change_page", "revert_page", "watch_space", "watch_page",
           "handover_space", "hand_over_page"]


def expected(role, is_org, visibility, editors):
    members = (MEMBERS if is_org else SIGNED_IN) | {"superuser"}
    staff = ({"staff"} if is_org else STAFF_ANYWHERE) | {"superuser"}
    readers = set(ROLES) if visibility == "public" else members
    writers = readers & {"members": members, "staff": staff, "signed_in": SIGNED_IN}[editors]
    watchers = readers & SIGNED_IN
    allowed = {"view_space": readers, "view_page": readers, "add_page": writers, "change_page": writers,
               "revert_page": writers, "watch_space": watchers, "watch_page": watchers, "handover_space": staff,
               "hand_over_page": staff}
    return {action: role in allowed[action] for action in ACTIONS}


def actor(role, organisation, other_organisation):
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "outsider":
        return UserFactory()
    if role == "other_staff":
        return MembershipFactory(organisation=other_organisation, role="staff").user
    if role == "pending":
        return MembershipFactory(organisation=organisation, role="volunteer", status=Membership.Status.REQUESTED).user
    if role == "left":
        return MembershipFactory(organisation=organisation, role="volunteer", status=Membership.Status.LEFT).user
    return MembershipFactory(organisation=organisation, role=role).user


def space_for(is_org, visibility, editors, organisation):
    return SpaceFactory(organisation=organisation if is_org else None, visibility=visibility, editors=editors)


@pytest.mark.parametrize("is_org, visibility, editors", SPACES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, is_org, visibility, editors, organisation, other_organisation, superuser):
    space = space_for(is_org, visibility, editors, organisation)
    page = PageFactory(space=space, author=superuser)
    user = actor(role, organisation, other_organisation)
    granted = {action: rules.has_perm(f"wiki.{action}", user, space if action.endswith("space") else page)
               for action in ACTIONS}
    assert granted == expected(role, is_org, visibility, editors)
    # Views ask user.has_perm; the rules backend answers the same (Django lets superusers pass anyway).
    if role != "superuser":
        assert {a: user.has_perm(f"wiki.{a}", space if a.endswith("space") else page) for a in ACTIONS} == granted


@pytest.mark.parametrize("role", ROLES)
def test_visible_to_twins_agree_with_the_view_rule(role, organisation, other_organisation, superuser):
    spaces = [space_for(is_org, visibility, editors, org) for is_org, visibility, editors in SPACES
              for org in (organisation, other_organisation)]
    pages = [PageFactory(space=space, author=superuser) for space in spaces]
    for page in pages[:3]:
        edit(page, superuser, "Zweite Fassung.\n")
    user = actor(role, organisation, other_organisation)
    assert set(Space.objects.visible_to(user)) == {s for s in spaces if rules.has_perm("wiki.view_space", user, s)}
    readable = {p for p in pages if rules.has_perm("wiki.view_page", user, p)}
    assert set(Page.objects.visible_to(user)) == readable
    assert set(Revision.objects.visible_to(user)) == {r for r in Revision.objects.all() if r.page in readable}


def test_members_only_pages_never_reach_outsiders_lists(organisation, superuser):
    secret = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    PageFactory(space=secret, author=superuser, title="Vertraulich")
    for user in (AnonymousUser(), UserFactory(), MembershipFactory(role="staff").user,
                 MembershipFactory(organisation=organisation, status=Membership.Status.LEFT).user):
        assert not Page.objects.visible_to(user).exists()
        assert not Revision.objects.visible_to(user).exists()
        assert secret not in Space.objects.visible_to(user)


def test_roles_are_asked_once_per_space_object(organisation, django_assert_num_queries):
    space = SpaceFactory(organisation=organisation, visibility=Space.Visibility.MEMBERS)
    member = MembershipFactory(organisation=organisation).user
    with django_assert_num_queries(1):
        for action in ("view_space", "add_page", "watch_space", "handover_space"):
            rules.has_perm(f"wiki.{action}", member, space)
