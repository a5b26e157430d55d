import pytest
from django.core.cache import cache
from django.utils import translation

from coproduction.celery import app
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache; every test starts with none used up."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_messages():
    """Services called directly speak English in tests; requests choose their language themselves."""
    with translation.override("en"):
        yield


@pytest.fixture(params=["visitor", "signed in"])
def viewer(request, client):
    """The test client, once as a visitor and once signed in: for pages that must look right to both."""
    if request.param == "signed in":
        client.force_login(UserFactory())
    return client


@pytest.fixture
def eager():
    """Tasks run in-process, also where CI sets a broker (CELERY_TASK_ALWAYS_EAGER is then off)."""
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def english(client, settings):
    """The pages in English, the source language, so assertions survive new German translations.

    A module of page tests asks for it for all its tests: pytestmark = pytest.mark.usefixtures("english").
    """
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory()


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def staff(organisation):
    """An approved staff member of ``organisation`` (with back-office access)."""
    return MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user


@pytest.fixture
def other_staff(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="staff", user__is_staff=True).user


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)
