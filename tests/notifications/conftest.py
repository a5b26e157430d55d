"""Shared test data for the email delivery tests; nothing here is used unless a test asks for it."""
import pytest

from proposals.models import Follow
from proposals.services import comment_create
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory


@pytest.fixture
def followers(db):
    """``make(count, comments=1, organisation=None, **user)``: people who follow a proposal that gets comments.

    Returns (proposal, people). Proposals default to the daily summary, so each comment waits
    there for every follower.
    """
    commenter = UserFactory(display_name="Jonas Becker")

    def make(count, comments=1, organisation=None, **user):
        proposal = ProposalFactory(organisation=organisation or OrganisationFactory())
        people = [UserFactory(**user) for _ in range(count)]
        Follow.objects.bulk_create([Follow(user=person, proposal=proposal) for person in people])
        for number in range(comments):
            comment_create(proposal=proposal, author=commenter, text=f"Beitrag Nummer {number + 1}")
        return proposal, people

    return make
