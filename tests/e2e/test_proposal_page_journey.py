"""The proposal page as people use it: a visitor taps "Support", signs in and supports with one more
click; someone writes a proposal, picking its mode on the matrix with the keyboard and its partners by
checkbox; a supporter pledges money, and the form shows only what belongs to money."""
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from proposals import services
from proposals.models import Pledge, Proposal, Support
from tests.stakeholders.factories import PASSWORD, OrganisationFactory, UserFactory

from .support import (
    assert_no_horizontal_scroll, checked, field, fill_login_form, heading, log_in, status, tr, trp, visit,
)

pytestmark = pytest.mark.e2e

TITLE = "Leihladen für Werkzeug im Erdgeschoss"


def a_proposal():
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Wesertor", district="Wesertor")
    return services.proposal_create(
        author=UserFactory(), organisation=organisation, title=TITLE,
        summary="Bohrmaschine, Leiter und Nähmaschine leihen statt kaufen.",
        text="Nachbarinnen und Nachbarn betreiben den Laden, das Zentrum stellt den Raum.",
        planning="together", delivery="community", publish=True,
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_a_visitor_taps_support_signs_in_and_supports_with_one_more_click(new_page, width):
    proposal = a_proposal()
    person = UserFactory(display_name="Jana Ohlsen")
    page = new_page(viewport={"width": width, "height": 740})

    visit(page, proposal.get_absolute_url())
    assert_no_horizontal_scroll(page, width)
    expect(heading(page)).to_have_text(TITLE)
    primary = page.locator("[data-primary-action]")
    expect(primary).to_have_text(trp("proposal action", "Support"))
    expect(primary).to_be_in_viewport()
    # What decides comes before the text: status, mode and organisation, then the actions.
    head = page.locator("main .proposal-head")
    expect(head.locator(".status")).to_have_text(tr("Published"))
    expect(head).to_contain_text(tr("Community delivers a jointly planned service"))
    expect(head.get_by_role("link", name=proposal.organisation.name)).to_be_visible()
    primary.click()

    expect(heading(page)).to_have_text(tr("Sign In"))
    checked(page)
    fill_login_form(page, person.email, PASSWORD)
    expect(heading(page)).to_have_text(TITLE)
    checked(page)
    assert page.url.endswith(f"{proposal.get_absolute_url()}?do=support#actions")
    expect(page.locator("#returned")).to_contain_text(
        tr("You are signed in. One more click on “Support” and your support counts."))
    assert not Support.objects.exists()
    page.locator("[data-primary-action]").click()

    expect(status(page)).to_contain_text(tr("Thank you for your support. You now follow this proposal."))
    checked(page)
    expect(page.locator(".sticky-actions").get_by_role("button", name=tr("Withdraw my support"))).to_be_visible()
    assert Support.objects.filter(proposal=proposal, user=person).count() == 1


def test_writing_a_proposal_on_the_matrix_with_the_keyboard_and_partners_by_checkbox(new_page):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Wesertor", city="Kassel", district="Wesertor")
    partner = OrganisationFactory(name="Jugendhilfe Brückenschlag", city="Kassel", district="Nordstadt")
    for number in range(12):
        OrganisationFactory(name=f"Verein Nummer {number}", city="Göttingen", district="Grone")
    author = UserFactory()
    page = new_page()
    log_in(page, author.email)
    visit(page, "/proposals/new/")
    expect(heading(page)).to_have_text(tr("Write a proposal"))
    form = page.locator("main form")
    field(form, "title").fill(TITLE)
    field(form, "summary in plain language").fill("Werkzeug leihen statt kaufen.")
    field(form, "proposal").fill("Ein Laden, den Nachbarinnen und Nachbarn mit dem Team planen und betreiben.")

    # The matrix: one radio group; the arrow keys move from cell to cell, row after row.
    matrix = form.get_by_role("group", name=tr("Who plans, who delivers"))
    expect(matrix.get_by_role("radio")).to_have_count(9)
    first = matrix.get_by_role("radio", name=re.compile(re.escape(tr("Traditional provision"))))
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    full = matrix.get_by_role("radio", name=re.compile(re.escape(tr("Full co-production"))))
    expect(full).to_be_checked()
    expect(full).to_be_focused()
    # Its accessible name says who plans and who delivers; its explanation shows once chosen.
    expect(full).to_have_accessible_name(re.compile(re.escape(f"{tr('Planned together')} · {tr('Delivered together')}")))
    expect(matrix.get_by_text(tr("Users and staff plan the service together and run it together, on equal footing."),
                              exact=False)).to_be_visible()
    expect(matrix.get_by_text(tr("Staff decide what is offered and provide it themselves. Users receive the service."),
                              exact=False)).to_be_hidden()

    field(form, "organisation").select_option(label=organisation.name)
    # Many organisations: the filter narrows the list; the checkbox stays ticked.
    partners = form.get_by_role("group", name=re.compile(re.escape(tr("co-owning partner organisations")), re.I))
    expect(partners.get_by_role("checkbox")).to_have_count(14)
    partners.get_by_label(tr("Find an organisation by name")).fill("Brücken")
    expect(partners.locator("[data-partner]:visible")).to_have_count(1)
    shown = tr("%%(shown)s of %%(total)s organisations shown").replace("%%", "%")  # a template literal
    expect(partners).to_contain_text(shown % {"shown": 1, "total": 14})
    partners.get_by_role("checkbox", name=partner.name).check()
    # The districts offered are those of the organisation's town.
    district = field(form, "district")
    expect(district.locator("optgroup[label='Göttingen']")).to_be_disabled()
    district.select_option("Nordstadt")
    checked(page)
    form.get_by_role("button", name=tr("Publish"), exact=True).click()

    expect(heading(page)).to_have_text(TITLE)
    expect(status(page)).to_contain_text(tr("Your proposal is published. Thank you!"))
    checked(page)
    expect(page.locator("main .proposal-head")).to_contain_text(tr("Full co-production"))
    proposal = Proposal.objects.get(title=TITLE)
    assert (proposal.planning, proposal.delivery, proposal.district) == ("together", "together", "Nordstadt")
    assert list(proposal.partner_organisations.all()) == [partner] and proposal.organisation == organisation


def test_pledging_shows_only_the_fields_of_the_chosen_kind(new_page):
    proposal = a_proposal()
    supporter = UserFactory(display_name="Theo Brandt")
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    log_in(page, supporter.email)
    visit(page, proposal.get_absolute_url())
    page.locator(".sticky-actions").get_by_role("link", name=trp("proposal action", "Pledge")).tap()
    form = page.get_by_role("form", name=tr("Pledge something"))
    hours = field(form, "How many hours")
    amount = field(form, "Amount in euros")
    form.get_by_role("radio", name=tr("Time"), exact=True).check()
    expect(hours).to_be_visible()
    expect(amount).to_be_hidden()
    hours.fill("3")
    form.get_by_role("radio", name=tr("Money"), exact=True).check()
    expect(hours).to_be_hidden()
    expect(amount).to_be_visible()
    amount.fill("25")
    checked(page)
    assert_no_horizontal_scroll(page, 360)
    form.get_by_role("button", name=tr("Pledge"), exact=True).tap()

    expect(status(page)).to_contain_text(
        tr("Thank you for your pledge. The people behind this proposal can now count on it."))
    checked(page)
    pledge = Pledge.objects.get(proposal=proposal)
    # The three hours typed before switching to money are not part of the pledge.
    assert (pledge.user, pledge.kind, pledge.amount, pledge.hours) == (supporter, "money", Decimal("25"), None)
