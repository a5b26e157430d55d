"""Counters stay equal to the rows under simultaneous requests on real PostgreSQL connections."""
import pytest
from django.db import connection

from proposals import services
from proposals.models import Proposal
from tests.stakeholders.factories import OrganisationFactory, UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL"),
]


def published_proposal():
    return services.proposal_create(
        author=UserFactory(), organisation=OrganisationFactory(), title="Nachbarschaftsgarten", summary="Gärtnern",
        text="Gemeinsam gärtnern.", planning="together", delivery="together", publish=True,
    )


def test_sixty_simultaneous_supports_keep_the_counter_exact():
    proposal = published_proposal()
    people = iter(UserFactory.create_batch(60))
    import threading

    lock = threading.Lock()

    def support():
        with lock:
            person = next(people)
        return services.proposal_support(proposal=proposal, user=person)

    results, errors = run_simultaneously(60, support)
    assert errors == [], errors[:3]
    assert len(results) == 60
    proposal.refresh_from_db()
    assert proposal.support_count == proposal.supports.count() == 60


def test_the_same_person_supporting_simultaneously_counts_once():
    proposal = published_proposal()
    person = UserFactory()
    results, errors = run_simultaneously(8, lambda: services.proposal_support(proposal=proposal, user=person))
    assert len(results) == 1 and len(errors) == 7
    assert all(isinstance(error, services.ProposalError) for error in errors)
    proposal.refresh_from_db()
    assert proposal.support_count == proposal.supports.count() == 1


def test_simultaneous_comments_and_pledges_keep_counters_exact():
    proposal = published_proposal()
    authors = iter(UserFactory.create_batch(40))
    import threading

    lock = threading.Lock()

    def act():
        with lock:
            author = next(authors)
        services.comment_create(proposal=proposal, author=author, text="Bin dabei")
        return services.pledge_create(proposal=proposal, user=author, kind="skills", note="Gartenwissen")

    results, errors = run_simultaneously(40, act)
    assert errors == [], errors[:3]
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.comment_count == proposal.comments.count() == 40
    assert proposal.pledge_count == proposal.pledges.count() == 40


def test_simultaneous_status_moves_happen_once():
    proposal = published_proposal()
    staff = [UserFactory() for _ in range(4)]
    from stakeholders.models import Membership

    for person in staff:
        Membership.objects.create(user=person, organisation=proposal.organisation, role="staff", status="approved")
    people = iter(staff)
    import threading

    lock = threading.Lock()

    def move():
        with lock:
            person = next(people)
        return services.proposal_set_status(proposal=proposal, actor=person, to_status="under_review", response="Prüfen")

    results, errors = run_simultaneously(4, move)
    assert len(results) == 1 and len(errors) == 3
    assert proposal.status_changes.count() == 1
