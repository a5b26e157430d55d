"""The demo proposals: every cell and status, right counters, and a second run changes nothing."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from coproduction.modes import CELLS
from notifications.models import Activity
from proposals.models import Call, Category, Channel, Comment, Follow, Pledge, Proposal, Report, StatusChange, Support
from stakeholders.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db
S = Proposal.Status
MODELS = [Organisation, User, Membership, Category, Call, Proposal, Support, Comment, Pledge, Follow, StatusChange,
          Report, Activity]


def seed():
    call_command("seed_demo", stdout=StringIO())


def snapshot():
    counts = {model.__name__: model.objects.count() for model in MODELS}
    proposals = list(Proposal.objects.order_by("pk").values_list(
        "title", "status", "support_count", "comment_count", "pledge_count", "is_hidden"))
    calls = list(Call.objects.order_by("pk").values_list("title", "deadline"))
    return counts, proposals, calls


@pytest.fixture
def demo(db):
    seed()


def test_seeding_twice_changes_nothing(demo):
    first = snapshot()
    seed()
    assert snapshot() == first
    assert first[0]["Proposal"] >= 9


def test_every_cell_has_a_visible_published_proposal(demo):
    for cell in CELLS:
        assert Proposal.objects.published().filter(
            planning=cell.planning, delivery=cell.delivery, is_hidden=False
        ).exists(), cell.name


def test_every_status_is_present(demo):
    assert set(Proposal.objects.values_list("status", flat=True)) == set(S.values)


def test_counters_equal_rows(demo):
    for proposal in Proposal.objects.annotate(
        supports_n=Count("supports", distinct=True), comments_n=Count("comments", distinct=True),
        pledges_n=Count("pledges", distinct=True),
    ):
        assert (proposal.support_count, proposal.comment_count, proposal.pledge_count) == (
            proposal.supports_n, proposal.comments_n, proposal.pledges_n), proposal.title


def test_status_histories_lead_to_the_current_status_with_responses(demo):
    for proposal in Proposal.objects.exclude(status__in=[S.DRAFT, S.PUBLISHED]):
        history = list(proposal.status_changes.all())
        assert history and history[0].from_status == S.PUBLISHED, proposal.title
        assert history[-1].to_status == proposal.status
        for change in history:
            if change.to_status != S.WITHDRAWN:
                assert change.response and change.actor.has_perm("stakeholders.manage_organisation",
                                                                proposal.organisation)
    rejected = Proposal.objects.get(status=S.REJECTED, budget_entry__isnull=True)
    assert rejected.status_changes.last().response.startswith("Bis Mitternacht")
    assert Activity.objects.filter(verb="proposal.status_changed").count() == StatusChange.objects.count()


def test_calls_one_open_and_one_closed_with_answers(demo):
    assert Call.objects.open().exists()
    closed = Call.objects.exclude(pk__in=Call.objects.open())
    assert closed.exists() and Proposal.objects.filter(call__in=closed).exists()
    assert Call.objects.filter(title="Wie erreichen wir Menschen zwischen 30 und 60?").get().is_open


def test_participation_of_every_kind(demo):
    assert set(Pledge.objects.values_list("kind", flat=True)) == set(Pledge.Kind.values)
    assert not Pledge.objects.filter(kind="time", hours__isnull=True).exists()
    assert not Pledge.objects.filter(kind="money", amount__isnull=True).exists()
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Report.objects.filter(status=Report.Status.OPEN).exists()
    hidden = Comment.objects.get(is_hidden=True)
    assert hidden.hidden_reason and Report.objects.filter(comment=hidden, status=Report.Status.HIDDEN).exists()


def test_assisted_entries_from_a_round_table(demo):
    proposal = Proposal.objects.get(channel=Channel.ROUND_TABLE)
    assert proposal.author is None and proposal.consent_recorded
    assert proposal.entered_by.has_perm("stakeholders.manage_organisation", proposal.organisation)
    support = Support.objects.filter(user=None).first()
    assert support.channel == Channel.ROUND_TABLE and support.consent_recorded and support.entered_by
    published = Activity.objects.for_target(proposal).get(verb="proposal.published")
    assert published.actor == proposal.entered_by


def test_drafts_stay_private(demo):
    draft = Proposal.objects.get(status=S.DRAFT)
    assert draft.published_at is None and not draft.supports.exists()
    assert not Activity.objects.for_target(draft).exists()
