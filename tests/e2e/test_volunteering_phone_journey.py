"""Volunteering on a small phone (360 × 740): find a task, sign in on the way, sign up, see it under
"My commitments"; staff mark attendance at the door. Nothing may scroll sideways, axe on every page."""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.stakeholders.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.volunteering.factories import (
    ShiftFactory, SkillFactory, TaskFactory, counts, hours_from_now, move_shift, sign_up,
)
from volunteering.models import SignUp

from .support import (
    assert_no_horizontal_scroll,
    checked,
    field,
    fill_login_form,
    filter_form,
    open_menu,
    tr,
    trn,
    visit,
)
from .volunteering_support import SHIFT_SIGN_UP, button, heading, log_in, main, number, section, shift_card, status

pytestmark = pytest.mark.e2e

WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def looked_at(page):
    """What a person sees on each page: axe-checked, and nothing wider than the screen."""
    checked(page)
    assert_no_horizontal_scroll(page, WIDTH)


def test_volunteer_on_a_phone_finds_a_task_signs_in_and_signs_up(new_page):
    # Long German compounds, addresses and language lists are what push a small screen sideways.
    organisation = OrganisationFactory(name="Mehrgenerationenhaus Kirchditmold", slug="kirchditmold",
                                       district="Kirchditmold")
    skill = SkillFactory(name="Deutsch-Arabisch-Sprachmittlung", slug="sprachmittlung")
    task = TaskFactory(
        organisation=organisation, district="Kirchditmold", skills=[skill],
        title="Sprachmittlung bei der Schuldnerberatungssprechstunde",
        purpose="Menschen, die gerade Deutsch lernen, verstehen bei der Beratung jedes Wort: Sie übersetzen "
                "zwischen Beraterin und Ratsuchenden. https://www.mehrgenerationenhaus-kirchditmold.example/"
                "ehrenamt/sprachmittlung?abschnitt=schuldnerberatung",
        location="Zentgrafenstraße 123, Hinterhaus, Gemeinschaftsraum im Erdgeschoss",
        languages="Deutsch, Arabisch, Kurmandschi, Tigrinya", effort_note="Zweieinhalbstündige Sprechstunde",
        first_timer_friendly=True, accessible_venue=True, expenses_reimbursed=True,
    )
    shift = ShiftFactory(task=task, starts_in=75, capacity=2)
    ShiftFactory(task=TaskFactory(organisation=organisation, title="Hausmeisterunterstützung im Garten",
                                  district="Kirchditmold"))
    person = UserFactory(display_name="Aleksandra Wiśniewska-Hoffmann")

    page = new_page(**PHONE)
    visit(page, "/tasks/")
    assert_no_horizontal_scroll(page, WIDTH)
    expect(heading(page)).to_have_text(tr("Tasks"))
    counter = page.locator("main p.meta[role=status]")
    expect(counter).to_have_text(trn("%(counter)s task", "%(counter)s tasks", 2) % {"counter": 2})
    filters = filter_form(page, "Filter tasks")
    field(filters, "Skill").select_option(label=skill.name)
    field(filters, "Suitable for first-timers").tap()
    filters.get_by_role("button", name=tr("Apply filters")).tap()
    expect(counter).to_have_text(trn("%(counter)s task", "%(counter)s tasks", 1) % {"counter": 1})
    looked_at(page)
    main(page).get_by_role("link", name=task.title).tap()

    expect(heading(page)).to_have_text(task.title)
    looked_at(page)
    main(page).get_by_role("link", name=tr("Sign in to sign up")).tap()
    expect(heading(page)).to_have_text(tr("Sign In"))
    looked_at(page)
    fill_login_form(page, person.email, PASSWORD)
    expect(heading(page)).to_have_text(task.title)
    looked_at(page)

    card = shift_card(page, shift)
    button(card, SHIFT_SIGN_UP).tap()
    expect(status(page)).to_contain_text(task.title)
    looked_at(page)
    expect(shift_card(page, shift).locator(".my-status")).to_have_text(tr("You have a place on this shift."))

    open_menu(page).get_by_role("link", name=tr("Tasks"), exact=True).tap()
    expect(heading(page)).to_have_text(tr("Tasks"))
    looked_at(page)
    main(page).get_by_role("link", name=tr("My commitments"), exact=True).tap()
    expect(heading(page)).to_have_text(tr("My commitments"))
    looked_at(page)
    upcoming = section(page, "Upcoming").locator(".commitment-list > li")
    expect(upcoming).to_have_count(1)
    expect(upcoming.first).to_contain_text(task.title)
    expect(upcoming.first.locator(".tag")).to_have_text(tr("Confirmed"))
    # The private calendar address is long: it must fit, too.
    section(page, "My calendar").get_by_role("button", name=tr("Create my calendar address")).tap()
    expect(status(page)).to_contain_text(
        tr("Your private calendar address is ready. Add it to your calendar app.")
    )
    looked_at(page)

    assert SignUp.objects.get(user=person).status == SignUp.Status.CONFIRMED
    assert counts(shift) == (1, 0, 0)


def test_staff_on_a_phone_mark_attendance_on_the_roster(new_page):
    organisation = OrganisationFactory(name="Stadtteilzentrum Wesertor", slug="wesertor")
    staff = MembershipFactory(organisation=organisation, role="staff", user__is_staff=True).user
    task = TaskFactory(organisation=organisation, title="Fahrradwerkstatt-Reparaturnachmittag")
    shift = ShiftFactory(task=task, starts_in=30, capacity=2)
    volunteer = UserFactory(first_name="Konstantin", last_name="Oberhausen-Wilhelmshöhe",
                            email="konstantin.oberhausen-wilhelmshoehe@beispielverein.example", phone="0561 9876543")
    record = sign_up(shift, volunteer)
    move_shift(shift, starts_at=hours_from_now(-1))  # the shift has just begun

    page = new_page(**PHONE)
    log_in(page, staff.email)
    visit(page, f"/tasks/shifts/{shift.pk}/roster/")
    assert_no_horizontal_scroll(page, WIDTH)
    expect(heading(page)).to_have_text(f"{tr('Roster')}: {task.title}")
    row = page.locator(f"#signup-{record.pk}")
    expect(row).to_contain_text(volunteer.email)
    field(row, "Attended").tap()
    field(row, "Hours").fill("1,75")
    button(row, "Save attendance").tap()
    expect(status(page)).to_contain_text(
        tr("Saved: %(name)s attended, %(hours)s hours.")
        % {"name": "Konstantin Oberhausen-Wilhelmshöhe", "hours": number(Decimal("1.75"))}
    )
    looked_at(page)
    record.refresh_from_db()
    assert (record.attended, record.hours) == (True, Decimal("1.75"))
