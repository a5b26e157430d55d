"""Signing up explains why it helps and asks what budgets need (the district, optional); a used or
expired confirmation link leads to a new one instead of a dead end."""
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from stakeholders.models import User
from tests.budgets.factories import make_process
from tests.stakeholders.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def sign_up(client, **data):
    payload = {"email": "lea@example.org", "display_name": "Lea", "language": "en",
               "password1": PASSWORD, "password2": PASSWORD, **data}
    return client.post("/accounts/signup/", payload)


def district_options(html):
    select = html.split('name="district"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_sign_up_page_says_why_and_offers_the_known_districts(client):
    OrganisationFactory(district="Wesertor")
    OrganisationFactory(district="Nordstadt")
    make_process(OrganisationFactory(district=""), districts="Bettenhausen, Nordstadt")
    html = client.get("/accounts/signup/").text
    assert "Why sign up?" in html and "vote in participatory budgets" in html
    assert district_options(html) == ["", "Bettenhausen", "Nordstadt", "Wesertor"]
    assert "Not listed, or I would rather not say" in html


def test_sign_up_stores_the_district_on_the_person(client, mailoutbox):
    OrganisationFactory(district="Wesertor")
    assert sign_up(client, district="Wesertor").status_code == 302
    assert User.objects.get(email="lea@example.org").district == "Wesertor"


def test_sign_up_without_a_district_is_fine(client, mailoutbox):
    assert sign_up(client).status_code == 302
    assert User.objects.get(email="lea@example.org").district == ""


@pytest.mark.parametrize("district", ["Atlantis", "x" * 200, "<script>"])
def test_an_unknown_district_is_refused_and_nobody_is_signed_up(client, district):
    OrganisationFactory(district="Wesertor")
    response = sign_up(client, district=district)
    assert response.status_code == 200
    assert 'id="id_district_error"' in response.text
    assert "Choose one of the listed districts" in response.text
    assert not User.objects.exists()


def test_the_profile_keeps_a_district_that_is_no_longer_known(client):
    person = UserFactory(district="Altstadt")
    client.force_login(person)
    assert "Altstadt" in district_options(client.get("/profile/edit/").text)
    response = client.post("/profile/edit/", {"display_name": person.display_name, "language": "en",
                                              "district": "Unbekannt"})
    assert response.status_code == 200 and 'id="id_district_error"' in response.text
    person.refresh_from_db()
    assert person.district == "Altstadt"


def test_the_ballot_starts_with_the_district_given_at_sign_up(client):
    from budgets.models import Phase, Process

    organisation = OrganisationFactory()
    process = make_process(organisation, Phase.VOTING, eligibility=Process.Eligibility.RESIDENTS,
                           districts="Nordstadt, Wesertor")
    client.force_login(UserFactory(district="Wesertor"))
    html = client.get(f"/budgets/{process.slug}/ballot/").text
    assert re.search(r'<option value="Wesertor"\s+selected', html) or 'value="Wesertor" selected' in html


def confirmation_path(message):
    return re.search(r"/accounts/confirm-email/[^/\s]+/", message.body).group()


def test_a_reused_confirmation_link_offers_a_new_one_to_a_signed_out_person(client, mailoutbox):
    sign_up(client)
    path = confirmation_path(mailoutbox[0])
    client.post(path)
    html = client.get(path).text
    assert "already been used or is no longer valid" in html
    assert 'action="/accounts/confirm-again/"' in html and 'name="email"' in html
    assert "Send a new confirmation link" in html


def test_an_expired_link_leads_to_a_new_one_by_email_address(client, mailoutbox):
    sign_up(client)
    client.get("/accounts/confirm-email/a-stale-or-broken-key/")
    cache.clear()  # the limit of one confirmation email every few minutes per address
    response = client.post("/accounts/confirm-again/", {"email": "LEA@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["lea@example.org"]
    client.post(confirmation_path(mailoutbox[1]))
    assert EmailAddress.objects.get(email="lea@example.org").verified


def test_asking_again_tells_nobody_which_addresses_have_accounts(client, mailoutbox):
    confirmed = UserFactory(email="bestaetigt@example.org")
    answers = []
    for email in ["niemand@example.org", confirmed.email]:
        response = client.post("/accounts/confirm-again/", {"email": email}, follow=True)
        answers.append(re.sub(re.escape(email), "…", response.text.split("<main", 1)[1]))
    assert answers[0] == answers[1]
    assert mailoutbox == []


def test_asking_again_is_limited_per_address(client, mailoutbox):
    sign_up(client)
    for _ in range(3):
        client.post("/accounts/confirm-again/", {"email": "lea@example.org"})
    assert len(mailoutbox) == 1  # the link from sign-up still works; no flood of emails


@pytest.mark.parametrize("email", ["", "not-an-address", "a@" + "b" * 260 + ".org"])
def test_asking_again_with_bad_input_shows_the_reason(client, mailoutbox, email):
    response = client.post("/accounts/confirm-again/", {"email": email})
    assert response.status_code == 400 and 'id="id_email_error"' in response.text
    assert mailoutbox == []


def test_a_signed_in_person_sends_the_link_to_their_own_address_with_one_click(client, mailoutbox):
    person = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    client.force_login(person)
    html = client.get("/accounts/confirm-email/a-stale-key/").text
    assert f'value="{person.email}"' in html
    client.post("/accounts/confirm-again/", {"email": person.email})
    assert [message.to for message in mailoutbox] == [[person.email]]


def test_a_signed_in_person_whose_address_is_confirmed_is_told_so(client, person):
    client.force_login(person)
    html = client.get("/accounts/confirm-email/a-stale-key/").text
    assert "Your email address is confirmed" in html and "/accounts/confirm-again/" not in html


def test_asking_again_needs_the_csrf_token(person):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/confirm-again/", {"email": person.email})
    assert response.status_code == 403
