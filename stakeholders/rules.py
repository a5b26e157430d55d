"""Who may do what with organisations and memberships, as named rules."""
import rules

from .models import Membership


@rules.predicate
def is_staff_of_organisation(user, organisation):
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.approved().filter(
        user=user, organisation=organisation, role=Membership.Role.STAFF
    ).exists()


@rules.predicate
def is_staff_of_membership_organisation(user, membership):
    return membership is not None and is_staff_of_organisation(user, membership.organisation)


@rules.predicate
def is_staff_anywhere(user):
    if not user.is_authenticated:
        return False
    return Membership.objects.approved().filter(user=user, role=Membership.Role.STAFF).exists()


is_superuser = rules.is_superuser

rules.add_perm("stakeholders.manage_organisation", is_superuser | is_staff_of_organisation)
rules.add_perm("stakeholders.decide_membership", is_superuser | is_staff_of_membership_organisation)
rules.add_perm("stakeholders.invite_to_organisation", is_superuser | is_staff_of_organisation)
rules.add_perm("stakeholders.work_in_back_office", is_superuser | is_staff_anywhere)
