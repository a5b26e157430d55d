"""Who may do what with organisations and memberships, as named rules."""
import rules

from . import staff


@rules.predicate
def is_staff_of_organisation(user, organisation):
    """Holds the approved staff role in ``organisation`` (the one predicate every app's rules use)."""
    return organisation is not None and staff.holds_staff_role(user, organisation)


@rules.predicate
def is_staff_of_membership_organisation(user, membership):
    return membership is not None and staff.holds_staff_role(user, membership.organisation_id)


@rules.predicate
def is_staff_anywhere(user):
    return staff.is_staff_anywhere(user)


is_superuser = rules.is_superuser

rules.add_perm("stakeholders.manage_organisation", is_superuser | is_staff_of_organisation)
rules.add_perm("stakeholders.decide_membership", is_superuser | is_staff_of_membership_organisation)
rules.add_perm("stakeholders.invite_to_organisation", is_superuser | is_staff_of_organisation)
rules.add_perm("stakeholders.work_in_back_office", is_superuser | is_staff_anywhere)
