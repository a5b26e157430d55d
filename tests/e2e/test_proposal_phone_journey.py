"""On a small phone (360 × 740): from the co-production matrix to a proposal, sign in, and comment.

Nothing may scroll sideways, and axe checks every page.
"""
import re

import pytest
from playwright.sync_api import expect

from proposals.models import Comment
from tests.proposals.factories import CallFactory, CategoryFactory, ProposalFactory
from tests.stakeholders.factories import PASSWORD, OrganisationFactory, UserFactory

from .support import assert_no_horizontal_scroll, checked, field, fill_login_form, filter_form, tr, trn, trp, visit

pytestmark = pytest.mark.e2e

WIDTH = 360
CELL = "Community delivers a jointly planned service"
TITLE = "Nachbarschaftscafé mit Hausaufgabenbetreuungsangebot im Gemeinschaftsraum"
COMMENT = (
    "Ich backe gern Kuchen und kann jeden zweiten Samstag helfen. Die Hygieneregeln stehen hier: "
    "https://www.gesundheitsamt.example/lebensmittelhygiene/merkblaetter/ehrenamtliche-kuchenspenden-2025.pdf"
)


def heading(page):
    return page.get_by_role("heading", level=1)


def looked_at(page):
    """What a person sees on each page: axe-checked, and nothing wider than the screen."""
    checked(page)
    assert_no_horizontal_scroll(page, WIDTH)


def test_phone_from_matrix_to_a_proposal_and_a_comment(new_page):
    # Long German compounds, a long address and a long link are what push a small screen sideways.
    organisation = OrganisationFactory(name="Mehrgenerationenhaus Kirchditmold", slug="kirchditmold")
    call = CallFactory(organisation=organisation, title="Was fehlt Familien in Kirchditmold?")
    category = CategoryFactory(name="Kinder- und Jugendhilfe", slug="kinder-und-jugendhilfe")
    proposal = ProposalFactory(
        organisation=organisation, call=call, category=category, title=TITLE, district="Kirchditmold",
        planning="together", delivery="community",
        summary="Ein Café, das Nachbarinnen und Nachbarn mit dem Team planen und selbst betreiben.",
        text="Mehr dazu: https://www.mehrgenerationenhaus-kirchditmold.example/projekte/nachbarschaftscafe"
             "?abschnitt=hausaufgabenbetreuung&sprache=de",
    )
    ProposalFactory(organisation=organisation, planning="together", delivery="together",
                    title="Gemeinsamer Sommerferienprogrammkalender")
    ProposalFactory(organisation=organisation, planning="professionals", delivery="professionals",
                    title="Längere Öffnungszeiten der Beratungsstelle")
    ProposalFactory(organisation=organisation, planning="together", delivery="community", draft=True,
                    title="Ein privater Entwurf")
    person = UserFactory(display_name="Aleksandra Wiśniewska-Hoffmann")

    page = new_page(viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)

    visit(page, "/coproduction/")
    assert_no_horizontal_scroll(page, WIDTH)
    expect(heading(page)).to_have_text(tr("Who plans, who delivers: the co-production matrix"))
    cell = page.get_by_role("main").get_by_role("cell").filter(has_text=tr(CELL))
    link = cell.get_by_role("link")
    expect(link).to_contain_text(trn("%(counter)s proposal", "%(counter)s proposals", 1) % {"counter": 1})
    link.tap()

    expect(heading(page)).to_have_text(tr("Proposals"))
    looked_at(page)
    assert re.search(r"[?&]planning=together(&|$)", page.url) and re.search(r"[?&]delivery=community(&|$)", page.url)
    filters = filter_form(page)
    expect(field(filters, "Who plans")).to_have_value("together")
    expect(field(filters, "Who delivers")).to_have_value("community")
    cards = page.locator("main .card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text(tr(CELL))
    cards.get_by_role("link", name=TITLE).tap()

    expect(heading(page)).to_have_text(TITLE)
    looked_at(page)
    expect(page.get_by_role("main")).to_contain_text(tr(CELL))
    # A visitor taps "Comment", signs in, and comes back to the comment form.
    page.locator(".sticky-actions").get_by_role("link", name=trp("proposal action", "Comment")).tap()

    expect(heading(page)).to_have_text(tr("Sign In"))
    looked_at(page)
    fill_login_form(page, person.email, PASSWORD)
    expect(heading(page)).to_have_text(TITLE)
    looked_at(page)
    assert page.url.endswith(f"/proposals/{proposal.pk}/?do=comment#comment-form")
    expect(page.get_by_role("main")).to_contain_text(tr("You are signed in. Write your comment below."))

    form = page.get_by_role("form", name=tr("Write a comment"))
    field(form, "Your comment").fill(COMMENT)
    form.get_by_role("button", name=tr("Publish comment")).tap()

    expect(page.get_by_role("status")).to_contain_text(tr("Your comment has been published."))
    looked_at(page)
    comment = Comment.objects.get(proposal=proposal)
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown).to_contain_text("Aleksandra Wiśniewska-Hoffmann")
    expect(shown).to_contain_text("Ich backe gern Kuchen und kann jeden zweiten Samstag helfen.")
    expect(shown.get_by_role("link", name=re.compile("gesundheitsamt"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=trn("%(counter)s comment", "%(counter)s comments", 1)
                            % {"counter": 1})).to_be_visible()
    assert (comment.author, comment.text) == (person, COMMENT)

