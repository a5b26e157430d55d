"""The wiki in a real browser: a volunteer writes a missing page from a red link, improves it, reads
the diff and reverts; two people edit the same page at once and the second merges instead of
losing work; a neighbour searches the wiki."""
import re

import pytest
from playwright.sync_api import expect

from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory
from wiki import services
from wiki.models import Page, Space

from .support import checked, field, fill_login_form, tr, visit

pytestmark = pytest.mark.e2e

INTRO = "Jeden ersten Samstag im Monat reparieren wir gemeinsam.\n\nWerkzeug steht in der [[Werkzeugliste]]."


def heading(page):
    return page.get_by_role("heading", level=1)


def log_in(page, email):
    visit(page, "/accounts/login/")
    fill_login_form(page, email, PASSWORD)
    expect(heading(page)).to_have_text(tr("For you"))
    checked(page)


@pytest.fixture
def lindenhof(db):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof", slug="nachbarschaftszentrum-lindenhof")
    space = Space.objects.create(organisation=organisation, name="Wiki des Lindenhofs", slug="lindenhof")
    hans = MembershipFactory(organisation=organisation, role="volunteer", user__display_name="Hans Lehmann").user
    aylin = MembershipFactory(organisation=organisation, role="citizen", user__display_name="Aylin Demir").user
    services.page_create(space=space, author=hans, title="Reparaturcafé", text=INTRO, summary="Erste Fassung")
    return {"space": space, "hans": hans, "aylin": aylin}


def editor_form(page):
    return page.locator("main form.wiki-edit-form")


def test_red_link_to_new_page_edit_diff_and_revert(new_page, lindenhof):
    page = new_page()
    log_in(page, lindenhof["hans"].email)
    visit(page, "/wiki/")
    expect(heading(page)).to_have_text(tr("Wiki"))
    page.get_by_role("main").get_by_role("link", name="Wiki des Lindenhofs").click()
    expect(heading(page)).to_have_text("Wiki des Lindenhofs")
    checked(page)
    page.get_by_role("main").get_by_role("link", name="Reparaturcafé").first.click()
    expect(heading(page)).to_have_text("Reparaturcafé")
    checked(page)

    # The missing page is a visibly different link whose name says it does not exist yet.
    red = page.locator("main .wiki-content").get_by_role(
        "link", name=f"Werkzeugliste {tr('(page does not exist yet)')}")
    expect(red).to_have_class("wikilink-missing")
    red.click()
    expect(heading(page)).to_contain_text("Wiki des Lindenhofs")
    checked(page)
    form = editor_form(page)
    expect(field(form, "title")).to_have_value("Werkzeugliste")
    field(form, "text").fill("## In der Werkstatt\n\n- Montageständer\n- Reifenheber\n\nZurück zum [[Reparaturcafé]].")
    field(form, "summary of the change").fill("Liste angelegt")
    form.get_by_role("button", name=tr("Create page")).click()
    expect(heading(page)).to_have_text("Werkzeugliste")
    expect(page.get_by_role("status")).to_contain_text(tr("The page has been created."))
    checked(page)
    expect(page.get_by_role("navigation", name=tr("Contents"))).to_contain_text("In der Werkstatt")

    # The red link on the first page is an ordinary link now, and the new page lists it as linking here.
    backlinks = page.get_by_role("region", name=tr("Pages that link here"))
    backlinks.get_by_role("link", name="Reparaturcafé").click()
    expect(heading(page)).to_have_text("Reparaturcafé")
    checked(page)
    expect(page.locator("main .wiki-content").get_by_role("link", name="Werkzeugliste", exact=True)).to_have_class(
        "wikilink")
    page.locator("main .wiki-content").get_by_role("link", name="Werkzeugliste", exact=True).click()
    expect(heading(page)).to_have_text("Werkzeugliste")
    checked(page)

    # Edit with a summary.
    page.get_by_role("main").get_by_role("link", name=tr("Edit page")).click()
    checked(page)
    form = editor_form(page)
    field(form, "text").fill("## In der Werkstatt\n\n- Montageständer\n- Reifenheber\n- Kettennieter\n\n"
                             "Zurück zum [[Reparaturcafé]].")
    field(form, "summary of the change").fill("Kettennieter ergänzt")
    form.get_by_role("button", name=tr("Save changes")).click()
    expect(page.get_by_role("status")).to_contain_text(tr("Your changes have been saved."))
    checked(page)
    expect(page.locator("main .wiki-content")).to_contain_text("Kettennieter")

    # The history compares the two revisions.
    page.get_by_role("main").get_by_role("link", name=tr("History")).click()
    expect(page.get_by_role("main")).to_contain_text("Kettennieter ergänzt")
    checked(page)
    page.get_by_role("button", name=tr("Compare selected revisions")).click()
    checked(page)
    diff = page.locator("main table.diff")
    expect(diff.locator("tr.diff-added")).to_contain_text("Kettennieter")
    expect(diff.locator("ins")).to_contain_text("Kettennieter")

    # Revert to the first revision, as a new revision.
    page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(tr("Revert to revision %(number)s")
                                                                           .replace("%(number)s", "1")))).click()
    expect(heading(page)).to_contain_text("1")
    checked(page)
    field(page.locator("main form"), "Why revert?").fill("Nieter ist kaputt")
    page.get_by_role("main").get_by_role("button", name=tr("Revert"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1")
    checked(page)
    expect(page.locator("main .wiki-content")).not_to_contain_text("Kettennieter")
    werkzeug = Page.objects.get(slug="werkzeugliste")
    assert [(r.number, r.reverted_to) for r in werkzeug.revisions.order_by("number")] == [(1, None), (2, None), (3, 1)]


def test_edit_conflict_is_merged_not_lost(new_page, lindenhof):
    hans, aylin = new_page(), new_page()
    log_in(hans, lindenhof["hans"].email)
    log_in(aylin, lindenhof["aylin"].email)
    address = "/wiki/lindenhof/reparaturcafe/edit/"

    # Both open the page for editing from revision 1; Hans sees that Aylin is editing too.
    visit(aylin, address)
    visit(hans, address)
    expect(hans.get_by_role("main")).to_contain_text("Aylin Demir")

    # Aylin saves first.
    field(editor_form(aylin), "text").fill(
        INTRO.replace("reparieren wir gemeinsam.", "reparieren wir gemeinsam, 10 bis 14 Uhr."))
    editor_form(aylin).get_by_role("button", name=tr("Save changes")).click()
    expect(aylin.get_by_role("status")).to_contain_text(tr("Your changes have been saved."))
    checked(aylin)

    # Hans changed the same sentence: his save is refused and he gets the merge screen.
    mine = INTRO.replace("reparieren wir gemeinsam.", "reparieren wir zusammen mit den Gästen.")
    field(editor_form(hans), "text").fill(mine)
    field(editor_form(hans), "summary of the change").fill("Gäste betont")
    editor_form(hans).get_by_role("button", name=tr("Save changes")).click()
    expect(heading(hans)).to_contain_text("Reparaturcafé")
    checked(hans)
    conflicts = hans.get_by_role("region", name=tr("Places changed on both sides"))
    expect(conflicts).to_contain_text("10 bis 14 Uhr")
    expect(conflicts).to_contain_text("zusammen mit den Gästen")
    text = field(editor_form(hans), "text")
    expect(text).to_have_value(re.compile("zusammen mit den Gästen"))
    assert Page.objects.get(slug="reparaturcafe").revisions.count() == 2

    # He resolves it by combining both versions and saves.
    text.fill(INTRO.replace("reparieren wir gemeinsam.", "reparieren wir zusammen mit den Gästen, 10 bis 14 Uhr."))
    editor_form(hans).get_by_role("button", name=tr("Save merged text")).click()
    expect(hans.get_by_role("status")).to_contain_text(tr("Your changes have been saved."))
    checked(hans)
    expect(hans.locator("main .wiki-content")).to_contain_text("zusammen mit den Gästen, 10 bis 14 Uhr")
    revision = Page.objects.get(slug="reparaturcafe").current_revision
    assert (revision.number, revision.parent_number, revision.summary) == (3, 2, "Gäste betont")


def test_search_finds_pages_with_highlighted_words(new_page, lindenhof):
    services.page_create(space=lindenhof["space"], author=lindenhof["hans"], title="Fahrradwerkstatt",
                         text="Samstags reparieren wir Fahrräder und Anhänger.")
    page = new_page()
    visit(page, "/wiki/")
    search = page.get_by_role("search", name=tr("Search the wiki"))
    field(search, "Search the wiki").fill("Fahrräder")
    search.get_by_role("button", name=tr("Search")).click()
    expect(heading(page)).to_have_text(tr("Search the wiki"))
    checked(page)
    results = page.locator("main .wiki-results")
    expect(results.get_by_role("link", name="Fahrradwerkstatt")).to_be_visible()
    expect(results.locator("mark").first).to_contain_text("Fahrr")
    results.get_by_role("link", name="Fahrradwerkstatt").click()
    expect(heading(page)).to_have_text("Fahrradwerkstatt")
    checked(page)
