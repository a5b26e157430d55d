"""A citizen answers a call for ideas with a proposal, another person pledges time and supports it,
staff of the organisation accept it with public responses in the back office, and the author
reads the whole status history."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from proposals.models import Pledge, Proposal, StatusChange, Support
from tests.proposals.factories import CallFactory
from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

from .support import checked, field, fill_login_form, filter_form, tr, trn, trp, visit

pytestmark = pytest.mark.e2e

TITLE = "Feierabend-Treff für Berufstätige im Stadtteilzentrum"
REVIEW_RESPONSE = "Wir prüfen den Vorschlag mit dem Team und melden uns bis Ende des Monats."
ACCEPT_RESPONSE = "Angenommen: Der Treff startet im Herbst, jeden zweiten Donnerstag ab 18 Uhr."


def heading(page):
    return page.get_by_role("heading", level=1)


def log_in(page, email):
    visit(page, "/accounts/login/")
    fill_login_form(page, email, PASSWORD)
    expect(heading(page)).to_have_text(tr("For you"))
    checked(page)


def section(page, msgid):
    """A section of the proposal page, found by its heading."""
    return page.get_by_role("main").locator("section").filter(
        has=page.get_by_role("heading", level=2, name=tr(msgid), exact=True)
    )


def change_status(office, title, status, response):
    """Staff run the admin action "Change status with a public response" on one proposal."""
    office.get_by_role("row").filter(has_text=title).get_by_role("checkbox").check()
    office.get_by_role("combobox", name=re.compile(re.escape(tr("Action:")))).select_option(
        label=tr("Change status with a public response")
    )
    office.get_by_role("button", name=tr("Go"), exact=True).click()
    form = office.locator("#content-main form")
    expect(form).to_contain_text(title)
    checked(office)
    field(form, "New status").select_option(label=tr(status))
    field(form, "Public response").fill(response)
    form.get_by_role("button", name=tr("Change status"), exact=True).click()
    expect(office.locator(".messagelist")).to_contain_text(
        trn("%d proposal changed.", "%d proposals changed.", 1) % 1
    )
    checked(office)
    expect(office.get_by_role("row").filter(has_text=title)).to_contain_text(tr(status))


def test_citizen_answers_call_others_pledge_and_support_staff_accept(new_page):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor", district="Wesertor")
    call = CallFactory(organisation=organisation, title="Wie erreichen wir Menschen zwischen 30 und 60?")
    CallFactory(title="Eine Frage einer anderen Organisation")
    citizen = UserFactory(display_name="Miriam Kaya")
    supporter = UserFactory(display_name="Peter Brandt")
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True,
                              user__display_name="Sabine Roth").user

    # The citizen finds the organisation's open call for ideas and answers it.
    page = new_page()
    visit(page, "/")
    page.get_by_role("navigation", name=tr("Main")).get_by_role("link", name=tr("Proposals")).click()
    expect(heading(page)).to_have_text(tr("Proposals"))
    checked(page)
    page.get_by_role("main").get_by_role("link", name=tr("Calls for ideas")).click()
    expect(heading(page)).to_have_text(tr("Calls for ideas"))
    checked(page)
    page.get_by_role("main").get_by_role("link", name=call.title).click()
    expect(heading(page)).to_have_text(call.title)
    checked(page)
    expect(page.get_by_role("main")).to_contain_text(organisation.name)
    page.get_by_role("main").get_by_role("link", name=tr("Answer this call")).click()

    # Writing a proposal needs an account: sign in, and come back to the form.
    expect(heading(page)).to_have_text(tr("Sign In"))
    checked(page)
    fill_login_form(page, citizen.email, PASSWORD)
    expect(heading(page)).to_have_text(tr("Write a proposal"))
    checked(page)
    form = page.locator("main form")
    expect(field(form, "call for ideas")).to_have_value(str(call.pk))
    expect(field(form, "organisation")).to_have_value(str(organisation.pk))
    field(form, "title").fill(TITLE)
    field(form, "summary in plain language").fill(
        "Ein offener Treff am Abend, damit auch Berufstätige ins Zentrum kommen."
    )
    field(form, "proposal").fill(
        "Viele Menschen zwischen 30 und 60 arbeiten tagsüber. Wir Nachbarinnen und Nachbarn planen einen "
        "Treff am Donnerstagabend und gestalten ihn zusammen mit dem Team des Zentrums."
    )
    field(form, "district").select_option("Wesertor")
    # The co-production mode, on the matrix: the community plans, community and staff deliver together.
    matrix = form.get_by_role("group", name=tr("Who plans, who delivers"))
    matrix.get_by_role("radio", name=tr("Joint delivery of a community-planned service")).check()
    form.get_by_role("button", name=tr("Publish"), exact=True).click()

    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text(tr("Your proposal is published. Thank you!"))
    checked(page)
    proposal_path = urlsplit(page.url).path
    expect(page.locator("main .proposal-head .status")).to_have_text(tr("Published"))
    facts = section(page, "About this proposal")
    expect(facts).to_contain_text(organisation.name)
    expect(facts.get_by_role("link", name=call.title)).to_be_visible()
    mode = section(page, "How it would be co-produced")
    expect(mode).to_contain_text(tr("Joint delivery of a community-planned service"))
    expect(mode).to_contain_text(f"{tr('Community plans')} · {tr('Delivered together')}")

    # Another person signs in, pledges two hours of time with a note, and supports the proposal.
    other = new_page()
    log_in(other, supporter.email)
    visit(other, proposal_path)
    expect(heading(other)).to_have_text(TITLE)
    pledges = section(other, "What people would bring")
    pledge_form = pledges.locator("form")
    pledge_form.get_by_role("radio", name=tr("Time"), exact=True).check()
    field(pledge_form, "How many hours").fill("2")
    field(pledge_form, "When you have time").fill("Ich kann donnerstags ab 18 Uhr beim Aufbau helfen.")
    pledge_form.get_by_role("button", name=tr("Pledge"), exact=True).click()
    expect(other.get_by_role("status")).to_contain_text(
        tr("Thank you for your pledge. The people behind this proposal can now count on it.")
    )
    checked(other)
    support = section(other, "Support")
    support.get_by_role("button", name=trp("proposal action", "Support")).click()
    expect(other.get_by_role("status")).to_contain_text(
        tr("Thank you for your support. You now follow this proposal.")
    )
    checked(other)
    support = section(other, "Support")
    expect(support).to_contain_text(
        trn("%(counter)s person supports this proposal.", "%(counter)s people support this proposal.", 1)
        % {"counter": 1}
    )
    expect(support.get_by_role("button", name=tr("Withdraw my support"))).to_be_visible()
    totals = section(other, "What people would bring").locator(".pledge-totals")
    expect(totals).to_contain_text(tr("Time"))
    expect(totals).to_contain_text(trn("%(counter)s pledge", "%(counter)s pledges", 1) % {"counter": 1})
    expect(totals).to_contain_text(tr("%(hours)s hours in total") % {"hours": 2})
    expect(section(other, "What people would bring")).to_contain_text(
        "Peter Brandt: Ich kann donnerstags ab 18 Uhr beim Aufbau helfen."
    )

    # Staff of the organisation move it to "under review", then accept it, each with a public response.
    office = new_page()
    log_in(office, staff.email)
    visit(office, "/admin/proposals/proposal/")
    expect(office.get_by_role("row").filter(has_text=TITLE)).to_contain_text(tr("Published"))
    change_status(office, TITLE, "Under review", REVIEW_RESPONSE)
    change_status(office, TITLE, "Accepted", ACCEPT_RESPONSE)

    # The author reloads the proposal page: accepted, with the full history and both responses.
    page.reload()
    expect(heading(page)).to_have_text(TITLE)
    checked(page)
    expect(page.locator("main .proposal-head .status")).to_have_text(tr("Accepted"))
    history = section(page, "Status history").get_by_role("list").first.locator(":scope > li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text(tr("Published"))
    moved = tr("from “%(from)s” to “%(to)s”")
    official = tr("Official response from %(organisation)s") % {"organisation": organisation.name}
    expect(history.nth(1)).to_contain_text(moved % {"from": tr("Published"), "to": tr("Under review")})
    expect(history.nth(1)).to_contain_text(f"{official} (Sabine Roth)")
    expect(history.nth(1)).to_contain_text(REVIEW_RESPONSE)
    expect(history.nth(2)).to_contain_text(moved % {"from": tr("Under review"), "to": tr("Accepted")})
    expect(history.nth(2)).to_contain_text(f"{official} (Sabine Roth)")
    expect(history.nth(2)).to_contain_text(ACCEPT_RESPONSE)
    expect(section(page, "Support")).to_contain_text(
        trn("%(counter)s person supports this proposal.", "%(counter)s people support this proposal.", 1)
        % {"counter": 1}
    )

    # The matrix counts it in its cell, and the filtered list (a shareable address) shows it.
    visit(page, "/coproduction/")
    cell = page.get_by_role("main").get_by_role("cell").filter(
        has_text=tr("Joint delivery of a community-planned service")
    )
    expect(cell.get_by_role("link")).to_contain_text(
        trn("%(counter)s proposal", "%(counter)s proposals", 1) % {"counter": 1}
    )
    visit(page, "/proposals/?planning=community&delivery=together&status=accepted")
    expect(heading(page)).to_have_text(tr("Proposals"))
    expect(page.locator("main .card")).to_have_count(1)
    expect(page.locator("main .card").get_by_role("link", name=TITLE)).to_be_visible()
    filters = filter_form(page)
    expect(field(filters, "Who plans")).to_have_value("community")
    expect(field(filters, "Status")).to_have_value("accepted")
    visit(page, "/proposals/?planning=professionals")
    expect(page.locator("main .card")).to_have_count(0)

    proposal = Proposal.objects.get(title=TITLE)
    assert (proposal.status, proposal.call, proposal.author) == ("accepted", call, citizen)
    assert (proposal.planning, proposal.delivery) == ("community", "together")
    assert (proposal.support_count, proposal.pledge_count) == (1, 1)
    assert Support.objects.filter(proposal=proposal, user=supporter).count() == 1
    pledge = Pledge.objects.get(proposal=proposal)
    assert (pledge.user, pledge.kind, pledge.hours) == (supporter, "time", 2)
    assert list(StatusChange.objects.filter(proposal=proposal).values_list("to_status", "response", "actor")) == [
        ("under_review", REVIEW_RESPONSE, staff.pk),
        ("accepted", ACCEPT_RESPONSE, staff.pk),
    ]
