"""The participatory-budget back office: scoping, budgets and their phases, reviews, progress updates."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budgets.models import PHASE_ORDER, PHASE_STARTS, Ballot, Entry, Phase, Pick, Process
from notifications.models import Activity
from proposals import services as proposal_services
from proposals.models import Evaluation, Implementation, ImplementationUpdate, Proposal, StatusChange
from tests.admin_support import changelist_scoping_tests
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import MembershipFactory, UserFactory

from .factories import vote

pytestmark = pytest.mark.django_db
ADMIN = "/admin/budgets"
ACCOUNTABILITY = "/admin/proposals"  # implementations and evaluations are the proposals'


def admin_of(model):
    return ACCOUNTABILITY if model in ("implementation", "evaluation") else ADMIN
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def phase_dates(phase, now=None):
    """Start dates that put a budget in ``phase`` now: begun phases a few days ago, later ones ahead."""
    now = now or timezone.now()
    index = PHASE_ORDER.index(phase)
    return {field: now + timedelta(days=position - index - (1 if position <= index else 0))
            for position, field in enumerate(PHASE_STARTS.values(), start=1)}


def make_process(organisation, phase=Phase.COLLECTING, title="Bürgerhaushalt Nordstadt 2027", **fields):
    slug = fields.pop("slug", f"bh-{Process.objects.count() + 1}-{organisation.pk}")
    return Process.objects.create(
        organisation=organisation, title=title, slug=slug, description="Was soll im Viertel passieren?",
        total_amount=fields.pop("total_amount", Decimal("10000")), phase=phase, **{**phase_dates(phase), **fields})


def make_entry(process, title="Trinkbrunnen am Marktplatz", cost="1200", final_cost=None, reason=""):
    proposal = ProposalFactory(organisation=process.organisation, title=title, estimated_cost=Decimal(cost))
    feasibility = Entry.Feasibility.PENDING
    if final_cost is not None:
        feasibility = Entry.Feasibility.FEASIBLE
    elif reason:
        feasibility = Entry.Feasibility.INFEASIBLE
    return Entry.objects.create(process=process, proposal=proposal, feasibility=feasibility,
                                final_cost=None if final_cost is None else Decimal(final_cost),
                                feasibility_reason=reason)


def make_implementation(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED)
    return Implementation.objects.create(proposal=proposal)


def local(moment):
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


def process_form(organisation, dates=None, **fields):
    """The add/change form of a budget as the browser sends it."""
    data = {"organisation": organisation.pk, "title": "Bürgerhaushalt Südstadt", "slug": "bh-suedstadt",
            "description": "Ideen für die Südstadt.", "total_amount": "50000", "eligibility": "verified",
            "districts": ""}
    for field, moment in (dates or phase_dates(Phase.ANNOUNCED)).items():
        data[f"{field}_0"], data[f"{field}_1"] = local(moment)
    data.update(fields)
    return data


def action(client, model, name, objects):
    return client.post(f"{admin_of(model)}/{model}/", {"action": name, "_selected_action": [obj.pk for obj in objects]},
                       follow=True, **EN)


@pytest.fixture
def own(organisation):
    process = make_process(organisation, phase=Phase.REVIEW, title="Eigener Bürgerhaushalt")
    entry = make_entry(process, title="Eigener Trinkbrunnen")
    done = make_entry(process, title="Eigene Bank am Spielplatz", final_cost="800")
    implementation = make_implementation(done.proposal)
    evaluator = UserFactory()
    Evaluation.objects.create(implementation=implementation, user=evaluator, rating=4, comment="Eigenes Lob")
    return {"process": process, "entry": entry, "implementation": implementation,
            "evaluation": implementation.evaluations.get()}


@pytest.fixture
def foreign(other_organisation):
    process = make_process(other_organisation, phase=Phase.REVIEW, title="Fremder Bürgerhaushalt")
    entry = make_entry(process, title="Fremder Trinkbrunnen")
    done = make_entry(process, title="Fremde Bank am Spielplatz", final_cost="800")
    implementation = make_implementation(done.proposal)
    Evaluation.objects.create(implementation=implementation, user=UserFactory(), rating=2, comment="Fremde Kritik")
    return {"process": process, "entry": entry, "implementation": implementation,
            "evaluation": implementation.evaluations.get()}


LISTS = [("process", "Eigener Bürgerhaushalt", "Fremder Bürgerhaushalt"),
         ("entry", "Eigener Trinkbrunnen", "Fremder Trinkbrunnen")]
ACCOUNTABILITY_LISTS = [("implementation", "Eigene Bank am Spielplatz", "Fremde Bank am Spielplatz"),
                        ("evaluation", "Eigene Bank am Spielplatz", "Fremde Bank am Spielplatz")]


# Scoping -----------------------------------------------------------------------------------

test_staff_lists_show_only_their_organisations, test_superuser_sees_all = changelist_scoping_tests(ADMIN, LISTS)
test_staff_accountability_lists_show_only_their_organisations, test_superuser_sees_all_accountability = \
    changelist_scoping_tests(ACCOUNTABILITY, ACCOUNTABILITY_LISTS)


@pytest.mark.parametrize("model, view", [
    ("process", "change"), ("process", "history"), ("entry", "change"), ("entry", "review"),
    ("implementation", "change"), ("implementation", "post-update"), ("evaluation", "change"),
])
def test_forged_urls_of_another_organisation_find_nothing(client, staff, foreign, model, view):
    client.force_login(staff)
    target = foreign[model]
    response = client.get(f"{admin_of(model)}/{model}/{target.pk}/{view}/", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == "/admin/"
    assert "Fremd" not in response.text


def test_forged_posts_on_another_organisation_change_nothing(client, staff, foreign, organisation):
    client.force_login(staff)
    process, entry, implementation = foreign["process"], foreign["entry"], foreign["implementation"]
    client.post(f"{ADMIN}/process/{process.pk}/next-phase/", {"to_phase": "voting"})
    action(client, "process", "move_to_next_phase", [process])
    client.post(f"{ADMIN}/process/{process.pk}/change/", process_form(organisation, title="Übernommen"))
    client.post(f"{ADMIN}/entry/{entry.pk}/review/", {"feasible": "no", "reason": "Von fremder Hand."})
    client.post(f"{ACCOUNTABILITY}/implementation/{implementation.pk}/post-update/",
                {"text": "Fremdes Update", "status": "in_progress", "progress": "50"})
    process.refresh_from_db()
    entry.refresh_from_db()
    assert process.phase == Phase.REVIEW and process.title == "Fremder Bürgerhaushalt"
    assert entry.feasibility == Entry.Feasibility.PENDING
    assert not ImplementationUpdate.objects.exists() and not StatusChange.objects.exists()


def test_staff_of_a_partner_organisation_run_the_shared_budget(client, staff, organisation, other_organisation):
    shared = make_process(other_organisation, phase=Phase.REVIEW, title="Gemeinsamer Haushalt")
    shared.partner_organisations.add(organisation)
    entry = make_entry(shared, title="Gemeinsamer Vorschlag")
    client.force_login(staff)
    assert "Gemeinsamer Haushalt" in client.get(f"{ADMIN}/process/").text
    page = client.get(f"{ADMIN}/entry/").text
    assert "Gemeinsamer Vorschlag" in page
    assert client.get(f"{ADMIN}/entry/", {"q": "Gemeinsamer"}).context["cl"].result_count == 1
    response = client.post(f"{ADMIN}/entry/{entry.pk}/review/", {"feasible": "yes", "final_cost": "900"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.FEASIBLE and entry.reviewed_by == staff


def test_partners_cannot_take_over_the_budget(client, staff, organisation, other_organisation):
    third = MembershipFactory(role="staff").organisation
    shared = make_process(other_organisation, phase=Phase.COLLECTING, title="Gemeinsamer Haushalt")
    shared.partner_organisations.add(organisation)
    client.force_login(staff)
    page = client.get(f"{ADMIN}/process/{shared.pk}/change/").text
    assert 'name="organisation"' not in page and 'name="partner_organisations"' not in page
    dates = {field: getattr(shared, field) for field in PHASE_STARTS.values()}
    client.post(f"{ADMIN}/process/{shared.pk}/change/", process_form(
        organisation, dates, slug=shared.slug, title="Umbenannt", partner_organisations=[third.pk]))
    shared.refresh_from_db()
    assert shared.organisation == other_organisation and shared.title == "Umbenannt"
    assert list(shared.partner_organisations.all()) == [organisation]


@pytest.mark.parametrize("model", ["process", "entry", "implementation", "evaluation"])
def test_anonymous_and_participants_are_sent_to_login(client, person, model):
    assert "/admin/login/" in client.get(f"{admin_of(model)}/{model}/").url
    client.force_login(person)
    assert "/admin/login/" in client.get(f"{admin_of(model)}/{model}/").url


@pytest.mark.parametrize("model", ["process", "entry", "implementation", "evaluation"])
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_lists_with_search_and_filters_work(client, request, own, model, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{admin_of(model)}/{model}/", {"q": "e"}).status_code == 200
    assert client.get(f"{admin_of(model)}/{model}/{own[model].pk}/change/").status_code == 200


def test_the_process_filter_offers_only_the_staffs_budgets(client, staff, own, foreign, organisation):
    make_entry(make_process(organisation, title="Zweiter eigener Haushalt"), title="Zweiter eigener Vorschlag")
    client.force_login(staff)
    page = client.get(f"{ADMIN}/entry/").text
    assert f"process__id__exact={own['process'].pk}" in page
    assert f"process__id__exact={foreign['process'].pk}" not in page
    page = client.get(f"{ADMIN}/entry/", {"process__id__exact": own["process"].pk, "feasibility__exact": "pending"})
    assert "Eigener Trinkbrunnen" in page.text and "Eigene Bank" not in page.text


def test_ballots_and_picks_are_not_in_the_back_office(client, superuser):
    """Votes are secret: nobody sees who voted for what."""
    assert not admin.site.is_registered(Ballot) and not admin.site.is_registered(Pick)
    client.force_login(superuser)
    assert client.get(f"{ADMIN}/ballot/").status_code == 404
    assert client.get(f"{ADMIN}/pick/").status_code == 404
    assert "ballot" not in client.get(f"{ADMIN}/").text.lower()


# Budgets -----------------------------------------------------------------------------------

def test_staff_add_a_budget_only_for_their_organisation(client, staff, organisation, other_organisation):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/process/add/", process_form(other_organisation), **EN)
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not Process.objects.exists()
    response = client.post(f"{ADMIN}/process/add/", process_form(
        organisation, partner_organisations=[other_organisation.pk]), **EN)
    assert response.status_code == 302
    process = Process.objects.get()
    assert (process.organisation, process.created_by, process.phase) == (organisation, staff, Phase.ANNOUNCED)
    assert list(process.partner_organisations.all()) == [other_organisation]


def test_a_budget_added_with_past_dates_lands_in_its_phase(client, staff, organisation):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/process/add/", process_form(organisation, phase_dates(Phase.REVIEW)),
                           follow=True, **EN)
    process = Process.objects.get()
    assert process.phase == Phase.REVIEW
    assert "it was moved there" in response.text
    moves = Activity.objects.filter(verb="budget.phase_changed", target_id=process.pk)
    assert [(a.data["from_phase"], a.data["to_phase"], a.actor) for a in moves] == [("announced", "review", staff)]


@pytest.mark.parametrize("change, field, message", [
    ({"review_starts": -3}, "review_starts", "Cannot be earlier than “collecting proposals starts”."),
    ({"results_starts": 0}, "results_starts", "Must be later than “voting starts”."),
    ({"implementation_starts": -1}, "implementation_starts", "Cannot be earlier than “results are published”."),
])
def test_phase_dates_out_of_order_are_refused_at_the_field(client, staff, organisation, change, field, message):
    base = timezone.now() + timedelta(days=10)
    dates = {name: base + timedelta(days=index) for index, name in enumerate(PHASE_STARTS.values())}
    for name, days in change.items():  # relative to the phase before
        previous = list(PHASE_STARTS.values())[list(PHASE_STARTS.values()).index(name) - 1]
        dates[name] = dates[previous] + timedelta(days=days)
    client.force_login(staff)
    response = client.post(f"{ADMIN}/process/add/", process_form(organisation, dates), **EN)
    assert response.status_code == 200 and not Process.objects.exists()
    assert response.context["adminform"].form.errors[field] == [message]


def test_residents_only_needs_districts(client, staff, organisation):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/process/add/", process_form(organisation, eligibility="residents"), **EN)
    assert response.context["adminform"].form.errors["districts"] == ["Name the districts whose residents may vote."]
    response = client.post(f"{ADMIN}/process/add/", process_form(
        organisation, eligibility="residents", districts="Nordstadt, Wesertor"), **EN)
    assert response.status_code == 302 and Process.objects.get().district_list == ["Nordstadt", "Wesertor"]


def test_the_lead_organisation_is_not_its_own_partner(client, staff, organisation):
    client.force_login(staff)
    response = client.post(f"{ADMIN}/process/add/", process_form(
        organisation, partner_organisations=[organisation.pk]), **EN)
    assert response.status_code == 200 and not Process.objects.exists()


def test_money_and_rules_are_fixed_once_voting_starts(client, staff, organisation):
    process = make_process(organisation, phase=Phase.VOTING)
    client.force_login(staff)
    page = client.get(f"{ADMIN}/process/{process.pk}/change/").text
    assert 'name="total_amount"' not in page and 'name="eligibility"' not in page
    assert 'name="voting_starts_0"' not in page and 'name="results_starts_0"' in page
    dates = {field: getattr(process, field) for field in PHASE_STARTS.values()}
    client.post(f"{ADMIN}/process/{process.pk}/change/", process_form(
        organisation, dates, total_amount="1", eligibility="members", title="Neu"))
    process.refresh_from_db()
    assert process.title == "Neu" and process.total_amount == Decimal("10000") and process.eligibility == "verified"


def test_the_budget_cannot_shrink_below_a_feasible_cost(client, staff, organisation):
    process = make_process(organisation, phase=Phase.REVIEW)
    make_entry(process, final_cost="4000")
    dates = {field: getattr(process, field) for field in PHASE_STARTS.values()}
    client.force_login(staff)
    response = client.post(f"{ADMIN}/process/{process.pk}/change/", process_form(
        organisation, dates, slug=process.slug, total_amount="3000"), **EN)
    assert "the budget cannot be smaller than that" in response.text
    process.refresh_from_db()
    assert process.total_amount == Decimal("10000")


def test_the_change_page_shows_phase_help_and_the_next_phase_button(client, staff, own):
    client.force_login(staff)
    page = client.get(f"{ADMIN}/process/{own['process'].pk}/change/", **EN).text
    assert "Staff check every proposal" in page
    assert f'action="{ADMIN}/process/{own["process"].pk}/next-phase/"' in page and 'value="voting"' in page


def test_the_next_phase_button_moves_on_and_refuses_stale_or_backward_moves(client, staff, own):
    process = own["process"]
    client.force_login(staff)
    url = f"{ADMIN}/process/{process.pk}/next-phase/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"to_phase": "voting"}, follow=True, **EN)
    assert "is now in the phase “Voting”" in response.text
    process.refresh_from_db()
    assert process.phase == Phase.VOTING and process.voting_starts <= timezone.now()
    for stale in ("voting", "review", "announced", "nonsense"):
        response = client.post(url, {"to_phase": stale}, follow=True, **EN)
        assert "A budget can only move on to a later phase." in response.text
    process.refresh_from_db()
    assert process.phase == Phase.VOTING
    assert Activity.objects.filter(verb="budget.phase_changed", target_id=process.pk).count() == 1


def test_posting_a_phase_on_the_change_form_changes_nothing(client, staff, organisation):
    process = make_process(organisation, phase=Phase.REVIEW)
    dates = {field: getattr(process, field) for field in PHASE_STARTS.values()}
    client.force_login(staff)
    client.post(f"{ADMIN}/process/{process.pk}/change/", process_form(
        organisation, dates, slug=process.slug, phase="announced", proposal_count="99", ballot_count="99"))
    process.refresh_from_db()
    assert (process.phase, process.proposal_count, process.ballot_count) == (Phase.REVIEW, 0, 0)


def test_the_phase_action_moves_each_selected_budget_on(client, staff, organisation):
    collecting = make_process(organisation, phase=Phase.COLLECTING, title="Sammelt noch")
    last = make_process(organisation, phase=Phase.IMPLEMENTATION, title="Schon in der Umsetzung")
    client.force_login(staff)
    response = action(client, "process", "move_to_next_phase", [collecting, last])
    collecting.refresh_from_db()
    last.refresh_from_db()
    assert collecting.phase == Phase.REVIEW and last.phase == Phase.IMPLEMENTATION
    assert "“Sammelt noch” is now in the phase “Review”." in response.text
    assert "Schon in der Umsetzung: A budget can only move on to a later phase." in response.text


def test_moving_on_to_results_publishes_them(client, staff, organisation):
    process = make_process(organisation, phase=Phase.VOTING, total_amount=Decimal("1000"))
    entry = make_entry(process, final_cost="700")
    vote(process, UserFactory(), [entry])
    client.force_login(staff)
    client.post(f"{ADMIN}/process/{process.pk}/next-phase/", {"to_phase": "results"})
    process.refresh_from_db()
    entry.refresh_from_db()
    assert process.phase == Phase.RESULTS and process.results_published_at is not None
    assert entry.result_rank == 1
    page = client.get(f"{ADMIN}/process/").text
    assert "700" in page  # the funded total is listed


# Reviews -----------------------------------------------------------------------------------

def test_review_page_shows_the_proposal_and_prefills_its_estimate(client, staff, own):
    client.force_login(staff)
    page = client.get(f"{ADMIN}/entry/{own['entry'].pk}/review/", **EN).text
    assert "Eigener Trinkbrunnen" in page and 'value="1200.00"' in page
    assert f"{ADMIN}/entry/{own['entry'].pk}/review/" in client.get(f"{ADMIN}/entry/{own['entry'].pk}/change/").text


def test_review_feasible_with_final_cost(client, staff, own):
    client.force_login(staff)
    entry = own["entry"]
    response = client.post(f"{ADMIN}/entry/{entry.pk}/review/", {"feasible": "yes", "final_cost": "1450.50",
                                                                 "reason": "Mit Wasseranschluss."}, follow=True, **EN)
    assert "The review of “Eigener Trinkbrunnen” is saved." in response.text
    entry.refresh_from_db()
    assert (entry.feasibility, entry.final_cost, entry.feasibility_reason, entry.reviewed_by) == (
        Entry.Feasibility.FEASIBLE, Decimal("1450.50"), "Mit Wasseranschluss.", staff)
    assert entry.proposal.status == Proposal.Status.PUBLISHED


def test_review_not_feasible_rejects_the_proposal_with_the_reason(client, staff, own):
    client.force_login(staff)
    entry = own["entry"]
    client.post(f"{ADMIN}/entry/{entry.pk}/review/", {"feasible": "no", "reason": "Die Fläche gehört dem Land."})
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.INFEASIBLE and entry.final_cost is None
    assert entry.proposal.status == Proposal.Status.REJECTED
    assert "Die Fläche gehört dem Land." in entry.proposal.status_changes.get().response


@pytest.mark.parametrize("data, field, message", [
    ({"feasible": "yes", "final_cost": ""}, "final_cost", "Give the final cost of a feasible proposal."),
    ({"feasible": "yes", "final_cost": "0"}, "final_cost", "Give the final cost of a feasible proposal."),
    ({"feasible": "yes", "final_cost": "10000.01"}, "final_cost",
     "The cost cannot be more than the whole budget of 10,000.00 €."),
    ({"feasible": "no", "reason": "  "}, "reason", "Explain in public why it is not feasible."),
    ({"final_cost": "100"}, "feasible", "This field is required."),
])
def test_bad_reviews_are_refused_at_the_field_and_save_nothing(client, staff, own, data, field, message):
    client.force_login(staff)
    entry = own["entry"]
    response = client.post(f"{ADMIN}/entry/{entry.pk}/review/", data, **EN)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.text
    assert f'id_{field}_error" id="id_{field}"' in response.text  # the field is described by its error
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.PENDING and entry.reviewed_at is None
    assert entry.proposal.status == Proposal.Status.PUBLISHED and not StatusChange.objects.exists()


def test_reviews_are_refused_once_voting_started(client, staff, organisation):
    process = make_process(organisation, phase=Phase.VOTING)
    entry = make_entry(process, final_cost="500")
    client.force_login(staff)
    assert "/review/" not in client.get(f"{ADMIN}/entry/{entry.pk}/change/").text
    response = client.post(f"{ADMIN}/entry/{entry.pk}/review/", {"feasible": "no", "reason": "Doch nicht."}, **EN)
    assert "Proposals can only be reviewed before voting starts." in response.context["form"].non_field_errors()
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.FEASIBLE


def test_entries_are_read_only_and_not_added_in_the_back_office(client, staff, own):
    client.force_login(staff)
    entry = own["entry"]
    assert client.get(f"{ADMIN}/entry/add/").status_code == 403
    response = client.post(f"{ADMIN}/entry/{entry.pk}/change/", {"feasibility": "feasible", "final_cost": "1",
                                                                 "vote_count": "1000"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.feasibility, entry.vote_count) == (Entry.Feasibility.PENDING, 0)


def test_other_staff_member_of_the_organisation_without_back_office_cannot_review(client, organisation, own):
    volunteer = MembershipFactory(organisation=organisation, role="volunteer", user__is_staff=True).user
    client.force_login(volunteer)
    client.post(f"{ADMIN}/entry/{own['entry'].pk}/review/", {"feasible": "no", "reason": "Nein."})
    own["entry"].refresh_from_db()
    assert own["entry"].feasibility == Entry.Feasibility.PENDING


# Accountability ----------------------------------------------------------------------------

def test_staff_post_a_progress_update(client, staff, own):
    implementation = own["implementation"]
    client.force_login(staff)
    page = client.get(f"{ACCOUNTABILITY}/implementation/{implementation.pk}/change/", **EN).text
    assert f"{ACCOUNTABILITY}/implementation/{implementation.pk}/post-update/" in page
    response = client.post(f"{ACCOUNTABILITY}/implementation/{implementation.pk}/post-update/",
                           {"text": "Die Bank ist bestellt.", "status": "in_progress", "progress": "30"},
                           follow=True, **EN)
    assert "The update is published with the proposal." in response.text
    assert "Die Bank ist bestellt." in response.text  # the read-only list of updates
    implementation.refresh_from_db()
    assert (implementation.status, implementation.progress, implementation.update_count) == ("in_progress", 30, 1)
    assert implementation.proposal.status == Proposal.Status.IN_DELIVERY
    assert ImplementationUpdate.objects.get().author == staff


@pytest.mark.parametrize("data, field", [
    ({"text": "", "status": "in_progress", "progress": "30"}, "text"),
    ({"text": "Weiter.", "status": "in_progress", "progress": "101"}, "progress"),
    ({"text": "Weiter.", "status": "vanished", "progress": "30"}, "status"),
])
def test_bad_updates_are_refused_at_the_field(client, staff, own, data, field):
    client.force_login(staff)
    response = client.post(f"{ACCOUNTABILITY}/implementation/{own['implementation'].pk}/post-update/", data, **EN)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not ImplementationUpdate.objects.exists()


def test_an_ended_implementation_keeps_its_status(client, staff, own):
    implementation = own["implementation"]
    proposal_services.implementation_update_post(proposal=implementation.proposal, actor=staff, text="Fertig.",
                                        status="completed", progress=100)
    client.force_login(staff)
    response = client.post(f"{ACCOUNTABILITY}/implementation/{implementation.pk}/post-update/",
                           {"text": "Doch nicht.", "status": "in_progress", "progress": "50"}, **EN)
    assert response.context["form"].errors["status"] == [
        "This implementation has ended; its status can no longer change."]
    assert ImplementationUpdate.objects.count() == 1


def test_implementations_and_evaluations_are_read_only(client, staff, own):
    client.force_login(staff)
    implementation, evaluation = own["implementation"], own["evaluation"]
    assert client.post(f"{ACCOUNTABILITY}/implementation/{implementation.pk}/change/",
                       {"status": "completed", "progress": "100"}).status_code == 403
    assert client.post(f"{ACCOUNTABILITY}/evaluation/{evaluation.pk}/change/", {"rating": "5"}).status_code == 403
    assert client.get(f"{ACCOUNTABILITY}/implementation/add/").status_code == 403
    assert client.get(f"{ACCOUNTABILITY}/evaluation/add/").status_code == 403
    implementation.refresh_from_db()
    evaluation.refresh_from_db()
    assert implementation.status == "planned" and evaluation.rating == 4
    assert "Eigenes Lob" in client.get(f"{ACCOUNTABILITY}/evaluation/").text


@pytest.mark.parametrize("model", ["process", "entry", "implementation", "evaluation"])
def test_lists_take_the_same_queries_at_any_size(client, staff, organisation, model):
    def grow(count):
        for _ in range(count):
            process = make_process(organisation, phase=Phase.REVIEW)
            make_entry(process, title=f"Vorschlag {Entry.objects.count()}")
            done = make_entry(process, final_cost="100", title=f"Fertig {Entry.objects.count()}")
            implementation = make_implementation(done.proposal)
            Evaluation.objects.create(implementation=implementation, user=UserFactory(), rating=3)

    client.force_login(staff)
    counts = []
    for size in (2, 10):
        grow(size - Process.objects.count())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{admin_of(model)}/{model}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
