"""While the database cannot be reached, every page answers a short 503 with Retry-After, never a 500
or a traceback, and the site answers normally again as soon as the database is back."""
import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.urls import path

from coproduction.middleware import RETRY_AFTER_SECONDS
from coproduction.urls import urlpatterns as site_urlpatterns


def database_fails(request):
    raise OperationalError("could not connect to server: Connection refused")


def database_fails_in_template(request):
    from django.template import engines

    class Broken:
        def __str__(self):
            raise OperationalError("server closed the connection unexpectedly")

    template = engines["django"].from_string("<p>{{ broken }}</p>")
    return HttpResponse(template.render({"broken": Broken()}))


def other_error(request):
    raise ValueError("a mistake, not an outage")


def fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("fails/", database_fails),
    path("fails-in-template/", database_fails_in_template),
    path("other-error/", other_error),
    path("fine/", fine),
    *site_urlpatterns,
]


class FailingAfterTheView:
    """Stands for a middleware that asks the database after the view (a session being saved)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("terminating connection due to administrator command")


def assert_unavailable_page(response, *, german=True):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Traceback" not in page and "OperationalError" not in page and "Connection refused" not in page
    if german:
        assert "Die Seite ist gerade kurz nicht erreichbar" in page
        assert '<html lang="de">' in page
    else:
        assert "The site is briefly unavailable" in page
    assert "<main" in page and "<h1>" in page


@pytest.fixture
def outage_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


def test_a_view_failing_for_the_database_answers_503_in_german(client, outage_urls):
    client.raise_request_exception = False
    response = client.get("/fails/?page=2")
    assert_unavailable_page(response)
    assert 'href="/fails/?page=2"' in response.content.decode()


def test_the_page_speaks_english_when_asked(client, outage_urls, settings):
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert_unavailable_page(client.get("/fails/"), german=False)


def test_a_form_sent_during_the_outage_is_told_it_was_not_saved(client, outage_urls):
    client.raise_request_exception = False
    response = client.post("/fails/")
    assert_unavailable_page(response)
    page = response.content.decode()
    assert "wurde es nicht gespeichert" in page
    assert "Erneut versuchen" not in page  # a POST is not repeated by a link


def test_a_template_failing_for_the_database_answers_503(client, outage_urls):
    client.raise_request_exception = False
    assert_unavailable_page(client.get("/fails-in-template/"))


def test_a_middleware_failing_for_the_database_after_the_view_answers_503(client, outage_urls, settings):
    client.raise_request_exception = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingAfterTheView"]
    response = client.get("/fine/")
    assert_unavailable_page(response)
    # The headers that the outer middleware set on the error are kept.
    assert "Content-Security-Policy" in response


def test_other_errors_stay_500(client, outage_urls):
    client.raise_request_exception = False
    response = client.get("/other-error/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db(transaction=True)
def test_a_real_page_answers_503_while_the_database_refuses_connections_and_recovers(client):
    """The proposal list, with the connection pointed at a port where no database listens."""
    client.raise_request_exception = False
    assert client.get("/proposals/", secure=True).status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1
    try:
        assert_unavailable_page(client.get("/proposals/", secure=True))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert client.get("/proposals/", secure=True).status_code == 200
