"""What people do with a published proposal: support, follow, comment, pledge."""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record

from ..models import Channel, Comment, Follow, Pledge, Proposal, Support
from ..notify import Verb
from .common import ProposalError, _check_assisted


S = Proposal.Status


@transaction.atomic
def proposal_support(*, proposal, user, entered_by=None, channel=Channel.ONLINE, consent_recorded=False):
    """One support per person; supporting also follows. Staff may add an offline participant's support."""
    proposal = Proposal.objects.select_related("organisation").get(pk=proposal.pk)  # current state, not a stale copy
    _check_assisted(entered_by=entered_by, channel=channel, consent_recorded=consent_recorded,
                    organisation=proposal.organisation)
    if proposal.status not in Proposal.SUPPORTABLE_STATUSES or proposal.is_hidden:
        raise ProposalError(_("This proposal cannot be supported in its current state."))
    try:
        with transaction.atomic():
            support = Support.objects.create(
                proposal=proposal, user=user, entered_by=entered_by, channel=channel, consent_recorded=consent_recorded
            )
    except IntegrityError:
        raise ProposalError(_("You already support this proposal.")) from None
    Proposal.objects.filter(pk=proposal.pk).update(
        support_count=F("support_count") + 1, last_activity_at=timezone.now()
    )
    if user is not None:
        Follow.objects.bulk_create([Follow(user=user, proposal=proposal)], ignore_conflicts=True)
    activity_record(actor=entered_by or user, verb=Verb.SUPPORTED, target=proposal,
                    organisation=proposal.organisation)
    return support


@transaction.atomic
def proposal_unsupport(*, proposal, user):
    """Withdraws one's support."""
    deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
    if not deleted:
        raise ProposalError(_("You do not support this proposal."))
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)


def proposal_follow(*, proposal, user):
    Follow.objects.bulk_create([Follow(user=user, proposal=proposal)], ignore_conflicts=True)


def proposal_unfollow(*, proposal, user):
    Follow.objects.filter(proposal=proposal, user=user).delete()


@transaction.atomic
def comment_create(*, proposal, author, text, parent=None, entered_by=None, channel=Channel.ONLINE,
                   consent_recorded=False):
    """Comments on a published, visible proposal; replies go one level deep."""
    proposal = Proposal.objects.select_related("organisation").get(pk=proposal.pk)  # current state, not a stale copy
    _check_assisted(entered_by=entered_by, channel=channel, consent_recorded=consent_recorded,
                    organisation=proposal.organisation)
    if proposal.status == S.DRAFT or proposal.is_hidden:
        raise ProposalError(_("This proposal is not open for comments."))
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep: answer the thread
        if parent.proposal_id != proposal.pk or parent.is_hidden:
            raise ProposalError(_("You cannot reply to this comment."))
    text = text.strip()
    if not text:
        raise ProposalError(_("Write something before sending."))
    comment = Comment(proposal=proposal, author=author, parent=parent, text=text, entered_by=entered_by,
                      channel=channel, consent_recorded=consent_recorded)
    comment.full_clean(exclude=["proposal", "author", "parent", "entered_by"])
    comment.save()
    Proposal.objects.filter(pk=proposal.pk).update(
        comment_count=F("comment_count") + 1, last_activity_at=timezone.now()
    )
    activity_record(actor=entered_by or author, verb=Verb.COMMENTED, target=comment,
                    organisation=proposal.organisation, proposal=proposal.pk)
    return comment


@transaction.atomic
def comment_edit(*, comment, user, text):
    """Authors may correct their comment for a short while after writing it."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != user.pk or comment.entered_by_id is not None:
        raise ProposalError(_("Only the author can edit this comment."))
    if timezone.now() - comment.created_at > timedelta(minutes=Comment.EDIT_WINDOW_MINUTES):
        raise ProposalError(
            _("Comments can only be edited within %(minutes)s minutes.") % {"minutes": Comment.EDIT_WINDOW_MINUTES}
        )
    if comment.is_hidden:
        raise ProposalError(_("This comment was hidden by moderation."))
    comment.text = text.strip()
    comment.edited_at = timezone.now()
    comment.full_clean(exclude=["proposal", "author", "parent", "entered_by"])
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def pledge_create(*, proposal, user, kind, hours=None, amount=None, note="", entered_by=None,
                  channel=Channel.ONLINE, consent_recorded=False):
    """Someone pledges what they would bring: time, skills, contacts, a room or money."""
    proposal = Proposal.objects.select_related("organisation").get(pk=proposal.pk)  # current state, not a stale copy
    _check_assisted(entered_by=entered_by, channel=channel, consent_recorded=consent_recorded,
                    organisation=proposal.organisation)
    if proposal.status not in Proposal.OPEN_FOR_PLEDGES or proposal.is_hidden:
        raise ProposalError(_("This proposal is not open for pledges."))
    if kind == Pledge.Kind.TIME and not (hours and hours > 0):
        raise ProposalError(_("Say how many hours you would give."))
    if kind == Pledge.Kind.MONEY and not (amount and amount > 0):
        raise ProposalError(_("Say how much money you would give."))
    pledge = Pledge(
        proposal=proposal, user=user, kind=kind, note=note,
        hours=hours if kind == Pledge.Kind.TIME else None,
        amount=amount if kind == Pledge.Kind.MONEY else None,
        entered_by=entered_by, channel=channel, consent_recorded=consent_recorded,
    )
    pledge.full_clean(exclude=["proposal", "user", "entered_by"])
    pledge.save()
    Proposal.objects.filter(pk=proposal.pk).update(
        pledge_count=F("pledge_count") + 1, last_activity_at=timezone.now()
    )
    activity_record(actor=entered_by or user, verb=Verb.PLEDGED, target=proposal,
                    organisation=proposal.organisation, kind=kind)
    return pledge
