"""What every response holds to, whatever the page: methods the site answers and how its cookies travel."""
import pytest
from django.conf import settings

from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "DELETE", "PUT", "PATCH", "PROPFIND", "BREW"])
@pytest.mark.parametrize("path", ["/", "/proposals/", "/api/v1/proposals/", "/admin/"])
def test_methods_the_site_does_not_answer_are_405(client, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_the_methods_it_answers_still_reach_the_views(client):
    assert client.get("/").status_code == 200
    assert client.head("/").status_code == 200
    assert client.options("/api/v1/proposals/").status_code == 200
    assert client.post("/language/", {"language": "en"}).status_code == 302


def test_the_language_cookie_travels_like_the_session_cookie(client):
    client.force_login(UserFactory())
    response = client.post("/language/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert cookie["httponly"] and settings.SESSION_COOKIE_HTTPONLY
