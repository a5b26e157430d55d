import pytest
from django.core.cache import cache
from django.utils import translation

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
