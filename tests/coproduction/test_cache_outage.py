"""A Redis cache that cannot be reached acts as an empty cache: pages, sign-in and its rate limits keep
answering instead of failing with a 500, and quickly."""
import time

import pytest
from django.core.cache import caches

from coproduction.cache import TIMEOUT_SECONDS, RedisCacheSurvivingOutages
from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import PASSWORD, UserFactory

BACKEND = "coproduction.cache.RedisCacheSurvivingOutages"
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_without_redis(settings):
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": NOBODY_LISTENS}}
    return caches["default"]


def test_settings_choose_this_backend_for_a_redis_cache_url(monkeypatch):
    import importlib

    import coproduction.settings as project_settings

    monkeypatch.setenv("CACHE_URL", "rediscache://127.0.0.1:6379/1")
    try:
        assert importlib.reload(project_settings).CACHES["default"]["BACKEND"] == BACKEND
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(project_settings)


def test_every_call_answers_like_an_empty_cache(cache_without_redis):
    cache = cache_without_redis
    assert isinstance(cache, RedisCacheSurvivingOutages)
    started = time.monotonic()
    assert cache.get("k") is None and cache.get("k", 7) == 7
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is True  # as on DummyCache: a lock taken in the cache does not refuse everyone
    assert cache.get_or_set("figures", lambda: 42) == 42
    with pytest.raises(ValueError):
        cache.incr("generation")  # "no such key", which the kept counts already expect
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == []
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    assert cache.touch("k") is False
    cache.delete_many(["a"])
    cache.clear()
    assert time.monotonic() - started < 20 * TIMEOUT_SECONDS


def test_with_redis_it_is_a_cache(settings):
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": "redis://127.0.0.1:6379/13",
                                   "KEY_PREFIX": "test-cache-outage"}}
    cache = caches["default"]
    try:
        cache.set("k", {"a": 1}, 30)
    except Exception:  # noqa: BLE001 - the machine runs no Redis: nothing to check here
        pytest.skip("no Redis at 127.0.0.1:6379")
    assert cache.get("k") == {"a": 1}
    assert cache.add("k", 2) is False
    cache.delete("k")


@pytest.mark.django_db
def test_pages_and_sign_in_answer_without_redis(client, cache_without_redis):
    proposal = ProposalFactory()
    person = UserFactory()
    for url in ["/", "/proposals/", "/proposals/?ordering=supported", proposal.get_absolute_url(),
                "/coproduction/", "/api/v1/proposals/", "/accounts/login/"]:
        assert client.get(url, secure=True).status_code == 200, url
    wrong = client.post("/accounts/login/", {"login": person.email, "password": "not-it"}, secure=True)
    assert wrong.status_code == 200  # the form again, with its error: not a 500, not "too many attempts"
    signed_in = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD}, secure=True)
    assert signed_in.status_code == 302
    assert client.get("/me/", secure=True).status_code == 200
