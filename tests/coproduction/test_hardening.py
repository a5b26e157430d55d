"""What every response holds to, whatever the page: methods the site answers and how its cookies travel."""
import pytest
from django.conf import settings

from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "DELETE", "PUT", "PATCH", "PROPFIND", "BREW"])
@pytest.mark.parametrize("path", ["/", "/api/v1/proposals/", "/admin/"])
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


POLICY = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
          "frame-ancestors 'none'", "form-action 'self'"}


@pytest.mark.parametrize("path", ["/", "/proposals/", "/api/v1/proposals/", "/accounts/login/", "/no-such-page/"])
def test_every_response_carries_the_content_security_policy(client, path):
    response = client.get(path)
    directives = {directive.strip() for directive in response["Content-Security-Policy"].split(";")}
    assert POLICY <= directives, directives
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_back_office_runs_under_the_same_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert POLICY <= {directive.strip() for directive in response["Content-Security-Policy"].split(";")}
    assert "<style" not in response.text and "style=" not in response.text


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/proposals/", {"GET", "HEAD", "OPTIONS"}),
        ("/organisations/", {"GET", "HEAD", "OPTIONS"}),
        ("/proposals/export.csv", {"GET", "HEAD"}),
        ("/search/", {"GET", "HEAD"}),
        ("/language/", {"POST"}),
    ],
)
def test_a_page_that_declares_its_methods_names_them_when_it_refuses(client, path, allowed):
    for method in ("DELETE", "PUT", "TRACE"):
        response = client.generic(method, path)
        assert response.status_code == 405
        assert set(response["Allow"].split(", ")) == allowed

