"""The proposal services: state machine, counters, assisted entries, moderation."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduction.modes import CELLS
from notifications.models import Activity
from proposals import services
from proposals.models import Call, Comment, Pledge, Proposal, Report, StatusChange, Support
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status


def make_proposal(organisation, author=None, publish=True, **extra):
    fields = dict(
        author=author or UserFactory(), organisation=organisation, title="Reparaturcafé im Hof",
        summary="Wir reparieren gemeinsam.", text="Einmal im Monat.", planning="together", delivery="community",
    )
    fields.update(extra)
    return services.proposal_create(publish=publish, **fields)


def test_create_draft_is_private_and_author_follows(organisation):
    author = UserFactory()
    proposal = make_proposal(organisation, author=author, publish=False)
    assert proposal.status == S.DRAFT and proposal.published_at is None
    assert proposal.follows.filter(user=author).exists()
    assert not Proposal.objects.visible_to(UserFactory()).filter(pk=proposal.pk).exists()
    assert Proposal.objects.visible_to(author).filter(pk=proposal.pk).exists()
    assert not Activity.objects.exists(), "a private draft is nobody's news"


def test_publish_records_activity(organisation):
    author = UserFactory()
    proposal = make_proposal(organisation, author=author, publish=False)
    services.proposal_set_status(proposal=proposal, actor=author, to_status=S.PUBLISHED)
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED and proposal.published_at
    assert Activity.objects.get().verb == "proposal.published"


def test_every_cell_of_the_matrix_is_a_valid_mode(organisation):
    for cell in CELLS:
        proposal = make_proposal(organisation, planning=cell.planning, delivery=cell.delivery)
        assert proposal.cell == cell


def test_full_lifecycle_writes_public_history(organisation, staff):
    proposal = make_proposal(organisation)
    for status, response in [(S.UNDER_REVIEW, "Wir prüfen."), (S.ACCEPTED, "Machen wir!"),
                             (S.IN_DELIVERY, "Es geht los."), (S.COMPLETED, "Fertig.")]:
        services.proposal_set_status(proposal=proposal, actor=staff, to_status=status, response=response)
    history = list(StatusChange.objects.filter(proposal=proposal).values_list("from_status", "to_status", "response"))
    assert history == [
        ("published", "under_review", "Wir prüfen."), ("under_review", "accepted", "Machen wir!"),
        ("accepted", "in_delivery", "Es geht los."), ("in_delivery", "completed", "Fertig."),
    ]
    assert Activity.objects.filter(verb="proposal.status_changed").count() == 4


@pytest.mark.parametrize(
    "start,target",
    [(S.PUBLISHED, S.IN_DELIVERY), (S.PUBLISHED, S.COMPLETED), (S.REJECTED, S.ACCEPTED), (S.COMPLETED, S.PUBLISHED),
     (S.WITHDRAWN, S.PUBLISHED), (S.UNDER_REVIEW, S.DRAFT)],
)
def test_illegal_moves_are_refused(organisation, staff, start, target):
    proposal = make_proposal(organisation)
    Proposal.objects.filter(pk=proposal.pk).update(status=start)
    with pytest.raises(services.ProposalError, match="cannot move"):
        services.proposal_set_status(proposal=proposal, actor=staff, to_status=target, response="Nein.")
    proposal.refresh_from_db()
    assert proposal.status == start and not StatusChange.objects.exists()


def test_staff_moves_need_a_public_response(organisation, staff):
    proposal = make_proposal(organisation)
    with pytest.raises(services.ProposalError, match="public response"):
        services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW, response="  ")
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED


def test_only_staff_of_the_organisation_decide(organisation, other_staff):
    proposal = make_proposal(organisation)
    for actor in (other_staff, proposal.author, UserFactory()):
        with pytest.raises(services.ProposalError):
            services.proposal_set_status(proposal=proposal, actor=actor, to_status=S.UNDER_REVIEW, response="x")
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED


def test_only_the_author_withdraws(organisation, staff):
    proposal = make_proposal(organisation)
    with pytest.raises(services.ProposalError, match="Only the author"):
        services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.WITHDRAWN)
    services.proposal_set_status(proposal=proposal, actor=proposal.author, to_status=S.WITHDRAWN, response="Zu früh.")
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN


def test_author_edits_until_review_starts(organisation, staff):
    proposal = make_proposal(organisation)
    services.proposal_update(proposal=proposal, user=proposal.author, title="Reparaturcafé im Lindenhof")
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW, response="Wir prüfen.")
    with pytest.raises(services.ProposalError, match="under review"):
        services.proposal_update(proposal=proposal, user=proposal.author, title="Noch anders")
    proposal.refresh_from_db()
    assert proposal.title == "Reparaturcafé im Lindenhof"


def test_nobody_else_edits(organisation, staff):
    proposal = make_proposal(organisation)
    with pytest.raises(services.ProposalError):
        services.proposal_update(proposal=proposal, user=staff, title="Von der Fachkraft geändert")


def test_update_rejects_bad_values_and_saves_nothing(organisation):
    from django.core.exceptions import ValidationError

    proposal = make_proposal(organisation)
    for bad in ({"estimated_cost": Decimal("-1")}, {"planning": "nobody"}, {"title": "x" * 161}):
        with pytest.raises(ValidationError):
            services.proposal_update(proposal=proposal, user=proposal.author, **bad)
    proposal.refresh_from_db()
    assert proposal.title == "Reparaturcafé im Hof" and proposal.planning == "together"


def test_call_must_be_open_and_of_the_organisation(organisation, other_organisation):
    closed = Call.objects.create(organisation=organisation, title="Alt?", deadline=timezone.localdate() - timedelta(days=1))
    foreign = Call.objects.create(organisation=other_organisation, title="Fremd?", deadline=timezone.localdate())
    for call in (closed, foreign):
        with pytest.raises(services.ProposalError, match="call for ideas"):
            make_proposal(organisation, call=call)
    assert not Proposal.objects.exists()


def test_support_counts_follows_and_is_once_per_person(organisation):
    proposal = make_proposal(organisation)
    supporter = UserFactory()
    services.proposal_support(proposal=proposal, user=supporter)
    with pytest.raises(services.ProposalError, match="already support"):
        services.proposal_support(proposal=proposal, user=supporter)
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == proposal.supports.count()
    assert proposal.follows.filter(user=supporter).exists()
    services.proposal_unsupport(proposal=proposal, user=supporter)
    proposal.refresh_from_db()
    assert proposal.support_count == 0 == proposal.supports.count()
    with pytest.raises(services.ProposalError):
        services.proposal_unsupport(proposal=proposal, user=supporter)


@pytest.mark.parametrize("status", [S.DRAFT, S.REJECTED, S.WITHDRAWN, S.COMPLETED])
def test_closed_proposals_cannot_be_supported(organisation, status):
    proposal = make_proposal(organisation)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    with pytest.raises(services.ProposalError, match="cannot be supported"):
        services.proposal_support(proposal=proposal, user=UserFactory())
    assert not Support.objects.exists()


def test_assisted_support_needs_staff_and_consent(organisation, staff, other_staff):
    proposal = make_proposal(organisation)
    with pytest.raises(services.ProposalError, match="agreed"):
        services.proposal_support(proposal=proposal, user=None, entered_by=staff, channel="phone")
    with pytest.raises(services.ProposalError, match="Only staff"):
        services.proposal_support(proposal=proposal, user=None, entered_by=other_staff, channel="phone",
                                  consent_recorded=True)
    support = services.proposal_support(proposal=proposal, user=None, entered_by=staff, channel="round_table",
                                        consent_recorded=True)
    assert support.is_assisted and support.entered_by == staff
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Activity.objects.filter(verb="proposal.supported").get().actor == staff


def test_comments_count_and_replies_stay_one_level_deep(organisation):
    proposal = make_proposal(organisation)
    top = services.comment_create(proposal=proposal, author=UserFactory(), text="Gute Idee!")
    reply = services.comment_create(proposal=proposal, author=UserFactory(), text="Finde ich auch.", parent=top)
    reply_to_reply = services.comment_create(proposal=proposal, author=UserFactory(), text="Ja!", parent=reply)
    assert reply.parent == top and reply_to_reply.parent == top
    proposal.refresh_from_db()
    assert proposal.comment_count == 3


def test_no_comments_on_hidden_or_draft_proposals(organisation, staff):
    draft = make_proposal(organisation, publish=False)
    hidden = make_proposal(organisation)
    services.content_set_hidden(target=hidden, moderator=staff, hidden=True, reason="Beleidigend")
    for proposal in (draft, hidden):
        with pytest.raises(services.ProposalError, match="not open for comments"):
            services.comment_create(proposal=proposal, author=UserFactory(), text="Hallo")
    assert not Comment.objects.exists()


def test_empty_or_overlong_comment_is_refused(organisation):
    from django.core.exceptions import ValidationError

    proposal = make_proposal(organisation)
    with pytest.raises(services.ProposalError):
        services.comment_create(proposal=proposal, author=UserFactory(), text="   ")
    with pytest.raises(ValidationError):
        services.comment_create(proposal=proposal, author=UserFactory(), text="x" * 3001)
    proposal.refresh_from_db()
    assert proposal.comment_count == 0 and not Comment.objects.exists()


def test_comment_edit_window(organisation):
    proposal = make_proposal(organisation)
    author = UserFactory()
    comment = services.comment_create(proposal=proposal, author=author, text="Tippfeler")
    services.comment_edit(comment=comment, user=author, text="Tippfehler")
    with pytest.raises(services.ProposalError):
        services.comment_edit(comment=comment, user=UserFactory(), text="fremd")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(services.ProposalError, match="within 15 minutes"):
        services.comment_edit(comment=comment, user=author, text="zu spät")
    comment.refresh_from_db()
    assert comment.text == "Tippfehler" and comment.edited_at


def test_pledges_by_kind(organisation):
    proposal = make_proposal(organisation)
    services.pledge_create(proposal=proposal, user=UserFactory(), kind="time", hours=Decimal("2"), note="Samstags")
    services.pledge_create(proposal=proposal, user=UserFactory(), kind="money", amount=Decimal("50"))
    services.pledge_create(proposal=proposal, user=UserFactory(), kind="room", note="Gemeindesaal")
    for bad in ({"kind": "time"}, {"kind": "money", "amount": Decimal("0")}, {"kind": "time", "hours": Decimal("-2")}):
        with pytest.raises(services.ProposalError):
            services.pledge_create(proposal=proposal, user=UserFactory(), **bad)
    proposal.refresh_from_db()
    assert proposal.pledge_count == 3 == Pledge.objects.count()


def test_reports_and_moderation_hide_but_never_delete(organisation, staff, other_staff):
    proposal = make_proposal(organisation)
    comment = services.comment_create(proposal=proposal, author=UserFactory(), text="Unfreundlich")
    report = services.report_create(reporter=UserFactory(), reason="Beleidigung", proposal=proposal, comment=comment)
    with pytest.raises(services.ProposalError):
        services.report_decide(report=report, moderator=other_staff, hide=True)
    services.report_decide(report=report, moderator=staff, hide=True, reason="Verstößt gegen die Regeln")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Verstößt gegen die Regeln"
    assert Comment.objects.filter(pk=comment.pk).exists()
    with pytest.raises(services.ProposalError, match="already been dealt with"):
        services.report_decide(report=report, moderator=staff, hide=False)
    assert Report.objects.get().status == Report.Status.HIDDEN
    services.content_set_hidden(target=comment, moderator=staff, hidden=False)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""


def test_hiding_needs_a_reason(organisation, staff):
    proposal = make_proposal(organisation)
    with pytest.raises(services.ProposalError, match="reason"):
        services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="")
    proposal.refresh_from_db()
    assert not proposal.is_hidden
