"""The ballot page: choosing within the budget, changing, confirming, every refusal, CSRF, query counts."""
import re
from decimal import Decimal

import pytest
from django.test import Client

from budgets.models import Ballot, Entry, Phase, Pick, Process
from tests.stakeholders.factories import MembershipFactory, UserFactory

from .factories import add_entry, make_process, move_to, vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
E = Process.Eligibility


def ballot_url(process):
    return f"/budgets/{process.slug}/ballot/"


def confirm_url(process):
    return f"/budgets/{process.slug}/ballot/confirm/"


@pytest.fixture
def voting(organisation):
    """Voting on 1,000 €: A 400 €, B 500 €, C 700 €; D not feasible, E not reviewed."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal("1000"))
    entries = {
        "a": add_entry(process, cost=Decimal("400"), title="Alpha Bänke"),
        "b": add_entry(process, cost=Decimal("500"), title="Beta Lastenrad"),
        "c": add_entry(process, cost=Decimal("700"), title="Gamma Bücherei"),
        "d": add_entry(process, cost=Decimal("100"), feasible=False, reason="Gehört nicht der Stadt.",
                       title="Delta Brunnen"),
        "e": add_entry(process, cost=Decimal("100"), feasible=None, title="Epsilon Beet"),
    }
    move_to(process, Phase.VOTING)
    return process, entries


def picks_of(process, user):
    return set(Pick.objects.filter(ballot__process=process, ballot__user=user).values_list("entry_id", flat=True))


def checked_ids(html):
    return {int(pk) for pk in re.findall(r'<input type="checkbox" name="entries" value="(\d+)"[^>]*\bchecked\b', html)}


# --- the happy path ----------------------------------------------------------------------------

def test_pick_change_confirm_and_see_what_you_voted(client, voting, person):
    process, entries = voting
    client.force_login(person)
    page = client.get(ballot_url(process))
    assert page.status_code == 200
    html = page.text
    for key in "abc":
        assert f'value="{entries[key].pk}"' in html and entries[key].proposal.title in html
    assert entries["d"].proposal.title not in html and entries["e"].proposal.title not in html
    assert "400.00\xa0€" in html and "Update my choice" in html
    assert 'src="/static/js/budgets-ballot.js" defer' in html

    response = client.post(ballot_url(process), {"entries": [entries["a"].pk, entries["b"].pk]})
    assert response.status_code == 302 and response.url.startswith(ballot_url(process))
    assert picks_of(process, person) == {entries["a"].pk, entries["b"].pk}
    page = client.get(ballot_url(process)).text
    assert "Your choice is saved" in page
    assert checked_ids(page) == {entries["a"].pk, entries["b"].pk}
    assert 'data-ballot="chosen">900.00\xa0€' in page and 'data-ballot="remaining">100.00\xa0€' in page
    assert "A confirmed vote cannot be changed." in page and "Confirm my vote" in page

    # changing the choice replaces it
    assert client.post(ballot_url(process), {"entries": [entries["c"].pk]}).status_code == 302
    assert picks_of(process, person) == {entries["c"].pk}
    assert Ballot.objects.get(process=process, user=person).total == Decimal("700")

    response = client.post(confirm_url(process))
    assert response.status_code == 302
    ballot = Ballot.objects.get(process=process, user=person)
    assert ballot.is_confirmed
    assert Entry.objects.get(pk=entries["c"].pk).vote_count == 1
    process.refresh_from_db()
    assert process.ballot_count == 1

    page = client.get(ballot_url(process)).text
    assert "Your vote is counted" in page and "What you voted" in page
    assert entries["c"].proposal.title in page and "700.00\xa0€ of 1,000.00\xa0€" in page
    assert 'name="entries"' not in page and confirm_url(process) not in page
    assert "budgets-ballot.js" not in page  # no form, no script


def test_an_empty_choice_is_saved_but_cannot_be_confirmed(client, voting, person):
    process, entries = voting
    client.force_login(person)
    client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    assert client.post(ballot_url(process), {}).status_code == 302
    assert picks_of(process, person) == set()
    response = client.post(confirm_url(process))
    assert response.status_code == 400
    assert "Choose at least one proposal before you confirm." in response.text
    assert not Ballot.objects.get(process=process, user=person).is_confirmed


def test_after_voting_the_person_sees_what_they_voted(client, voting, person):
    process, entries = voting
    vote(process, person, [entries["a"], entries["b"]])
    other = UserFactory()
    client.force_login(other)
    client.post(ballot_url(process), {"entries": [entries["c"].pk]})  # never confirmed
    move_to(process, Phase.RESULTS)
    page = client.get(ballot_url(process)).text
    assert "Voting has ended." in page and "did not confirm your vote" in page
    assert f"/budgets/{process.slug}/results/" in page
    client.force_login(person)
    page = client.get(ballot_url(process)).text
    assert "What you voted" in page and entries["a"].proposal.title in page and entries["b"].proposal.title in page
    assert "900.00\xa0€ of 1,000.00\xa0€" in page


def test_amounts_follow_the_language(client, organisation, person, settings):
    process = make_process(organisation, Phase.REVIEW, total=Decimal("12500"))
    add_entry(process, cost=Decimal("1234.50"))
    move_to(process, Phase.VOTING)
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get(ballot_url(process)).text
    assert "1.234,50\xa0€" in html and 'data-cost="1234.50"' in html and 'data-budget="12500.00"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "1,234.50\xa0€" in client.get(ballot_url(process)).text


# --- refusals ----------------------------------------------------------------------------------

def test_over_budget_is_refused_with_the_choice_kept_and_nothing_saved(client, voting, person):
    process, entries = voting
    client.force_login(person)
    client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    chosen = [entries["a"].pk, entries["c"].pk]  # 1,100 €
    response = client.post(ballot_url(process), {"entries": chosen})
    assert response.status_code == 400
    html = response.text
    assert 'role="alert" id="ballot-error"' in html and "more than the budget" in html
    assert 'aria-describedby="ballot-error"' in html  # tied to the form and the proposals
    assert checked_ids(html) == set(chosen)
    assert 'class="ballot-summary ballot-over"' in html
    assert "100.00\xa0€</span> more than the budget" in html
    assert picks_of(process, person) == {entries["a"].pk}
    assert Ballot.objects.get(process=process, user=person).total == Decimal("400")


def test_over_budget_on_a_first_ballot_leaves_no_ballot(client, voting, person):
    process, entries = voting
    client.force_login(person)
    response = client.post(ballot_url(process), {"entries": [entries["b"].pk, entries["c"].pk]})
    assert response.status_code == 400
    assert not Ballot.objects.filter(process=process, user=person).exists()


@pytest.mark.parametrize("which", ["infeasible", "pending", "foreign", "unknown", "text", "negative"])
def test_only_feasible_proposals_of_this_budget_can_be_chosen(client, voting, person, organisation, which):
    process, entries = voting
    other = make_process(organisation, Phase.REVIEW)
    foreign = add_entry(other, cost=Decimal("10"))
    move_to(other, Phase.VOTING)
    bad = {"infeasible": entries["d"].pk, "pending": entries["e"].pk, "foreign": foreign.pk, "unknown": 987654,
           "text": "abc", "negative": -3}[which]
    client.force_login(person)
    response = client.post(ballot_url(process), {"entries": [entries["a"].pk, bad]})
    assert response.status_code == 400
    assert "You can only choose feasible proposals of this budget." in response.text
    assert not Pick.objects.filter(ballot__user=person).exists()
    assert checked_ids(response.text) == {entries["a"].pk}


@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.COLLECTING, Phase.REVIEW])
def test_before_voting_the_page_explains_and_posting_is_refused(client, organisation, person, phase):
    process = make_process(organisation, phase)
    client.force_login(person)
    page = client.get(ballot_url(process))
    assert page.status_code == 200
    assert "Voting starts on" in page.text and 'name="entries"' not in page.text
    assert str(process.phase_help) in page.text
    response = client.post(ballot_url(process), {"entries": []})
    assert response.status_code == 400 and "Voting is not open for this budget." in response.text
    assert client.post(confirm_url(process)).status_code == 400
    assert not Ballot.objects.exists()


def test_after_voting_changes_and_confirmation_are_refused(client, voting, person):
    process, entries = voting
    client.force_login(person)
    client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    move_to(process, Phase.RESULTS)
    response = client.post(ballot_url(process), {"entries": [entries["b"].pk]})
    assert response.status_code == 400 and "Voting is not open for this budget." in response.text
    response = client.post(confirm_url(process))
    assert response.status_code == 400 and "Voting is not open for this budget." in response.text
    assert picks_of(process, person) == {entries["a"].pk}
    assert not Ballot.objects.get(user=person).is_confirmed


def test_members_only_refuses_others_with_the_reason(client, organisation, person):
    process = make_process(organisation, Phase.REVIEW, eligibility=E.MEMBERS)
    entry = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    client.force_login(person)
    page = client.get(ballot_url(process))
    assert page.status_code == 200
    assert "Only members of the organisations running this budget may vote." in page.text
    assert 'name="entries"' not in page.text
    response = client.post(ballot_url(process), {"entries": [entry.pk]})
    assert response.status_code == 400
    assert "Only members of the organisations running this budget may vote." in response.text
    assert not Ballot.objects.exists()

    MembershipFactory(user=person, organisation=organisation, role="citizen")
    assert 'name="entries"' in client.get(ballot_url(process)).text
    assert client.post(ballot_url(process), {"entries": [entry.pk]}).status_code == 302
    assert picks_of(process, person) == {entry.pk}


def test_an_unverified_email_address_is_refused(client, voting):
    process, entries = voting
    unverified = UserFactory(verified_email=False)
    client.force_login(unverified)
    page = client.get(ballot_url(process)).text
    assert "Confirm your email address before you vote." in page and 'name="entries"' not in page
    response = client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    assert response.status_code == 400 and "Confirm your email address" in response.text
    assert not Ballot.objects.exists()


@pytest.fixture
def residents(organisation):
    process = make_process(organisation, Phase.REVIEW, eligibility=E.RESIDENTS, districts="Nordstadt, Wesertor")
    entry = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    return process, entry


def test_residents_choose_their_district_on_the_form(client, residents, person):
    process, entry = residents
    client.force_login(person)
    html = client.get(ballot_url(process)).text
    assert '<select name="district" id="id_district" required' in html
    assert '<label for="id_district">The district I live in</label>' in html
    assert '<option value="Nordstadt">Nordstadt</option>' in html and '<option value="Wesertor">' in html


@pytest.mark.parametrize("district", ["", "Mitte", "nordstadt"])
def test_residents_without_a_valid_district_are_refused(client, residents, person, district):
    process, entry = residents
    client.force_login(person)
    response = client.post(ballot_url(process), {"entries": [entry.pk], "district": district})
    assert response.status_code == 400
    html = response.text
    assert "Only people who live in one of its districts may vote." in html
    assert 'aria-invalid="true"' in html and "id_district_helptext ballot-error" in html
    assert checked_ids(html) == {entry.pk}
    assert not Ballot.objects.exists()


def test_residents_with_a_valid_district_vote(client, residents, person):
    process, entry = residents
    client.force_login(person)
    response = client.post(ballot_url(process), {"entries": [entry.pk], "district": "Wesertor"})
    assert response.status_code == 302
    ballot = Ballot.objects.get(process=process, user=person)
    assert ballot.district == "Wesertor" and picks_of(process, person) == {entry.pk}
    assert '<option value="Wesertor" selected>' in client.get(ballot_url(process)).text
    assert client.post(confirm_url(process)).status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).is_confirmed


def test_anonymous_visitors_see_the_proposals_and_are_sent_to_sign_in(client, voting):
    process, entries = voting
    page = client.get(ballot_url(process))
    assert page.status_code == 200
    html = page.text
    assert f"/accounts/login/?next=/budgets/{process.slug}/ballot/" in html and "Sign in to vote" in html
    assert entries["a"].proposal.title in html and entries["d"].proposal.title not in html
    assert 'name="entries"' not in html and "budgets-ballot.js" not in html
    for address in (ballot_url(process), confirm_url(process)):
        response = client.post(address, {"entries": [entries["a"].pk]})
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/") and f"next=/budgets/{process.slug}/ballot/" in response.url
    assert not Ballot.objects.exists()


def test_a_confirmed_ballot_cannot_be_changed_or_confirmed_twice(client, voting, person):
    process, entries = voting
    vote(process, person, [entries["a"]])
    client.force_login(person)
    response = client.post(ballot_url(process), {"entries": [entries["b"].pk]})
    assert response.status_code == 400
    assert "Your vote is confirmed and can no longer be changed." in response.text
    assert "Your vote is counted" in response.text
    response = client.post(confirm_url(process))
    assert response.status_code == 400 and "can no longer be changed" in response.text
    assert picks_of(process, person) == {entries["a"].pk}
    assert Entry.objects.get(pk=entries["a"].pk).vote_count == 1
    process.refresh_from_db()
    assert process.ballot_count == 1


def test_confirm_counts_the_saved_choice_only(client, voting, person):
    process, entries = voting
    client.force_login(person)
    client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    # an over-budget attempt is refused; confirming afterwards counts what was saved before
    client.post(ballot_url(process), {"entries": [entries["b"].pk, entries["c"].pk]})
    assert client.post(confirm_url(process)).status_code == 302
    assert picks_of(process, person) == {entries["a"].pk}
    assert Entry.objects.get(pk=entries["a"].pk).vote_count == 1
    assert Entry.objects.get(pk=entries["c"].pk).vote_count == 0


def test_csrf_is_required(voting, person):
    process, entries = voting
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(ballot_url(process), {"entries": [entries["a"].pk]}).status_code == 403
    client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    assert client.post(confirm_url(process)).status_code == 403
    assert not Ballot.objects.exists()


def test_other_methods_and_unknown_budgets(client, voting, person):
    process, _entries = voting
    client.force_login(person)
    assert client.put(ballot_url(process)).status_code == 405
    assert client.get(confirm_url(process)).status_code == 405
    assert client.get("/budgets/no-such-budget/ballot/").status_code == 404
    assert client.post("/budgets/no-such-budget/ballot/confirm/").status_code == 404


def test_titles_are_escaped(client, organisation, person):
    process = make_process(organisation, Phase.REVIEW)
    add_entry(process, cost=Decimal("10"), title="<script>alert(1)</script>")
    move_to(process, Phase.VOTING)
    client.force_login(person)
    html = client.get(ballot_url(process)).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the enhancement hooks ---------------------------------------------------------------------

def test_the_page_carries_what_the_script_needs(client, voting, person):
    process, entries = voting
    client.force_login(person)
    client.post(ballot_url(process), {"entries": [entries["a"].pk]})
    html = client.get(ballot_url(process)).text
    assert 'id="ballot-form"' in html and 'data-budget="1000.00"' in html
    pk = entries["a"].pk
    assert f'value="{pk}" id="entry-{pk}" data-cost="400.00" data-saved="true" checked' in html
    assert 'id="ballot-summary" aria-live="polite" aria-atomic="true"' in html
    assert 'id="ballot-confirm"' in html and 'id="ballot-unsaved"' in html


def test_the_script_is_served(client):
    response = client.get("/static/js/budgets-ballot.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b'getElementById("ballot-form")' in body and b"import " not in body


# --- query counts ------------------------------------------------------------------------------

def _fill(process, size):
    for index in range(size):
        add_entry(process, cost=Decimal("10") + index, title=f"Vorschlag {index:04d}")


@pytest.mark.parametrize("size", [20, 200])
@pytest.mark.parametrize("eligibility", [E.VERIFIED, E.MEMBERS])
def test_ballot_queries_do_not_grow(client, organisation, django_assert_max_num_queries, size, eligibility):
    process = make_process(organisation, Phase.REVIEW, total=Decimal("300"), eligibility=eligibility)
    _fill(process, size)
    move_to(process, Phase.VOTING)
    ids = list(Entry.objects.filter(process=process).values_list("pk", flat=True))
    with django_assert_max_num_queries(3):  # process, entries (+ margin)
        assert client.get(ballot_url(process)).status_code == 200
    voter = UserFactory()
    MembershipFactory(user=voter, organisation=organisation)
    client.force_login(voter)
    # session, user, process, email check, (membership, partners), ballot, entries
    with django_assert_max_num_queries(9):
        assert client.get(ballot_url(process)).status_code == 200
    client.post(ballot_url(process), {"entries": ids[:5]})
    # + the picks
    with django_assert_max_num_queries(10):
        response = client.get(ballot_url(process))
    assert response.text.count('name="entries"') == size
    # refused as a whole (the service's reads, locks and savepoints), then the page again
    with django_assert_max_num_queries(22):
        assert client.post(ballot_url(process), {"entries": ids}).status_code == 400
    client.post(confirm_url(process))
    with django_assert_max_num_queries(6):
        assert "Your vote is counted" in client.get(ballot_url(process)).text
