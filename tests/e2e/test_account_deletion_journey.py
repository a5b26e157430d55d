"""A person deletes their account from their profile, and can sign up again with the same address."""
import re

import pytest
from playwright.sync_api import expect

from proposals import services as proposal_services
from stakeholders.models import User
from tests.stakeholders.factories import PASSWORD, OrganisationFactory, UserFactory

from .support import checked, field, fill_login_form, fill_signup_form, heading, log_in, main, open_my_area, tr, visit

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Wieder-dabei-im-Viertel-2026"


def test_person_deletes_their_account_and_signs_up_again(page, mailoutbox):
    person = UserFactory(email="jonas.weber@example.org", display_name="Jonas Weber")
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof")
    proposal = proposal_services.proposal_create(
        author=UserFactory(display_name="Mira Hahn"), organisation=organisation, title="Repair-Café im Hof",
        summary="Einmal im Monat gemeinsam reparieren.", text="Werkzeug bringen wir mit.", planning="together",
        delivery="community", publish=True)
    proposal_services.comment_create(proposal=proposal, author=person, text="Ich bringe meinen Lötkolben mit.")

    log_in(page, person.email)
    open_my_area(page)
    main(page).get_by_role("link", name=tr("Delete my account")).click()
    expect(heading(page)).to_have_text(tr("Delete my account"))
    checked(page)
    expect(main(page).get_by_role("heading", name=tr("What is deleted"))).to_be_visible()
    expect(main(page).get_by_role("heading", name=tr("What stays, without your name"))).to_be_visible()

    # A wrong password: the error is shown at the field, and nothing happens.
    password = field(main(page), "Your current password")
    password.fill("nicht-mein-passwort")
    main(page).get_by_role("button", name=tr("Delete my account for good")).click()
    expect(heading(page)).to_have_text(tr("Delete my account"))
    checked(page)
    error = tr("This is not your current password. Nothing has been deleted.")
    expect(main(page).locator("#id_password_error")).to_have_text(error)
    expect(field(main(page), "Your current password")).to_have_attribute("aria-invalid", "true")
    assert User.objects.filter(email=person.email).exists()

    # The right password deletes the account and signs the person out.
    field(main(page), "Your current password").fill(PASSWORD)
    main(page).get_by_role("button", name=tr("Delete my account for good")).click()
    expect(heading(page)).to_have_text(tr("Your account has been deleted"))
    checked(page)
    expect(page.get_by_role("banner").get_by_role("link", name=tr("Sign in"))).to_be_visible()
    assert not User.objects.filter(email=person.email).exists()

    # The comment stays for the discussion, without the name.
    visit(page, proposal.get_absolute_url())
    comments = main(page).locator(".comment")
    expect(comments).to_contain_text("Ich bringe meinen Lötkolben mit.")
    expect(comments).to_contain_text(re.compile(re.escape(tr("deleted user")), re.IGNORECASE))
    expect(main(page)).not_to_contain_text("Jonas Weber")

    # Signing in with the old account fails.
    visit(page, "/accounts/login/")
    fill_login_form(page, person.email, PASSWORD)
    expect(heading(page)).to_have_text(tr("Sign In"))
    expect(main(page).get_by_role("alert").or_(main(page).locator(".form-errors, .errorlist")).first).to_be_visible()
    checked(page)

    # The same address signs up again, as a new account.
    page.get_by_role("banner").get_by_role("link", name=tr("Sign up")).click()
    expect(heading(page)).to_have_text(tr("Sign Up"))
    checked(page)
    fill_signup_form(page, "jonas.weber@example.org", "Jonas W.", NEW_PASSWORD)
    expect(heading(page)).to_have_text(tr("Verify Your Email Address"))
    checked(page)
    assert mailoutbox[-1].to == ["jonas.weber@example.org"]
    assert User.objects.get(email="jonas.weber@example.org").display_name == "Jonas W."
