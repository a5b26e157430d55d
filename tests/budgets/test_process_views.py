"""The public pages of a participatory budget: list, process, proposing, following, results (page and CSV)."""
import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from budgets.models import Entry, Phase, Process, ProcessFollow
from proposals.models import Proposal
from stakeholders.models import Membership
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import add_entry, make_process, move_to, publish, vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ALL_PHASES = [phase for phase, _label in Phase.choices]


def detail(process):
    return f"/budgets/{process.slug}/"


def propose_url(process):
    return f"/budgets/{process.slug}/propose/"


def proposal_data(**extra):
    data = {"title": "Trinkbrunnen am Spielplatz", "summary": "Frisches Wasser für alle, die im Park spielen.",
            "text": "Ein Trinkbrunnen neben dem Sandkasten, gewartet von den Stadtwerken.",
            "planning": "together", "delivery": "professionals", "estimated_cost": "2500"}
    data.update(extra)
    return data


def voted_process(organisation, *, eligibility=Process.Eligibility.VERIFIED, total=Decimal("10000")):
    """Voting ended. A (6000 €, 3 votes) is first and funded; C (3000 €, 2 votes) ties with B (5000 €, 2 votes)
    and, being cheaper, comes second and is funded; B no longer fits into the 1000 € left."""
    process = make_process(organisation, Phase.VOTING, total=total, eligibility=eligibility)
    a = add_entry(process, cost=Decimal("6000"), title="Alpha: Bänke im Park")
    b = add_entry(process, cost=Decimal("5000"), title="Beta: Lastenrad")
    c = add_entry(process, cost=Decimal("3000"), title="=Gamma: Leihbücherei")
    no = add_entry(process, cost=Decimal("100"), feasible=False, reason="Gehört nicht der Stadt.", title="Delta")
    voters = UserFactory.create_batch(5)
    if eligibility == Process.Eligibility.MEMBERS:
        for voter in voters:
            MembershipFactory(user=voter, organisation=organisation)
    vote(process, voters[0], [a])
    vote(process, voters[1], [a])
    vote(process, voters[2], [a, c])
    vote(process, voters[3], [b, c])
    vote(process, voters[4], [b])
    publish(process)
    return process, a, b, c, no


# --- every page in every phase -------------------------------------------------------------------

@pytest.mark.parametrize("phase", ALL_PHASES)
def test_pages_render_in_every_phase(client, organisation, phase):
    process = make_process(organisation, phase, districts="Nordstadt, Südstadt")
    for address in ["/budgets/", detail(process), f"{detail(process)}results/"]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert '<main id="main"' in response.text
        assert process.title in response.text
    page = client.get(detail(process)).text
    assert str(process.phase_help) in page
    assert 'aria-current="step"' in page


CALLS_TO_ACTION = {
    Phase.ANNOUNCED: ("You can send in proposals from", ["Send in a proposal", "Vote now", "See the results"]),
    Phase.COLLECTING: ("Send in a proposal", ["Vote now", "See the results"]),
    Phase.REVIEW: ("Voting starts on", ["Send in a proposal", "Vote now", "See the results"]),
    Phase.VOTING: ("Vote now", ["Send in a proposal", "See the results", "See my vote"]),
    Phase.RESULTS: ("See the results", ["Send in a proposal", "Vote now"]),
    Phase.IMPLEMENTATION: ("See the results", ["Send in a proposal", "Vote now"]),
}


@pytest.mark.parametrize("phase", ALL_PHASES)
def test_detail_offers_what_can_be_done_in_each_phase(client, organisation, person, phase):
    process = make_process(organisation, phase)
    client.force_login(person)
    page = client.get(detail(process)).text
    shown, absent = CALLS_TO_ACTION[phase]
    assert shown in page
    for text in absent:
        assert text not in page, text
    if phase == Phase.COLLECTING:
        assert f'href="{propose_url(process)}"' in page
    if phase == Phase.VOTING:
        assert f'href="/budgets/{process.slug}/ballot/"' in page
    if phase in (Phase.RESULTS, Phase.IMPLEMENTATION):
        assert f'href="/budgets/{process.slug}/results/"' in page
        assert f'href="/budgets/{process.slug}/progress/"' in page


def test_detail_says_see_my_vote_after_confirming(client, organisation, person):
    process = make_process(organisation, Phase.VOTING)
    entry = add_entry(process)
    client.force_login(person)
    assert "Vote now" in client.get(detail(process)).text
    vote(process, person, [entry])
    page = client.get(detail(process)).text
    assert "See my vote" in page and "Vote now" not in page


def test_unknown_process_is_404(client):
    for address in ["/budgets/nope/", "/budgets/nope/results/", "/budgets/nope/results.csv", "/budgets/nope/propose/"]:
        assert client.get(address).status_code in (404, 302), address
    assert client.get("/budgets/nope/").status_code == 404


def test_list_puts_running_processes_first(client, organisation):
    done = make_process(organisation, Phase.IMPLEMENTATION, title="Haushalt 2024")
    soon = make_process(organisation, Phase.ANNOUNCED, title="Haushalt 2027")
    voting = make_process(organisation, Phase.VOTING, title="Haushalt 2026", total=Decimal("12345.5"))
    page = client.get("/budgets/").text
    assert page.index(voting.title) < page.index(done.title) < page.index(soon.title)
    assert "12,345.50 €" in page
    assert organisation.name in page


def test_list_shows_partners_and_counts(client, organisation, other_organisation):
    process = make_process(organisation, Phase.COLLECTING, partners=[other_organisation])
    add_entry(process, feasible=None)
    add_entry(process, feasible=None)
    page = client.get("/budgets/").text
    assert other_organisation.name in page
    assert "<dt>Proposals</dt><dd>2</dd>" in page


def test_detail_shows_organisations_total_and_eligibility(client, organisation, other_organisation):
    members = make_process(organisation, Phase.COLLECTING, partners=[other_organisation],
                           eligibility=Process.Eligibility.MEMBERS, total=Decimal("8000"))
    page = client.get(detail(members)).text
    assert organisation.name in page and other_organisation.name in page
    assert "8,000.00 €" in page
    assert "Members of the organisations running it:" in page
    residents = make_process(organisation, Phase.COLLECTING, eligibility=Process.Eligibility.RESIDENTS,
                             districts="Nordstadt, Am Hafen")
    page = client.get(detail(residents)).text
    assert "People who live in one of its districts:" in page and "Nordstadt, Am Hafen" in page
    verified = make_process(organisation, Phase.COLLECTING)
    assert "Everyone with an account and a confirmed email address." in client.get(detail(verified)).text


def test_detail_lists_entries_with_review_and_costs(client, organisation):
    process = make_process(organisation, Phase.REVIEW)
    feasible = add_entry(process, cost=Decimal("1200"), final_cost=Decimal("1500"), title="Feasible one")
    infeasible = add_entry(process, feasible=False, reason="Das Grundstück gehört der Bahn.", title="No way")
    pending = add_entry(process, feasible=None, cost=Decimal("300"), title="Waiting one")
    page = client.get(detail(process)).text
    for entry in (feasible, infeasible, pending):
        assert f'href="/proposals/{entry.proposal_id}/"' in page
    assert "1,500.00 €" in page and "1,200.00 €" in page  # final cost and the first estimate
    assert "Das Grundstück gehört der Bahn." in page
    assert "Not reviewed yet" in page and "300.00 €" in page
    assert "votes" not in page.lower().split("entries-heading")[1]  # no votes before the results


def test_detail_in_voting_shows_feasible_first_with_final_costs(client, organisation):
    process = make_process(organisation, Phase.COLLECTING)
    infeasible = add_entry(process, feasible=False, title="Zuerst eingereicht")
    feasible = add_entry(process, cost=Decimal("900"), final_cost=Decimal("950"), title="Machbar")
    move_to(process, Phase.VOTING)
    page = client.get(detail(process)).text
    assert page.index(feasible.proposal.title) < page.index(infeasible.proposal.title)
    assert "950.00 €" in page


def test_detail_after_results_orders_by_rank_with_votes_and_funded(client, organisation):
    process, a, b, c, no = voted_process(organisation)
    page = client.get(detail(process)).text
    positions = [page.index(entry.proposal.title) for entry in (a, c, b, no)]
    assert positions == sorted(positions)
    assert "3 votes" in page and "2 votes" in page
    assert page.count('class="tag tag-funded"') == 2
    assert "Not funded" in page


def test_detail_entries_are_paginated_by_30(client, organisation):
    process = make_process(organisation, Phase.COLLECTING)
    entries = [add_entry(process, feasible=None, cost=Decimal("10")) for _ in range(31)]
    first = client.get(detail(process)).text
    assert first.count('class="card budget-entry') == 30
    assert "Page 1 of 2" in first
    second = client.get(detail(process), {"page": 2}).text
    assert second.count('class="card budget-entry') == 1
    assert entries[-1].proposal.title in second


def test_hidden_proposal_shows_no_title(client, organisation, staff):
    process = make_process(organisation, Phase.COLLECTING)
    entry = add_entry(process, feasible=None, title="Beleidigender Titel")
    Proposal.objects.filter(pk=entry.proposal_id).update(is_hidden=True, hidden_reason="Beleidigend")
    page = client.get(detail(process)).text
    assert "Beleidigender Titel" not in page and "Hidden proposal" in page


# --- sending in a proposal ------------------------------------------------------------------------

def test_anonymous_propose_is_sent_to_sign_in(client, organisation):
    process = make_process(organisation, Phase.COLLECTING)
    for response in (client.get(propose_url(process)), client.post(propose_url(process), proposal_data())):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/") and f"next=/budgets/{process.slug}/propose/" in response.url
    assert not Entry.objects.exists()


def test_propose_form_has_fields_and_mode_radios(client, organisation, person):
    process = make_process(organisation, Phase.COLLECTING, districts="Nordstadt, Südstadt", total=Decimal("5000"))
    client.force_login(person)
    response = client.get(propose_url(process))
    assert response.status_code == 200
    page = response.text
    for name in ("title", "summary", "text", "estimated_cost", "district"):
        assert f'name="{name}"' in page
    assert page.count('type="radio" name="planning"') == 3 and page.count('type="radio" name="delivery"') == 3
    assert "Delivered together" in page and "Planned together" in page  # Bovaird's labels
    assert '<option value="Südstadt">Südstadt</option>' in page
    assert "5,000.00 €" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_propose_without_districts_has_no_district_field(client, organisation, person):
    process = make_process(organisation, Phase.COLLECTING)
    client.force_login(person)
    assert 'name="district"' not in client.get(propose_url(process)).text


def test_propose_happy_path(client, organisation, person):
    process = make_process(organisation, Phase.COLLECTING, districts="Nordstadt, Südstadt")
    client.force_login(person)
    response = client.post(propose_url(process), proposal_data(district="Südstadt", estimated_cost="2.500,50"),
                           HTTP_ACCEPT_LANGUAGE="de", follow=False)
    assert response.status_code == 302
    entry = Entry.objects.select_related("proposal").get()
    assert response.url == f"/proposals/{entry.proposal_id}/"
    proposal = entry.proposal
    assert (entry.process, proposal.author, proposal.organisation) == (process, person, organisation)
    assert proposal.estimated_cost == Decimal("2500.50") and proposal.district == "Südstadt"
    assert (proposal.planning, proposal.delivery) == ("together", "professionals")
    assert proposal.status == Proposal.Status.PUBLISHED
    process.refresh_from_db()
    assert process.proposal_count == 1
    assert ProcessFollow.objects.filter(process=process, user=person).exists()
    page = client.get(detail(process)).text
    assert proposal.title in page and "Your proposal is part of" in page


@pytest.mark.parametrize("cost, expected", [
    ("2500", Decimal("2500")), ("2500.5", Decimal("2500.5")), ("1,200.50", Decimal("1200.50")),
    ("1.200,50", Decimal("1200.50")), ("1,500", Decimal("1500")), ("12,50 €", Decimal("12.50")),
])
def test_propose_reads_euros_as_typed_in_english(client, organisation, person, cost, expected):
    process = make_process(organisation, Phase.COLLECTING)
    client.force_login(person)
    assert client.post(propose_url(process), proposal_data(estimated_cost=cost)).status_code == 302
    assert Proposal.objects.get().estimated_cost == expected


def test_propose_reads_german_grouping(client, organisation, person, settings):
    process = make_process(organisation, Phase.COLLECTING)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    client.force_login(person)
    assert client.post(propose_url(process), proposal_data(estimated_cost="1.500")).status_code == 302
    assert Proposal.objects.get().estimated_cost == Decimal("1500")


@pytest.mark.parametrize("field, value, message", [
    ("estimated_cost", "", "Say roughly what it would cost."),
    ("estimated_cost", "0", "The cost must be more than 0 €."),
    ("estimated_cost", "-5", "The cost must be more than 0 €."),
    ("estimated_cost", "10000.01", "The cost cannot be more than the whole budget of 10,000.00 €."),
    ("estimated_cost", "viel", "Write the cost as a number of euros"),
    ("estimated_cost", "12.345", "at most two decimal places"),
    ("district", "Weststadt", "Choose one of the districts of this budget."),
    ("district", "", "Choose the district your proposal is for."),
    ("title", "", "Give your proposal a short title."),
    ("summary", "", "Sum up your proposal"),
    ("planning", "", "Choose who plans it."),
    ("delivery", "everyone", "Choose one of the options for who delivers it."),
])
def test_propose_bad_input_is_refused_at_the_field(client, organisation, person, field, value, message):
    process = make_process(organisation, Phase.COLLECTING, districts="Nordstadt, Südstadt",
                           total=Decimal("10000"))
    client.force_login(person)
    response = client.post(propose_url(process), proposal_data(**{"district": "Nordstadt", field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    page = response.text
    assert message.replace("'", "&#x27;") in page
    assert f'id="id_{field}_error"' in page  # the message is tied to its field
    if field not in ("planning", "delivery"):
        assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in page or \
            f'aria-describedby="id_{field}_error"' in page
        assert 'aria-invalid="true"' in page
    assert 'role="alert"' in page and "Nothing has been saved yet." in page
    assert not Entry.objects.exists() and not Proposal.objects.exists()
    process.refresh_from_db()
    assert process.proposal_count == 0


def test_propose_shows_service_refusal_as_form_error(client, organisation, person, monkeypatch):
    process = make_process(organisation, Phase.COLLECTING)
    client.force_login(person)
    from budgets import services

    def refuse(**kwargs):
        raise services.BudgetError("Too many proposals today.")
    monkeypatch.setattr(services, "entry_submit", refuse)
    response = client.post(propose_url(process), proposal_data())
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Too many proposals today."]
    assert "Too many proposals today." in response.text


@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.REVIEW, Phase.VOTING, Phase.RESULTS, Phase.IMPLEMENTATION])
def test_propose_outside_collecting_is_refused(client, organisation, person, phase):
    process = make_process(organisation, phase)
    client.force_login(person)
    response = client.get(propose_url(process))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'name="title"' not in response.text
    assert ("does not collect proposals yet" if phase == Phase.ANNOUNCED else "no longer collects proposals") \
        in response.text
    response = client.post(propose_url(process), proposal_data())
    assert response.status_code == 400
    assert "This budget is not collecting proposals now." in response.text
    assert not Entry.objects.exists() and not Proposal.objects.exists()


# --- following ------------------------------------------------------------------------------------

def test_follow_and_unfollow(client, organisation, person):
    process = make_process(organisation, Phase.ANNOUNCED)
    client.force_login(person)
    assert "Follow this budget" in client.get(detail(process)).text
    response = client.post(f"{detail(process)}follow/")
    assert response.status_code == 302 and response.url == detail(process)
    assert ProcessFollow.objects.filter(process=process, user=person).count() == 1
    client.post(f"{detail(process)}follow/")
    assert ProcessFollow.objects.filter(process=process, user=person).count() == 1
    page = client.get(detail(process)).text
    assert "Stop following" in page and f'action="/budgets/{process.slug}/unfollow/"' in page
    response = client.post(f"{detail(process)}unfollow/")
    assert response.status_code == 302
    assert not ProcessFollow.objects.filter(process=process, user=person).exists()


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_is_post_only(client, organisation, person, action):
    process = make_process(organisation, Phase.ANNOUNCED)
    client.force_login(person)
    assert client.get(f"{detail(process)}{action}/").status_code == 405
    assert not ProcessFollow.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_needs_sign_in(client, organisation, action):
    process = make_process(organisation, Phase.ANNOUNCED)
    response = client.post(f"{detail(process)}{action}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/") and f"next=/budgets/{process.slug}/" in response.url
    assert "Sign in to follow this budget" in client.get(detail(process)).text


def test_follow_and_propose_need_the_csrf_token(organisation, person):
    process = make_process(organisation, Phase.COLLECTING)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    assert browser.post(f"{detail(process)}follow/").status_code == 403
    assert browser.post(f"{detail(process)}unfollow/").status_code == 403
    assert browser.post(propose_url(process), proposal_data()).status_code == 403
    assert not ProcessFollow.objects.exists() and not Entry.objects.exists()


# --- results --------------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.COLLECTING, Phase.REVIEW, Phase.VOTING])
def test_results_before_publication_say_not_yet(client, organisation, phase):
    process = make_process(organisation, phase)
    response = client.get(f"{detail(process)}results/")
    assert response.status_code == 200
    assert "The results are not out yet." in response.text
    assert "<table" not in response.text
    assert client.get(f"{detail(process)}results.csv").status_code == 404


def test_results_page_reads_the_stored_results(client, organisation):
    process, a, b, c, no = voted_process(organisation)
    response = client.get(f"{detail(process)}results/")
    assert response.status_code == 200
    page = response.text
    assert "10,000.00 €" in page          # budget
    assert "9,000.00 €" in page           # funded: A 6000 + C 3000
    assert "1,000.00 €" in page           # left over
    assert "5 people confirmed their vote." in page
    assert "the cheaper one comes first" in page
    assert "<caption>" in page and '<th scope="col">Place</th>' in page and '<th scope="row"' in page
    rows = response.context["rows"]
    assert [(row.pk, row.result_rank, row.vote_count, row.is_funded) for row in rows] == [
        (a.pk, 1, 3, True), (c.pk, 2, 2, True), (b.pk, 3, 2, False)]
    assert no.proposal.title not in page   # infeasible proposals were not on the ballot
    assert page.index(a.proposal.title) < page.index("Gamma") < page.index(b.proposal.title)


def test_results_page_shows_stored_values_not_a_recount(client, organisation):
    process, a, b, c, no = voted_process(organisation)
    Entry.objects.filter(pk=b.pk).update(vote_count=99, is_funded=True)  # stored values are what counts
    rows = client.get(f"{detail(process)}results/").context["rows"]
    assert [(row.pk, row.vote_count, row.is_funded) for row in rows][2] == (b.pk, 99, True)


def test_results_of_a_members_budget_show_the_share_of_members(client, organisation):
    process, *_entries = voted_process(organisation, eligibility=Process.Eligibility.MEMBERS)
    # 5 voters and the staff member who ran it are members; 4 more members did not vote;
    # a pending request and a second membership of one member (at the partner) do not count
    MembershipFactory.create_batch(4, organisation=organisation)
    MembershipFactory(organisation=organisation, status=Membership.Status.REQUESTED)
    voter = Membership.objects.filter(organisation=organisation).first().user
    partner = OrganisationFactory()
    process.partner_organisations.add(partner)
    MembershipFactory(organisation=partner, user=voter)
    response = client.get(f"{detail(process)}results/")
    assert response.context["eligible_count"] == 10
    assert "That is 50 % of the 10 members" in response.text


def test_results_csv(client, organisation):
    process, a, b, c, no = voted_process(organisation)
    response = client.get(f"{detail(process)}results.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="budget-{process.slug}-results.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["Place", "Proposal", "Votes", "Final cost (€)", "Funded", "District", "Link"]
    assert [row[:5] for row in rows[1:]] == [
        ["1", a.proposal.title, "3", "6000.00", "yes"],
        ["2", "'=Gamma: Leihbücherei", "2", "3000.00", "yes"],  # no formula for the spreadsheet
        ["3", b.proposal.title, "2", "5000.00", "no"],
    ]
    assert rows[1][6] == f"http://testserver/proposals/{a.proposal_id}/"
    for user_name in (a.proposal.author.display_name, a.proposal.author.email):
        assert user_name not in body


def test_results_are_paginated(client, organisation, monkeypatch):
    from budgets.views import processes

    monkeypatch.setattr(processes, "RESULTS_PER_PAGE", 2)
    process, a, b, c, no = voted_process(organisation)
    first = client.get(f"{detail(process)}results/")
    assert [row.pk for row in first.context["rows"]] == [a.pk, c.pk]
    assert "page 1 of 2" in first.text
    assert [row.pk for row in client.get(f"{detail(process)}results/", {"page": 2}).context["rows"]] == [b.pk]


# --- query counts ---------------------------------------------------------------------------------

def _populate(organisation, size):
    processes = []
    for number in range(size):
        partner = OrganisationFactory()
        process = make_process(organisation, Phase.VOTING, partners=[partner], total=Decimal("100000"))
        processes.append(process)
    process = processes[0]
    entries = [add_entry(process, cost=Decimal("100")) for _ in range(size)]
    entries += [add_entry(process, feasible=False) for _ in range(size)]
    for voter in UserFactory.create_batch(size):
        vote(process, voter, entries[:size])
    return process


@pytest.mark.parametrize("size", [2, 8])
def test_list_queries_do_not_grow(client, organisation, person, django_assert_max_num_queries, size):
    _populate(organisation, size)
    with django_assert_max_num_queries(3):
        assert client.get("/budgets/").status_code == 200
    client.force_login(person)
    with django_assert_max_num_queries(5):
        assert client.get("/budgets/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_detail_queries_do_not_grow(client, organisation, person, django_assert_max_num_queries, size):
    process = _populate(organisation, size)
    with django_assert_max_num_queries(4):
        assert client.get(detail(process)).status_code == 200
    client.force_login(person)
    with django_assert_max_num_queries(8):
        assert client.get(detail(process)).status_code == 200
    publish(process)
    with django_assert_max_num_queries(7):
        assert client.get(detail(process)).status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_results_queries_do_not_grow(client, organisation, person, django_assert_max_num_queries, size):
    process = _populate(organisation, size)
    publish(process)
    Process.objects.filter(pk=process.pk).update(eligibility=Process.Eligibility.MEMBERS)
    with django_assert_max_num_queries(5):
        assert client.get(f"{detail(process)}results/").status_code == 200
    client.force_login(person)
    with django_assert_max_num_queries(7):
        assert client.get(f"{detail(process)}results/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(f"{detail(process)}results.csv").status_code == 200
