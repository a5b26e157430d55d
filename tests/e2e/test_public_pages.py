"""Every public page, axe-checked, and the accessibility feedback form used as a person would."""
import re

import pytest
from playwright.sync_api import expect

from coproduction.models import AccessibilityFeedback
from tests.stakeholders.factories import OrganisationFactory

from .support import checked, field, tr, visit

pytestmark = pytest.mark.e2e


def test_public_pages_and_accessibility_feedback(page):
    OrganisationFactory.create_batch(3)

    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Planning and delivering social services together"))

    visit(page, "/organisations/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Organisations"))
    expect(page.locator("main .card")).to_have_count(3)

    visit(page, "/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Accessibility statement"))
    main = page.locator("main")
    send = main.get_by_role("button", name=tr("Send feedback"))

    # An empty message: the error is shown and tied to the field, so screen readers announce it.
    send.click()
    message = field(main, "what is not accessible")
    expect(message).to_have_attribute("aria-invalid", "true")
    checked(page)
    required = tr("This field is required.")
    described_by = message.get_attribute("aria-describedby") or ""
    descriptions = " ".join(page.locator(f"#{name}").inner_text() for name in described_by.split())
    assert required in descriptions, f"the error is not tied to the field: aria-describedby={described_by!r}"
    assert not AccessibilityFeedback.objects.exists()

    message.fill("Der Kontrast der Schaltflächen ist für mich zu schwach.")
    field(main, "email address for a reply").fill("leser@example.org")
    send.click()
    expect(page.get_by_role("status").filter(has_text=tr(
        "Thank you. Your feedback has reached our staff; we will answer within two weeks if you left an address."
    ))).to_be_visible()
    checked(page)
    expect(field(page.locator("main"), "what is not accessible")).to_have_value("")

    visit(page, "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Sign In"))
    visit(page, "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Sign Up"))
    visit(page, "/accounts/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Password Reset"))
    expect(page.get_by_role("link", name=re.compile(tr("Accessibility")))).to_be_visible()
