"""The site-wide search in a real browser: a visitor looks for "Bank" in German, finds the proposal
about benches ("Bänke") among results grouped by kind, opens all proposals found and then the
proposal; a search without results suggests where to look; the page works on a phone."""
import re

import pytest
from playwright.sync_api import expect

from tests.proposals.factories import ProposalFactory
from tests.stakeholders.factories import OrganisationFactory
from tests.volunteering.factories import TaskFactory

from .support import checked, tr, trp, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def benches(db):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof")
    proposal = ProposalFactory(organisation=organisation, title="Sitzbänke am Spielplatz",
                               summary="Sechs Bänke mit Rückenlehne, damit Großeltern bequem warten können.",
                               text="Der Spielplatz hat keine einzige Sitzgelegenheit.")
    for number in range(6):
        ProposalFactory(organisation=organisation, title=f"Eine Bank an der Haltestelle {number}")
    ProposalFactory(organisation=organisation, title="Entwurf: Bankett", draft=True)
    TaskFactory(organisation=organisation, title="Bänke streichen", purpose="Wir streichen die Bänke im Hof neu.")
    return proposal


def search_for(page, words):
    main = page.get_by_role("main")
    main.get_by_label(tr("Search"), exact=True).fill(words)
    main.get_by_role("button", name=trp("button", "Search")).click()


def test_a_visitor_finds_the_benches_by_searching_bank(page, benches):
    visit(page, "/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Search the platform"))
    search_for(page, "Bank")
    expect(page).to_have_url(re.compile(r"/search/\?q=Bank"))
    checked(page)

    main = page.get_by_role("main")
    groups = main.locator("section.search-group h2")
    expect(groups.first).to_contain_text(tr("Proposals"))
    expect(main.get_by_role("heading", level=2, name=re.compile(tr("Volunteering tasks")))).to_be_visible()
    expect(main.locator("#search-proposals .search-result")).to_have_count(5)
    expect(main.get_by_text("Entwurf: Bankett")).to_have_count(0)
    expect(main.locator("#search-proposals mark").first).to_be_visible()

    # All seven proposals found, on a page of their own.
    main.locator("#search-proposals").get_by_role("link", name=re.compile("7")).click()
    expect(page).to_have_url(re.compile(r"kind=proposals"))
    checked(page)
    expect(main.locator(".search-result")).to_have_count(7)
    expect(main.locator("mark", has_text="Bänke").first).to_be_visible()

    main.get_by_role("link", name="Sitzbänke am Spielplatz").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{benches.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sitzbänke am Spielplatz")
    checked(page)


def test_nothing_found_suggests_where_to_look_on_a_phone(new_page, benches):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    visit(page, "/search/?q=Unauffindbar")
    empty = page.locator("main .empty-state")
    expect(empty).to_contain_text(tr("Check the spelling, or try another word for the same thing."))
    empty.get_by_role("link", name=tr("Proposals"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/proposals/$"))
    checked(page)
