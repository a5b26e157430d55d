"""The home page and My area in a real browser: a visitor finds the running vote and reaches the ballot by
signing in; signed in, "for you" shows the vote they may still cast and their next shift; My area lists
their draft, their support, their pledge and whether they voted, and ends with the account's deletion."""
import re

import pytest
from playwright.sync_api import expect

from budgets.models import Phase
from tests.budgets.factories import add_entry, make_process, move_to
from tests.proposals.factories import PledgeFactory, ProposalFactory, SupportFactory
from tests.stakeholders.factories import OrganisationFactory, PASSWORD, UserFactory
from tests.volunteering.factories import ShiftFactory, TaskFactory, sign_up

from .support import checked, fill_login_form, heading, main, tr, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def neighbourhood(db):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof", slug="lindenhof")
    process = make_process(organisation, title="Bürgerhaushalt Nordstadt", slug="nordstadt")
    add_entry(process, title="Sitzbänke am Spielplatz")
    move_to(process, Phase.VOTING)
    person = UserFactory(display_name="Lea Vogel")
    sign_up(ShiftFactory(task=TaskFactory(organisation=organisation, title="Kaffee beim Kiezfest")), person)
    ProposalFactory(organisation=organisation, author=person, title="Leseecke im Hof", draft=True)
    liked = ProposalFactory(organisation=organisation, title="Repaircafé am Samstag")
    SupportFactory(proposal=liked, user=person)
    PledgeFactory(proposal=ProposalFactory(organisation=organisation, title="Gemeinschaftsgarten"), user=person,
                  kind="time", hours=4)
    return {"organisation": organisation, "process": process, "person": person}


def test_a_visitor_finds_the_running_vote_and_reaches_the_ballot_by_signing_in(page, neighbourhood):
    visit(page, "/")
    banner = main(page).locator(".phase-banner").filter(has_text="Bürgerhaushalt Nordstadt")
    expect(banner).to_contain_text(tr("Voting is open"))
    banner.get_by_role("link", name=re.compile("^" + re.escape(tr("To the ballot")))).click()
    expect(heading(page)).to_contain_text("Bürgerhaushalt Nordstadt")
    checked(page)
    main(page).get_by_role("link", name=tr("Sign in to vote")).click()
    checked(page)
    fill_login_form(page, neighbourhood["person"].email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/budgets/nordstadt/ballot/$"))
    expect(main(page).get_by_role("checkbox", name=re.compile("Sitzbänke am Spielplatz"))).to_be_visible()
    checked(page)


def test_signed_in_for_you_and_my_area(page, neighbourhood):
    visit(page, "/accounts/login/")
    fill_login_form(page, neighbourhood["person"].email, PASSWORD)
    expect(heading(page)).to_have_text(tr("For you"))
    checked(page)
    votes = main(page).get_by_role("region", name=tr("Your vote counts"))
    expect(votes).to_contain_text("Bürgerhaushalt Nordstadt")
    expect(votes.get_by_role("link", name=re.compile("^" + re.escape(tr("Vote now"))))).to_be_visible()
    shifts = main(page).get_by_role("region", name=tr("Your next shifts"))
    expect(shifts).to_contain_text("Kaffee beim Kiezfest")

    main(page).get_by_role("link", name=tr("My area")).click()
    expect(heading(page)).to_have_text(tr("My area"))
    checked(page)
    mine = main(page).get_by_role("region", name=tr("My proposals"))
    expect(mine).to_contain_text("Leseecke im Hof")
    expect(mine).to_contain_text(tr("Draft"))
    expect(main(page).get_by_role("region", name=tr("Proposals I support"))).to_contain_text("Repaircafé am Samstag")
    expect(main(page).get_by_role("region", name=tr("What I offered to bring"))).to_contain_text("Gemeinschaftsgarten")
    ballots = main(page).get_by_role("region", name=tr("My votes in participatory budgets"))
    expect(ballots).to_contain_text("Bürgerhaushalt Nordstadt")
    expect(ballots).to_contain_text(tr("not cast"))
    # The account's data and its deletion are the last section of the page.
    last = main(page).locator("section").last
    expect(last.get_by_role("heading", level=2)).to_have_text(tr("Your data and your account"))
    expect(last.get_by_role("link", name=tr("Delete my account"))).to_be_visible()
