"""Deleting one's own account: the right to erasure (Art. 17 DSGVO).

``erase_account(user=..., actor=...)`` erases a person in one transaction: either everything
below happens, or nothing does. ``ERASURE`` names, for every reference to the user model in the
project, what becomes of it, with the reason; tests/stakeholders/test_erasure.py keeps that map
complete, and checks that what it promises really happens.

Each app says its part in its contract module ``<app>/privacy.py`` (see coproduction.contracts
and stakeholders.privacy), and this module runs them:

- ``ERASURE``: its entries of the map, "app_label.Model.field" → "delete|unlink|keep as deleted
  user: why";
- ``erase(user=..., now=...)``, if it has work to do before the user row goes: it calls the app's
  own services, so counters, waitlists and locks stay that app's business;
- ``erasure_summary(user=..., now=..., summary=...)``: its lines on the page that asks the person
  to confirm;
- ``admin_log_rows(user)``: the person's rows whose back-office log entries carry their name.

The apps' steps run in the reverse order of INSTALLED_APPS: an app settles its rows before the
apps it builds on act (budgets keep their budget proposals out of the drafts proposals delete),
and the core's notifications come last of them, so the activities recorded on the way (sign-ups
cancelled) are marked too. This module's own step — the back-office log and the invitations —
follows, and then the user row goes.

The three outcomes:

- **delete** – personal data nobody else relies on: the profile, email addresses, memberships,
  follows, watches, notifications, preferences, the volunteer profile with availability and
  calendar feed, certificates, and withdrawable contributions (supports, pledges) whose kept
  counters go down with them.
- **unlink** – rows that others count on stay without a person: confirmed ballots stay counted,
  attended hours stay in the organisation's statistics, evaluations stay in the average.
- **keep as deleted user** – contributions others' discussions rely on stay and are shown as
  written by a "deleted user": published proposals, comments, wiki revisions, budget proposals,
  implementation updates, and the activity log (which never stored the person's name).

Decisions on the edge cases:

- A platform operator (superuser) cannot delete their own account on the site: that would
  leave the platform without the person who just acted on it. Another operator deletes it in
  the back office. Nobody but the person themselves or a platform operator may erase an account.
- The last approved staff member of an organisation may delete their account; the page warns
  them first. Erasure is a right and is not held up by the organisation's needs; platform
  operators can appoint new staff.
- A ballot that was not confirmed was never counted: it is deleted. A confirmed ballot stays
  counted without a person, so turnout, votes and results do not change.
- Sign-ups for shifts that can still be cancelled are cancelled through the volunteering
  services, so places are freed and the waitlist moves on; an open offer of a freed place is
  declined that way and goes to the next person. A waitlist place or offer for a shift already
  under way ends at once. A confirmed place in a shift already under way stays, without a name,
  so staff can still record the hours.
- Draft proposals were visible only to their author: they are deleted.
- Invitations sent to one of the person's email addresses, or accepted by them, are deleted:
  they hold the address. The address may sign up again right afterwards.
- Certificates are deleted: they carry the person's name. A printed certificate can then no
  longer be verified online.
- Pages the person looked after in the wiki stay, without an owner, until staff give them a new
  one in the back office.
"""
from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy as _

from .models import Invitation, Membership, User
from .privacy import privacy_contracts

# How the platform names a person whose account was deleted, wherever their contributions stay.
DELETED_USER = _("deleted user")

# What erasure does with the references to a person in the people's and organisations' own records.
OWN_ERASURE = {
    "account.EmailAddress.user": "delete: the person's email addresses; once deleted, an address can sign up again",
    "admin.LogEntry.user": "delete: the back office's technical log of the person's own changes there; the "
                           "activity log keeps what happened, without a name",
    "stakeholders.Membership.user": "delete: the person's roles and requests, with their messages to staff",
    "stakeholders.Membership.decided_by": "unlink: a staff decision on someone else's request stays that "
                                          "person's; who decided is no longer known",
    "stakeholders.Invitation.invited_by": "unlink: the invitation belongs to the invited person and the "
                                          "organisation and stays valid",
    "stakeholders.Invitation.accepted_by": "delete: an invitation the person accepted holds their email address",
}


def __getattr__(name):
    # The collected map is gathered on use, once every app is loaded, not when this module is imported.
    if name == "ERASURE":
        collected = dict(OWN_ERASURE)
        for _config, contract in privacy_contracts():
            collected.update(getattr(contract, "ERASURE", {}))
        return collected
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ErasureError(Exception):
    """An erasure the rules refuse; the message is shown to the person."""


def erasure_refusal(*, user, actor):
    """Why ``actor`` may not erase ``user``'s account, or None if they may."""
    if actor is None or not actor.is_authenticated:
        return gettext("Sign in first.")
    if actor.pk != user.pk:
        if actor.is_superuser:
            return None
        return gettext("You can only delete your own account.")
    if user.is_superuser:
        return gettext("Platform operators cannot delete their own account here. Another platform operator "
                       "deletes it in the back office.")
    return None


def erasure_summary(user, now=None):
    """What deleting the account would change for this person, for the page that asks them to confirm.

    A fixed number of queries, however much the person has done.
    """
    now = now or timezone.now()
    summary = {"kept": {}, "only_staff_of": _only_staff_of(user)}
    for _config, contract in privacy_contracts():
        if hasattr(contract, "erasure_summary"):
            contract.erasure_summary(user=user, now=now, summary=summary)
    summary["kept_total"] = sum(summary["kept"].values())
    return summary


def _only_staff_of(user):
    """Names of the organisations where ``user`` is the only approved staff member."""
    staff = Membership.objects.approved().filter(role=Membership.Role.STAFF)
    mine = staff.filter(user=user).values("organisation")
    return list(
        staff.filter(organisation__in=mine).values("organisation__name")
        .annotate(people=Count("user", distinct=True)).filter(people=1)
        .order_by("organisation__name").values_list("organisation__name", flat=True)
    )


@transaction.atomic
def erase_account(*, user, actor, now=None):
    """Deletes the person's account and personal data; what others rely on stays, as ERASURE says."""
    refusal = erasure_refusal(user=user, actor=actor)
    if refusal is not None:
        raise ErasureError(refusal)
    user = User.objects.select_for_update().get(pk=user.pk)
    now = now or timezone.now()
    contracts = privacy_contracts()
    for _config, contract in reversed(contracts):
        if hasattr(contract, "erase"):
            contract.erase(user=user, now=now)
    _scrub_admin_log(user, contracts)
    _invitations_of(user).delete()
    # Everything else follows the references' on_delete, which ERASURE and its test keep in line.
    user.delete()


def _scrub_admin_log(user, contracts):
    """Back-office log entries about the person's own rows named them; they now name a deleted user."""
    targets = [
        (User, [user.pk]),
        (Membership, Membership.objects.filter(user=user).values_list("pk", flat=True)),
    ]
    for _config, contract in contracts:
        if hasattr(contract, "admin_log_rows"):
            targets += contract.admin_log_rows(user)
    about_person = Q()
    for model, ids in targets:
        content_type = ContentType.objects.get_for_model(model)
        about_person |= Q(content_type=content_type, object_id__in=[str(pk) for pk in ids])
    with translation.override(settings.LANGUAGE_CODE):
        LogEntry.objects.filter(about_person).exclude(user=user).update(object_repr=str(DELETED_USER))


def _invitations_of(user):
    """Invitations the person accepted or that were sent to one of their addresses (in any letter case)."""
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    query = Q(accepted_by=user)
    for address in addresses:
        query |= Q(email__iexact=address)
    return Invitation.objects.filter(query)
