"""The back office signs people in through the site's own sign-in, with its rate limits, and no
filter value breaks a page: a NUL character in a back-office query answers 400, never 500."""
import pytest
from django.core.cache import cache

from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the rate limits count in the cache
    yield
    cache.clear()


def test_the_back_office_sign_in_is_the_sites(client):
    response = client.get("/admin/login/", {"next": "/admin/proposals/proposal/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Fproposals%2Fproposal%2F"
    assert client.get("/admin/login/", {"next": "https://elsewhere.example/"}).url == "/accounts/login/?next=%2Fadmin%2F"


def test_the_back_office_form_takes_no_password_any_more(client, staff):
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302  # still signed out


def test_staff_sign_in_on_the_site_and_reach_the_back_office(client, staff):
    response = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_passwords_are_limited_as_on_the_site(client, staff):
    for _ in range(5):
        refused = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": "falsch-falsch"})
        assert refused.status_code == 200  # the form again, with its error
    blocked = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD})
    assert blocked.status_code in (200, 429) and "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_someone_signed_in_without_a_staff_role_is_told_the_back_office_is_not_theirs(client, person):
    client.force_login(person)
    assert client.get("/admin/").url.startswith("/admin/login/")
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "Die Verwaltung ist für Fachkräfte" in response.text


@pytest.mark.parametrize("path", [
    "/admin/proposals/proposal/?district=%00", "/admin/proposals/proposal/?q=a%00b",
    "/admin/stakeholders/organisation/?%00=1", "/admin/volunteering/task/?district=%00",
])
def test_a_nul_character_in_a_back_office_query_is_a_bad_request(client, superuser, path):
    client.force_login(superuser)
    assert client.get(path).status_code == 400


@pytest.mark.parametrize("path", ["/proposals/?q=%00", "/proposals/?district=%00", "/search/?q=Bank%00",
                                  "/tasks/?district=%00", "/organisations/?city=%00"])
def test_the_sites_own_pages_take_a_nul_character_as_a_wrong_filter_not_an_error(client, path):
    assert client.get(path).status_code in (200, 400)


def test_other_junk_in_a_back_office_filter_is_the_admins_usual_answer(client, superuser):
    client.force_login(superuser)
    for query in ["organisation__id__exact=abc", "created_at__gte=nicht-ein-datum", "district=" + "x" * 5000]:
        response = client.get(f"/admin/proposals/proposal/?{query}")
        assert response.status_code in (200, 302), (query, response.status_code)
