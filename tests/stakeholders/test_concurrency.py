"""Simultaneous requests on real database connections (run on PostgreSQL in CI)."""
import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from stakeholders import services
from stakeholders.models import Membership

from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_simultaneously(count, action):
    """Run ``action`` in ``count`` threads released together; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            with translation.override("en"):  # threads start in the default language
                results.append(action())
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
def test_simultaneous_join_requests_create_one_membership():
    person, organisation = UserFactory(), OrganisationFactory()
    results, errors = run_simultaneously(
        6, lambda: services.membership_request(user=person, organisation=organisation, role="volunteer")
    )
    assert len(results) == 1
    assert len(errors) == 5 and all(isinstance(e, services.MembershipError) for e in errors)
    assert Membership.objects.filter(user=person, organisation=organisation).count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; this proves PostgreSQL")
def test_simultaneous_decisions_decide_once():
    organisation = OrganisationFactory()
    deciders = [MembershipFactory(organisation=organisation, role="staff").user for _ in range(4)]
    request = services.membership_request(user=UserFactory(), organisation=organisation, role="citizen")
    turns = iter([(staff, index % 2 == 0) for index, staff in enumerate(deciders)])
    lock = threading.Lock()

    def decide():
        with lock:
            staff, approve = next(turns)
        return services.membership_decide(membership=request, decided_by=staff, approve=approve)

    results, errors = run_simultaneously(4, decide)
    assert len(results) == 1 and len(errors) == 3
    request.refresh_from_db()
    assert request.status == results[0].status
    assert request.decided_by == results[0].decided_by
