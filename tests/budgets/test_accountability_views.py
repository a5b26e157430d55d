"""Accountability on public pages: the budget box on a proposal page, progress updates by staff,
evaluations after completion, and the progress overviews per process and per organisation."""
from decimal import Decimal

import pytest
from django.test import Client

from budgets.models import Phase
from proposals import services as proposal_services
from proposals.models import Evaluation, Implementation, ImplementationUpdate, Proposal
from tests.proposals.factories import FollowFactory, ProposalFactory, SupportFactory
from tests.stakeholders.factories import MembershipFactory, UserFactory

from .factories import add_entry, make_process, move_to, process_staff, publish, vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = Proposal.Status


def page_url(proposal):
    return f"/proposals/{proposal.pk}/"


def update_url(proposal):
    return f"/budgets/proposals/{proposal.pk}/updates/"


def evaluate_url(proposal):
    return f"/budgets/proposals/{proposal.pk}/evaluations/"


def form_action(proposal, what):
    """Where the proposal's page posts updates and evaluations now; the addresses above keep answering."""
    return f"/proposals/{proposal.pk}/{what}/"


@pytest.fixture
def funded(organisation):
    """Results are out: A (400 €, 2 votes) is funded, B (700 €, 1 vote) no longer fits into 1,000 €."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal("1000"))
    a = add_entry(process, cost=Decimal("400"), title="Alpha Bänke")
    b = add_entry(process, cost=Decimal("700"), title="Beta Lastenrad")
    voters = UserFactory.create_batch(2)
    move_to(process, Phase.VOTING)
    vote(process, voters[0], [a])
    vote(process, voters[1], [a])
    vote(process, UserFactory(), [b])
    publish(process)
    a.refresh_from_db(), b.refresh_from_db()
    return process, a, b, voters


def post_update(proposal, actor, **data):
    values = {"text": "Die Bänke sind bestellt.", "status": "in_progress", "progress": 30}
    values.update(data)
    return proposal_services.implementation_update_post(proposal=proposal, actor=actor, **values)


# --- the box on the proposal page ------------------------------------------------------------

def test_a_proposal_outside_any_budget_shows_no_box_and_gets_no_record(client, organisation):
    proposal = ProposalFactory(organisation=organisation)
    html = client.get(page_url(proposal)).text
    assert 'id="budget"' not in html and 'id="progress"' not in html and "budgets.css" not in html
    assert not Implementation.objects.exists()


def test_a_proposal_in_voting_shows_its_budget_and_where_to_vote(client, organisation):
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, cost=Decimal("2500"))
    pending = add_entry(process, feasible=None)
    move_to(process, Phase.VOTING)
    html = client.get(page_url(entry.proposal)).text
    assert 'id="budget"' in html and f'href="/budgets/{process.slug}/"' in html and process.title in html
    assert "Feasible" in html and "2,500.00\xa0€" in html
    assert f'href="/budgets/{process.slug}/ballot/"' in html
    assert "Votes" not in html and "Funded" not in html  # not before the results
    assert 'id="progress"' not in html
    html = client.get(page_url(pending.proposal)).text
    assert "Not reviewed yet" in html and f"/budgets/{process.slug}/ballot/" not in html


def test_an_infeasible_proposal_shows_the_public_reason(client, organisation):
    process = make_process(organisation, Phase.COLLECTING)
    entry = add_entry(process, feasible=False, reason="Das Grundstück gehört nicht der Stadt.")
    html = client.get(page_url(entry.proposal)).text
    assert "Not feasible: Das Grundstück gehört nicht der Stadt." in html


def test_after_the_results_votes_funding_and_implementation_are_shown(client, funded):
    process, a, b, _voters = funded
    html = client.get(page_url(a.proposal)).text
    assert "<dt>Votes</dt><dd>2</dd>" in html and "<strong>Funded</strong>" in html
    assert f"/budgets/{process.slug}/results/" in html
    assert 'id="progress"' in html and 'aria-current="step">Planned' in html
    assert '<progress max="100" value="0"' in html and "0 % done" in html and "No update yet" in html
    html = client.get(page_url(b.proposal)).text
    assert "<dt>Votes</dt><dd>1</dd>" in html and "Not funded" in html and 'id="progress"' not in html


def test_an_accepted_proposal_outside_budgets_is_tracked_too(client, organisation, staff):
    proposal = ProposalFactory(organisation=organisation, status=S.PUBLISHED)
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.ACCEPTED, response="Ja.")
    assert Implementation.objects.filter(proposal=proposal).count() == 1  # opened by the decision
    html = client.get(page_url(proposal)).text
    assert 'id="budget"' not in html and 'id="progress"' in html and "No update yet" in html
    assert Implementation.objects.filter(proposal=proposal).count() == 1


def test_the_page_writes_nothing_for_a_proposal_without_its_record(client, organisation):
    proposal = ProposalFactory(organisation=organisation, status=S.ACCEPTED)  # not through the services
    html = client.get(page_url(proposal)).text
    assert 'id="progress"' not in html and not Implementation.objects.exists()


def test_updates_are_shown_newest_first_with_status_steps(client, funded):
    _process, a, _b, _voters = funded
    staff = process_staff(a.process)
    post_update(a.proposal, staff, text="Erste Meldung", progress=10)
    post_update(a.proposal, staff, text="Zweite Meldung", progress=60)
    html = client.get(page_url(a.proposal)).text
    box = html[html.index('id="progress"'):]
    assert box.index("Zweite Meldung") < box.index("Erste Meldung")
    assert "60 % done" in html and '<progress max="100" value="60"' in html
    assert "Planned <span class=\"step-state\">(done)" in html
    assert 'aria-current="step">In progress' in html


def test_a_stopped_implementation_ends_its_steps_there(client, funded):
    _process, a, _b, _voters = funded
    post_update(a.proposal, process_staff(a.process), text="Leider gestoppt.", status="stopped", progress=20)
    html = client.get(page_url(a.proposal)).text
    assert 'aria-current="step">Stopped' in html and "Completed <span" not in html


# --- progress updates by staff ---------------------------------------------------------------

def test_staff_of_the_organisation_post_an_update(client, funded, staff):
    _process, a, _b, _voters = funded
    client.force_login(staff)
    page = client.get(page_url(a.proposal)).text
    assert f'action="{form_action(a.proposal, "updates")}"' in page and "Publish update" in page
    response = client.post(update_url(a.proposal), {"text": "Die Bänke sind bestellt.", "status": "in_progress",
                                                    "progress": "30"})
    assert response.status_code == 302 and response.url == f"{page_url(a.proposal)}#progress"
    html = client.get(page_url(a.proposal)).text
    assert "Your update is published." in html and "Die Bänke sind bestellt." in html and "30 % done" in html
    proposal = Proposal.objects.get(pk=a.proposal.pk)
    assert proposal.status == S.IN_DELIVERY
    implementation = Implementation.objects.get(proposal=proposal)
    assert implementation.status == "in_progress" and implementation.progress == 30
    assert implementation.update_count == 1 and implementation.started_at is not None

    response = client.post(form_action(a.proposal, "updates"), {"text": "Fertig aufgestellt.", "status": "completed",
                                                                 "progress": "80"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == S.COMPLETED
    implementation.refresh_from_db()
    assert implementation.progress == 100 and implementation.completed_at is not None
    assert "100 % done" in client.get(page_url(a.proposal)).text


def test_others_may_not_post_updates(client, funded, other_staff, person):
    _process, a, _b, voters = funded
    data = {"text": "Ich war's.", "status": "in_progress", "progress": "50"}
    for who in (other_staff, person, voters[0], a.proposal.author):
        client.force_login(who)
        assert 'action="%s"' % form_action(a.proposal, "updates") not in client.get(page_url(a.proposal)).text
        response = client.post(update_url(a.proposal), data)
        assert response.status_code == 403
        assert "Only staff of the organisation can report progress." in response.text
    client.logout()
    response = client.post(update_url(a.proposal), data)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not ImplementationUpdate.objects.exists()
    assert Proposal.objects.get(pk=a.proposal.pk).status == S.ACCEPTED


def test_a_superuser_may_post_updates(client, funded, superuser):
    _process, a, _b, _voters = funded
    client.force_login(superuser)
    assert client.post(update_url(a.proposal), {"text": "Geprüft.", "status": "planned",
                                                "progress": "0"}).status_code == 302
    assert ImplementationUpdate.objects.count() == 1


@pytest.mark.parametrize("data, message", [
    ({"text": ""}, "Write what happened."),
    ({"text": "   "}, "Write what happened."),
    ({"progress": "101"}, "Progress is a whole number from 0 to 100."),
    ({"progress": "-1"}, "Progress is a whole number from 0 to 100."),
    ({"progress": "abc"}, "Progress is a whole number from 0 to 100."),
    ({"progress": "12.5"}, "Progress is a whole number from 0 to 100."),
    ({"progress": ""}, "Progress is a whole number from 0 to 100."),
    ({"status": "finished"}, "Choose one of the offered steps."),
    ({"status": ""}, "Choose one of the offered steps."),
    ({"text": "x" * 3001}, "3000"),
])
def test_bad_updates_are_refused_and_nothing_is_saved(client, funded, staff, data, message):
    _process, a, _b, _voters = funded
    client.force_login(staff)
    values = {"text": "Die Bänke sind bestellt.", "status": "in_progress", "progress": "30"}
    values.update(data)
    response = client.post(update_url(a.proposal), values)
    assert response.status_code == 400
    html = response.text
    assert message in html and "The update was not published." in html
    assert 'aria-invalid="true"' in html
    if data.get("text") is None:
        assert "Die Bänke sind bestellt." in html  # what they wrote is kept
    assert not ImplementationUpdate.objects.exists()
    implementation = Implementation.objects.get(proposal=a.proposal)
    assert implementation.status == "planned" and implementation.progress == 0
    assert Proposal.objects.get(pk=a.proposal.pk).status == S.ACCEPTED


def test_an_ended_implementation_keeps_its_status(client, funded, staff):
    _process, a, _b, _voters = funded
    post_update(a.proposal, staff, status="completed", text="Fertig.")
    client.force_login(staff)
    page = client.get(page_url(a.proposal)).text
    assert '<option value="in_progress"' not in page  # only the ended status is offered
    response = client.post(update_url(a.proposal), {"text": "Doch nicht.", "status": "in_progress", "progress": "50"})
    assert response.status_code == 400 and "Choose one of the offered steps." in response.text
    assert client.post(update_url(a.proposal), {"text": "Einweihungsfest am Freitag.", "status": "completed",
                                                "progress": "100"}).status_code == 302
    assert ImplementationUpdate.objects.count() == 2


def test_updates_only_for_accepted_or_funded_proposals(client, organisation, staff):
    proposal = ProposalFactory(organisation=organisation)
    client.force_login(staff)
    response = client.post(update_url(proposal), {"text": "Hallo", "status": "planned", "progress": "0"})
    assert response.status_code == 400
    assert "Progress is reported for accepted or funded proposals only." in response.text
    assert not Implementation.objects.exists() and not ImplementationUpdate.objects.exists()


def test_drafts_and_unknown_proposals_are_404(client, organisation, staff):
    draft = ProposalFactory(organisation=organisation, draft=True)
    client.force_login(staff)
    assert client.post(update_url(draft), {"text": "x", "status": "planned", "progress": "0"}).status_code == 404
    assert client.post("/budgets/proposals/999999/updates/", {"text": "x"}).status_code == 404
    assert client.post("/budgets/proposals/999999/evaluations/", {"rating": "3"}).status_code == 404
    assert client.get(update_url(draft)).status_code == 405


# --- evaluations -------------------------------------------------------------------------------

@pytest.fixture
def completed(funded):
    _process, a, _b, voters = funded
    post_update(a.proposal, process_staff(a.process), status="completed", text="Die Bänke stehen.")
    return a.proposal, voters


def test_evaluation_only_after_completion(client, funded):
    _process, a, _b, voters = funded
    client.force_login(voters[0])
    assert 'id="evaluation-form-heading"' not in client.get(page_url(a.proposal)).text
    response = client.post(evaluate_url(a.proposal), {"rating": "4"})
    assert response.status_code == 400
    assert "You can say whether it helped once it is completed." in response.text
    assert not Evaluation.objects.exists()


def test_participants_evaluate_once_and_everyone_sees_the_average(client, completed):
    proposal, voters = completed
    client.force_login(voters[0])
    page = client.get(page_url(proposal)).text
    assert 'id="evaluation-form-heading"' in page and "<legend>Did it help?</legend>" in page
    assert 'type="radio" name="rating" value="5"' in page
    response = client.post(evaluate_url(proposal), {"rating": "4", "comment": "Endlich Sitzplätze!"})
    assert response.status_code == 302 and response.url == f"{page_url(proposal)}#progress"
    page = client.get(page_url(proposal)).text
    assert "You rated it 4 of 5." in page and 'id="evaluation-form-heading"' not in page
    response = client.post(evaluate_url(proposal), {"rating": "1"})
    assert response.status_code == 400 and "You have already said whether it helped." in response.text

    client.force_login(proposal.author)
    assert client.post(evaluate_url(proposal), {"rating": "2"}).status_code == 302
    supporter = SupportFactory(proposal=proposal).user
    client.force_login(supporter)
    assert client.post(evaluate_url(proposal), {"rating": "5"}).status_code == 302
    client.logout()
    page = Client(HTTP_COOKIE="django_language=en").get(page_url(proposal)).text
    assert "Average rating: 3.7 of 5, from 3 evaluations." in page
    assert "Endlich Sitzplätze!" in page and voters[0].display_name not in page
    implementation = Implementation.objects.get(proposal=proposal)
    assert implementation.evaluation_count == 3 and implementation.rating_sum == 11


def test_followers_and_clients_may_evaluate(client, completed, organisation):
    proposal, _voters = completed
    follower = FollowFactory(proposal=proposal).user
    client_member = MembershipFactory(organisation=organisation, role="client").user
    for who in (follower, client_member):
        client.force_login(who)
        assert client.post(evaluate_url(proposal), {"rating": "3"}).status_code == 302
    assert Evaluation.objects.count() == 2


def test_people_it_was_not_for_may_not_evaluate(client, completed, person, other_staff):
    proposal, _voters = completed
    for who in (person, other_staff):
        client.force_login(who)
        assert 'id="evaluation-form-heading"' not in client.get(page_url(proposal)).text
        response = client.post(evaluate_url(proposal), {"rating": "5"})
        assert response.status_code == 403
        assert "Only people who took part in it or were meant to benefit can evaluate it." in response.text
    client.logout()
    response = client.post(evaluate_url(proposal), {"rating": "5"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"rating": "0"}, "Choose from 1 to 5."),
    ({"rating": "6"}, "Choose from 1 to 5."),
    ({"rating": "-1"}, "Choose from 1 to 5."),
    ({"rating": "abc"}, "Choose from 1 to 5."),
    ({}, "Choose from 1 to 5."),
    ({"rating": "3", "comment": "x" * 1001}, "Keep the comment to 1,000 characters."),
])
def test_bad_evaluations_are_refused(client, completed, data, message):
    proposal, voters = completed
    client.force_login(voters[0])
    response = client.post(evaluate_url(proposal), data)
    assert response.status_code == 400
    assert message in response.text and "Your evaluation was not sent." in response.text
    if "comment" not in data:
        assert 'class="rating field-invalid" aria-describedby="id_evaluation_rating_error"' in response.text
    assert not Evaluation.objects.exists()
    assert Implementation.objects.get(proposal=proposal).evaluation_count == 0


def test_csrf_is_required(funded, staff):
    _process, a, _b, voters = funded
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(update_url(a.proposal), {"text": "x", "status": "planned", "progress": "0"}).status_code == 403
    post_update(a.proposal, staff, status="completed", text="Fertig.")
    client.force_login(voters[0])
    assert client.post(evaluate_url(a.proposal), {"rating": "5"}).status_code == 403
    assert ImplementationUpdate.objects.count() == 1 and not Evaluation.objects.exists()


def test_texts_are_escaped(client, completed):
    proposal, voters = completed
    proposal_services.implementation_update_post(proposal=proposal, actor=process_staff(proposal.budget_entry.process),
                                        text="<script>alert(1)</script>", status="completed", progress=100)
    proposal_services.evaluation_create(implementation=proposal.implementation, user=voters[0], rating=5,
                               comment="<img src=x onerror=alert(1)>")
    html = client.get(page_url(proposal)).text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


# --- query counts of the box -----------------------------------------------------------------

@pytest.mark.parametrize("size", [3, 60])
def test_the_box_asks_a_fixed_number_of_queries(client, completed, django_assert_max_num_queries, size):
    proposal, voters = completed
    staff = process_staff(proposal.budget_entry.process)
    for index in range(size):
        proposal_services.implementation_update_post(proposal=proposal, actor=staff, text=f"Meldung {index}",
                                            status="completed", progress=100)
    for index in range(size):
        evaluator = UserFactory()
        SupportFactory(proposal=proposal, user=evaluator)
        proposal_services.evaluation_create(implementation=proposal.implementation, user=evaluator, rating=1 + index % 5,
                                   comment=f"Kommentar {index}")
    # the proposal page's own 5 to 6 queries; the box: entry + implementation, updates, comments
    with django_assert_max_num_queries(9):
        assert client.get(page_url(proposal)).status_code == 200
    client.force_login(staff)
    # + session, user; the box: may post, own evaluation, may evaluate (up to 5 checks)
    with django_assert_max_num_queries(18):
        assert client.get(page_url(proposal)).status_code == 200
    client.force_login(voters[0])
    with django_assert_max_num_queries(18):
        response = client.get(page_url(proposal))
    assert response.text.count('class="update"') == min(size + 1, 50)


# --- progress overviews ----------------------------------------------------------------------

def test_process_progress_before_and_after_the_results(client, organisation, staff):
    process = make_process(organisation, Phase.REVIEW, total=Decimal("1000"))
    a = add_entry(process, cost=Decimal("400"), title="Alpha Bänke")
    b = add_entry(process, cost=Decimal("300"), title="Beta Beet")
    c = add_entry(process, cost=Decimal("900"), title="Gamma Halle")
    move_to(process, Phase.VOTING)
    vote(process, UserFactory(), [a, b])
    vote(process, UserFactory(), [c])
    vote(process, UserFactory(), [c])
    url = f"/budgets/{process.slug}/progress/"
    page = client.get(url)
    assert page.status_code == 200 and "The results are not out yet." in page.text
    publish(process)
    html = client.get(url).text
    assert "Gamma Halle" in html and "Alpha Bänke" not in html and "Beta Beet" not in html
    assert "No update yet" in html and "900.00\xa0€" in html
    post_update(c.proposal, staff, progress=45)
    html = client.get(url).text
    assert "45 %" in html and "No update yet" not in html and "In progress" in html
    assert f'href="/proposals/{c.proposal.pk}/#progress"' in html
    assert client.get("/budgets/no-such-budget/progress/").status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_process_progress_queries_do_not_grow(client, organisation, django_assert_max_num_queries, size):
    process = make_process(organisation, Phase.REVIEW, total=Decimal("100000"))
    entries = [add_entry(process, cost=Decimal("100")) for _ in range(size)]
    move_to(process, Phase.VOTING)
    vote(process, UserFactory(), entries)
    publish(process)
    staff = process_staff(process)
    for entry in entries[::2]:
        post_update(entry.proposal, staff)
    with django_assert_max_num_queries(3):  # process, count, page
        response = client.get(f"/budgets/{process.slug}/progress/")
    assert response.text.count("<tr>") == size + 1


def test_organisation_progress_lists_accepted_and_funded_proposals(client, organisation, other_organisation, funded):
    _process, a, b, _voters = funded
    accepted = ProposalFactory(organisation=organisation, status=S.ACCEPTED, title="Angenommen ohne Budget")
    delivering = ProposalFactory(organisation=organisation, status=S.IN_DELIVERY, title="In Umsetzung")
    done = ProposalFactory(organisation=organisation, status=S.COMPLETED, title="Schon fertig")
    ProposalFactory(organisation=organisation, status=S.PUBLISHED, title="Nur veröffentlicht")
    ProposalFactory(organisation=organisation, status=S.REJECTED, title="Abgelehnt")
    ProposalFactory(organisation=other_organisation, status=S.ACCEPTED, title="Andere Organisation")
    post_update(a.proposal, process_staff(a.process), progress=70)
    response = client.get(f"/budgets/progress/{organisation.slug}/")
    assert response.status_code == 200
    html = response.text
    for shown in (a.proposal.title, accepted.title, delivering.title, done.title):
        assert shown in html
    for hidden in ("Nur veröffentlicht", "Abgelehnt", "Andere Organisation", b.proposal.title):
        assert hidden not in html
    assert html.index(a.proposal.title) < html.index(accepted.title)  # latest update first
    assert "Funded by" in html and "70 %" in html and html.count("No update yet") == 3
    assert not Implementation.objects.filter(proposal__in=[accepted, delivering, done]).exists()  # GET writes nothing
    assert client.get("/budgets/progress/no-such-organisation/").status_code == 404


@pytest.mark.parametrize("size", [5, 60])
def test_organisation_progress_is_paginated_with_fixed_queries(client, organisation, django_assert_max_num_queries,
                                                               size):
    for index in range(size):
        proposal = ProposalFactory(organisation=organisation, status=S.ACCEPTED, title=f"Vorhaben {index:03d}")
        if index % 2:
            Implementation.objects.create(proposal=proposal, progress=index % 100)
    url = f"/budgets/progress/{organisation.slug}/"
    with django_assert_max_num_queries(3):  # organisation, count, page
        response = client.get(url)
    assert response.text.count("<tr>") == min(size, 50) + 1
    if size > 50:
        assert 'rel="next"' in response.text
        with django_assert_max_num_queries(3):
            second = client.get(url, {"page": 2})
        assert second.text.count("<tr>") == size - 50 + 1
