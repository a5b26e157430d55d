"""Who hears about memberships: staff about requests to join, the person about the decision."""
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Category
from notifications.registry import rule, visibility
from notifications.wording import actor_name, exists

from .models import Membership


def _for_member(membership):
    organisation = membership.organisation
    return organisation.name, organisation.get_absolute_url(), {"role": membership.role}


def _for_staff(membership):
    organisation = membership.organisation
    return (organisation.name, reverse("admin:stakeholders_membership_change", args=[membership.pk]),
            {"role": membership.role})


def _staff_of(activity):
    return Membership.objects.approved().filter(
        organisation_id=activity.organisation_id, role=Membership.Role.STAFF
    ).values_list("user_id", flat=True)


def _values(activity):
    return {"name": actor_name(activity), "title": activity.title,
            "role": Membership.Role(activity.data["role"]).label}


rule("membership.requested", Category.MEMBERSHIPS, recipients=_staff_of, describe=_for_staff,
     message=lambda activity: (_("%(name)s asks to join %(title)s as “%(role)s”.") % _values(activity), ""))
rule("membership.approved", Category.MEMBERSHIPS, recipients=lambda activity: [activity.target.user_id],
     describe=_for_member,
     message=lambda activity: (_("You now hold the role “%(role)s” at %(title)s.") % _values(activity), ""))
rule("membership.declined", Category.MEMBERSHIPS, recipients=lambda activity: [activity.target.user_id],
     describe=_for_member,
     message=lambda activity: (_("Your request to join %(title)s as “%(role)s” was declined.") % _values(activity),
                               ""))

visibility(Membership, exists(Membership))
