"""The same kind of walk on a small phone (360 × 740): nothing may scroll sideways, axe on every page."""
import pytest
from playwright.sync_api import expect

from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

from .support import assert_no_horizontal_scroll, checked, field, fill_login_form, filter_form, open_menu, tr, visit

pytestmark = pytest.mark.e2e

WIDTH = 360


def looked_at(page):
    """What a person sees on each page: axe-checked, and nothing wider than the screen."""
    checked(page)
    assert_no_horizontal_scroll(page, WIDTH)


def test_phone_walk_from_home_to_profile(new_page):
    # Long German compounds and addresses are what push a small screen sideways.
    counselling = OrganisationFactory(
        name="Schuldnerberatungsstelle Weststadt",
        slug="schuldnerberatung-weststadt",
        city="Göttingen",
        district="Weststadt",
        address="Lindenhofstraße 12",
        contact_email="schuldnerberatungsstelle@diakonie.example",
        contact_phone="0551 1234567",
        website="https://www.diakonie.example/index.php?option=com_content&view=article&id=42",
        description="Kostenlose Beratung bei Schulden, Insolvenzberatung und Begleitung zu Behörden.",
    )
    OrganisationFactory(name="Jugendhilfe Nordstadt", city="Kassel")
    OrganisationFactory(name="Pflegestützpunkt Mitte", city="Kassel")
    partner = OrganisationFactory(name="Tafel Göttingen", city="Göttingen")
    counselling.partners.add(partner)
    person = UserFactory(display_name="Jonas Albrecht-Schmidt")
    MembershipFactory(user=person, organisation=counselling, role="volunteer")
    MembershipFactory(user=person, organisation=partner, role="supporter", status="requested", is_listed=False)

    page = new_page(viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)

    visit(page, "/")
    assert_no_horizontal_scroll(page, WIDTH)
    page.get_by_role("main").get_by_role("link", name=tr("Browse organisations")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Organisations"))
    looked_at(page)
    expect(page.locator("main .card")).to_have_count(4)

    filters = filter_form(page)
    field(filters, "City").select_option("Göttingen")
    filters.get_by_role("button", name=tr("Apply filters")).tap()
    expect(page.locator("main .card")).to_have_count(2)
    looked_at(page)
    expect(field(filter_form(page), "City")).to_have_value("Göttingen")

    page.get_by_role("main").get_by_role("link", name=counselling.name).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(counselling.name)
    looked_at(page)
    expect(page.get_by_role("link", name=counselling.website)).to_be_visible()

    # Joining leads a visitor through the sign-in to the join form, which shows the roles held already.
    page.get_by_role("main").get_by_role("link", name=tr("Join as a volunteer")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Sign In"))
    looked_at(page)
    fill_login_form(page, person.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Take part in %(name)s") % {"name": counselling.name})
    looked_at(page)
    expect(page.get_by_role("main")).to_contain_text(f"{tr('Volunteer')} – {tr('Approved')}")

    open_menu(page).get_by_role("link", name=tr("My area")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("My area"))
    looked_at(page)
    table = page.get_by_role("main").get_by_role("table")
    expect(table).to_contain_text(counselling.name)
    expect(table).to_contain_text(partner.name)
