import pytest

from coproduction.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/organisations/", "/accessibility/", "/accounts/login/", "/accounts/signup/",
                                 "/accounts/password/reset/"])
def test_public_pages_render_with_landmarks_and_language_switcher(client, url, organisation):
    response = client.get(url)
    assert response.status_code == 200
    page = response.text
    assert '<html lang="de">' in page
    assert 'href="#main"' in page and '<main id="main"' in page and "<nav" in page and "<footer" in page
    assert 'name="language" value="en"' in page


def test_no_page_loads_anything_from_another_host(client, organisation):
    for url in ["/", "/organisations/", organisation.get_absolute_url(), "/accessibility/", "/accounts/login/"]:
        page = client.get(url).text
        for attribute in ('src="http', "src=\"//", 'href="//'):
            assert attribute not in page, (url, attribute)
        assert '<link rel="stylesheet" href="/static/' in page


def test_language_switch_sets_cookie_and_page_language(client):
    response = client.post("/language/", {"language": "en", "next": "/organisations/"})
    assert response.status_code == 302 and response.url == "/organisations/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/organisations/").text


def test_language_switch_is_remembered_on_the_account(client, person):
    client.force_login(person)
    client.post("/language/", {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"


@pytest.mark.parametrize("data", [{"language": "xx", "next": "/"}, {"language": "en", "next": "https://evil.example/"}])
def test_language_switch_bad_input(client, data):
    response = client.post("/language/", data)
    assert response.status_code == 302 and response.url == "/"
    if data["language"] == "xx":
        assert "django_language" not in response.cookies


def test_language_switch_needs_post(client):
    assert client.get("/language/").status_code == 405


def test_accessibility_feedback_is_stored_for_staff(client):
    response = client.post(
        "/accessibility/", {"message": "Der Kontrast im Kopfbereich ist zu schwach.", "page_url": "/", "email": ""}
    )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message.startswith("Der Kontrast") and not feedback.is_resolved


@pytest.mark.parametrize(
    "data,field",
    [({"message": ""}, "message"), ({"message": "x" * 3001}, "message"), ({"message": "ok", "email": "nope"}, "email")],
)
def test_accessibility_feedback_bad_input(client, data, field):
    response = client.post("/accessibility/", data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text and f'aria-describedby="id_{field}_error"' in response.text
    assert not AccessibilityFeedback.objects.exists()
