"""A journalist finds the open data API from any page, reads what it offers and fetches proposals."""
import pytest
from playwright.sync_api import expect

from tests.proposals.factories import ProposalFactory

from .support import checked, heading, main, tr, visit

pytestmark = pytest.mark.e2e


def test_journalist_reads_the_api_docs_and_fetches_proposals(page):
    ProposalFactory(title="Mittagstisch für alle", planning="together", delivery="community")
    ProposalFactory(title="Entwurf über Nachbarn", draft=True)

    visit(page, "/")
    page.get_by_role("contentinfo").get_by_role("link", name=tr("Open data (API)")).click()
    expect(heading(page)).to_have_text(tr("Open data API"))
    checked(page)
    content = main(page)
    endpoints = content.get_by_role("navigation", name=tr("Endpoints"))
    endpoints.get_by_role("link", name="GET /api/v1/proposals/", exact=True).click()
    checked(page)
    expect(content.get_by_role("table", name=tr("Parameters of %(path)s") % {"path": "/api/v1/proposals/"}, exact=True)) \
        .to_be_visible()
    try_it = content.locator("section", has=page.get_by_role("heading", name="GET /api/v1/proposals/", exact=True)) \
        .get_by_role("link", name="/api/v1/proposals/")
    address = try_it.get_attribute("href")

    # What a program fetching that address gets: public proposals in JSON, filterable as documented.
    answer = page.request.get(f"{address}?planning=together", headers={"Accept-Language": "en"})
    assert answer.ok and answer.headers["content-type"].startswith("application/json")
    data = answer.json()
    assert [row["title"] for row in data["results"]] == ["Mittagstisch für alle"]
    assert data["results"][0]["mode"]["planning"] == "together"
    schema = page.request.get(content.get_by_role("link", name="/api/schema/").get_attribute("href"))
    assert schema.ok and b"openapi" in schema.body()
