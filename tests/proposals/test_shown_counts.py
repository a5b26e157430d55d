"""A total that is only shown (kept counts that lag, a capped search count) never cuts the pages.

The counts of the matrix are kept and told of every change the services make; a change made elsewhere
(a script, the database itself) reaches them within the hour. Until then the list and the API show the
old total, but every proposal stays on its page and the last page stays reachable.
"""
import re

import pytest

from proposals.views import lists
from tests.stakeholders.factories import OrganisationFactory

from .factories import ProposalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def titles(html):
    return re.findall(r'<h2><a href="/proposals/\d+/">([^<]+)</a></h2>', html)


@pytest.fixture
def lagging(client):
    """Five proposals counted, then twenty more the kept counts have not been told of."""
    organisation = OrganisationFactory()
    for number in range(5):
        ProposalFactory(organisation=organisation, title=f"Idee {number:02d}")
    assert "5 proposals" in client.get("/proposals/").text  # counted and kept
    assert client.get("/api/v1/proposals/").json()["count"] == 5
    for number in range(5, 25):
        ProposalFactory(organisation=organisation, title=f"Idee {number:02d}")
    return organisation


def test_a_lagging_kept_total_never_cuts_a_page_short(client, lagging):
    first = client.get("/proposals/", {"ordering": "newest"})
    assert "5 proposals" in first.text  # still the kept number
    assert len(titles(first.text)) == 20 and 'rel="next"' in first.text
    second = client.get("/proposals/", {"ordering": "newest", "page": 2})
    assert second.status_code == 200
    assert sorted(titles(second.text)) == [f"Idee {number:02d}" for number in range(5)]
    assert 'rel="next"' not in second.text and "Page 2 of 1" not in second.text
    assert client.get("/proposals/", {"ordering": "newest", "page": 3}).status_code == 404


def test_a_lagging_kept_total_never_cuts_an_api_page_short(client, lagging):
    first = client.get("/api/v1/proposals/").json()
    assert first["count"] == 5 and len(first["results"]) == 20 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert client.get("/api/v1/proposals/?page=3").status_code == 404


def test_a_kept_total_that_runs_ahead_shows_no_empty_page(client):
    organisation = OrganisationFactory()
    made = [ProposalFactory(organisation=organisation, title=f"Idee {number:02d}") for number in range(21)]
    assert "21 proposals" in client.get("/proposals/").text
    made[0].delete()  # not through the services: the kept total still says 21
    first = client.get("/proposals/")
    assert len(titles(first.text)) == 20 and 'rel="next"' not in first.text
    assert client.get("/proposals/", {"page": 2}).status_code == 404


def test_a_capped_search_pages_on_past_the_cap(client, monkeypatch):
    monkeypatch.setattr(lists, "SEARCH_COUNT_CAP", 25)
    organisation = OrganisationFactory()
    for number in range(45):
        ProposalFactory(organisation=organisation, title=f"Fahrradwerkstatt {number:02d}")
    first = client.get("/proposals/", {"q": "Fahrradwerkstatt"}).text
    assert "More than 25 proposals" in first
    third = client.get("/proposals/", {"q": "Fahrradwerkstatt", "page": 3})
    assert third.status_code == 200 and len(titles(third.text)) == 5 and 'rel="next"' not in third.text
    for wrong in ["0", "abc", "-2"]:
        assert client.get("/proposals/", {"q": "Fahrradwerkstatt", "page": wrong}).status_code == 404, wrong
