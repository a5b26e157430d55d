"""Reports about proposals and comments, and staff hiding or showing them with a reason."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record
from stakeholders.staff import is_staff_of

from ..models import Proposal, Report, forget_mode_counts
from ..notify import Verb
from .answers import answer_times_refresh
from .common import ProposalError


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
    activity_record(actor=reporter, verb=Verb.REPORTED, target=report, organisation=proposal.organisation)
    return report


@transaction.atomic
def content_set_hidden(*, target, moderator, hidden, reason=""):
    """Hides (with a public reason) or unhides a proposal or comment; nothing is deleted."""
    proposal = target if isinstance(target, Proposal) else target.proposal
    if not is_staff_of(moderator, proposal.organisation):
        raise ProposalError(_("Only staff of the organisation can moderate this."))
    reason = target.bare_reason(reason)
    if hidden and not reason:
        raise ProposalError(_("Give a reason for hiding; it is shown in place of the content."))
    if type(target).objects.select_for_update().get(pk=target.pk).is_hidden == hidden:
        return target
    target.is_hidden = hidden
    target.hidden_reason = reason if hidden else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    if isinstance(target, Proposal):
        forget_mode_counts()
        answer_times_refresh(organisation_ids=[proposal.organisation_id])
    activity_record(actor=moderator, verb=Verb.HIDDEN if hidden else Verb.UNHIDDEN, target=target,
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
    if hide:  # the content is hidden: the other reports about it are settled with it
        _open_reports_on(report.comment or report.proposal).update(
            status=Report.Status.HIDDEN, decided_by=moderator, decided_at=report.decided_at)
    return report


def _open_reports_on(target):
    if isinstance(target, Proposal):
        return Report.objects.filter(proposal=target, comment__isnull=True, status=Report.Status.OPEN)
    return Report.objects.filter(comment=target, status=Report.Status.OPEN)


def open_reports_on(target):
    """The open reports about a proposal (itself, not its comments) or a comment, oldest first."""
    return _open_reports_on(target).select_related("reporter").order_by("created_at", "pk")


@transaction.atomic
def content_reports_decide(*, target, moderator, hide, reason=""):
    """Staff decide every open report about a proposal or comment at once: hide it, or dismiss them.

    Returns how many reports were decided; refuses if there are none (decided meanwhile)."""
    reports = list(_open_reports_on(target).select_for_update().order_by("created_at", "pk"))
    if not reports:
        raise ProposalError(_("This report has already been dealt with."))
    for report in reports if not hide else reports[:1]:  # hiding the content settles the others
        report_decide(report=report, moderator=moderator, hide=hide, reason=reason)
    return len(reports)
