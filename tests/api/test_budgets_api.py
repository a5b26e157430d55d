"""Participatory budgets in the open data API: budgets, their proposals, results and accountability.

The API publishes what the site shows a visitor who is not signed in, to everyone alike: no
voter, ballot, author, reviewer or writer of an update or evaluation, and results only once
they are published.
"""
from decimal import Decimal

import pytest

from budgets.models import Phase, Process
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.budgets.factories import add_entry, make_process, move_to, process_staff, publish, vote
from tests.proposals.factories import ProposalFactory, SupportFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.api.support import get, ids

pytestmark = pytest.mark.django_db


BUDGETS = "/api/v1/budgets/"
ENTRIES = "/api/v1/budget-entries/"
IMPLEMENTATIONS = "/api/v1/implementations/"
UPDATES = "/api/v1/implementation-updates/"


def results_url(process):
    return f"{BUDGETS}{process.pk}/results/"


def hide(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason="Beleidigend.")


@pytest.fixture
def published(organisation):
    """Results are out of 1,200 €: A (400 €, 2 votes) funded, D (300 €, 1 vote) funded and hidden by
    moderation afterwards, B (700 €, 1 vote) no longer fits, C not feasible."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal("1200"), title="Viertelbudget")
    a = add_entry(process, cost=Decimal("400"), title="Alpha Bänke")
    b = add_entry(process, cost=Decimal("700"), title="Beta Lastenrad")
    c = add_entry(process, feasible=False, reason="Das Grundstück gehört der Bahn.", title="Gamma Brücke")
    d = add_entry(process, cost=Decimal("300"), title="Delta Wand")
    move_to(process, Phase.VOTING)
    voters = [UserFactory(display_name="Wählerin Wiebke"), UserFactory(), UserFactory()]
    vote(process, voters[0], [a, d])
    vote(process, voters[1], [a])
    vote(process, voters[2], [b])
    publish(process)
    hide(d.proposal)
    for entry in (a, b, c, d):
        entry.refresh_from_db()
    return process, a, b, c, d, voters


# --- budgets -------------------------------------------------------------------------------------

def test_every_budget_is_public_from_its_announcement_on(client, organisation, other_organisation):
    announced = make_process(organisation, Phase.ANNOUNCED, title="Bald: Jugendbudget")
    collecting = make_process(organisation, Phase.COLLECTING, districts="Nordstadt, Wesertor",
                              partners=[other_organisation])
    voting = make_process(other_organisation, Phase.VOTING)
    response, data = get(client, BUDGETS)
    assert response.status_code == 200
    # running first, as on the site: voting, collecting, …, announced last
    assert ids(data) == [voting.pk, collecting.pk, announced.pk]
    row = data["results"][1]
    assert row["organisation"] == {"id": organisation.pk, "slug": organisation.slug, "name": organisation.name}
    assert row["partner_organisations"] == [
        {"id": other_organisation.pk, "slug": other_organisation.slug, "name": other_organisation.name}]
    assert row["districts"] == ["Nordstadt", "Wesertor"]
    assert row["phase"] == "collecting" and row["total_amount"] == "10000.00"
    assert row["results_published_at"] is None and row["funded_total"] is None
    assert row["url"] == f"http://testserver/budgets/{collecting.slug}/"
    assert set(row) >= {"collecting_starts", "review_starts", "voting_starts", "results_starts",
                        "implementation_starts", "eligibility", "description", "slug", "title"}
    assert "created_by" not in row


def test_signing_in_changes_nothing(client, organisation, staff, superuser):
    make_process(organisation, Phase.ANNOUNCED)
    make_process(organisation, Phase.VOTING)
    _response, anonymous = get(client, BUDGETS)
    for user in (staff, superuser):
        client.force_login(user)
        _response, data = get(client, BUDGETS)
        assert data == anonymous


def test_budgets_filtered_by_organisation_including_partners_and_by_phase(client, organisation,
                                                                          other_organisation):
    own = make_process(organisation, Phase.COLLECTING)
    shared = make_process(other_organisation, Phase.VOTING, partners=[organisation])
    other = make_process(other_organisation, Phase.COLLECTING)
    _response, data = get(client, BUDGETS, {"organisation": organisation.pk})
    assert sorted(ids(data)) == sorted([own.pk, shared.pk])
    _response, data = get(client, BUDGETS, {"phase": "collecting"})
    assert sorted(ids(data)) == sorted([own.pk, other.pk])


@pytest.mark.parametrize("params", [{"organisation": "abc"}, {"organisation": 999999}, {"phase": "secret"}])
def test_bad_budget_filters_are_refused(client, organisation, params):
    make_process(organisation)
    response, data = get(client, BUDGETS, params)
    assert response.status_code == 400
    assert set(data) == set(params)


def test_unknown_budgets_are_not_found(client, organisation):
    process = make_process(organisation)
    unknown = process.pk + 1000
    for path in [f"{BUDGETS}{unknown}/", f"{BUDGETS}{process.slug}/", f"{BUDGETS}{unknown}/results/"]:
        assert get(client, path)[0].status_code == 404


# --- results ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.COLLECTING, Phase.REVIEW, Phase.VOTING])
def test_results_are_not_found_before_they_are_published(client, organisation, staff, phase):
    process = make_process(organisation, phase)
    if phase == Phase.VOTING:
        entry = add_entry(process, cost=Decimal("100"))
        vote(process, UserFactory(), [entry])
    assert get(client, results_url(process))[0].status_code == 404
    client.force_login(staff)
    assert get(client, results_url(process))[0].status_code == 404


def test_results_show_places_votes_funding_and_totals_but_no_voter(client, published):
    process, a, b, c, d, voters = published
    response, data = get(client, results_url(process))
    assert response.status_code == 200
    rows = data["results"]
    assert data["count"] == 3  # the feasible ones; C was not feasible
    by_id = {row["proposal"]["id"]: row for row in rows}
    assert [row["place"] for row in rows] == [1, 2, 3]
    assert by_id[a.proposal_id] == {
        "place": 1, "proposal": {"id": a.proposal_id, "title": "Alpha Bänke",
                                 "url": f"http://testserver/proposals/{a.proposal_id}/"},
        "is_hidden": False, "district": "", "votes": 2, "final_cost": "400.00", "funded": True}
    assert by_id[b.proposal_id]["funded"] is False and by_id[b.proposal_id]["votes"] == 1
    # hidden by moderation: it keeps its place in the results, not its title
    assert by_id[d.proposal_id]["is_hidden"] is True and by_id[d.proposal_id]["proposal"]["title"] is None
    assert c.proposal_id not in by_id
    assert data["totals"] == {
        "results_published_at": data["totals"]["results_published_at"], "total_amount": "1200.00",
        "funded_total": "700.00", "left_over": "500.00", "ballot_count": 3, "feasible_count": 3,
        "funded_count": 2, "eligible_count": None, "turnout_percent": None,
    }
    body = response.content.decode()
    for voter in voters:
        assert voter.display_name not in body and voter.email not in body
    assert "Delta Wand" not in body
    _response, detail = get(client, f"{BUDGETS}{process.pk}/")
    assert detail["funded_total"] == "700.00" and detail["results_published_at"] is not None


def test_results_answer_with_the_json_suffix_too(client, published):
    """The router offers every address with ".json"; the results answer there the same."""
    process = published[0]
    plain = client.get(results_url(process))
    suffixed = client.get(f"{BUDGETS}{process.pk}/results.json")
    assert suffixed.status_code == 200 and suffixed.json() == plain.json()


def test_results_of_a_members_budget_tell_the_turnout(client, organisation):
    MembershipFactory.create_batch(3, organisation=organisation)
    process = make_process(organisation, Phase.REVIEW, eligibility=Process.Eligibility.MEMBERS)
    entry = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    vote(process, MembershipFactory(organisation=organisation).user, [entry])
    publish(process)
    _response, data = get(client, results_url(process))
    # four members and the staff member who moved the budget on; one voted
    assert data["totals"]["eligible_count"] == 5 and data["totals"]["turnout_percent"] == 20.0


def test_results_are_paged(client, organisation):
    process = make_process(organisation, Phase.REVIEW, total=Decimal("100000"))
    for _ in range(5):
        add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    publish(process)
    _response, data = get(client, results_url(process), {"page_size": 2, "page": 2})
    assert data["count"] == 5 and [row["place"] for row in data["results"]] == [3, 4]
    assert "page=3" in data["next"] and data["previous"]
    assert get(client, results_url(process), {"page": 9})[0].status_code == 404


# --- the proposals of a budget -------------------------------------------------------------------

def test_entries_show_the_review_but_neither_hidden_proposals_nor_drafts(client, organisation):
    process = make_process(organisation, Phase.COLLECTING)
    feasible = add_entry(process, cost=Decimal("500"), final_cost=Decimal("650"), title="Bänke am Platz")
    pending = add_entry(process, feasible=None)
    infeasible = add_entry(process, feasible=False, reason="Dort darf nicht gebaut werden.")
    hidden = add_entry(process)
    hide(hidden.proposal)
    draft = add_entry(process, feasible=None)
    Proposal.objects.filter(pk=draft.proposal_id).update(status=Proposal.Status.DRAFT)
    response, data = get(client, ENTRIES)
    assert response.status_code == 200
    assert ids(data) == [feasible.pk, pending.pk, infeasible.pk]
    rows = {row["id"]: row for row in data["results"]}
    assert rows[feasible.pk] == {
        "id": feasible.pk, "budget": process.pk,
        "proposal": {"id": feasible.proposal_id, "title": "Bänke am Platz",
                     "url": f"http://testserver/proposals/{feasible.proposal_id}/"},
        "summary": feasible.proposal.summary, "proposal_status": "published", "district": "",
        "estimated_cost": "500.00", "feasibility": "feasible", "feasibility_reason": "", "final_cost": "650.00",
        "votes": None, "funded": None, "place": None,
    }
    assert rows[pending.pk]["feasibility"] == "pending" and rows[pending.pk]["feasibility_reason"] is None
    assert rows[infeasible.pk]["feasibility_reason"] == "Dort darf nicht gebaut werden."
    assert rows[infeasible.pk]["proposal_status"] == "rejected"
    for entry in (hidden, draft):
        assert get(client, f"{ENTRIES}{entry.pk}/")[0].status_code == 404
    body = response.content.decode()
    assert feasible.proposal.author.display_name not in body


def test_entries_show_votes_once_the_results_are_out(client, published):
    process, a, b, c, d, _voters = published
    _response, data = get(client, ENTRIES, {"budget": process.pk})
    rows = {row["id"]: row for row in data["results"]}
    assert d.pk not in rows
    assert (rows[a.pk]["votes"], rows[a.pk]["funded"], rows[a.pk]["place"]) == (2, True, 1)
    assert (rows[b.pk]["votes"], rows[b.pk]["funded"]) == (1, False)
    assert (rows[c.pk]["votes"], rows[c.pk]["funded"], rows[c.pk]["place"]) == (None, False, None)


def test_entries_filtered_by_budget_feasibility_and_funding(client, published, organisation):
    process, a, b, c, _d, _voters = published
    other = make_process(organisation, Phase.COLLECTING)
    elsewhere = add_entry(other)
    assert ids(get(client, ENTRIES, {"budget": other.pk})[1]) == [elsewhere.pk]
    assert ids(get(client, ENTRIES, {"budget": process.pk, "feasibility": "infeasible"})[1]) == [c.pk]
    assert ids(get(client, ENTRIES, {"funded": "true"})[1]) == [a.pk]
    assert ids(get(client, ENTRIES, {"funded": "false"})[1]) == [b.pk, c.pk]


@pytest.mark.parametrize("params", [{"budget": "x"}, {"budget": 999999}, {"feasibility": "maybe"},
                                    {"funded": "perhaps"}])
def test_bad_entry_filters_are_refused(client, organisation, params):
    add_entry(make_process(organisation))
    assert get(client, ENTRIES, params)[0].status_code == 400


# --- accountability --------------------------------------------------------------------------------

@pytest.fixture
def completed(published):
    """A was funded and is completed, with two updates and one evaluation with a comment."""
    process, a, *_rest, voters = published
    staff = process_staff(process)
    staff.display_name = "Fachkraft Frieda"
    staff.save(update_fields=["display_name"])
    proposal_services.implementation_update_post(proposal=a.proposal, actor=staff, text="Die Bänke sind bestellt.",
                                        status="in_progress", progress=40)
    proposal_services.implementation_update_post(proposal=a.proposal, actor=staff, text="Die Bänke stehen.",
                                        status="completed", progress=100)
    a.proposal.refresh_from_db()
    proposal_services.evaluation_create(implementation=a.proposal.implementation, user=voters[0], rating=4,
                               comment="Sehr schön, Wiebke aus Haus 3")
    proposal_services.evaluation_create(implementation=a.proposal.implementation, user=voters[1], rating=5)
    return process, a, staff, voters


def test_implementations_show_progress_and_ratings_but_nobody(client, completed, published):
    process, a, staff, voters = completed
    d = published[4]
    response, data = get(client, IMPLEMENTATIONS)
    assert response.status_code == 200
    # D was funded too, but is hidden by moderation
    assert ids(data) == [a.proposal.implementation.pk]
    row = data["results"][0]
    assert row["proposal"] == {"id": a.proposal_id, "title": "Alpha Bänke",
                               "url": f"http://testserver/proposals/{a.proposal_id}/"}
    assert row["organisation"]["id"] == process.organisation_id
    assert (row["budget"], row["status"], row["progress"]) == (process.pk, "completed", 100)
    assert (row["update_count"], row["evaluation_count"], row["average_rating"]) == (2, 2, 4.5)
    assert row["started_at"] and row["completed_at"] and row["last_update_at"]
    assert row["url"] == f"http://testserver/proposals/{a.proposal_id}/#progress"
    assert get(client, f"{IMPLEMENTATIONS}{d.proposal.implementation.pk}/")[0].status_code == 404
    body = response.content.decode()
    for text in [staff.display_name, staff.email, voters[0].display_name, "Wiebke aus Haus 3"]:
        assert text not in body


def test_an_implementation_without_updates_has_no_last_update(client, published):
    _process, a, *_rest = published
    _response, data = get(client, f"{IMPLEMENTATIONS}{a.proposal.implementation.pk}/")
    assert (data["status"], data["update_count"], data["last_update_at"], data["average_rating"]) == (
        "planned", 0, None, None)


def test_updates_speak_for_the_organisation(client, completed, published):
    process, a, staff, _voters = completed
    d = published[4]
    proposal_services.implementation_update_post(proposal=d.proposal, actor=staff, text="Versteckt.", status="in_progress",
                                        progress=10)
    response, data = get(client, UPDATES)
    assert [row["text"] for row in data["results"]] == ["Die Bänke stehen.", "Die Bänke sind bestellt."]
    row = data["results"][1]
    assert set(row) == {"id", "implementation", "proposal", "status", "progress", "text", "created_at"}
    assert (row["status"], row["progress"], row["implementation"]) == (
        "in_progress", 40, a.proposal.implementation.pk)
    assert row["proposal"]["title"] == "Alpha Bänke"
    assert staff.display_name not in response.content.decode()


def test_accountability_filters(client, completed, other_organisation):
    process, a, _staff, _voters = completed
    implementation = a.proposal.implementation
    assert ids(get(client, IMPLEMENTATIONS, {"budget": process.pk, "status": "completed",
                                             "organisation": process.organisation_id})[1]) == [implementation.pk]
    assert ids(get(client, IMPLEMENTATIONS, {"organisation": other_organisation.pk})[1]) == []
    # D's implementation is still planned, but D is hidden by moderation
    assert ids(get(client, IMPLEMENTATIONS, {"status": "planned"})[1]) == []
    assert len(ids(get(client, UPDATES, {"implementation": implementation.pk})[1])) == 2
    assert len(ids(get(client, UPDATES, {"proposal": a.proposal_id})[1])) == 2
    assert ids(get(client, UPDATES, {"organisation": other_organisation.pk})[1]) == []


@pytest.mark.parametrize("url, params", [
    (IMPLEMENTATIONS, {"status": "done"}), (IMPLEMENTATIONS, {"budget": "x"}), (IMPLEMENTATIONS, {"organisation": 0}),
    (UPDATES, {"implementation": "1.5"}), (UPDATES, {"proposal": "x"}), (UPDATES, {"organisation": "x"}),
])
def test_bad_accountability_filters_are_refused(client, url, params):
    assert get(client, url, params)[0].status_code == 400


def test_an_accepted_proposal_outside_budgets_is_tracked_too(client, organisation, staff):
    proposal = ProposalFactory(organisation=organisation, status=Proposal.Status.ACCEPTED)
    proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Es geht los.", status="in_progress",
                                        progress=5)
    _response, data = get(client, IMPLEMENTATIONS)
    assert data["results"][0]["proposal"]["id"] == proposal.pk and data["results"][0]["budget"] is None


# --- queries ---------------------------------------------------------------------------------------

def fill(size):
    """``size`` budgets with partners, each with a funded, completed, rated proposal and updates."""
    partners = OrganisationFactory.create_batch(2)
    processes = []
    for index in range(size):
        process = make_process(OrganisationFactory(), Phase.REVIEW, partners=partners,
                               eligibility=Process.Eligibility.MEMBERS if index % 2 else Process.Eligibility.VERIFIED)
        entries = [add_entry(process, cost=Decimal("100")) for _ in range(3)]
        move_to(process, Phase.VOTING)
        voter = UserFactory()
        if index % 2:
            MembershipFactory(organisation=process.organisation, user=voter)
        vote(process, voter, entries[:2])
        publish(process)
        staff = process_staff(process)
        proposal = Proposal.objects.get(pk=entries[0].proposal_id)
        proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Los.", status="in_progress",
                                            progress=50)
        proposal_services.implementation_update_post(proposal=proposal, actor=staff, text="Fertig.", status="completed",
                                            progress=100)
        proposal_services.evaluation_create(implementation=proposal.implementation, user=voter, rating=3)
        supporter = UserFactory()
        SupportFactory(proposal=proposal, user=supporter)
        processes.append(process)
    return processes


@pytest.mark.parametrize("size", [2, 12])
def test_queries_do_not_grow(client, django_assert_max_num_queries, size):
    processes = fill(size)
    process = processes[-1]
    organisation = process.organisation_id
    # count + rows (+ one prefetch, + one lookup per filter value)
    cases = [
        (BUDGETS, {}, 3), (BUDGETS, {"organisation": organisation, "phase": "results"}, 4),
        (f"{BUDGETS}{process.pk}/", {}, 2),
        (results_url(process), {}, 5),
        (ENTRIES, {}, 2), (ENTRIES, {"budget": process.pk, "feasibility": "feasible", "funded": "true"}, 3),
        (IMPLEMENTATIONS, {}, 2), (IMPLEMENTATIONS, {"budget": process.pk, "organisation": organisation}, 4),
        (f"{IMPLEMENTATIONS}{process.entries.first().proposal.implementation.pk}/", {}, 1),
        (UPDATES, {}, 2), (UPDATES, {"organisation": organisation}, 3),
    ]
    for url, params, queries in cases:
        with django_assert_max_num_queries(queries):
            response, data = get(client, url, {"page_size": 100, **params})
        assert response.status_code == 200, (url, params)
    assert len(get(client, BUDGETS, {"page_size": 100})[1]["results"]) == size
    assert len(get(client, UPDATES, {"page_size": 100})[1]["results"]) == 2 * size
