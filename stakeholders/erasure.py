"""Deleting one's own account: the right to erasure (Art. 17 DSGVO).

``erase_account(user=..., actor=...)`` erases a person in one transaction: either everything
below happens, or nothing does. ``ERASURE`` names, for every reference to the user model in the
project, what becomes of it, with the reason; tests/stakeholders/test_erasure.py keeps that map
complete, and checks that what it promises really happens.

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

from collections import Counter, defaultdict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy as _

from budgets.models import Ballot, Phase
from notifications.models import Activity, Delivery
from proposals.models import Comment, Pledge, Proposal, Support
from volunteering import services as volunteering_services
from volunteering.models import Certificate, SignUp
from volunteering.services.places import end_sign_ups, lock_shift
from wiki.models import Revision

from .models import Invitation, Membership, User

# How the platform names a person whose account was deleted, wherever their contributions stay.
DELETED_USER = _("deleted user")

# "app_label.Model.field" of every reference to the user model → what erasure does with it, and why.
ERASURE = {
    "account.EmailAddress.user": "delete: the person's email addresses; once deleted, an address can sign up again",
    "admin.LogEntry.user": "delete: the back office's technical log of the person's own changes there; the "
                           "activity log keeps what happened, without a name",
    "stakeholders.Membership.user": "delete: the person's roles and requests, with their messages to staff",
    "stakeholders.Membership.decided_by": "unlink: a staff decision on someone else's request stays that "
                                          "person's; who decided is no longer known",
    "stakeholders.Invitation.invited_by": "unlink: the invitation belongs to the invited person and the "
                                          "organisation and stays valid",
    "stakeholders.Invitation.accepted_by": "delete: an invitation the person accepted holds their email address",
    "proposals.Proposal.author": "keep as deleted user: others support, discuss and decide on published "
                                 "proposals; drafts, seen only by their author, are deleted",
    "proposals.Proposal.entered_by": "unlink: staff entered it for a participant; it stays theirs, marked as "
                                     "entered by staff",
    "proposals.Support.user": "delete: a support can be withdrawn at any time; erasure withdraws it and the "
                              "proposal's support count goes down by one",
    "proposals.Support.entered_by": "unlink: staff entered it for a participant with their consent; it stays",
    "proposals.Follow.user": "delete: only the person's wish to hear about a proposal",
    "proposals.Comment.author": "keep as deleted user: replies and the discussion rely on it",
    "proposals.Comment.entered_by": "unlink: staff entered it for a participant; it stays theirs",
    "proposals.Pledge.user": "delete: an offer of the person's own time, skills, contacts, room or money that "
                             "nobody can take up any more; the pledge count goes down with it",
    "proposals.Pledge.entered_by": "unlink: staff entered it for a participant; it stays theirs",
    "proposals.Call.created_by": "unlink: staff work for an organisation; the call is public and stays",
    "proposals.StatusChange.actor": "unlink: the public history and the organisation's official responses stay",
    "proposals.Report.reporter": "unlink: a report stays in the moderation queue until staff decide on it; "
                                 "who reported it is no longer known",
    "proposals.Report.decided_by": "unlink: the moderation decision stays",
    "budgets.Ballot.user": "unlink: a confirmed ballot stays counted (votes, turnout and results do not "
                           "change) but belongs to nobody; a ballot not yet confirmed was never counted and "
                           "is deleted",
    "budgets.ProcessFollow.user": "delete: only the person's wish to hear about a budget",
    "proposals.Evaluation.user": "unlink: evaluations are shown without names; the rating stays in the average",
    "proposals.ImplementationUpdate.author": "keep as deleted user: a public progress report of an organisation",
    "budgets.Process.created_by": "unlink: staff work for an organisation; the budget is public and stays",
    "budgets.Entry.reviewed_by": "unlink: the public review of someone else's budget proposal stays",
    "volunteering.VolunteerProfile.user": "delete: skills, weekly availability and the private calendar feed",
    "volunteering.SignUp.user": "unlink: sign-ups that can still be cancelled are cancelled first (places "
                                "are freed, the waitlist moves on); the rows stay without a person so "
                                "attendance and hours count in the organisation's statistics",
    "volunteering.SignUp.cancelled_by": "unlink: who cancelled someone else's sign-up is no longer known",
    "volunteering.SignUp.attendance_marked_by": "unlink: staff work on someone else's attendance",
    "volunteering.Certificate.user": "delete: a certificate carries the person's name; a printed one can no "
                                     "longer be verified online",
    "volunteering.BriefingRead.user": "delete: only that the person read a task's briefing",
    "volunteering.Task.created_by": "unlink: staff work for an organisation; the task is public and stays",
    "volunteering.Shift.cancelled_by": "unlink: staff work for an organisation",
    "wiki.Revision.author": "keep as deleted user: the shared knowledge and its history stay",
    "wiki.Page.created_by": "keep as deleted user: the page stays for everyone who relies on it",
    "wiki.Page.last_edited_by": "keep as deleted user: the same edits stay as revisions",
    "wiki.Page.owner": "unlink: the page stays without an owner until staff give it a new one",
    "wiki.Watch.user": "delete: only the person's wish to hear about changes",
    "wiki.EditSession.user": "delete: a technical marker of an open editor",
    "notifications.Notification.recipient": "delete: what the person was told",
    "notifications.Preference.user": "delete: how the person wanted to hear about things",
    "notifications.Delivery.recipient": "delete: the emails sent to the person",
    "notifications.Activity.actor": "keep as deleted user: the activity log stays to trace changes; it stores "
                                    "no name, and others' notifications read \"deleted user\"",
}


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
    kept = {
        "proposals": Proposal.objects.filter(author=user).exclude(status=Proposal.Status.DRAFT)
        .filter(budget_entry__isnull=True).count(),
        "budget_proposals": Proposal.objects.filter(author=user, budget_entry__isnull=False).count(),
        "comments": Comment.objects.filter(author=user).count(),
        "revisions": Revision.objects.filter(author=user).count(),
    }
    open_ballots = list(
        Ballot.objects.filter(user=user, status=Ballot.Status.DRAFT, process__phase=Phase.VOTING)
        .values_list("process__title", flat=True).order_by("process__title")
    )
    volunteering = SignUp.objects.filter(user=user).aggregate(
        upcoming=Count("pk", filter=Q(status__in=SignUp.ACTIVE_STATUSES) & (
            Q(shift__starts_at__gt=now) | Q(shift__task__is_flexible=True, shift__ends_at__gt=now))),
        offers=Count("pk", filter=Q(status=SignUp.Status.OFFERED, shift__ends_at__gt=now)),
    )
    return {
        "kept": kept,
        "kept_total": sum(kept.values()),
        "drafts": Proposal.objects.filter(author=user, status=Proposal.Status.DRAFT).count(),
        "open_ballots": open_ballots,
        "upcoming_sign_ups": volunteering["upcoming"],
        "open_offers": volunteering["offers"],
        "only_staff_of": _only_staff_of(user),
    }


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
    _end_sign_ups(user, now)
    _withdraw_contributions(user)
    Ballot.objects.filter(user=user, status=Ballot.Status.DRAFT).delete()
    _scrub_email_subjects(user)
    _mark_activities(user)
    _scrub_admin_log(user)
    _invitations_of(user).delete()
    # Everything else follows the references' on_delete, which ERASURE and its test keep in line.
    user.delete()


def _end_sign_ups(user, now):
    """Frees the person's places and waitlist tickets while they can still go to someone else."""
    active = SignUp.objects.active().filter(user=user).select_related("shift__task").order_by("pk")
    for sign_up in active:
        if sign_up.shift.cancel_deadline > now:
            try:
                volunteering_services.shift_cancel_sign_up(sign_up=sign_up, actor=user)
            except volunteering_services.VolunteeringError as error:
                raise ErasureError(str(error)) from error
        elif sign_up.status != SignUp.Status.CONFIRMED:
            shift = lock_shift(sign_up.shift)
            end_sign_ups(shift, statuses=[sign_up.status], new_status=SignUp.Status.CANCELLED, now=now,
                         verb="signup.cancelled", actor=user, only=Q(pk=sign_up.pk))


def _withdraw_contributions(user):
    """Supports and pledges go, with the counters kept on their proposals; so do private drafts."""
    supported = list(Support.objects.filter(user=user).values_list("proposal_id", flat=True))
    Support.objects.filter(user=user).delete()
    Proposal.objects.filter(pk__in=supported).update(support_count=F("support_count") - 1)

    pledges = Counter(Pledge.objects.filter(user=user).values_list("proposal_id", flat=True))
    Pledge.objects.filter(user=user).delete()
    by_number = defaultdict(list)
    for proposal_id, number in pledges.items():
        by_number[number].append(proposal_id)
    for number, proposal_ids in by_number.items():
        Proposal.objects.filter(pk__in=proposal_ids).update(pledge_count=F("pledge_count") - number)

    Proposal.objects.filter(author=user, status=Proposal.Status.DRAFT, budget_entry__isnull=True).delete()


def _mark_activities(user, batch_size=500):
    """The log keeps what the person did; notifications then name a deleted user, not the platform."""
    activities = Activity.objects.filter(actor=user).only("pk", "data").order_by("pk")
    batch = []
    for activity in activities.iterator(chunk_size=batch_size):
        activity.data = {**(activity.data or {}), "actor_erased": True}
        activity.actor = None
        batch.append(activity)
        if len(batch) >= batch_size:
            Activity.objects.bulk_update(batch, ["data", "actor"])
            batch = []
    if batch:
        Activity.objects.bulk_update(batch, ["data", "actor"])


def _scrub_email_subjects(user):
    """Single emails to others about what the person did carry their name in the stored subject."""
    if not user.display_name:
        return
    deliveries = (Delivery.objects.filter(notifications__activity__actor=user, kind=Delivery.Kind.IMMEDIATE,
                                          subject__contains=user.display_name)
                  .exclude(recipient=user).select_related("recipient").distinct())
    changed = []
    for delivery in deliveries:
        with translation.override(delivery.recipient.language):
            delivery.subject = delivery.subject.replace(user.display_name, capfirst(str(DELETED_USER)))[:200]
        changed.append(delivery)
    Delivery.objects.bulk_update(changed, ["subject"])


def _scrub_admin_log(user):
    """Back-office log entries about the person's own rows named them; they now name a deleted user."""
    targets = [
        (User, [user.pk]),
        (Membership, Membership.objects.filter(user=user).values_list("pk", flat=True)),
        (SignUp, SignUp.objects.filter(user=user).values_list("pk", flat=True)),
        (Certificate, Certificate.objects.filter(user=user).values_list("pk", flat=True)),
    ]
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
