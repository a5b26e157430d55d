import pytest
from django.core import mail
from django.utils import timezone

from stakeholders import services
from stakeholders.models import Invitation, Membership

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_request_creates_pending_membership(person, organisation):
    membership = services.membership_request(
        user=person, organisation=organisation, role="volunteer", message="Gern!", is_listed=True
    )
    assert membership.status == Membership.Status.REQUESTED
    assert membership.is_listed and membership.message == "Gern!"


def test_requesting_the_same_role_twice_is_refused(person, organisation):
    services.membership_request(user=person, organisation=organisation, role="volunteer")
    with pytest.raises(services.MembershipError, match="already asked"):
        services.membership_request(user=person, organisation=organisation, role="volunteer")
    assert Membership.objects.filter(user=person).count() == 1


def test_requesting_a_role_already_held_is_refused(organisation):
    membership = MembershipFactory(organisation=organisation, role="citizen")
    with pytest.raises(services.MembershipError, match="already hold"):
        services.membership_request(user=membership.user, organisation=organisation, role="citizen")


def test_one_person_holds_different_roles_in_different_organisations(person, organisation, other_organisation):
    services.membership_request(user=person, organisation=organisation, role="client")
    services.membership_request(user=person, organisation=organisation, role="volunteer")
    services.membership_request(user=person, organisation=other_organisation, role="supporter")
    assert set(Membership.objects.filter(user=person).values_list("organisation", "role")) == {
        (organisation.pk, "client"),
        (organisation.pk, "volunteer"),
        (other_organisation.pk, "supporter"),
    }


def test_staff_role_cannot_be_requested(person, organisation):
    with pytest.raises(services.MembershipError, match="invited"):
        services.membership_request(user=person, organisation=organisation, role="staff")
    assert not Membership.objects.exists()


def test_after_decline_a_new_request_is_possible(person, organisation, staff):
    first = services.membership_request(user=person, organisation=organisation, role="volunteer")
    services.membership_decide(membership=first, decided_by=staff, approve=False)
    second = services.membership_request(user=person, organisation=organisation, role="volunteer")
    assert second.pk != first.pk


def test_approve_records_who_and_when(person, organisation, staff):
    membership = services.membership_request(user=person, organisation=organisation, role="volunteer")
    services.membership_decide(membership=membership, decided_by=staff, approve=True)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == staff and membership.decided_at is not None


def test_an_already_decided_request_cannot_be_decided_again(person, organisation, staff):
    membership = services.membership_request(user=person, organisation=organisation, role="volunteer")
    services.membership_decide(membership=membership, decided_by=staff, approve=False)
    with pytest.raises(services.MembershipError, match="already been decided"):
        services.membership_decide(membership=membership, decided_by=staff, approve=True)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.DECLINED


def test_leaving_the_last_staff_role_closes_the_back_office(organisation):
    membership = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True)
    services.membership_leave(membership=membership, user=membership.user)
    membership.refresh_from_db()
    membership.user.refresh_from_db()
    assert membership.status == Membership.Status.LEFT
    assert not membership.user.is_staff


def test_nobody_leaves_on_behalf_of_someone_else(organisation, person):
    membership = MembershipFactory(organisation=organisation)
    with pytest.raises(services.MembershipError):
        services.membership_leave(membership=membership, user=person)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


def test_multiplier_mark_only_for_approved_members(person, organisation):
    pending = services.membership_request(user=person, organisation=organisation, role="citizen")
    with pytest.raises(services.MembershipError):
        services.membership_set_multiplier(membership=pending, value=True)
    approved = MembershipFactory(organisation=organisation)
    services.membership_set_multiplier(membership=approved, value=True)
    approved.refresh_from_db()
    assert approved.is_multiplier


def test_invitation_sends_a_link_and_accepting_it_grants_the_role(organisation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=organisation, email="neu@example.org", role="staff", invited_by=staff
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert invitation.get_absolute_url() in mail.outbox[0].body

    newcomer = UserFactory(email="neu@example.org")
    membership = services.invitation_accept(invitation=invitation, user=newcomer)
    newcomer.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED and membership.role == "staff"
    assert newcomer.is_staff, "staff invited by their organisation get into the back office"


def test_invitation_works_only_once(organisation, staff):
    invitation = services.invitation_create(organisation=organisation, email="a@example.org", role="volunteer", invited_by=staff)
    services.invitation_accept(invitation=invitation, user=UserFactory())
    with pytest.raises(services.MembershipError, match="expired or has already been used"):
        services.invitation_accept(invitation=invitation, user=UserFactory())
    assert Membership.objects.filter(organisation=organisation, role="volunteer").count() == 1


def test_expired_invitation_is_refused(organisation, staff):
    invitation = services.invitation_create(organisation=organisation, email="a@example.org", role="volunteer", invited_by=staff)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(services.MembershipError):
        services.invitation_accept(invitation=invitation, user=UserFactory())
    assert not Membership.objects.filter(role="volunteer").exists()


def test_invitation_approves_a_pending_request_for_the_same_role(person, organisation, staff):
    pending = services.membership_request(user=person, organisation=organisation, role="volunteer")
    invitation = services.invitation_create(organisation=organisation, email=person.email, role="volunteer", invited_by=staff)
    services.invitation_accept(invitation=invitation, user=person)
    pending.refresh_from_db()
    assert pending.status == Membership.Status.APPROVED
    assert Membership.objects.filter(user=person).count() == 1
