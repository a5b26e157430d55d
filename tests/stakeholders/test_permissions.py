"""Who may do what: each role against each action, including every "may not"."""
import pytest
from django.contrib.auth.models import AnonymousUser

from stakeholders.models import Invitation, Membership

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBER_ROLES = ["client", "volunteer", "citizen", "supporter"]


@pytest.fixture
def pending(organisation):
    return MembershipFactory(organisation=organisation, role="citizen", status="requested")


@pytest.fixture
def foreign_pending(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="citizen", status="requested")


def actor(kind, organisation, other_organisation):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if kind == "staff":
        return MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    if kind == "other_staff":
        return MembershipFactory(organisation=other_organisation, role="staff", user__is_staff=True).user
    if kind == "pending_staff":
        return MembershipFactory(organisation=organisation, role="staff", status="requested").user
    return MembershipFactory(organisation=organisation, role=kind).user


ALL_KINDS = ["anonymous", *MEMBER_ROLES, "pending_staff", "other_staff", "staff", "superuser"]
ALLOWED = {"staff", "superuser"}


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("perm", ["stakeholders.manage_organisation", "stakeholders.invite_to_organisation"])
def test_organisation_rules(kind, perm, organisation, other_organisation):
    user = actor(kind, organisation, other_organisation)
    assert user.has_perm(perm, organisation) is (kind in ALLOWED)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_deciding_membership_rule(kind, organisation, other_organisation, pending):
    user = actor(kind, organisation, other_organisation)
    assert user.has_perm("stakeholders.decide_membership", pending) is (kind in ALLOWED)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_back_office_access(client, kind, organisation, other_organisation):
    user = actor(kind, organisation, other_organisation)
    if kind != "anonymous":
        client.force_login(user)
    response = client.get("/admin/stakeholders/membership/")
    if kind in ALLOWED | {"other_staff"}:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_staff_list_shows_only_own_organisations_memberships(client, staff, pending, foreign_pending):
    client.force_login(staff)
    page = client.get("/admin/stakeholders/membership/").text
    assert pending.user.display_name in page
    assert foreign_pending.user.display_name not in page
    assert foreign_pending.organisation.name not in page


@pytest.mark.parametrize("url", ["/admin/stakeholders/membership/{pk}/change/", "/admin/stakeholders/membership/{pk}/history/"])
def test_staff_cannot_open_another_organisations_membership_by_url(client, staff, foreign_pending, url):
    client.force_login(staff)
    response = client.get(url.format(pk=foreign_pending.pk), follow=True)
    assert foreign_pending.user.display_name not in response.text
    assert response.redirect_chain == [] or response.redirect_chain[-1][0] == "/admin/"


def test_staff_cannot_change_another_organisations_membership_by_post(client, staff, foreign_pending):
    client.force_login(staff)
    client.post(f"/admin/stakeholders/membership/{foreign_pending.pk}/change/", {"is_multiplier": "on"})
    foreign_pending.refresh_from_db()
    assert not foreign_pending.is_multiplier


def test_staff_cannot_approve_another_organisations_request_with_a_forged_action(client, staff, foreign_pending):
    client.force_login(staff)
    client.post(
        "/admin/stakeholders/membership/",
        {"action": "approve", "_selected_action": [foreign_pending.pk]},
    )
    foreign_pending.refresh_from_db()
    assert foreign_pending.status == Membership.Status.REQUESTED


def test_staff_approves_own_organisations_request_in_admin(client, staff, pending):
    client.force_login(staff)
    response = client.post(
        "/admin/stakeholders/membership/", {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )
    pending.refresh_from_db()
    assert pending.status == Membership.Status.APPROVED and pending.decided_by == staff
    assert response.status_code == 200


def test_approving_an_already_decided_request_in_admin_warns_and_changes_nothing(client, staff, organisation):
    declined = MembershipFactory(organisation=organisation, status="declined")
    client.force_login(staff)
    response = client.post(
        "/admin/stakeholders/membership/",
        {"action": "approve", "_selected_action": [declined.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    declined.refresh_from_db()
    assert declined.status == Membership.Status.DECLINED
    assert "already been decided" in response.text


def test_staff_marks_multiplier_and_cannot_touch_consent(client, staff, organisation):
    member = MembershipFactory(organisation=organisation, is_listed=False)
    client.force_login(staff)
    client.post("/admin/stakeholders/membership/", {"action": "mark_multiplier", "_selected_action": [member.pk]})
    client.post(f"/admin/stakeholders/membership/{member.pk}/change/", {"is_multiplier": "on", "is_listed": "on", "status": "declined"})
    member.refresh_from_db()
    assert member.is_multiplier
    assert not member.is_listed, "listing is the member's own choice"
    assert member.status == Membership.Status.APPROVED


def test_staff_may_not_add_or_delete_memberships(client, staff, pending):
    client.force_login(staff)
    assert client.get("/admin/stakeholders/membership/add/").status_code == 403
    assert client.post(f"/admin/stakeholders/membership/{pending.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=pending.pk).exists()


def test_staff_edits_own_organisation_not_others(client, staff, organisation, other_organisation):
    client.force_login(staff)
    assert client.get(f"/admin/stakeholders/organisation/{organisation.pk}/change/").status_code == 200
    response = client.get(f"/admin/stakeholders/organisation/{other_organisation.pk}/change/")
    assert response.status_code == 302
    page = client.get("/admin/stakeholders/organisation/").text
    assert organisation.name in page and other_organisation.name not in page
    assert client.get("/admin/stakeholders/organisation/add/").status_code == 403


def test_staff_invites_only_for_own_organisation(
    client, staff, organisation, other_organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    response = client.post(
        "/admin/stakeholders/invitation/add/",
        {"organisation": other_organisation.pk, "email": "x@example.org", "role": "volunteer"},
    )
    assert response.status_code == 200  # form error: not a valid choice
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/stakeholders/invitation/add/",
            {"organisation": organisation.pk, "email": "x@example.org", "role": "volunteer"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_by == staff and mailoutbox[-1].to == ["x@example.org"]


def test_staff_may_not_see_people_or_feedback_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/stakeholders/user/").status_code == 403
    assert client.get("/admin/coproduction/accessibilityfeedback/").status_code == 403


def test_superuser_sees_everything(client, superuser, pending, foreign_pending):
    client.force_login(superuser)
    page = client.get("/admin/stakeholders/membership/").text
    assert pending.user.display_name in page and foreign_pending.user.display_name in page
    for url in ["/admin/stakeholders/user/", "/admin/coproduction/accessibilityfeedback/",
                f"/admin/stakeholders/membership/{foreign_pending.pk}/change/", "/admin/stakeholders/invitation/"]:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/admin/stakeholders/user/", "/admin/stakeholders/organisation/", "/admin/stakeholders/membership/",
     "/admin/stakeholders/invitation/", "/admin/coproduction/accessibilityfeedback/"],
)
def test_admin_lists_with_search_and_filters_work(client, superuser, pending, url):
    client.force_login(superuser)
    assert client.get(url, {"q": "a"}).status_code == 200
