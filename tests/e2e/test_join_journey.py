"""A visitor becomes a volunteer of an organisation, and its staff approve them in the back office."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from stakeholders.models import Membership
from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory

from .support import checked, field, fill_login_form, fill_signup_form, tr, trn, visit

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Ehrenamt-im-Lindenhof-2025"


def heading(page):
    return page.get_by_role("heading", level=1)


def log_in(page, email, password):
    visit(page, "/accounts/login/")
    fill_login_form(page, email, password)
    expect(heading(page)).to_have_text(tr("For you"))
    checked(page)


def switch_language(page, name, language):
    page.get_by_role("banner").get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    checked(page)


def test_visitor_signs_up_joins_as_volunteer_and_is_approved_by_staff(new_page, mailoutbox):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof", slug="lindenhof")
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user

    # Sign up, in German (the browser asks for de-DE).
    page = new_page()
    visit(page, "/")
    page.get_by_role("banner").get_by_role("link", name=tr("Sign up")).click()
    expect(heading(page)).to_have_text(tr("Sign Up"))
    checked(page)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    fill_signup_form(page, "lea.vogel@example.org", "Lea Vogel", NEW_PASSWORD)
    expect(heading(page)).to_have_text(tr("Verify Your Email Address"))
    checked(page)

    # The verification email carries the link; the person opens it and confirms.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lea.vogel@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    visit(page, urlsplit(link.group()).path)
    expect(heading(page)).to_have_text(tr("Confirm your email address"))
    page.locator("main").get_by_role("button", name=tr("Confirm")).click()
    expect(heading(page)).to_have_text(tr("Sign In"))
    checked(page)

    log_in(page, "lea.vogel@example.org", NEW_PASSWORD)

    # The language switch in the header: English, then back to German, on pages whose texts
    # Django and allauth translate already.
    switch_language(page, "English", "en")
    expect(heading(page)).to_have_text("For you")
    page.locator("main").get_by_role("link", name="My area").click()
    expect(heading(page)).to_have_text("My area")
    checked(page)
    page.locator("main").get_by_role("link", name="Change password").click()
    expect(heading(page)).to_have_text("Change Password")
    checked(page)
    assert tr("Change Password") != "Change Password"
    switch_language(page, "Deutsch", "de")
    expect(heading(page)).to_have_text(tr("Change Password"))
    expect(page.get_by_role("banner").get_by_role("button", name="Deutsch")).to_have_attribute("aria-pressed", "true")

    # Ask to join the organisation as a volunteer.
    page.get_by_role("navigation", name=tr("Main")).get_by_role("link", name=tr("Organisations")).click()
    expect(heading(page)).to_have_text(tr("Organisations"))
    checked(page)
    page.locator("main").get_by_role("link", name=organisation.name).click()
    expect(heading(page)).to_have_text(organisation.name)
    checked(page)
    page.locator("main").get_by_role("link", name=tr("Join as a volunteer")).click()
    expect(heading(page)).to_have_text(tr("Take part in %(name)s") % {"name": organisation.name})
    checked(page)
    join = page.locator("main form").filter(has=page.get_by_role("button", name=tr("Ask to join")))
    expect(field(join, "Role")).to_have_value("volunteer")
    field(join, "Message to the staff (optional)").fill("Ich kann dienstags im Café helfen.")
    join.get_by_role("checkbox", name=tr("Show my display name and role on the organisation's page")).check()
    join.get_by_role("button", name=tr("Ask to join")).click()
    expect(page.get_by_role("status")).to_contain_text(
        tr("Your request has been sent to the staff of %(name)s.") % {"name": organisation.name}
    )
    checked(page)
    expect(page.locator("main")).to_contain_text(f"{tr('Volunteer')}: {tr('Requested')}")

    # A staff member of the organisation approves the request in the back office.
    office = new_page()
    log_in(office, staff.email, PASSWORD)
    visit(office, "/admin/stakeholders/membership/")
    request_row = office.get_by_role("row").filter(has_text="Lea Vogel")
    expect(request_row).to_contain_text(tr("Requested"))
    request_row.get_by_role("checkbox").check()
    office.get_by_role("combobox", name=re.compile(re.escape(tr("Action:")))).select_option(
        label=tr("Approve selected requests")
    )
    office.get_by_role("button", name=tr("Go"), exact=True).click()
    expect(office.locator(".messagelist")).to_contain_text(
        trn("%d request approved.", "%d requests approved.", 1) % 1
    )
    checked(office)
    expect(office.get_by_role("row").filter(has_text="Lea Vogel")).to_contain_text(tr("Approved"))

    # The member reloads the profile and sees the role, approved.
    page.goto("/profile/")
    expect(heading(page)).to_have_text(tr("My profile"))
    checked(page)
    row = page.locator("main table").get_by_role("row").filter(has_text=organisation.name)
    expect(row.get_by_role("cell").nth(1)).to_have_text(tr("Volunteer"))
    expect(row.get_by_role("cell").nth(2)).to_have_text(tr("Approved"))
    membership = Membership.objects.get(user__email="lea.vogel@example.org")
    assert (membership.role, membership.status, membership.decided_by) == ("volunteer", "approved", staff)
