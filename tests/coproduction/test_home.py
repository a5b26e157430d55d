"""The home page: what visitors see happening now, and "for you" what waits for someone signed in."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.models import Phase, Process
from proposals import services as proposal_services
from stakeholders.models import Membership, User
from tests.budgets.factories import add_entry, make_process, move_to, vote
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up
from volunteering import services as volunteering_services
from volunteering.models import SignUp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def voting(organisation):
    process = make_process(organisation, title="Stadtteilbudget Nordstadt", slug="nordstadt")
    entry = add_entry(process, title="Bänke am Spielplatz")
    move_to(process, Phase.VOTING)
    process.entry = entry
    return process


def test_a_visitor_sees_the_running_vote_with_its_end_and_the_way_to_the_ballot(client, voting):
    page = home(client)
    assert "Stadtteilbudget Nordstadt" in page and "Voting is open" in page
    until = date_filter(timezone.localtime(voting.results_starts), "DATE_FORMAT")
    assert f"vote until {until}" in page
    assert reverse("budgets:ballot", args=["nordstadt"]) in page
    assert "For you" not in page


def test_a_budget_collecting_proposals_invites_to_send_one(client, organisation):
    make_process(organisation, title="Jugendbudget", slug="jugend")
    page = home(client)
    assert "Jugendbudget" in page and reverse("budgets:propose", args=["jugend"]) in page


def test_budgets_neither_voting_nor_collecting_have_no_banner(client, organisation):
    make_process(organisation, Phase.REVIEW, title="Budget in Prüfung")
    make_process(organisation, Phase.ANNOUNCED, title="Budget angekündigt")
    page = home(client)
    assert "Budget in Prüfung" not in page and "Budget angekündigt" not in page
    assert "Participatory budgets running now" not in page  # the panel hides itself


def test_a_visitor_sees_open_calls_newest_and_most_supported_proposals_never_drafts(client, organisation):
    CallFactory(organisation=organisation, title="Wie erreichen wir Berufstätige?")
    CallFactory(organisation=organisation, title="Längst vorbei", deadline=date.today() - timedelta(days=1))
    ProposalFactory(organisation=organisation, title="Neuer Vorschlag")
    ProposalFactory(organisation=organisation, title="Beliebter Vorschlag", support_count=40)
    ProposalFactory(organisation=organisation, title="Geheimer Entwurf", draft=True)
    ProposalFactory(organisation=organisation, title="Versteckt", is_hidden=True)
    page = home(client)
    assert "Wie erreichen wir Berufstätige?" in page and "Längst vorbei" not in page
    assert "Neuer Vorschlag" in page and "Beliebter Vorschlag" in page
    assert "Geheimer Entwurf" not in page and "Versteckt" not in page


def test_with_no_proposal_yet_the_panel_asks_for_the_first(client):
    page = home(client)
    assert "Propose the first idea" in page and reverse("proposals:new") in page


def test_tasks_that_need_people_soon_show_their_free_places(client, organisation):
    ShiftFactory(task=TaskFactory(organisation=organisation, title="Tafel sortieren"), capacity=4)
    full = ShiftFactory(task=TaskFactory(organisation=organisation, title="Schon voll"), capacity=1)
    sign_up(full)
    ShiftFactory(task=TaskFactory(organisation=organisation, title="Noch Entwurf", draft=True))
    page = home(client)
    assert "Tafel sortieren" in page and "4 places free" in page
    assert "Schon voll" not in page and "Noch Entwurf" not in page


def test_the_visitor_is_asked_to_join_with_one_primary_action(client):
    page = home(client)
    assert page.count("data-primary-action") == 1
    assert f'href="{reverse("account_signup")}" data-primary-action' in page


def test_the_figures_count_people_hours_of_this_year_and_proposals_put_into_practice(client, organisation):
    UserFactory.create_batch(2)
    UserFactory(is_active=False)
    ProposalFactory.create_batch(2, organisation=organisation, status="completed")
    ProposalFactory(organisation=organisation, status="accepted")
    done = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation)))
    SignUp.objects.filter(pk=done.pk).update(attended=True, hours=Decimal("3.5"))
    last_year = sign_up(ShiftFactory(task=TaskFactory(organisation=organisation)))
    SignUp.objects.filter(pk=last_year.pk).update(attended=True, hours=Decimal("10"))
    last_year.shift.__class__.objects.filter(pk=last_year.shift_id).update(
        starts_at=timezone.now().replace(year=timezone.now().year - 1))
    page = home(client)
    assert '<strong class="stat-value">3</strong> <span class="stat-label">volunteer hours in' in page
    assert '<strong class="stat-value">2</strong> <span class="stat-label">proposals put into practice' in page
    active = User.objects.filter(is_active=True).count()  # with the proposals' authors and the volunteers
    assert active >= 5
    assert f'<strong class="stat-value">{active}</strong> <span class="stat-label">people taking part' in page


# --- for you ------------------------------------------------------------------------------------------

def test_signed_in_the_page_starts_with_for_you_and_lists_a_vote_they_may_still_cast(client, voting, person):
    client.force_login(person)
    page = home(client)
    assert page.index("For you") < page.index("Participatory budgets running now")
    assert "Your vote counts" in page and "You have not voted yet." in page and "Vote now" in page


def test_once_they_voted_the_budget_leaves_their_list(client, voting, person):
    vote(voting, person, [voting.entry])
    client.force_login(person)
    page = home(client)
    assert "You have voted in every budget that is open to you" in page and "Vote now" not in page


def test_a_members_only_budget_is_offered_to_members_only(client, organisation, other_organisation):
    process = make_process(organisation, title="Nur für Mitglieder", eligibility=Process.Eligibility.MEMBERS,
                           partners=[other_organisation])
    add_entry(process)
    move_to(process, Phase.VOTING)
    outsider = UserFactory()
    partner_member = MembershipFactory(organisation=other_organisation, role=Membership.Role.CITIZEN).user
    client.force_login(outsider)
    assert "Your vote counts" not in home(client)
    client.force_login(partner_member)
    assert "Your vote counts" in home(client) and "Vote now" in home(client)


def test_an_unconfirmed_email_is_named_before_the_vote(client, voting, person):
    EmailAddress.objects.filter(user=person).update(verified=False)
    client.force_login(person)
    assert "Confirm your email address before you vote." in home(client)


def test_an_offered_place_waits_for_confirmation_and_the_next_shift_is_shown(client, organisation, person):
    shift = ShiftFactory(task=TaskFactory(organisation=organisation, title="Ausgabe am Samstag"), capacity=1)
    holder = sign_up(shift)
    sign_up(shift, person)  # on the waitlist
    volunteering_services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    mine = ShiftFactory(task=TaskFactory(organisation=organisation, title="Kaffee kochen"), starts_in=200)
    sign_up(mine, person)
    client.force_login(person)
    page = home(client)
    offer = SignUp.objects.get(user=person, shift=shift)
    assert offer.status == SignUp.Status.OFFERED
    assert "A place is free for you" in page and reverse("volunteering:confirm", args=[offer.pk]) in page
    assert "Your next shifts" in page and "Kaffee kochen" in page


def test_without_shifts_the_panel_leads_to_the_tasks(client, person):
    client.force_login(person)
    page = home(client)
    assert "You have no shift coming up." in page and "A place is free for you" not in page


def test_news_on_what_they_follow_shows_unread_notifications(client, organisation, staff, person):
    proposal = ProposalFactory(organisation=organisation, title="Lesecafé")
    proposal_services.proposal_follow(proposal=proposal, user=person)
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status="under_review",
                                          response="Wir prüfen das.")
    client.force_login(person)
    page = home(client)
    assert "News on what you follow" in page and "Lesecafé" in page
    other = UserFactory()
    client.force_login(other)
    assert "Nothing new." in home(client)


def test_calls_of_their_organisations_only(client, organisation, other_organisation):
    member = MembershipFactory(organisation=organisation, role=Membership.Role.VOLUNTEER).user
    CallFactory(organisation=organisation, title="Frage an unsere Leute")
    CallFactory(organisation=other_organisation, title="Frage eines anderen Trägers")
    client.force_login(member)
    page = home(client)
    mine, public = page.split("Open calls for ideas")
    assert "Your organisations ask" in mine and "Frage an unsere Leute" in mine
    assert "Frage eines anderen Trägers" not in mine
    assert "Frage eines anderen Trägers" in public and "Frage an unsere Leute" not in public  # not twice
    client.force_login(UserFactory())
    assert "Your organisations ask" not in home(client)


def test_signing_in_lands_on_the_home_page(client, person):
    from tests.stakeholders.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


# --- queries ----------------------------------------------------------------------------------------

def world(size, person):
    """``size`` of everything the home page shows, much of it concerning ``person``."""
    for number in range(size):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, user=person, role=Membership.Role.VOLUNTEER)
        CallFactory(organisation=organisation)
        proposal = ProposalFactory(organisation=organisation, support_count=3)
        proposal_services.proposal_follow(proposal=proposal, user=person)
        process = make_process(organisation, eligibility=Process.Eligibility.MEMBERS)
        add_entry(process)
        move_to(process, Phase.VOTING)
        make_process(organisation)
        shift = ShiftFactory(task=TaskFactory(organisation=organisation), starts_in=24 * (number + 3))
        sign_up(shift, person)
        staff = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
        proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status="under_review",
                                              response="Wir schauen es uns an.")


def queries(client):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    home(client)  # the content types and figures are read once, then kept
    with CaptureQueriesContext(connection) as captured:
        home(client)
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_home_page_asks_the_same_number_of_queries_at_two_sizes(client, signed_in):
    small, large = UserFactory(), UserFactory()
    world(1, small)
    if signed_in:
        client.force_login(small)
    few = queries(client)
    world(6, large)
    if signed_in:
        client.force_login(large)
    many = queries(client)
    assert many == few, (few, many)
    assert many <= (15 if signed_in else 8)


def test_a_budget_for_residents_names_its_districts(client, organisation, person):
    process = make_process(organisation, title="Budget der Viertel", eligibility=Process.Eligibility.RESIDENTS,
                           districts="Nordstadt, Wesertor")
    add_entry(process)
    move_to(process, Phase.VOTING)
    client.force_login(person)
    page = home(client)
    assert "Budget der Viertel" in page and "For people who live in: Nordstadt, Wesertor" in page
