"""Every change to proposals and what people do with them. Views, admin and tasks call these."""
from datetime import timedelta

from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record

from .models import Channel, Comment, Follow, Pledge, Proposal, Report, StatusChange, Support, forget_mode_counts

S = Proposal.Status

# Who may move a proposal from one status to another: "author" or "staff" of its organisation.
TRANSITIONS = {
    S.DRAFT: {S.PUBLISHED: "author", S.WITHDRAWN: "author"},
    S.PUBLISHED: {S.UNDER_REVIEW: "staff", S.ACCEPTED: "staff", S.REJECTED: "staff", S.WITHDRAWN: "author"},
    S.UNDER_REVIEW: {S.ACCEPTED: "staff", S.REJECTED: "staff", S.WITHDRAWN: "author"},
    S.ACCEPTED: {S.IN_DELIVERY: "staff", S.COMPLETED: "staff"},
    S.IN_DELIVERY: {S.COMPLETED: "staff"},
    S.COMPLETED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
}


class ProposalError(Exception):
    """A change the rules refuse; the message is shown to the person."""


def is_staff_of(user, organisation):
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("stakeholders.manage_organisation", organisation)
    )


def _update_search_vector(proposal):
    if connection.vendor == "postgresql":
        Proposal.objects.filter(pk=proposal.pk).update(
            search_vector=SearchVector("title", weight="A", config="german")
            + SearchVector("summary", weight="B", config="german")
            + SearchVector("text", weight="C", config="german")
        )


def _check_assisted(*, entered_by, channel, consent_recorded, organisation):
    if channel == Channel.ONLINE:
        if entered_by is not None:
            raise ProposalError(_("Choose how the participant took part when entering on their behalf."))
        return
    if entered_by is None or not is_staff_of(entered_by, organisation):
        raise ProposalError(_("Only staff of the organisation can enter contributions on behalf of participants."))
    if not consent_recorded:
        raise ProposalError(_("Record that the participant agreed before entering this on their behalf."))


@transaction.atomic
def proposal_create(
    *, author, organisation, title, summary, text, planning, delivery, partner_organisations=(), call=None,
    category=None, district="", estimated_cost=None, publish=False, entered_by=None, channel=Channel.ONLINE,
    consent_recorded=False,
):
    """Writes a proposal as a private draft, or publishes it at once."""
    _check_assisted(entered_by=entered_by, channel=channel, consent_recorded=consent_recorded, organisation=organisation)
    if call is not None and (call.organisation_id != organisation.pk or not call.is_open):
        raise ProposalError(_("This call for ideas is closed or belongs to another organisation."))
    if estimated_cost is not None and estimated_cost < 0:
        raise ProposalError(_("The cost cannot be negative."))
    now = timezone.now()
    proposal = Proposal.objects.create(
        author=author, organisation=organisation, title=title, summary=summary, text=text, planning=planning,
        delivery=delivery, call=call, category=category, district=district, estimated_cost=estimated_cost,
        status=S.PUBLISHED if publish else S.DRAFT, published_at=now if publish else None, last_activity_at=now,
        entered_by=entered_by, channel=channel, consent_recorded=consent_recorded,
    )
    proposal.partner_organisations.set([p for p in partner_organisations if p.pk != organisation.pk])
    _update_search_vector(proposal)
    if author is not None:
        Follow.objects.get_or_create(user=author, proposal=proposal)
    if publish:
        forget_mode_counts()
        activity_record(actor=entered_by or author, verb="proposal.published", target=proposal, organisation=organisation)
    return proposal


@transaction.atomic
def proposal_update(*, proposal, user, **fields):
    """The author edits their proposal until review starts."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id != user.pk:
        raise ProposalError(_("Only the author can edit this proposal."))
    if proposal.status not in Proposal.EDITABLE_STATUSES:
        raise ProposalError(_("This proposal is under review and can no longer be edited."))
    if proposal.is_hidden:
        raise ProposalError(_("This proposal was hidden by moderation and cannot be edited."))
    partners = fields.pop("partner_organisations", None)
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.last_activity_at = timezone.now()
    proposal.full_clean(exclude=["search_vector"])
    proposal.save()
    if partners is not None:
        proposal.partner_organisations.set([p for p in partners if p.pk != proposal.organisation_id])
    _update_search_vector(proposal)
    forget_mode_counts()
    return proposal


@transaction.atomic
def proposal_set_status(*, proposal, actor, to_status, response=""):
    """Moves a proposal along TRANSITIONS; every move after publication carries a public response."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    allowed = TRANSITIONS[proposal.status]
    if to_status not in allowed:
        raise ProposalError(
            _("A proposal cannot move from “%(from)s” to “%(to)s”.")
            % {"from": S(proposal.status).label, "to": S(to_status).label}
        )
    who = allowed[to_status]
    if who == "author" and proposal.author_id != actor.pk:
        raise ProposalError(_("Only the author can do this."))
    if who == "staff" and not is_staff_of(actor, proposal.organisation):
        raise ProposalError(_("Only staff of the organisation can do this."))
    response = response.strip()
    if who == "staff" and not response:
        raise ProposalError(_("Write a public response that explains this decision."))
    return _move(proposal, actor=actor, to_status=to_status, response=response)


@transaction.atomic
def proposal_record_decision(*, proposal, to_status, response, actor=None):
    """Moves a proposal by a decision taken elsewhere, e.g. funded by a participatory budget's vote.

    The move must be one of TRANSITIONS that staff make; the public response says who decided.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if TRANSITIONS[proposal.status].get(to_status) != "staff":
        raise ProposalError(
            _("A proposal cannot move from “%(from)s” to “%(to)s”.")
            % {"from": S(proposal.status).label, "to": S(to_status).label}
        )
    return _move(proposal, actor=actor, to_status=to_status, response=response.strip())


def _move(proposal, *, actor, to_status, response):
    from_status = proposal.status
    now = timezone.now()
    proposal.status = to_status
    proposal.last_activity_at = now
    update_fields = ["status", "last_activity_at"]
    if to_status == S.PUBLISHED and proposal.published_at is None:
        proposal.published_at = now
        update_fields.append("published_at")
    proposal.save(update_fields=update_fields)
    if from_status == S.DRAFT:
        forget_mode_counts()
    else:
        StatusChange.objects.create(
            proposal=proposal, from_status=from_status, to_status=to_status, actor=actor, response=response
        )
    verb = "proposal.published" if to_status == S.PUBLISHED else "proposal.status_changed"
    activity_record(
        actor=actor, verb=verb, target=proposal, organisation=proposal.organisation,
        from_status=from_status, to_status=to_status, response=response,
    )
    return proposal


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
    activity_record(actor=entered_by or user, verb="proposal.supported", target=proposal,
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
    activity_record(actor=entered_by or author, verb="comment.created", target=comment,
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
    activity_record(actor=entered_by or user, verb="proposal.pledged", target=proposal,
                    organisation=proposal.organisation, kind=kind)
    return pledge


@transaction.atomic
def report_create(*, reporter, reason, proposal, comment=None):
    """Anyone signed in can flag a proposal or comment; staff decide in the moderation queue."""
    reason = reason.strip()
    if not reason:
        raise ProposalError(_("Say briefly what is wrong."))
    if comment is not None and comment.proposal_id != proposal.pk:
        raise ProposalError(_("This comment does not belong to the proposal."))
    report = Report(proposal=proposal, comment=comment, reporter=reporter, reason=reason)
    report.full_clean(exclude=["proposal", "comment", "reporter", "decided_by"])
    report.save()
    activity_record(actor=reporter, verb="report.created", target=report, organisation=proposal.organisation)
    return report


@transaction.atomic
def content_set_hidden(*, target, moderator, hidden, reason=""):
    """Hides (with a public reason) or unhides a proposal or comment; nothing is deleted."""
    proposal = target if isinstance(target, Proposal) else target.proposal
    if not is_staff_of(moderator, proposal.organisation):
        raise ProposalError(_("Only staff of the organisation can moderate this."))
    if hidden and not reason.strip():
        raise ProposalError(_("Give a reason for hiding; it is shown in place of the content."))
    if type(target).objects.select_for_update().get(pk=target.pk).is_hidden == hidden:
        return target
    target.is_hidden = hidden
    target.hidden_reason = reason.strip() if hidden else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    if isinstance(target, Proposal):
        forget_mode_counts()
    activity_record(actor=moderator, verb="content.hidden" if hidden else "content.unhidden", target=target,
                    organisation=proposal.organisation, reason=target.hidden_reason)
    return target


@transaction.atomic
def report_decide(*, report, moderator, hide, reason=""):
    """Staff act on a report: hide the content (with a reason) or dismiss the report."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("proposal__organisation", "comment")
        .get(pk=report.pk)
    )
    if report.status != Report.Status.OPEN:
        raise ProposalError(_("This report has already been dealt with."))
    if hide:
        # The public reason is the moderator's; the reporter's words stay private.
        content_set_hidden(target=report.comment or report.proposal, moderator=moderator, hidden=True, reason=reason)
    elif not is_staff_of(moderator, report.proposal.organisation):
        raise ProposalError(_("Only staff of the organisation can moderate this."))
    report.status = Report.Status.HIDDEN if hide else Report.Status.DISMISSED
    report.decided_by = moderator
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    return report
