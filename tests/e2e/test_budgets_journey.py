"""Participatory budgets in the browser: a citizen votes within the budget (and is stopped when over
it, with and without JavaScript), anyone reads the results and downloads them, staff report progress
on a funded proposal, and the ballot and results pages work on a small phone. Axe on every page.

The data is made through the budgets services (tests/budgets/factories.py), so every counter is kept
as in real use. Texts are found through tr(), so the journeys hold in German (the default) and English.
"""
import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets import services
from budgets.models import Ballot, Entry, Phase, Pick, Process
from proposals.models import Implementation, ImplementationUpdate, Proposal
from tests.budgets.factories import add_entry, make_process, move_to, process_staff, publish, vote
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory, UserFactory

from .budgets_support import (
    PHONE,
    WIDTH,
    ballot_form,
    button,
    save_button,
    checked_without_javascript,
    euros,
    expect_summary,
    heading,
    link,
    local_date,
    log_in,
    log_in_without_javascript,
    main,
    number,
    option,
    over_budget_error,
    over_note,
    picks_summary,
    script_free_twin,
    section,
    status,
    summary,
)
from .support import assert_no_horizontal_scroll, checked, field, tr, trn, visit

pytestmark = pytest.mark.e2e

BENCHES = "Sitzbänke am Weserufer"
CARGO_BIKE = "Lastenrad zum Ausleihen für die Nachbarschaft"
FOUNTAIN = "Trinkbrunnen am Marktplatz"
BOOKCASE = "Offener Bücherschrank „Lesen, tauschen, schenken“"
TRAM = "Neue Straßenbahnlinie durch das Viertel"
RULE = (
    "Only votes that were confirmed count. The feasible proposals are put in order of their votes, most votes "
    "first. If two have the same number of votes, the cheaper one comes first, because it leaves more money for "
    "others; if they also cost the same, the one sent in first comes first. Then, from the top, each proposal is "
    "funded if its final cost still fits into what is left of the budget. If it does not fit, it is skipped and "
    "the next one is tried, until the money or the list runs out."
)


def path_of(url):
    return urlsplit(url).path


def voting_process(organisation, **options):
    """Voting on 10,000 €: benches 4,000 €, cargo bike 5,000 €, fountain 3,000 €; the tram is not feasible
    and one proposal is not reviewed, so neither is on the ballot."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal("10000"), **options)
    entries = {
        "benches": add_entry(process, cost=Decimal("4000"), title=BENCHES),
        "bike": add_entry(process, cost=Decimal("5000"), title=CARGO_BIKE),
        "fountain": add_entry(process, cost=Decimal("3000"), title=FOUNTAIN),
        "tram": add_entry(process, cost=Decimal("9500"), feasible=False, title=TRAM,
                          reason="Straßenbahnen plant der Verkehrsverbund, nicht der Bürgerhaushalt."),
        "pending": add_entry(process, cost=Decimal("200"), feasible=None, title="Blumenkübel vor der Schule"),
    }
    move_to(process, Phase.VOTING)
    return process, entries


def picks_of(process, user):
    return set(Pick.objects.filter(ballot__process=process, ballot__user=user).values_list("entry_id", flat=True))


def expect_ballot_heading(page, process):
    expect(heading(page)).to_have_text(tr("Vote: %(title)s") % {"title": process.title})


# --- 1. voting -----------------------------------------------------------------------------------

def test_citizen_votes_within_the_budget_and_is_stopped_when_over_it(new_page):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    process, entries = voting_process(organisation, title="Bürgerhaushalt Wesertor 2025", slug="wesertor-2025")
    citizen = UserFactory(display_name="Miriam Kaya")

    # The citizen signs in and finds the budget from the list of all budgets.
    page = new_page()
    log_in(page, citizen.email)
    page.get_by_role("navigation", name=tr("Main")).get_by_role("link", name=tr("Budgets"), exact=True).click()
    expect(heading(page)).to_have_text(tr("Participatory budgets"))
    checked(page)
    main(page).get_by_role("link", name=process.title, exact=True).click()
    expect(heading(page)).to_have_text(process.title)
    checked(page)
    expect(main(page)).to_contain_text(tr("Voting"))
    link(section(page, "What you can do now"), "Vote now").click()
    expect_ballot_heading(page, process)
    checked(page)
    assert path_of(page.url) == f"/budgets/{process.slug}/ballot/"

    # Only the three feasible proposals are on the ballot, each with its cost; nothing chosen yet.
    form = ballot_form(page)
    expect(form.get_by_role("checkbox")).to_have_count(3)
    expect(form).not_to_contain_text(TRAM)
    expect(form).not_to_contain_text("Blumenkübel")
    expect(option(page, BENCHES)).to_have_accessible_name(f"{BENCHES} {euros(4000)}")
    expect(summary(page)).to_have_attribute("aria-live", "polite")
    expect_summary(page, chosen=0, budget=10000)
    expect(section(page, "2. Confirm your vote")).to_contain_text(
        tr("Once you have saved a choice, you can confirm your vote here."))

    # With JavaScript the remaining amount follows every tick at once …
    option(page, BENCHES).check()
    expect_summary(page, chosen=4000, budget=10000)
    option(page, CARGO_BIKE).check()
    expect_summary(page, chosen=9000, budget=10000)
    # … and going over the budget is announced in words in the live region.
    option(page, FOUNTAIN).check()
    expect_summary(page, chosen=12000, budget=10000, over=True)
    expect(over_note(page)).to_contain_text(euros(2000))
    checked(page)

    # Sending the choice anyway: the server refuses it, says why, keeps the ticks and saves nothing.
    save_button(page).click()
    expect(page.get_by_role("alert")).to_contain_text(over_budget_error(12000, 10000))
    expect_ballot_heading(page, process)
    checked(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(tr("Nothing was saved. Your choice below is as you sent it."))
    group = ballot_form(page).get_by_role("group", name=tr("Feasible proposals"))
    expect(group).to_have_attribute("aria-describedby", "ballot-summary ballot-error")
    for title in (BENCHES, CARGO_BIKE, FOUNTAIN):
        expect(option(page, title)).to_be_checked()
    expect_summary(page, chosen=12000, budget=10000, over=True)
    assert not Ballot.objects.filter(process=process, user=citizen).exists()

    # Without the fountain the choice fits: 1,000 € remain, and it is saved.
    option(page, FOUNTAIN).uncheck()
    expect_summary(page, chosen=9000, budget=10000)
    save_button(page).click()
    expect(status(page)).to_contain_text(tr("Your choice is saved. It counts once you confirm your vote below."))
    checked(page)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(option(page, BENCHES)).to_be_checked()
    expect(option(page, CARGO_BIKE)).to_be_checked()
    expect(option(page, FOUNTAIN)).not_to_be_checked()
    expect_summary(page, chosen=9000, budget=10000)
    saved = section(page, "Your saved choice")
    expect(saved.get_by_role("listitem")).to_have_count(2)
    expect(saved).to_contain_text(BENCHES)
    expect(saved).to_contain_text(CARGO_BIKE)
    expect(saved).to_contain_text(picks_summary(2, 9000, 10000))
    ballot = Ballot.objects.get(process=process, user=citizen)
    assert (ballot.status, ballot.total) == (Ballot.Status.DRAFT, Decimal("9000"))
    assert picks_of(process, citizen) == {entries["benches"].pk, entries["bike"].pk}

    # While the ticks on screen differ from the saved choice, confirming waits and says why.
    confirm = button(page.locator("#confirm"), "Confirm my vote")
    expect(confirm).to_be_enabled()
    expect(page.locator("#ballot-unsaved")).to_be_hidden()
    option(page, FOUNTAIN).check()
    expect(confirm).to_be_disabled()
    expect(page.locator("#ballot-unsaved")).to_be_visible()
    option(page, FOUNTAIN).uncheck()
    expect(confirm).to_be_enabled()
    expect(page.locator("#ballot-unsaved")).to_be_hidden()

    # Confirming casts the vote: it is counted, with the picks, and there is nothing left to change.
    expect(page.locator("#confirm-warning")).to_contain_text(tr("A confirmed vote cannot be changed."))
    confirm.click()
    expect(status(page)).to_contain_text(tr("Your vote is counted. Thank you for taking part."))
    checked(page)
    assert path_of(page.url) == f"/budgets/{process.slug}/ballot/"
    expect_counted(page, process)

    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CONFIRMED and ballot.confirmed_at is not None
    process.refresh_from_db()
    assert process.ballot_count == 1
    assert dict(Entry.objects.filter(process=process).values_list("proposal__title", "vote_count")) == {
        BENCHES: 1, CARGO_BIKE: 1, FOUNTAIN: 0, TRAM: 0, "Blumenkübel vor der Schule": 0,
    }

    # Coming back later: the budget offers "See my vote", which shows what was voted and no way to change it.
    visit(page, process.get_absolute_url())
    expect(heading(page)).to_have_text(process.title)
    link(section(page, "What you can do now"), "See my vote").click()
    expect_ballot_heading(page, process)
    checked(page)
    expect(status(page)).to_have_count(0)
    expect_counted(page, process)
    assert picks_of(process, citizen) == {entries["benches"].pk, entries["bike"].pk}


def expect_counted(page, process):
    """The ballot page of someone whose vote is counted: the picks, and no form to change them."""
    expect(main(page)).to_contain_text(tr("Your vote is counted."))
    expect(main(page)).to_contain_text(tr("A confirmed vote cannot be changed."))
    voted = section(page, "What you voted")
    expect(voted.get_by_role("listitem")).to_have_count(2)
    expect(voted.get_by_role("link", name=BENCHES, exact=True)).to_be_visible()
    expect(voted.get_by_role("link", name=CARGO_BIKE, exact=True)).to_be_visible()
    expect(voted).to_contain_text(euros(4000))
    expect(voted).to_contain_text(euros(5000))
    expect(voted).to_contain_text(picks_summary(2, 9000, 10000))
    expect(voted).not_to_contain_text(FOUNTAIN)
    expect(main(page).locator("form")).to_have_count(0)
    expect(main(page).get_by_role("checkbox")).to_have_count(0)
    expect(main(page).get_by_role("button")).to_have_count(0)


def test_ballot_works_without_javascript_and_the_server_refuses_a_choice_over_the_budget(new_page):
    organisation = OrganisationFactory(name="Nachbarschaftszentrum Lindenhof", slug="lindenhof")
    process, entries = voting_process(organisation, title="Kiezbudget Lindenhof", slug="lindenhof")
    citizen = UserFactory(display_name="Jonas Becker")

    page = new_page(java_script_enabled=False)
    twin = script_free_twin(new_page)  # where axe checks what the page without JavaScript shows
    log_in_without_javascript(page, twin, citizen.email)
    page.goto(process.get_absolute_url())
    checked_without_javascript(page, twin)
    link(section(page, "What you can do now"), "Vote now").click()
    expect_ballot_heading(page, process)
    checked_without_javascript(page, twin)

    # All three ticked: without JavaScript the summary stays as the server wrote it …
    for title in (BENCHES, CARGO_BIKE, FOUNTAIN):
        option(page, title).check()
    expect_summary(page, chosen=0, budget=10000)

    # … and the server refuses the choice, shows the ticks as sent and the amount over; nothing is saved.
    save_button(page).click()
    expect(page.get_by_role("alert")).to_contain_text(over_budget_error(12000, 10000))
    checked_without_javascript(page, twin)
    expect(page.get_by_role("alert")).to_contain_text(tr("Nothing was saved. Your choice below is as you sent it."))
    for title in (BENCHES, CARGO_BIKE, FOUNTAIN):
        expect(option(page, title)).to_be_checked()
    expect_summary(page, chosen=12000, budget=10000, over=True)
    assert not Ballot.objects.filter(process=process, user=citizen).exists()
    assert not Pick.objects.filter(ballot__process=process).exists()

    # A choice within the budget is saved and confirmed, all without JavaScript.
    option(page, CARGO_BIKE).uncheck()
    save_button(page).click()
    expect(status(page)).to_contain_text(tr("Your choice is saved. It counts once you confirm your vote below."))
    checked_without_javascript(page, twin)
    expect_summary(page, chosen=7000, budget=10000)
    expect(section(page, "Your saved choice")).to_contain_text(picks_summary(2, 7000, 10000))
    button(page.locator("#confirm"), "Confirm my vote").click()
    expect(status(page)).to_contain_text(tr("Your vote is counted. Thank you for taking part."))
    checked_without_javascript(page, twin)
    expect(section(page, "What you voted")).to_contain_text(picks_summary(2, 7000, 10000))
    expect(main(page).locator("form")).to_have_count(0)

    ballot = Ballot.objects.get(process=process, user=citizen)
    assert (ballot.status, ballot.total) == (Ballot.Status.CONFIRMED, Decimal("7000"))
    assert picks_of(process, citizen) == {entries["benches"].pk, entries["fountain"].pk}


# --- 2. results ----------------------------------------------------------------------------------

def published_process(organisation):
    """Members of the organisation voted on 10,000 €; results are published.

    Votes: benches 3, cargo bike 3, fountain 2, bookcase 1; a draft ballot for the fountain is not
    counted. By the rule: benches (3 votes, cheaper) 1st and funded, cargo bike 2nd and funded (1,000 €
    left), fountain 3rd does not fit, bookcase 4th fits: 9,800 € funded, 200 € left over.
    """
    process = make_process(organisation, Phase.REVIEW, total=Decimal("10000"), eligibility=Process.Eligibility.MEMBERS,
                           districts="Wesertor, Nord-Holland", title="Bürgerhaushalt Wesertor 2025",
                           slug="wesertor-2025")
    entries = {
        "benches": add_entry(process, cost=Decimal("4000"), title=BENCHES, district="Wesertor"),
        "bike": add_entry(process, cost=Decimal("5200"), final_cost=Decimal("5000"), title=CARGO_BIKE,
                          district="Nord-Holland"),
        "fountain": add_entry(process, cost=Decimal("3000"), title=FOUNTAIN, district="Wesertor"),
        "bookcase": add_entry(process, cost=Decimal("800"), title=BOOKCASE, district="Nord-Holland"),
        "tram": add_entry(process, cost=Decimal("9500"), feasible=False, title=TRAM,
                          reason="Straßenbahnen plant der Verkehrsverbund, nicht der Bürgerhaushalt."),
    }
    move_to(process, Phase.VOTING)

    def member():
        return MembershipFactory(organisation=organisation).user

    choices = [["benches", "bike"], ["benches", "bike"], ["benches", "fountain"], ["bike", "fountain"], ["bookcase"]]
    for picked in choices:
        vote(process, member(), [entries[key] for key in picked])
    services.ballot_set_picks(process=process, user=member(), entry_ids=[entries["fountain"].pk])  # never confirmed
    member(), member()  # members who did not vote
    publish(process)
    return process, entries


def test_anyone_reads_the_results_and_downloads_them(new_page, live_server):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    process, entries = published_process(organisation)
    assert process.phase == Phase.RESULTS and process.results_published_at is not None
    members = 1 + 5 + 1 + 2  # staff, voters, the unconfirmed ballot, members who did not vote

    # Someone without an account opens the budget and follows the link to its results.
    page = new_page()
    visit(page, "/budgets/")
    main(page).get_by_role("link", name=process.title, exact=True).click()
    expect(heading(page)).to_have_text(process.title)
    checked(page)
    link(section(page, "What you can do now"), "See the results").click()
    expect(heading(page)).to_have_text(tr("Results: %(title)s") % {"title": process.title})
    checked(page)
    assert path_of(page.url) == f"/budgets/{process.slug}/results/"

    # The money: budget, what is funded (by how many proposals), and what is left over.
    money = section(page, "The money")
    facts = money.locator("dl")
    expect(facts.locator("dt")).to_have_text([tr("Budget"), tr("Funded"), tr("Left over")])
    expect(facts.locator("dd")).to_have_text([
        euros(10000),
        f"{euros(9800)} ({trn('%(counter)s proposal', '%(counter)s proposals', 3) % {'counter': 3}})",
        euros(200),
    ])

    # Turnout: confirmed votes only, and their share of the members of the organisation running it.
    turnout = section(page, "Who voted")
    expect(turnout).to_contain_text(
        trn("%(counter)s person confirmed a vote.", "%(counter)s people confirmed their vote.", 5) % {"counter": 5})
    expect(turnout).to_contain_text(
        trn("That is %(percent)s %% of the %(counter)s member of the organisations running it.",
            "That is %(percent)s %% of the %(counter)s members of the organisations running it.", members)
        % {"percent": number(round(100 * 5 / members, 1)), "counter": members})

    # The rule that chose the funded proposals, in plain words.
    expect(section(page, "How the funded proposals were chosen")).to_contain_text(tr(RULE))

    # The table: every feasible proposal with its place, votes, final cost and whether it is funded.
    results = section(page, "All feasible proposals")
    table = results.get_by_role("table", name=trn(
        "The %(counter)s feasible proposal in the order of the results",
        "The %(counter)s feasible proposals in the order of the results", 4) % {"counter": 4})
    expect(table.locator("thead th")).to_have_text(
        [tr("Place"), tr("Proposal"), tr("Votes"), tr("Final cost"), tr("Funded")])
    rows = table.locator("tbody tr")
    expected = [
        ["1", BENCHES, "3", euros(4000), tr("yes")],
        ["2", CARGO_BIKE, "3", euros(5000), tr("yes")],
        ["3", FOUNTAIN, "2", euros(3000), tr("no")],
        ["4", BOOKCASE, "1", euros(800), tr("yes")],
    ]
    expect(rows).to_have_count(len(expected))
    for number_, cells in enumerate(expected):
        expect(rows.nth(number_).locator("th, td")).to_have_text(cells)
    expect(table.get_by_role("link", name=BENCHES, exact=True)).to_have_attribute(
        "href", entries["benches"].proposal.get_absolute_url())
    expect(results).not_to_contain_text(TRAM)

    # The spreadsheet: the same rows, one header line, amounts unlocalised for spreadsheets, absolute links.
    download_link = link(results, "Download the results as a spreadsheet (CSV)")
    with page.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename == f"budget-{process.slug}-results.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith("\ufeff".encode()), "the CSV starts with a BOM so that Excel reads it as UTF-8"
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert lines[0] == [tr("Place"), tr("Proposal"), tr("Votes"), tr("Final cost (€)"), tr("Funded"),
                        tr("District"), tr("Link")]

    def address(key):
        return f"{live_server.url}{entries[key].proposal.get_absolute_url()}"

    assert lines[1:] == [
        ["1", BENCHES, "3", "4000.00", tr("yes"), "Wesertor", address("benches")],
        ["2", CARGO_BIKE, "3", "5000.00", tr("yes"), "Nord-Holland", address("bike")],
        ["3", FOUNTAIN, "2", "3000.00", tr("no"), "Wesertor", address("fountain")],
        ["4", BOOKCASE, "1", "800.00", tr("yes"), "Nord-Holland", address("bookcase")],
    ]

    # From the results on to the progress of the funded proposals: all three, none reported yet.
    link(main(page), "Follow the progress of the funded proposals").click()
    expect(heading(page)).to_have_text(tr("What became of the funded proposals"))
    checked(page)
    progress = main(page).get_by_role("table")
    expect(progress.locator("tbody tr")).to_have_count(3)
    for title in (BENCHES, CARGO_BIKE, BOOKCASE):
        expect(progress.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(progress).not_to_contain_text(FOUNTAIN)


# --- 3. accountability ---------------------------------------------------------------------------

UPDATE_TEXT = "Die Bänke sind bestellt. Der Bauhof stellt sie im Mai auf, zuerst die vier am Spielplatz."


def test_staff_post_a_progress_update_that_appears_on_the_proposal(new_page):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    process, entries = published_process(organisation)
    proposal = entries["benches"].proposal
    staff = process_staff(process)
    staff.display_name = "Sabine Roth"
    staff.save(update_fields=["display_name"])
    neighbour = UserFactory(display_name="Peter Brandt")
    assert Entry.objects.get(pk=entries["benches"].pk).is_funded

    # Staff sign in and open the funded proposal from the budget's page.
    office = new_page()
    log_in(office, staff.email)
    visit(office, process.get_absolute_url())
    main(office).locator(f"#entry-{entries['benches'].pk}").get_by_role("link", name=BENCHES, exact=True).click()
    expect(heading(office)).to_have_text(BENCHES)
    checked(office)
    budget_box = section(office, "Participatory budget")
    expect(budget_box).to_contain_text(process.title)
    expect(budget_box).to_contain_text(tr("Funded"))
    progress = section(office, "Progress")
    expect(progress).to_contain_text(tr("No update yet."))
    current = progress.locator('[aria-current="step"]')
    expect(current).to_contain_text(tr("Planned"))

    # They report progress: in progress, 40 %.
    form = progress.get_by_role("form", name=tr("Report progress"))
    field(form, "what happened").fill(UPDATE_TEXT)
    field(form, "status").select_option(label=tr("In progress"))
    field(form, "progress (%)").fill("40")
    button(form, "Publish update").click()
    expect(status(office)).to_contain_text(tr("Your update is published."))
    checked(office)
    assert urlsplit(office.url).fragment == "progress"
    today = local_date(timezone.now())

    # The update is in the progress section with today's date, the new step and the progress.
    progress = section(office, "Progress")
    expect_update_shown(progress, today)
    expect(progress.get_by_role("form", name=tr("Report progress"))).to_be_visible()

    implementation = Implementation.objects.get(proposal=proposal)
    assert (implementation.status, implementation.progress, implementation.update_count) == (
        Implementation.Status.IN_PROGRESS, 40, 1)
    update = ImplementationUpdate.objects.get(implementation=implementation)
    assert (update.author, update.text, update.status, update.progress) == (staff, UPDATE_TEXT, "in_progress", 40)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.IN_DELIVERY

    # A neighbour signed in sees the update, but no form to report progress.
    page = new_page()
    log_in(page, neighbour.email)
    visit(page, proposal.get_absolute_url())
    expect(heading(page)).to_have_text(BENCHES)
    progress = section(page, "Progress")
    expect_update_shown(progress, today)
    expect(progress.get_by_role("form")).to_have_count(0)
    expect(progress.get_by_role("heading", name=tr("Report progress"))).to_have_count(0)
    expect(main(page).get_by_role("button", name=tr("Publish update"))).to_have_count(0)

    # The budget's progress overview shows it too.
    visit(page, f"/budgets/{process.slug}/progress/")
    row = main(page).get_by_role("row").filter(has=page.get_by_role("link", name=BENCHES, exact=True))
    expect(row).to_contain_text(tr("In progress"))
    expect(row).to_contain_text("40 %")


def expect_update_shown(progress, today):
    """The progress section after the update: current step, 40 % done, and the dated update."""
    expect(progress.locator('[aria-current="step"]')).to_contain_text(tr("In progress"))
    done = tr("%(progress)s %% done") % {"progress": 40}
    expect(progress.locator(".progress-line")).to_contain_text(done)
    expect(progress.get_by_role("progressbar")).to_have_attribute("value", "40")
    expect(progress.get_by_role("progressbar")).to_have_accessible_name(done)
    last = progress.locator("dt", has_text=tr("Last update")).locator("xpath=following-sibling::dd[1]")
    expect(last).to_have_text(today)
    updates = progress.locator("ol.updates > li")
    expect(updates).to_have_count(1)
    expect(updates.first).to_contain_text(UPDATE_TEXT)
    expect(updates.first).to_contain_text(today)
    expect(updates.first).to_contain_text(tr("In progress"))
    expect(updates.first).to_contain_text(done)
    expect(updates.first).to_contain_text("Sabine Roth")
    iso_today = timezone.localtime(timezone.now()).date().isoformat()
    expect(updates.first.locator("time")).to_have_attribute("datetime", re.compile("^" + re.escape(iso_today) + "T"))


# --- 4. on a phone -------------------------------------------------------------------------------

def looked_at(page):
    """What a person sees: axe-checked, and nothing wider than the screen."""
    checked(page)
    assert_no_horizontal_scroll(page, WIDTH)


def test_ballot_and_results_on_a_phone(new_page):
    organisation = OrganisationFactory(name="Mehrgenerationenhaus Kirchditmold", slug="kirchditmold")
    # Long German compounds and large amounts are what push a small screen sideways.
    process = make_process(organisation, Phase.REVIEW, total=Decimal("1250000"),
                           title="Bürgerhaushalt Kirchditmold: Nachbarschaftsförderungsprogramm 2025",
                           slug="kirchditmold-2025")
    long_title = "Barrierefreie Umgestaltung des Straßenbahnhaltestellenwartehäuschens an der Zentgrafenstraße"
    add_entry(process, cost=Decimal("987654.32"), title=long_title)
    add_entry(process, cost=Decimal("300000"), title="Spielplatzsanierung")
    add_entry(process, cost=Decimal("12500.50"), title="Kinder- und Jugendbeteiligungswerkstatt")
    move_to(process, Phase.VOTING)
    citizen = UserFactory(display_name="Aleksandra Wiśniewska-Hoffmann")

    page = new_page(**PHONE)
    log_in(page, citizen.email)
    visit(page, f"/budgets/{process.slug}/ballot/")
    assert_no_horizontal_scroll(page, WIDTH)
    expect_ballot_heading(page, process)
    option(page, long_title).tap()
    option(page, "Spielplatzsanierung").tap()
    expect_summary(page, chosen=Decimal("1287654.32"), budget=1250000, over=True)
    looked_at(page)
    save_button(page).tap()
    expect(page.get_by_role("alert")).to_contain_text(
        over_budget_error(Decimal("1287654.32"), Decimal("1250000.00")))
    looked_at(page)
    option(page, "Spielplatzsanierung").tap()
    option(page, "Kinder- und Jugendbeteiligungswerkstatt").tap()
    expect_summary(page, chosen=Decimal("1000154.82"), budget=1250000)
    save_button(page).tap()
    expect(status(page)).to_contain_text(tr("Your choice is saved. It counts once you confirm your vote below."))
    looked_at(page)
    button(page.locator("#confirm"), "Confirm my vote").tap()
    expect(status(page)).to_contain_text(tr("Your vote is counted. Thank you for taking part."))
    looked_at(page)

    vote(process, UserFactory(), Entry.objects.filter(process=process, proposal__title="Spielplatzsanierung"))
    publish(process)
    visit(page, f"/budgets/{process.slug}/results/")
    assert_no_horizontal_scroll(page, WIDTH)
    expect(heading(page)).to_have_text(tr("Results: %(title)s") % {"title": process.title})
    rows = section(page, "All feasible proposals").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text=long_title)).to_have_count(1)
