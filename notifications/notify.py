"""Who hears about memberships: staff about requests to join, the person about the decision.

Memberships are stakeholders' (stakeholders.events names their verbs), but stakeholders sits below
notifications, so notifications declares and tells them here.
"""
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from stakeholders.events import Verb as Recorded
from stakeholders.models import Membership

from . import messaging
from .channels import Channel
from .models import Message
from .registry import category, event, rule, visibility
from .wording import actor_name, excerpt, exists


def _for_member(membership):
    organisation = membership.organisation
    return organisation.name, organisation.get_absolute_url(), {"role": membership.role}


def _for_staff(membership):
    organisation = membership.organisation
    return (organisation.name, reverse("admin:stakeholders_membership_change", args=[membership.pk]),
            {"role": membership.role})


class Category:
    # Listed last on the preferences page, after the feature apps' categories.
    MEMBERSHIPS = category("memberships", gettext_lazy("My memberships"), default_channel=Channel.IMMEDIATE, order=90)
    # What staff are alerted to in their organisations (new reports, proposals, requests to join, …):
    # every app adds its rules in this category; by default they arrive once a day, in the summary.
    MESSAGES = category("messages", gettext_lazy("Messages from organisations"),
                        default_channel=Channel.IMMEDIATE, order=85)
    STAFF = category("staff", gettext_lazy("For staff of my organisations"), default_channel=Channel.DAILY, order=80,
                     for_staff=True)


class Verb:
    """What the activity log records about memberships."""

    REQUESTED = event(Recorded.REQUESTED, describe=_for_staff)
    APPROVED = event(Recorded.APPROVED, describe=_for_member)
    DECLINED = event(Recorded.DECLINED, describe=_for_member)
    LEFT = event(Recorded.LEFT, describe=_for_staff)
    MESSAGE_SENT = event(messaging.MESSAGE_SENT, describe=lambda message: (message.subject,
                                                                            message.get_absolute_url()))


def staff_of(activity):
    """The staff of the activity's organisation: whom a staff alert tells (never another organisation's)."""
    return Membership.objects.approved().filter(
        organisation_id=activity.organisation_id, role=Membership.Role.STAFF
    ).values_list("user_id", flat=True)



def _values(activity):
    return {"name": actor_name(activity), "title": activity.title,
            "role": Membership.Role(activity.data["role"]).label}


rule(Verb.REQUESTED, Category.STAFF, recipients=staff_of,
     message=lambda activity: (_("%(name)s asks to join %(title)s as “%(role)s”.") % _values(activity), ""))
rule(Verb.APPROVED, Category.MEMBERSHIPS, recipients=lambda activity: [activity.target.user_id],
     message=lambda activity: (_("You now hold the role “%(role)s” at %(title)s.") % _values(activity), ""))
rule(Verb.DECLINED, Category.MEMBERSHIPS, recipients=lambda activity: [activity.target.user_id],
     message=lambda activity: (_("Your request to join %(title)s as “%(role)s” was declined.") % _values(activity),
                               ""))

visibility(Membership, exists(Membership))


def _message(activity):
    message = activity.target
    return (_("Message from %(organisation)s: %(subject)s") % {
        "organisation": message.organisation.name, "subject": activity.title}, excerpt(message.body, 160))


rule(Verb.MESSAGE_SENT, Category.MESSAGES, recipients=messaging.recipients_of_activity, message=_message,
     broadcast=True)
visibility(Message, exists(Message))
