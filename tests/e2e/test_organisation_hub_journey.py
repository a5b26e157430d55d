"""A visitor opens an organisation's page, finds what it does, and joins it as a volunteer:
"Als Ehrenamtliche:r mitmachen" → sign in → back at the join form → the request is sent."""
import pytest
from playwright.sync_api import expect

from budgets.models import Phase
from stakeholders.models import Membership
from tests.budgets.factories import make_process
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory
from tests.wiki.factories import PageFactory, SpaceFactory

from .support import checked, field, fill_login_form, heading, tr, visit

pytestmark = pytest.mark.e2e


def section(page, msgid):
    return page.locator("main section").filter(has=page.get_by_role("heading", level=2, name=tr(msgid)))


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}])
def test_visitor_explores_an_organisation_and_joins_as_a_volunteer(new_page, viewport):
    organisation = OrganisationFactory(
        name="Nachbarschaftszentrum Lindenhof", slug="lindenhof",
        purpose="Wir bringen Menschen im Lindenhof zusammen, damit niemand allein bleibt.")
    partner = OrganisationFactory(name="Tafel Nordstadt")
    organisation.partners.add(partner)
    call = CallFactory(organisation=organisation, title="Wie erreichen wir Menschen zwischen 30 und 60?")
    proposal = ProposalFactory(organisation=organisation, title="Reparaturcafé im Hof", support_count=12)
    budget = make_process(organisation, Phase.COLLECTING, title="Stadtteilbudget Lindenhof")
    task = ShiftFactory(task=TaskFactory(organisation=organisation, title="Kaffee ausschenken im Café")).task
    page_in_wiki = PageFactory(space=SpaceFactory(organisation=organisation, name="Wissen im Lindenhof"),
                               title="So läuft der Cafébetrieb")
    MembershipFactory(organisation=organisation, role="volunteer", is_listed=True, user__display_name="Gerda Hahn")
    MembershipFactory(organisation=organisation, role="client", is_listed=False, user__display_name="Udo Verborgen")
    person = UserFactory(email="lea.vogel@example.org", display_name="Lea Vogel")

    page = new_page(viewport=viewport)
    visit(page, "/organisations/")
    page.locator("main").get_by_role("link", name=organisation.name).click()
    expect(heading(page)).to_have_text(organisation.name)
    checked(page)

    # Purpose first, then the ways to join, then what the organisation does with others.
    main = page.locator("main")
    expect(main.get_by_role("heading", level=2).first).to_have_text(tr("Why we exist"))
    expect(section(page, "Why we exist")).to_contain_text(organisation.purpose)
    expect(section(page, "Ideas and proposals").get_by_role("link", name=call.title)).to_be_visible()
    expect(section(page, "Ideas and proposals").get_by_role("link", name=proposal.title).first).to_be_visible()
    expect(section(page, "Participatory budgets").get_by_role("link", name=budget.title)).to_be_visible()
    expect(section(page, "Tasks that need people").get_by_role("link", name=task.title)).to_be_visible()
    expect(section(page, "Shared knowledge").get_by_role("link", name=page_in_wiki.title)).to_be_visible()
    expect(section(page, "Partner organisations").get_by_role("link", name=partner.name)).to_be_visible()
    expect(section(page, "People")).to_contain_text("Gerda Hahn")
    expect(main).not_to_contain_text("Udo Verborgen")

    # "Als Ehrenamtliche:r mitmachen" leads through the sign-in back to the join form.
    join = main.get_by_role("link", name=tr("Join as a volunteer"))
    expect(join).to_have_attribute("data-primary-action", "")
    join.click()
    expect(heading(page)).to_have_text(tr("Sign In"))
    checked(page)
    fill_login_form(page, person.email, PASSWORD)
    expect(heading(page)).to_have_text(tr("Take part in %(name)s") % {"name": organisation.name})
    checked(page)
    form = page.locator("main form").filter(has=page.get_by_role("button", name=tr("Ask to join")))
    expect(field(form, "Role")).to_have_value("volunteer")
    field(form, "Message to the staff (optional)").fill("Ich kann dienstags im Café helfen.")
    form.get_by_role("button", name=tr("Ask to join")).click()

    expect(heading(page)).to_have_text(organisation.name)
    expect(page.get_by_role("status")).to_contain_text(
        tr("Your request has been sent to the staff of %(name)s.") % {"name": organisation.name})
    checked(page)
    expect(section(page, "Take part")).to_contain_text(f"{tr('Volunteer')}: {tr('Requested')}")
    expect(section(page, "Take part").get_by_role("link", name=tr("Join as a volunteer"))).to_have_count(0)
    membership = Membership.objects.get(user=person, organisation=organisation)
    assert (membership.role, membership.status) == ("volunteer", "requested")
