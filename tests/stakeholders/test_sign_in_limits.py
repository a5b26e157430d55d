"""Failed sign-ins are limited so that guessing stops, but nobody can lock the owner of an address out by
typing wrong passwords for it from somewhere else (the policy is in stakeholders.adapter)."""
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.cache import cache

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
WRONG = "falsch-falsch-falsch"


@pytest.fixture(autouse=True)
def fresh_limits(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cache.clear()  # the limits count in the cache
    yield
    cache.clear()


def sign_in(client, email, password, ip):
    response = client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)
    return response, "_auth_user_id" in client.session


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(client):
    owner = UserFactory()
    for attempt in range(5):
        assert sign_in(client, owner.email, WRONG, "203.0.113.9")[1] is False
    # the stranger's own place is blocked now, even with the right password ...
    response, signed_in = sign_in(client, owner.email, PASSWORD, "203.0.113.9")
    assert not signed_in and "Too many failed login attempts" in response.text
    # ... but the owner, at home, signs in at once
    assert sign_in(client, owner.email, PASSWORD, "198.51.100.7")[1] is True


def test_guessing_spread_over_many_places_stops_and_a_password_reset_lifts_it(client):
    owner = UserFactory()
    for attempt in range(30):
        assert sign_in(client, owner.email, WRONG, f"192.0.2.{attempt}")[1] is False
    response, signed_in = sign_in(client, owner.email, PASSWORD, "198.51.100.7")
    assert not signed_in
    assert "too many failed sign-ins for this email address" in response.text
    # Another address is not affected.
    assert sign_in(client, UserFactory().email, PASSWORD, "192.0.2.1")[1] is True
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # Setting a new password by the emailed link proves the owner.
    key = default_token_generator.make_token(owner)
    form = client.get(f"/accounts/password/reset/key/{user_pk_to_url_str(owner)}-{key}/", follow=True)
    new = "ein-neues-langes-passwort-8"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    client.logout()
    assert sign_in(client, owner.email, new, "198.51.100.7")[1] is True


def test_many_places_guessing_under_the_slow_limit_still_lets_the_owner_in(client):
    owner = UserFactory()
    for attempt in range(29):
        sign_in(client, owner.email, WRONG, f"192.0.2.{attempt}")
    assert sign_in(client, owner.email, PASSWORD, "198.51.100.7")[1] is True


class RestartingDatabaseBackend:
    """Checks passwords as a PostgreSQL that is restarting answers: not at all."""

    def authenticate(self, request, **credentials):
        from django.db import OperationalError

        raise OperationalError("terminating connection due to administrator command")


def test_sign_ins_the_database_could_not_answer_do_not_count_as_failed(client, settings):
    owner = UserFactory()
    working = settings.AUTHENTICATION_BACKENDS
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.RestartingDatabaseBackend"]
    # More attempts than the ten a minute from one place that fail before a refusal.
    for attempt in range(12):
        response, signed_in = sign_in(client, owner.email, PASSWORD, "203.0.113.9")
        assert response.status_code == 503 and not signed_in, attempt
    settings.AUTHENTICATION_BACKENDS = working
    response, signed_in = sign_in(client, owner.email, PASSWORD, "203.0.113.9")
    assert signed_in, response.text[:300]
