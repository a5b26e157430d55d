"""A proposal's life: written, changed, and moved from status to status with a public response; an
accepted proposal gets its implementation record (what became of it: see accountability)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.images import picture_apply
from notifications.services import activity_record
from stakeholders.staff import is_staff_of

from ..notify import Verb
from ..models import Channel, Follow, Implementation, Proposal, StatusChange, forget_mode_counts
from .answers import answer_times_refresh, is_official_answer
from .common import ProposalError, _check_assisted, _update_search_vector


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
# From acceptance on, what becomes of a proposal is tracked in its implementation record.
TRACKED = [S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED]
# Where the implementation stands once the proposal reaches a status, so the page never says
# "completed" above "planned, 0 % done". The other way round: accountability.PROPOSAL_STEP.
IMPLEMENTATION_STEP = {S.IN_DELIVERY: Implementation.Status.IN_PROGRESS, S.COMPLETED: Implementation.Status.COMPLETED}


@transaction.atomic
def proposal_create(
    *, author, organisation, title, summary, text, planning, delivery, partner_organisations=(), call=None,
    category=None, district="", estimated_cost=None, publish=False, entered_by=None, channel=Channel.ONLINE,
    consent_recorded=False, image=None,
):
    """Writes a proposal as a private draft, or publishes it at once; ``image`` is a PictureInput."""
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
    if image is not None and image.prepared is not None:
        proposal.image = picture_apply(current=None, change=image, user=entered_by or author)
        proposal.save(update_fields=["image"])
    _update_search_vector(proposal)
    if author is not None:
        Follow.objects.get_or_create(user=author, proposal=proposal)
    if publish:
        forget_mode_counts()
        activity_record(actor=entered_by or author, verb=Verb.PUBLISHED, target=proposal, organisation=organisation)
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
    image = fields.pop("image", None)
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.last_activity_at = timezone.now()
    proposal.full_clean(exclude=["search_vector", "image"])
    proposal.save()
    if image is not None:
        picture = picture_apply(current=proposal.image, change=image, user=user)
        if picture != proposal.image:
            proposal.image = picture
            proposal.save(update_fields=["image"])
    if partners is not None:
        proposal.partner_organisations.set([p for p in partners if p.pk != proposal.organisation_id])
    _update_search_vector(proposal)
    forget_mode_counts()
    return proposal


def author_moves(proposal, user):
    """The statuses ``user`` may move the proposal to as its author now (none for anyone else)."""
    if not user.is_authenticated or proposal.author_id != user.pk:
        return []
    return [to for to, who in TRANSITIONS[proposal.status].items() if who == "author"]


def check_author_move(*, proposal, actor, to_status):
    """Refuses unless this is a move the author makes, asked by the author (the page offers no other)."""
    if to_status not in author_moves(proposal, actor):
        raise ProposalError(_("You cannot change the status of this proposal."))


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


def implementations_open(*, proposals):
    """Each accepted or funded proposal has one implementation record; those that have one keep it."""
    Implementation.objects.bulk_create([Implementation(proposal=proposal) for proposal in proposals],
                                       ignore_conflicts=True)


def implementation_follow(*, proposal, now):
    """The implementation record takes the step the proposal's status stands for: in delivery means
    in progress, completed means completed at 100 %. A record already there stays as it is."""
    step = IMPLEMENTATION_STEP.get(proposal.status)
    implementation = Implementation.objects.select_for_update().filter(proposal=proposal).first()
    if step is None or implementation is None or implementation.status == step:
        return implementation
    I = Implementation.Status
    if step == I.IN_PROGRESS and implementation.status != I.PLANNED:
        return implementation  # it has ended already; a later step is never taken back
    fields = ["status", "updated_at"]
    implementation.status, implementation.updated_at = step, now
    if implementation.started_at is None:
        implementation.started_at = now
        fields.append("started_at")
    if step == I.COMPLETED:
        implementation.progress, implementation.completed_at = 100, implementation.completed_at or now
        fields += ["progress", "completed_at"]
    implementation.save(update_fields=fields)
    return implementation


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
        if is_official_answer(to_status=to_status, response=response):
            answer_times_refresh(organisation_ids=[proposal.organisation_id])
    if to_status in TRACKED:
        implementations_open(proposals=[proposal])
        implementation_follow(proposal=proposal, now=now)
    verb = Verb.PUBLISHED if to_status == S.PUBLISHED else Verb.STATUS_CHANGED
    activity_record(
        actor=actor, verb=verb, target=proposal, organisation=proposal.organisation,
        from_status=from_status, to_status=to_status, response=response,
    )
    return proposal
