"""What became of accepted and funded proposals: the implementation record, public progress
updates by staff and, once completed, evaluations by the people it was for.

The record is opened by the service that accepts or funds a proposal (``implementations_open`` in
lifecycle, called when a proposal moves to a tracked status and by a budget's results), never by a page.
"""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record
from stakeholders.models import Membership

from ..notify import Verb
from ..models import Evaluation, Follow, Implementation, ImplementationUpdate, Pledge, Proposal, Support
from .common import ProposalError, is_staff_of
from .lifecycle import TRACKED, implementations_open, proposal_record_decision

I = Implementation.Status
P = Proposal.Status
# Where an implementation step takes the proposal, if it is not there yet.
PROPOSAL_STEP = {I.IN_PROGRESS: P.IN_DELIVERY, I.COMPLETED: P.COMPLETED}
# Other ways of taking part in a proposal that apps add (budgets: voting for it in its budget):
# functions (user, proposal) → a QuerySet with a row if the person took part that way.
PARTICIPATION_CHECKS = []


def took_part_through(check):
    """Adds a way of taking part in a proposal that lets a person evaluate it once completed."""
    PARTICIPATION_CHECKS.append(check)
    return check


@transaction.atomic
def implementation_update_post(*, proposal, actor, text, status, progress, now=None):
    """Staff of the proposal's organisation report progress in public; the proposal's status follows."""
    now = now or timezone.now()
    proposal = Proposal.objects.select_related("organisation").get(pk=proposal.pk)
    if not is_staff_of(actor, proposal.organisation):
        raise ProposalError(_("Only staff of the organisation can report progress."))
    if proposal.status in TRACKED:
        implementations_open(proposals=[proposal])
    implementation = Implementation.objects.select_for_update().filter(proposal=proposal).first()
    if implementation is None:
        raise ProposalError(_("Progress is reported for accepted or funded proposals only."))
    text = (text or "").strip()
    if not text:
        raise ProposalError(_("Write what happened."))
    if status not in I.values:
        raise ProposalError(_("Choose one of the offered steps."))
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ProposalError(_("Progress is a whole number from 0 to 100.")) from None
    if not 0 <= progress <= 100:
        raise ProposalError(_("Progress is a whole number from 0 to 100."))
    if implementation.status in (I.COMPLETED, I.STOPPED) and status != implementation.status:
        raise ProposalError(_("This implementation has ended; its status can no longer change."))
    if status == I.COMPLETED:
        progress = 100
    update = ImplementationUpdate.objects.create(implementation=implementation, author=actor, text=text,
                                                 status=status, progress=progress)
    if status == I.IN_PROGRESS and implementation.started_at is None:
        implementation.started_at = now
    if status == I.COMPLETED and implementation.completed_at is None:
        implementation.completed_at = now
    implementation.status, implementation.progress, implementation.updated_at = status, progress, now
    implementation.update_count = F("update_count") + 1
    implementation.save(update_fields=["status", "progress", "updated_at", "started_at", "completed_at",
                                       "update_count"])
    moved = _move_proposal(proposal, status, actor, text)
    activity_record(actor=actor, verb=Verb.IMPLEMENTATION_UPDATED, target=update, organisation=proposal.organisation,
                    proposal=proposal.pk, status=status, progress=progress, status_changed=moved)
    return update


def _move_proposal(proposal, status, actor, text):
    """Moves the proposal one or two steps on to match the implementation; True if it moved."""
    target = PROPOSAL_STEP.get(status)
    if target is None or proposal.status == target or proposal.status not in TRACKED:
        return False
    if target == P.COMPLETED and proposal.status == P.ACCEPTED:
        proposal_record_decision(proposal=proposal, to_status=P.COMPLETED, actor=actor, response=text)
    elif TRACKED.index(target) > TRACKED.index(proposal.status):
        proposal_record_decision(proposal=proposal, to_status=target, actor=actor, response=text)
    else:
        return False
    return True


def may_evaluate(user, implementation):
    """Participants and clients: who supported, pledged, followed or wrote it, took part in it another
    way an app adds (voted in its budget), or holds the client role at its organisation."""
    if not user.is_authenticated or implementation.status != I.COMPLETED:
        return False
    proposal = implementation.proposal
    if proposal.author_id == user.pk:
        return True
    checks = [
        Support.objects.filter(proposal=proposal, user=user),
        Pledge.objects.filter(proposal=proposal, user=user),
        Follow.objects.filter(proposal=proposal, user=user),
        Membership.objects.approved().filter(user=user, organisation_id=proposal.organisation_id,
                                             role=Membership.Role.CLIENT),
        *(check(user, proposal) for check in PARTICIPATION_CHECKS),
    ]
    return any(check.exists() for check in checks)


@transaction.atomic
def evaluation_create(*, implementation, user, rating, comment=""):
    """After completion: did it help? Once per person, from those it was for."""
    implementation = Implementation.objects.select_for_update().select_related("proposal").get(pk=implementation.pk)
    if implementation.status != I.COMPLETED:
        raise ProposalError(_("You can say whether it helped once it is completed."))
    if not may_evaluate(user, implementation):
        raise ProposalError(_("Only people who took part in it or were meant to benefit can evaluate it."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise ProposalError(_("Choose from 1 to 5.")) from None
    if not 1 <= rating <= 5:
        raise ProposalError(_("Choose from 1 to 5."))
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ProposalError(_("Keep the comment to 1,000 characters."))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(implementation=implementation, user=user, rating=rating,
                                                   comment=comment)
    except IntegrityError:
        raise ProposalError(_("You have already said whether it helped.")) from None
    Implementation.objects.filter(pk=implementation.pk).update(
        evaluation_count=F("evaluation_count") + 1, rating_sum=F("rating_sum") + rating)
    return evaluation
