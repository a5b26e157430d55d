"""Who hears about participatory budgets, in which category, and how it reads."""
from decimal import Decimal

import pytest

from budgets import services
from budgets.models import Phase
from notifications import registry
from notifications.delivery import describe, visible_items
from notifications.models import Activity, Notification
from notifications.services import fan_out
from proposals import services as proposal_services
from proposals.models import ImplementationUpdate, Proposal
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import UserFactory

from .factories import add_entry, make_process, move_to, process_staff, vote

pytestmark = pytest.mark.django_db
I = "in_progress"


def told(activity):
    """{recipient id: notification} of ``activity``, broadcasts derived as their task does after the commit."""
    fan_out(activity.pk)
    return {n.recipient_id: n for n in Notification.objects.filter(activity=activity)}


def ids(*people):
    return {person.pk for person in people}


def latest(verb):
    return Activity.objects.filter(verb=verb).latest("pk")


def said(notification):
    found = describe(notification)
    return found["text"], found["detail"]


def test_the_rules_and_their_categories():
    rules = {verb: (rule.category, rule.urgent, rule.include_actor) for verb, rule in registry.RULES.items()
             if rule.recipients.__module__ == "budgets.notify"}
    assert rules == {
        "budget.phase_changed": ("budgets", False, False),
        "budget.results_published": ("budgets", False, False),
    }
    # What became of a proposal is the proposals' to tell.
    updated = registry.RULES["implementation.updated"]
    assert updated.recipients.__module__ == "proposals.notify"
    assert (updated.category, updated.urgent, updated.include_actor) == ("proposals", False, False)


@pytest.fixture
def participants(organisation):
    """A budget in review: an author (following it), a follower, a voter-to-be; and a stranger."""
    process = make_process(organisation, Phase.REVIEW, title="Haushalt Nordstadt")
    author = UserFactory()
    entry = add_entry(process, author=author, cost=Decimal("400"))
    follower = UserFactory()
    services.process_follow(process=process, user=follower)
    return process, entry, author, follower


def test_a_phase_change_tells_followers_and_ballot_holders_once_each(participants):
    process, entry, author, follower = participants
    staff = process_staff(process)
    move_to(process, Phase.VOTING)
    voter, drafter, stranger = UserFactory(), UserFactory(), UserFactory()
    vote(process, voter, [entry])
    services.ballot_set_picks(process=process, user=drafter, entry_ids=[entry.pk])
    vote(process, author, [entry])  # follows and holds a ballot: told once
    services.phase_move(process=process, actor=staff, to_phase=Phase.RESULTS)
    activity = Activity.objects.filter(verb="budget.phase_changed").latest("pk")
    recipients = told(activity)
    assert set(recipients) == ids(author, follower, voter, drafter)
    assert stranger.pk not in recipients and staff.pk not in recipients
    assert {n.category for n in recipients.values()} == {"budgets"}
    text, detail = said(recipients[follower.pk])
    assert text == "“Haushalt Nordstadt” is now in the phase “Results”."
    assert detail.startswith("The votes are counted.")
    assert activity.url == process.get_absolute_url()


def test_the_staff_member_who_moved_it_is_not_told_but_a_following_colleague_is(participants):
    process, entry, author, follower = participants
    staff = process_staff(process)
    services.process_follow(process=process, user=staff)
    move_to(process, Phase.VOTING)
    assert staff.pk not in told(latest("budget.phase_changed"))
    services.phases_advance()  # nothing due: nobody told again
    assert Activity.objects.filter(verb="budget.phase_changed").count() == 2  # to review (factory), to voting


def test_results_tell_followers_and_ballot_holders(participants):
    process, entry, author, follower = participants
    move_to(process, Phase.VOTING)
    voter = UserFactory()
    vote(process, voter, [entry])
    move_to(process, Phase.RESULTS)
    recipients = told(latest("budget.results_published"))
    assert set(recipients) == ids(author, follower, voter)
    assert {n.category for n in recipients.values()} == {"budgets"}
    assert said(recipients[voter.pk])[0] == "The results of “Haushalt Nordstadt” are out: 1 proposals are funded."


@pytest.fixture
def accepted(organisation):
    proposal = ProposalFactory(organisation=organisation, status=Proposal.Status.ACCEPTED, title="Bank am Teich")
    follower = UserFactory()
    proposal_services.proposal_follow(proposal=proposal, user=follower)
    return proposal, follower


def test_a_progress_update_tells_the_proposals_followers(staff, accepted):
    proposal, follower = accepted
    proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Planung läuft.", status="planned",
                                        progress=10)
    recipients = told(latest("implementation.updated"))
    assert set(recipients) == ids(follower)
    assert recipients[follower.pk].category == "proposals"
    assert said(recipients[follower.pk]) == ("Progress on “Bank am Teich”: 10 % done.", "Planung läuft.")
    assert latest("implementation.updated").url == f"{proposal.get_absolute_url()}#progress"


def test_an_update_that_moves_the_proposal_is_told_once_by_its_status_change(staff, accepted):
    proposal, follower = accepted
    proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Die Bank ist bestellt.", status=I,
                                        progress=30)
    assert not Notification.objects.filter(activity=latest("implementation.updated")).exists()
    status_change = latest("proposal.status_changed")
    assert status_change.data["response"] == "Die Bank ist bestellt."
    assert set(told(status_change)) == ids(follower)
    assert Notification.objects.filter(recipient=follower).count() == 1
    proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Halb fertig.", status=I, progress=50)
    assert set(told(latest("implementation.updated"))) == ids(follower)


def test_updates_of_hidden_proposals_are_no_longer_shown(staff, accepted):
    proposal, follower = accepted
    proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Stand.", status="planned", progress=5)
    notification = Notification.objects.get(recipient=follower)
    assert visible_items([notification]) == {notification}
    proposal_services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Spam.")
    assert ImplementationUpdate.objects.count() == 1
    assert visible_items([Notification.objects.get(pk=notification.pk)]) == set()
