"""The public answer-time figure: median days from publication to the first official answer, last 12 months."""
from datetime import timedelta

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import AnswerTime, Proposal, StatusChange
from proposals.tasks import answer_times_refresh as nightly
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

from .factories import ProposalFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status


def answered(organisation, *, waited_days, answered_days_ago=1, **proposal):
    """A proposal published ``waited_days`` before its first answer, which came ``answered_days_ago``."""
    now = timezone.now()
    answer_at = now - timedelta(days=answered_days_ago)
    proposal = ProposalFactory(organisation=organisation, published_at=answer_at - timedelta(days=waited_days),
                               **proposal)
    change = StatusChangeFactory(proposal=proposal)
    StatusChange.objects.filter(pk=change.pk).update(created_at=answer_at)
    return proposal


def figure(organisation):
    services.answer_times_refresh(organisation_ids=[organisation.pk])
    return AnswerTime.objects.values_list("median_days", "answer_count").get(organisation=organisation)


def test_the_median_of_an_odd_number_of_answers_is_the_middle_one(organisation):
    for days in (2, 9, 4):
        answered(organisation, waited_days=days)
    assert figure(organisation) == (pytest.approx(4), 3)


def test_the_median_of_an_even_number_is_the_mean_of_the_two_middle_ones(organisation):
    for days in (1, 3, 7, 30):
        answered(organisation, waited_days=days)
    assert figure(organisation) == (pytest.approx(5), 4)


def test_only_the_first_answer_counts(organisation):
    proposal = answered(organisation, waited_days=2)
    later = StatusChangeFactory(proposal=proposal, from_status=S.UNDER_REVIEW, to_status=S.ACCEPTED)
    StatusChange.objects.filter(pk=later.pk).update(created_at=timezone.now())
    assert figure(organisation) == (pytest.approx(2), 1)


def test_answers_older_than_twelve_months_leave_the_window(organisation):
    answered(organisation, waited_days=3, answered_days_ago=364)
    answered(organisation, waited_days=50, answered_days_ago=366)
    assert figure(organisation) == (pytest.approx(3), 1)
    # A night later the window moved on: the older answer is no longer counted.
    services.answer_times_refresh(now=timezone.now() + timedelta(days=2))
    assert AnswerTime.objects.get(organisation=organisation).answer_count == 0


def test_hidden_drafts_withdrawals_and_other_organisations_do_not_count(organisation, other_organisation):
    answered(organisation, waited_days=2)
    answered(organisation, waited_days=40, is_hidden=True, hidden_reason="Beleidigung")
    answered(other_organisation, waited_days=90)
    withdrawn = ProposalFactory(organisation=organisation, published_at=timezone.now() - timedelta(days=20))
    StatusChangeFactory(proposal=withdrawn, to_status=S.WITHDRAWN, response="Hat sich erledigt.")
    StatusChangeFactory(proposal=ProposalFactory(organisation=organisation, draft=True), response="")
    assert figure(organisation) == (pytest.approx(2), 1)


def test_a_move_without_a_response_is_no_answer(organisation):
    proposal = ProposalFactory(organisation=organisation)
    StatusChangeFactory(proposal=proposal, response="")
    assert figure(organisation) == (None, 0)


def test_the_answer_service_keeps_the_figure(organisation, staff):
    proposal = ProposalFactory(organisation=organisation, published_at=timezone.now() - timedelta(days=6))
    services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW,
                                 response="Wir sehen uns das an.")
    kept = AnswerTime.objects.get(organisation=organisation)
    assert kept.answer_count == 1 and kept.median_days == pytest.approx(6, abs=0.01)


def test_hiding_a_proposal_takes_it_out_of_the_figure(organisation, staff):
    proposal = answered(organisation, waited_days=5)
    assert figure(organisation)[1] == 1
    services.content_set_hidden(target=proposal, moderator=staff, hidden=True, reason="Werbung")
    assert AnswerTime.objects.get(organisation=organisation).answer_count == 0


def test_the_nightly_task_recomputes_every_organisation(eager, organisation, other_organisation):
    answered(organisation, waited_days=4)
    nightly.delay()
    assert AnswerTime.objects.get(organisation=organisation).answer_count == 1
    assert AnswerTime.objects.get(organisation=other_organisation).answer_count == 0


@pytest.mark.usefixtures("english")
def test_the_page_shows_the_figure_from_three_answers_on(client, organisation):
    for days in (5, 6):
        answered(organisation, waited_days=days)
    services.answer_times_refresh(organisation_ids=[organisation.pk])
    assert "on average" not in client.get(organisation.get_absolute_url()).text
    answered(organisation, waited_days=9)
    services.answer_times_refresh(organisation_ids=[organisation.pk])
    page = client.get(organisation.get_absolute_url()).text
    assert "Answers proposals after 6 days on average (3 proposals in the last 12 months)" in page


def test_the_page_speaks_german(client, organisation):
    for days in (1, 2, 3):
        answered(organisation, waited_days=days)
    services.answer_times_refresh(organisation_ids=[organisation.pk])
    page = client.get(organisation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").text
    assert "Antwortet im Mittel nach 2 Tagen (auf 3 Vorschläge in den letzten 12 Monaten)" in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_figure_asks_no_query_of_its_own(client, django_assert_max_num_queries, size):
    organisation = OrganisationFactory()
    MembershipFactory.create_batch(2, organisation=organisation)
    for days in range(size):
        answered(organisation, waited_days=days % 9 + 1)
    services.answer_times_refresh(organisation_ids=[organisation.pk])
    # As many as the page asks without the figure (tests/stakeholders/test_views.py).
    with django_assert_max_num_queries(10):
        assert "answer-time" in client.get(organisation.get_absolute_url()).text
